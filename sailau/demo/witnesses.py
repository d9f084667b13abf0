"""The demo's two witnesses: two observer organisations, each running `sailau witness` (the
standalone program an observer runs on its own machine) as a side process of `sailau demo`,
with its own key and state in a folder beside the data directory (`witnesses_dir`), never in
it: a witness's key in the server's data directory would be the operator's to sign with, and
its state the operator's to rewind. Their verifier keys are the election's witnesses (a
`structure-change` leaf each, and log/log.json).

`program()` names the command that runs a witness: the one place to point elsewhere (a build
without `sailau witness` starts none and says so)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

from sailau.paths import data_dir

NAMES = ("observers.example.kz/witness", "newsroom.example.kz/witness")
INTERVAL = 2.0  # seconds between a witness's rounds in the demo


def program() -> list[str] | None:
    """The command line of `sailau witness`, or None when this build lacks it."""
    if importlib.util.find_spec("sailau.cli.witness") is None:
        return None
    return [sys.executable, "-m", "sailau", "witness"]


def replay_clock() -> list[str]:
    """The witness's option that puts its timestamps on the demo's clock (the offset of the
    replayed night, or of the moment `sailau.clock.showing` shows): the leaves' `at` and the
    witnesses' cosignatures, which bound when each leaf entered the log, then read one clock
    (docs/log-format.md). No option off a replay: a real witness signs its real time."""
    from sailau import clock

    seconds = clock.offset_seconds()
    return ["--clock-offset", f"{seconds:.0f}"] if seconds else []


def witnesses_dir(data: Path | None = None) -> Path:
    """Where the demo's witnesses keep their keys and states: beside the data directory `data`
    (default: SAILAU_DATA_DIR), as the commissions' key files are, one folder per witness."""
    d = data or data_dir()
    return d.with_name(f"{d.name}-witnesses")


def homes(data: Path | None = None) -> list[Path]:
    """Each witness's folder whose key is made (`register`), in the order of `NAMES`."""
    return [h for h in (witnesses_dir(data) / n.split("/")[0] for n in NAMES)
            if (h / "key").exists()]


def _home(name: str) -> Path:
    return witnesses_dir() / name.split("/")[0]


def state_dir(name: str, election_id: str) -> Path:
    """A witness's state for one election's log: what it has cosigned of that log (the demo's
    Mazhilis and Senate each have their own log, signed by its own key)."""
    return _home(name) / "state" / election_id


def register(election_id: str, say=print) -> list[str]:
    """Each witness's key made (once) and named a witness of the election; their names."""
    from sailau.ledger import cosign
    from sailau.ledger.models import Witness

    if program() is None:
        say("witnesses: `sailau witness` is not in this build; the log is published "
            "without cosignatures", flush=True)
        return []
    done = []
    for name, vkey_file in make_keys().items():
        vkey = vkey_file.read_text().strip()
        if not Witness.objects.filter(election_id=election_id, verifier_key=vkey).exists():
            cosign.add_witness(election_id, vkey)
        done.append(name)
    return done


def make_keys() -> dict[str, Path]:
    """Each witness's key made, once (a build that runs two elections' at once makes them
    first, `sailau.cli.demo.build`); name -> its verifier key's file. None made without
    `sailau witness`."""
    cmd = program()
    if cmd is None:
        return {}
    out = {}
    for name in NAMES:
        home = _home(name)
        home.mkdir(parents=True, exist_ok=True, mode=0o700)
        key = home / "key"
        vkey_file = home / "verifier_key"
        if not key.exists():
            made = subprocess.run([*cmd, "keygen", name, "--out", str(key)],
                                  capture_output=True, text=True, check=True, env=os.environ)
            vkey_file.write_text(made.stdout.strip().splitlines()[-1] + "\n")
        out[name] = vkey_file
    return out


def start(election_id: str, base_url: str) -> list[subprocess.Popen]:
    """The witnesses' processes: each `sailau witness serve` on a port of its own, its URL
    given to the log, which POSTs it each checkpoint as it signs it (C2SP tlog-witness). With
    no log yet to pin the key of, each `sailau witness run`, fetching the published folder over
    HTTP every INTERVAL seconds like any observer's."""
    from sailau.ledger.models import LogState, Witness

    cmd = program()
    if cmd is None:
        return []
    procs = []
    log_key = LogState.objects.filter(pk=election_id).values_list("verifier_key",
                                                                   flat=True).first()
    for name in NAMES:
        home = _home(name)
        if not (home / "key").exists():
            continue
        state = state_dir(name, election_id)
        if log_key is None:
            procs.append(subprocess.Popen(
                [*cmd, "run", "--log", f"{base_url}/snapshots/{election_id}/", "--key",
                 str(home / "key"), "--state", str(state), "--interval", str(INTERVAL),
                 *replay_clock()],
                env=os.environ, stdout=subprocess.DEVNULL))
            continue
        proc, _, url = serving(home, state, log_key)
        procs.append(proc)
        Witness.objects.filter(election_id=election_id, name=name).update(url=url)
    return procs


def serving(home: Path, state: Path, log_key: str, env=None, cwd=None,
            stderr=None) -> tuple[subprocess.Popen, str, str]:
    """A witness whose key is in `home` as `sailau witness serve` on a port the system picks:
    the process, the witness's name and the URL to give the log (no Django: the benchmarks and
    tests start theirs with it too)."""
    proc = subprocess.Popen(
        [*(program() or [sys.executable, "-m", "sailau", "witness"]), "serve", "--key",
         str(home / "key"), "--state", str(state), "--log-key", log_key, "--listen",
         "127.0.0.1:0", *replay_clock()], env=env or os.environ, cwd=cwd, stdout=subprocess.PIPE, stderr=stderr,
        text=True)
    # Its one line on stdout: "witness NAME listening on http://HOST:PORT/add-checkpoint".
    line = proc.stdout.readline().strip() if proc.stdout else ""
    name = (home / "verifier_key").read_text().split("+", 1)[0]
    return proc, name, line.rsplit(" ", 1)[-1].removesuffix("/add-checkpoint")


def stop(election_id: str) -> None:
    """The witnesses' URLs forgotten when their processes end: a server started later pulls
    nothing from them and pushes to nobody."""
    from sailau.ledger.models import Witness

    Witness.objects.filter(election_id=election_id, name__in=NAMES).update(url="")


def witness_now(election_id: str, say=print) -> int:
    """The log integrated as it stands and each witness's round over it, on the clock this
    process shows (`sailau.clock.showing`: the build replays the day before the election):
    what the commissions registered then is cosigned then, so a reader sees from the
    witnesses' timestamps that their keys were on record before the polls closed
    (docs/log-format.md). Nothing without witnesses; how many cosigned."""
    from sailau.ledger import integrator
    from sailau.ledger.models import Witness

    if not Witness.objects.filter(election_id=election_id).exists():
        return 0
    integrator.integrate(election_id)
    return cosign_published(election_id, say=say)


def cosign_published(election_id: str, say=print) -> int:
    """Each witness's round over the published folder on this machine, its line delivered as
    the cosignature API delivers it (`cosign.receive`): a demo built without serving has its
    first checkpoint cosigned, as a running one gets it within seconds. How many cosigned."""
    from sailau.errors import SailauError
    from sailau.ledger import cosign
    from sailau.publish.storage.store import election_dir
    from sailau.verify import logstate

    cmd = program()
    if cmd is None:
        return 0
    # Both witnesses' rounds at once (each a program of its own: on two cores, the time of
    # one), their cosignatures then received in the order of `NAMES`.
    rounds = {}
    for name in NAMES:
        home = _home(name)
        if not (home / "key").exists():
            continue
        state = state_dir(name, election_id)
        (state / "cosignature").unlink(missing_ok=True)
        rounds[name] = subprocess.Popen(
            [*cmd, "run", "--once", "--log", str(election_dir(election_id)), "--key",
             str(home / "key"), "--state", str(state), *replay_clock()],
            env=os.environ, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    done = 0
    for name, proc in rounds.items():
        stdout, stderr = proc.communicate()
        state = state_dir(name, election_id)
        line_file = state / "cosignature"
        if proc.returncode != 0 or not line_file.exists():
            say(f"witness {name}: did not cosign ({(stderr or stdout).strip()[-200:]})")
            continue
        kept = logstate.load(state) or {}
        try:
            cosign.receive(election_id, kept.get("body", ""), line_file.read_text().strip())
            done += 1
        except SailauError as exc:
            say(f"witness {name}: its cosignature was refused: {exc}")
    return done


def verify_command(election_id: str, where: str, state: str | None = None) -> str | None:
    """The command a careful reader runs on the election published at `where` (its URL or
    folder), as docs/checking-the-log.md tells it to: the log key and both witnesses' verifier
    keys pinned, the witnesses' taken from their own folders (as a reader takes them from the
    witnesses' organisations, never from the server being checked), and a state kept between
    runs. None when the election has no log yet or no witness of the demo's."""
    from sailau.ledger.models import LogState

    log_key = LogState.objects.filter(pk=election_id).values_list("verifier_key",
                                                                   flat=True).first()
    keys = [(h / "verifier_key").read_text().strip() for h in homes()
            if (h / "verifier_key").exists()]
    if log_key is None or not keys:
        return None
    state = state or f"~/sailau-reader-state/{election_id}"  # the reader's, outside any checkout
    return " \\\n    ".join([f"sailau verify {where}", f"--log-key {log_key}",
                            *(f"--witness {k}" for k in keys), f"--state {state}"])
