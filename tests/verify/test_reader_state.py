"""The reader's state file (`sailau verify --state`, format sailau-reader-state/2) as
docs/checking-the-log.md specifies it: the document's example is read by this version, its
keys are real verifier keys, and a state this version writes has exactly the members the
document's table names. No Django."""

import json
import re
from pathlib import Path

from sailau.cli import main
from sailau.tlog import cosignature, note
from sailau.verify import logstate
from tests.logfixture import Published, cosign

DOC = Path(__file__).resolve().parents[2] / "docs" / "checking-the-log.md"


def example() -> dict:
    text = DOC.read_text()
    block = text.split("<!-- reader state example -->", 1)[1]
    return json.loads(re.search(r"```json\n(.*?)```", block, flags=re.DOTALL).group(1))


def members() -> set[str]:
    """The members every state has: the table's, but those it says are absent otherwise (a
    second round's first round's key)."""
    table = DOC.read_text().split("format `sailau-reader-state/2`: the", 1)[1].split("\n\n")[1]
    return {m for row in table.splitlines()[2:] if "absent otherwise" not in row
            for m in re.findall(r"`(\w+)`", row.split("|")[1])}


def test_the_documents_example_is_read(tmp_path):
    doc = example()
    assert doc["format"] == "sailau-reader-state/2" and set(doc) == members()
    (tmp_path / "state.json").write_text(json.dumps(doc))
    state = logstate.load(tmp_path)
    assert state["witnesses"] == doc["witnesses"]
    assert note.parse_verifier_key(doc["log_key"])[2] == 1
    assert all(note.parse_verifier_key(w)[2] == 4 for w in doc["witnesses"])
    assert len(logstate.root_of(state)) == 32


def test_a_state_written_has_the_members_the_document_names(tmp_path, capsys):
    key = tmp_path / "w.key"
    assert main(["witness", "keygen", "observers.example/w", "--out", str(key)]) == 0
    pub = Published(tmp_path / "pub", witnesses=[cosignature.Witness.from_key(key.read_text())])
    pub.results(3)
    pub.publish()
    assert cosign(pub, key, tmp_path / "witness") == 0
    assert main(["verify", str(pub.folder), "--state", str(tmp_path / "reader")]) == 0
    written = json.loads((tmp_path / "reader" / "state.json").read_text())
    assert set(written) == members() and written["format"] == example()["format"]
