"""Witnesses and their cosignatures (C2SP tlog-cosignature v1), pull model: a witness fetches
`log/checkpoint`, checks it against the last one it cosigned, and POSTs its cosignature line
(`/api/log/<election>/cosignature`). Here that line is checked against the election's witnesses
and against a checkpoint this log issued (the body must be exactly the one this log's tree
gives at that size), stored, and added to `log/checkpoint` when it is for the latest one."""

from __future__ import annotations

import base64
import datetime as dt
import re

from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from sailau import clock
from sailau.errors import BadInput, Code, Conflict, Forbidden, NotFound
from sailau.languages import texts
from sailau.ledger import integrator, logkey, outbox, tl
from sailau.ledger.files import LogFiles
from sailau.ledger.models import Cosignature, Leaf, LogState, Witness
from sailau.tlog import cosigned, note

MAX_BODY = 1000  # a checkpoint body is three short lines


# The refusals' texts, in the catalogues (msgctxt "ledger.cosign") like every text of the code.
T = texts("ledger.cosign")


def witness_name(verifier_key: str) -> str:
    """The name of a cosignature verifier key `<name>+<8 hex>+<base64(0x04 || key)>`;
    BadInput when it is not one, or its key is not one worth trusting (`sailau.tlog.edkey`: a
    small-order key would "cosign" any checkpoint with one constant line)."""
    try:
        name, _, alg, _ = note.parse_verifier_key(verifier_key)
    except note.WeakVerifierKey:
        raise BadInput(code=Code.KEY_WEAK, field="verifier_key") from None
    except note.NoteError:
        alg = None
    if alg != 4:
        raise BadInput(message=T("not a witness's verifier key (name+8 hex+base64 of 0x04 and an Ed25519 key, "
                  "C2SP tlog-cosignature)"), field="verifier_key")
    return name


@transaction.atomic
def add_witness(election_id: str, verifier_key: str) -> Witness:
    """Make `verifier_key` a witness of the election's log; its witnesses are restated in a
    `structure-change` leaf, in this transaction; that leaf's checkpoint rewrites log/log.json."""
    name = witness_name(verifier_key)
    try:
        with transaction.atomic():
            w = Witness.objects.create(election_id=election_id, name=name,
                                       verifier_key=verifier_key.strip(),
                                       added_at=timezone.now())
    except IntegrityError:
        raise Conflict(message=T("{election} has a witness named {name} already").format(
                           election=election_id, name=name),
                       field="verifier_key") from None
    outbox.append(election_id, "structure-change", election_id, clock.now(), contests=[],
                  witnesses=list(Witness.objects.filter(election_id=election_id)
                                 .order_by("name").values_list("verifier_key", flat=True)),
                  reason=f"witness {name} added")
    return w


def set_witness_url(election_id: str, name: str, url: str) -> None:
    """Where the log pushes the witness `name` its checkpoints (sailau.ledger.push); "" for
    none (it pulls)."""
    url = url.strip().rstrip("/")
    if url and (not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", url) or len(url) > 500):
        raise BadInput(message=T("a witness's URL: http(s)://HOST:PORT[/PREFIX]"), field="url")
    if not Witness.objects.filter(election_id=election_id, name=name).update(url=url):
        raise NotFound(message=T("{election} has no witness named {name}").format(
                           election=election_id, name=name), field="name")


def _issued_body(row: LogState, body: str) -> int:
    """The size of `body` if it is exactly a checkpoint of this log up to its latest; else a
    refusal saying why."""
    lines = body.split("\n")
    size = lines[1] if len(lines) > 2 else ""
    # ASCII digits only ("²".isdigit() is true), no leading zero, no NUL (PostgreSQL refuses it)
    if len(body) > MAX_BODY or not body.endswith("\n") or "\x00" in body \
            or not re.fullmatch(r"0|[1-9][0-9]{0,18}", size):
        raise BadInput(message=T("not a checkpoint body (origin, size and root lines, each "
                                 "ending in a newline)"), field="checkpoint")
    n = int(size)
    if lines[0] != row.origin:
        raise Conflict(message=T("a checkpoint of {origin}, not of {log}").format(
                           origin=repr(lines[0]), log=row.origin),
                       field="checkpoint")
    if n == 0 or n > row.checkpoint_size:
        raise Conflict(message=T("this log has issued no checkpoint of size {size} (its latest "
                                 "is {latest})").format(size=n, latest=row.checkpoint_size), field="checkpoint")
    root = integrator.root_at(row.election_id, row.size, row.root, n)
    if body != tl.Checkpoint(row.origin, n, root).body():
        raise Conflict(message=T("not the root this log has at size {size}: a checkpoint this "
                                 "server did not issue").format(size=n), field="checkpoint")
    return n


def receive(election_id: str, body: str, line: str) -> dict:
    """Check, store and publish a witness's cosignature; what the log now shows."""
    row = LogState.objects.filter(pk=election_id).first()
    if row is None:
        raise NotFound(message=T("no published log for {election}").format(election=election_id), field="election")
    size = _issued_body(row, body)
    line = line.strip()
    if len(line) > 500 or "\x00" in line:
        raise BadInput(message=T("not a cosignature line (— <name> <base64>)"),
                       field="cosignature")
    parts = line.split(" ")
    witness = Witness.objects.filter(election_id=election_id,
                                     name=parts[1] if len(parts) == 3 else "").first()
    if witness is None:
        raise Forbidden(message=T("the line is not signed by a witness of this log "
                                  "(— <name> <base64>)"), field="cosignature")
    try:
        signed_at = tl.verify_cosignature(body, line, witness.verifier_key)
    except (tl.NoteError, ValueError) as exc:
        raise BadInput(message=T("the cosignature does not verify: {error}").format(error=exc),
                       field="cosignature") from None
    Cosignature.objects.update_or_create(witness=witness, size=size, defaults={
        "line": line, "signed_at": signed_at, "received_at": timezone.now()})
    archive(election_id, size, body.split("\n")[2], {witness.name: (line, signed_at)})
    row.refresh_from_db()
    if size == row.checkpoint_size:
        integrator.write_checkpoint(election_id)
    _publish_witnessed(row, size)
    return {"witness": witness.name, "size": size, "latest": row.checkpoint_size,
            "cosigned_by": cosigners(row)}


WITNESSED = "checkpoint.witnessed"


def take_pushed(row: LogState, witnesses: dict[str, Witness], lines: dict[str, str],
                later=None) -> None:
    """Cosignature lines the witnesses answered the log's push with, all of `row`'s latest
    checkpoint (sailau.ledger.push). The same checks as `receive`, but the checkpoint is this
    log's own latest, so only the lines need checking, and the files come first: the
    published checkpoint carries them at once, whatever the database is busy with, and the
    rows follow in one statement (a checkpoint file with a valid line the database does not
    hold yet is no harm; the next integration writes the file from the database again). With
    `later` (a function that runs a function in another thread), the rows are handed to it:
    on SQLite their transaction waits for the database's one write lock, and the log's push
    must not wait with it to ask the witnesses about the next checkpoint."""
    body = row.checkpoint.split("\n\n", 1)[0] + "\n"
    signed_at = {}
    for name, line in lines.items():
        try:
            signed_at[name] = tl.verify_cosignature(body, line, witnesses[name].verifier_key)
        except (tl.NoteError, ValueError, KeyError) as exc:
            raise BadInput(message=T("{name}: the cosignature does not verify: {error}").format(
                               name=name, error=exc),
                           field="cosignature") from None
    files = LogFiles(row.election_id)
    written = False
    with files.locked():
        old = files.read("checkpoint") or b""
        if _size_of(old) == row.checkpoint_size and old.startswith(row.checkpoint.encode()):
            written = True
            have = dict(_cosignature_lines(old[len(row.checkpoint):]))
            have.update(lines)
            text = row.checkpoint + "".join(have[n] + "\n" for n in sorted(have))
            files.put("checkpoint", text.encode())
            all_names = set(Witness.objects.filter(election_id=row.election_id)
                            .values_list("name", flat=True))
            witnessed = files.read(WITNESSED)
            if set(have) >= all_names and (witnessed is None or
                                           _size_of(witnessed) < row.checkpoint_size):
                files.put(WITNESSED, text.encode())
    now = timezone.now()

    archive(row.election_id, row.checkpoint_size, _root_of(row),
            {name: (line, signed_at[name]) for name, line in lines.items()})

    @transaction.atomic  # (on SQLite its BEGIN takes the write lock: see `push.RowWriter`)
    def store() -> None:
        # One statement for the checkpoint's rows, each replacing one of the same witness and
        # size: the pages learn of a cosignature from these rows, and update_or_create's round
        # trips (a savepoint, a locking read and the insert, per row) each waited for a core
        # on a loaded night, 0.2 s in all on PostgreSQL at a load of 25.
        Cosignature.objects.bulk_create(
            [Cosignature(witness=witnesses[name], size=row.checkpoint_size, line=line,
                         signed_at=signed_at[name], received_at=now)
             for name, line in lines.items()],
            update_conflicts=True, unique_fields=["witness", "size"],
            update_fields=["line", "signed_at", "received_at"])
        if not written:  # the log has moved on meanwhile: this size's witnessed file, if complete
            _publish_witnessed(row, row.checkpoint_size)

    store() if later is None else later(store)


# the archive's folder -> (its length when last read, each witness's last timestamp kept)
_kept: dict[str, tuple[int, dict[str, int]]] = {}


def archive(election_id: str, size: int, root_b64: str,
            lines: dict[str, tuple[str, int]]) -> None:
    """`log/cosigned.jsonl` (`sailau-cosigned/1`, docs/log-format.md): a witness's cosignature
    of the checkpoint of `size` appended when its timestamp is at least a minute after the last
    one kept for that witness. `log/checkpoint` shows the latest checkpoint's cosignatures
    only; a reader bounds when an older leaf entered the log by these, the witnesses' clocks,
    not the server's. `lines`: witness name -> (its line, its verified timestamp)."""
    root = base64.b64decode(root_b64)
    files = LogFiles(election_id)
    with files.locked():
        old = files.read(cosigned.FILE) or b""
        length, kept = _kept.get(str(files.dir), (-1, {}))
        if length != len(old):  # another process appended since (or first use here)
            kept = cosigned.last_kept(old)
        new = b""
        for name, (line, t) in sorted(lines.items()):
            if name not in kept or t >= kept[name] + cosigned.KEEP_EVERY:
                new += cosigned.encode(size, root, line)
                kept[name] = t
        if new:
            files.put(cosigned.FILE, old + new)
        _kept[str(files.dir)] = (len(old) + len(new), kept)


def _cosignature_lines(text: bytes):
    for raw in text.decode("utf-8", "replace").splitlines():
        parts = raw.split(" ")
        if len(parts) == 3 and parts[0] == "\u2014":
            yield parts[1], raw


def _publish_witnessed(row: LogState, size: int) -> None:
    """`log/checkpoint.witnessed`: the largest checkpoint that every witness of the election
    has cosigned, with their lines. On a busy night the server signs a checkpoint every round
    and each witness cosigns the one it fetched, so the latest `checkpoint` rarely carries every
    cosignature at once; a reader needs one that does, and checks that the latest extends it
    (`sailau verify`). The log's signature on an older size is made again: Ed25519 is
    deterministic, so the note is byte for byte the one published then."""
    names = set(Witness.objects.filter(election_id=row.election_id)
                .values_list("name", flat=True))
    lines = dict(Cosignature.objects.filter(witness__election_id=row.election_id, size=size)
                 .values_list("witness__name", "line"))
    if not names or set(lines) != names:
        return
    files = LogFiles(row.election_id)
    old = files.read(WITNESSED)
    if old is not None and _size_of(old) >= size:
        return
    if size == row.checkpoint_size:
        note = row.checkpoint
    else:
        body = tl.Checkpoint(row.origin, size,
                             integrator.root_at(row.election_id, row.size, row.root,
                                                size)).body()
        note = tl.sign_note(body, [logkey.signer(row)]).decode()
    # Two witnesses' last cosignatures at once, in two processes: the larger size stays.
    with files.locked():
        old = files.read(WITNESSED)
        if old is not None and _size_of(old) >= size:
            return
        files.put(WITNESSED, (note + "".join(lines[n] + "\n" for n in sorted(lines))).encode())


def _size_of(note: bytes) -> int:
    try:
        return int(note.split(b"\n")[1])
    except (IndexError, ValueError):
        return -1


def cosigners(row: LogState) -> list[str]:
    return list(Cosignature.objects.filter(witness__election_id=row.election_id,
                                           size=row.checkpoint_size)
                .order_by("witness__name").values_list("witness__name", flat=True))


def with_latest(election_id: str, upto: int | None = None):
    """The election's witnesses by name, each with its largest cosigned size (of at most
    `upto`) and that cosignature's `signed` time as `last` and `signed` (None: none yet): one
    statement, a seek of the (witness, size) index each, never an aggregate over every
    cosignature (about 2.5 a second each on election night)."""
    latest = Cosignature.objects.filter(witness=OuterRef("pk"))
    if upto is not None:
        latest = latest.filter(size__lte=upto)
    latest = latest.order_by("-size")
    return Witness.objects.filter(election_id=election_id).order_by("name").annotate(
        last=Subquery(latest.values("size")[:1]), signed=Subquery(latest.values("signed_at")[:1]))


def status(election_id: str, now: dt.datetime | None = None) -> dict | None:
    """What a page says of the log: its latest checkpoint, and each witness's last cosignature
    (a witness behind: since when the leaves it has not cosigned were logged)."""
    row = LogState.objects.filter(pk=election_id).first()
    if row is None or not row.checkpoint:
        return None
    # the application's clock, the one the witnesses' timestamps are compared with (a demo
    # replays its night with an offset, and runs its witnesses with the same)
    now = now or clock.now()
    witnesses = []
    for w in with_latest(election_id):
        size, signed = (w.last, w.signed) if w.last is not None else (0, None)
        behind_since = None
        if size < row.checkpoint_size:
            first = (Leaf.objects.filter(election_id=election_id, index=size)
                     .values_list("created_at", flat=True).first())
            behind_since = first.isoformat() if first else None
        witnesses.append({
            "name": w.name, "verifier_key": w.verifier_key, "cosigned_size": size,
            "cosigned_at": dt.datetime.fromtimestamp(signed, dt.UTC).isoformat()
            if signed else None,
            "current": size == row.checkpoint_size, "behind_since": behind_since})
    current = [w for w in witnesses if w["current"]]
    latest = max((w["cosigned_at"] for w in current), default=None)
    return {"origin": row.origin, "log_key": row.verifier_key, "size": row.checkpoint_size,
            "root": _root_of(row), "checkpoint_at": row.checkpoint_at.isoformat()
            if row.checkpoint_at else None, "cosigned_by": len(current),
            "witnesses_total": len(witnesses), "cosigned_at": latest, "witnesses": witnesses,
            "age_seconds": (now - dt.datetime.fromisoformat(latest)).total_seconds()
            if latest else None}


def _root_of(row: LogState) -> str:
    return row.checkpoint.split("\n")[2] if row.checkpoint.count("\n") >= 3 else ""
