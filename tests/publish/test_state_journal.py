"""The publisher's record of every station's fingerprint: a base written now and then and a
journal of what each publication changed, so that a round writes a line, not every station's
fingerprint; a restarted process reads the same record, and a record it cannot trust means a
full publication, never a wrong one."""

import json

import pytest

from sailau.publish.storage import store

pytestmark = pytest.mark.django_db

EID = "e.journal"


def _manifest(seq):
    return {"sequence": seq}


def _forget():
    store._PRINTS.pop(EID, None)  # as a new process


@pytest.fixture
def folder(snapshot_dir):
    store.election_dir(EID).mkdir(parents=True)
    return store.election_dir(EID)


def test_rounds_append_their_changes_and_a_new_process_reads_the_same(folder):
    prints = {f"s{i}": f"fp{i}" for i in range(100)}
    store.write_state(EID, _manifest(1), prints)
    base = (folder / store.PRINTS).read_bytes()
    for seq in range(2, 6):
        prints = {**prints, f"s{seq}": f"new{seq}"}
        prints.pop(f"s{50 + seq}")
        store.write_state(EID, _manifest(seq), prints, {"nist.json": {"at": seq}})
    assert (folder / store.PRINTS).read_bytes() == base  # the base was not written again
    lines = (folder / store.JOURNAL).read_bytes().splitlines()
    assert len(lines) == 4 and json.loads(lines[0])["changed"] == {"s2": "new2"}
    _forget()
    state = store.read_state(EID)
    assert state["sequence"] == 5 and state["fingerprints"] == prints
    assert state["national"] == {"nist.json": {"at": 5}}


def test_a_round_names_the_stations_it_touched_and_only_those_are_compared(folder):
    """A round passes the stations it compared or found gone (`touched`): the journal holds
    their changes, read back the same by a new process; a station outside them is not looked
    at (the round cannot have changed it)."""
    prints = {f"s{i}": f"fp{i}" for i in range(100)}
    store.write_state(EID, _manifest(1), prints)
    after = {**prints, "s3": "new3", "s4": "fp4"}
    after.pop("s7")
    store.write_state(EID, _manifest(2), after, touched={"s3", "s4", "s7"})
    line = json.loads((folder / store.JOURNAL).read_bytes().splitlines()[0])
    assert line["changed"] == {"s3": "new3"} and line["gone"] == ["s7"]
    _forget()
    assert store.read_state(EID)["fingerprints"] == after
    # A change outside what the round says it touched is not the round's: not compared.
    store.write_state(EID, _manifest(3), {**after, "s9": "other"}, touched={"s3"})
    last = json.loads((folder / store.JOURNAL).read_bytes().splitlines()[-1])
    assert (last["sequence"], last["changed"], last["gone"]) == (3, {}, [])


def test_a_line_whose_publication_died_is_not_read(folder):
    prints = {"a": "1", "b": "2"}
    store.write_state(EID, _manifest(1), prints)
    store.write_state(EID, _manifest(2), {**prints, "a": "x"})
    state_file = (folder / store.STATE).read_bytes()
    store.write_state(EID, _manifest(3), {**prints, "a": "y"})
    (folder / store.STATE).write_bytes(state_file)  # died before the state said 3
    _forget()
    assert store.read_state(EID)["fingerprints"] == {"a": "x", "b": "2"}


def test_another_writer_since_means_a_new_base(folder):
    store.write_state(EID, _manifest(1), {"a": "1", "b": "2"})
    mine = json.loads(json.dumps(store._PRINTS[EID]))
    store.write_state(EID, _manifest(2), {"a": "2", "b": "2"})  # another process
    store._PRINTS[EID] = mine  # this one still remembers publication 1
    store.write_state(EID, _manifest(3), {"a": "1", "b": "3"})
    _forget()
    assert store.read_state(EID)["fingerprints"] == {"a": "1", "b": "3"}


def test_a_journal_cut_short_or_a_foreign_base_is_no_record(folder):
    store.write_state(EID, _manifest(1), {"a": "1"})
    store.write_state(EID, _manifest(2), {"a": "2"})
    journal = (folder / store.JOURNAL).read_bytes()
    (folder / store.JOURNAL).write_bytes(journal[:-5])
    _forget()
    assert store.read_state(EID) is None
    (folder / store.JOURNAL).write_bytes(journal)
    base = json.loads((folder / store.PRINTS).read_bytes())
    (folder / store.PRINTS).write_text(json.dumps({**base, "generation": 1}))
    _forget()
    assert store.read_state(EID) is None


def test_a_state_written_before_the_journal_is_read(folder):
    (folder / store.STATE).write_text(json.dumps(
        {"sequence": 4, "fingerprints": {"a": "1"}, "national": {}}))
    assert store.read_state(EID)["fingerprints"] == {"a": "1"}
