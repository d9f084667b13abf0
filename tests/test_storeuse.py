"""The object-storage pass runs the tests found reaching a file storage (tests/storeuse.py): a
use that went unseen would leave a storage test out of that pass without a word."""

from django.core.files.storage import default_storage, storages

from tests import storeuse


def test_each_way_of_reaching_a_storage_is_seen_and_a_wider_fixtures_is_not():
    storeuse.start()
    storages["snapshots"]
    assert storeuse.stop() == {"snapshots"}

    default_storage.exists("nothing-here")  # resolved outside a test's watch (not seen)
    storeuse.start()
    default_storage.exists("nothing-here")  # a FileField's way: resolved again after start()
    assert storeuse.stop() == {"default"}

    storeuse.start()
    with storeuse.unwatched():  # a session or module fixture
        storages["recordings"]
        default_storage.exists("nothing-here")
    storages["staticfiles"]  # not a file storage of the application's
    assert storeuse.stop() == set()


def test_listed_tests_are_marked_on_object_storage_only(tmp_path, monkeypatch):
    listing = tmp_path / "list"
    listing.write_text("tests/a.py::test_one\tdefault\n")

    class Item:
        def __init__(self, nodeid):
            self.nodeid, self.marks = nodeid, []

        def add_marker(self, mark):
            self.marks.append(mark.name)

    monkeypatch.setenv(storeuse.LIST, str(listing))
    monkeypatch.delenv("SAILAU_S3_BUCKET", raising=False)
    one, two = Item("tests/a.py::test_one"), Item("tests/a.py::test_two")
    storeuse.mark_listed([one, two])
    assert one.marks == [] and two.marks == []  # the local pass writes the list, marks nothing
    monkeypatch.setenv("SAILAU_S3_BUCKET", "b")
    storeuse.mark_listed([one, two])
    assert one.marks == [storeuse.MARK] and two.marks == []
