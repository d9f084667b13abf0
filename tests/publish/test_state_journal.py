"""The publisher's record of every station's fingerprint: a base written now and then and a
journal of what each publication changed, so that a round writes a line, not every station's
fingerprint; a restarted process reads the same record, and a record it cannot trust means a
full publication, never a wrong one."""

import json

import pytest

from sailau.publish.storage import publisher_state, store

pytestmark = pytest.mark.django_db

EID = "e.journal"


def _manifest(seq):
    return {"sequence": seq}


def _forget():
    publisher_state._PRINTS.pop(EID, None)  # as a new process


@pytest.fixture
def folder(snapshot_dir):
    store.election_dir(EID).mkdir(parents=True)
    return store.election_dir(EID)


def test_rounds_append_their_changes_and_a_new_process_reads_the_same(folder):
    prints = {f"s{i}": f"fp{i}" for i in range(100)}
    publisher_state.write_state(EID, _manifest(1), prints)
    base = (folder / publisher_state.PRINTS).read_bytes()
    for seq in range(2, 6):
        prints = {**prints, f"s{seq}": f"new{seq}"}
        prints.pop(f"s{50 + seq}")
        publisher_state.write_state(EID, _manifest(seq), prints, {"nist.json": {"at": seq}})
    assert (folder / publisher_state.PRINTS).read_bytes() == base  # the base was not written again
    lines = (folder / publisher_state.JOURNAL).read_bytes().splitlines()
    assert len(lines) == 4 and json.loads(lines[0])["changed"] == {"s2": "new2"}
    _forget()
    state = publisher_state.read_state(EID)
    assert state["sequence"] == 5 and state["fingerprints"] == prints
    assert state["national"] == {"nist.json": {"at": 5}}


def test_a_round_names_the_stations_it_touched_and_only_those_are_compared(folder):
    """A round passes the stations it compared or found gone (`touched`): the journal holds
    their changes, read back the same by a new process; a station outside them is not looked
    at (the round cannot have changed it)."""
    prints = {f"s{i}": f"fp{i}" for i in range(100)}
    publisher_state.write_state(EID, _manifest(1), prints)
    after = {**prints, "s3": "new3", "s4": "fp4"}
    after.pop("s7")
    publisher_state.write_state(EID, _manifest(2), after, touched={"s3", "s4", "s7"})
    line = json.loads((folder / publisher_state.JOURNAL).read_bytes().splitlines()[0])
    assert line["changed"] == {"s3": "new3"} and line["gone"] == ["s7"]
    _forget()
    assert publisher_state.read_state(EID)["fingerprints"] == after
    # A change outside what the round says it touched is not the round's: not compared.
    publisher_state.write_state(EID, _manifest(3), {**after, "s9": "other"}, touched={"s3"})
    last = json.loads((folder / publisher_state.JOURNAL).read_bytes().splitlines()[-1])
    assert (last["sequence"], last["changed"], last["gone"]) == (3, {}, [])


def test_a_line_whose_publication_died_is_not_read(folder):
    prints = {"a": "1", "b": "2"}
    publisher_state.write_state(EID, _manifest(1), prints)
    publisher_state.write_state(EID, _manifest(2), {**prints, "a": "x"})
    state_file = (folder / publisher_state.STATE).read_bytes()
    publisher_state.write_state(EID, _manifest(3), {**prints, "a": "y"})
    (folder / publisher_state.STATE).write_bytes(state_file)  # died before the state said 3
    _forget()
    assert publisher_state.read_state(EID)["fingerprints"] == {"a": "x", "b": "2"}


def test_another_writer_since_means_a_new_base(folder):
    publisher_state.write_state(EID, _manifest(1), {"a": "1", "b": "2"})
    mine = json.loads(json.dumps(publisher_state._PRINTS[EID]))
    publisher_state.write_state(EID, _manifest(2), {"a": "2", "b": "2"})  # another process
    publisher_state._PRINTS[EID] = mine  # this one still remembers publication 1
    publisher_state.write_state(EID, _manifest(3), {"a": "1", "b": "3"})
    _forget()
    assert publisher_state.read_state(EID)["fingerprints"] == {"a": "1", "b": "3"}


def test_a_journal_cut_short_or_a_foreign_base_is_no_record(folder):
    publisher_state.write_state(EID, _manifest(1), {"a": "1"})
    publisher_state.write_state(EID, _manifest(2), {"a": "2"})
    journal = (folder / publisher_state.JOURNAL).read_bytes()
    (folder / publisher_state.JOURNAL).write_bytes(journal[:-5])
    _forget()
    assert publisher_state.read_state(EID) is None
    (folder / publisher_state.JOURNAL).write_bytes(journal)
    base = json.loads((folder / publisher_state.PRINTS).read_bytes())
    (folder / publisher_state.PRINTS).write_text(json.dumps({**base, "generation": 1}))
    _forget()
    assert publisher_state.read_state(EID) is None


def test_a_state_written_before_the_journal_is_read(folder):
    (folder / publisher_state.STATE).write_text(json.dumps(
        {"sequence": 4, "fingerprints": {"a": "1"}, "national": {}}))
    assert publisher_state.read_state(EID)["fingerprints"] == {"a": "1"}
