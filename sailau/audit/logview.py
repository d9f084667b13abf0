"""What each election's transparency log states now, folded from its leaves in the log's order
(the integrated leaves by index, then those still in the outbox by id: a fact's leaf is written
in the fact's transaction, so a leaf not yet integrated states a fact as much as any).
`sailau audit verify` holds the database to it (`logcheck`). Pure Python on
`sailau.tlog.leaves`; the command reads the rows (`sailau.cli.audit_log`).

The latest leaf of a subject is its current state: a station restated, a contest changed, a
protocol amended, a key revoked, a role revoked. A `structure` leaf begins the election again (a
structure replaced while it had no results, as a rebuilt demo does): what the leaves before it
state was deleted with that structure and is not held against the database; the audit heads
are kept (the audit log is never replaced)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sailau.tlog import leaves

COMMON = ("v", "type", "election", "at")


@dataclass(frozen=True)
class Ref:
    """Where a leaf is: its index in the tree, or its outbox row while it waits."""

    index: int | None
    outbox: int
    at: str

    def __str__(self) -> str:
        if self.index is None:
            return f"log leaf (outbox {self.outbox}, not yet integrated)"
        return f"log leaf {self.index}"


@dataclass
class Key:
    """A commission key as its leaves state it: registered (held by the server or by the
    commission, late or not), confirmed by the commission above, revoked."""

    registered: Ref
    last: Ref
    state: dict  # {"held_by_server", "confirmed", "revoked"} and "late" when the leaf says


@dataclass
class View:
    """One election's log, as its leaves state it now."""

    election: str
    leaves: int = 0
    structure: Ref | None = None  # the latest `structure` leaf
    witnesses: tuple[list, Ref] | None = None
    # the election's name, kind, day, `synthetic` and parties (a `structure` leaf of version 2)
    facts: tuple[dict, Ref] | None = None
    contests: dict[str, tuple[dict, Ref]] = field(default_factory=dict)
    stations: dict[str, tuple[dict, Ref]] = field(default_factory=dict)
    # the commissions above the stations (`stations` leaves of version 2 only)
    commissions: dict[str, tuple[dict, Ref]] = field(default_factory=dict)
    keys: dict[tuple[str, str], Key] = field(default_factory=dict)  # (commission, public key)
    versions: dict[tuple[str, str, int], tuple[dict, Ref]] = field(default_factory=dict)
    current: dict[tuple[str, str], tuple[int, Ref]] = field(default_factory=dict)
    decisions: dict[str, tuple[dict, Ref]] = field(default_factory=dict)  # by receipt
    roles: dict[int, tuple[dict, Ref]] = field(default_factory=dict)  # by grant
    # (station, hour) -> every turnout leaf of it, in order (a report is never replaced)
    turnout: dict[tuple[str, int], list[tuple[dict, Ref]]] = field(default_factory=dict)
    heads: list[tuple[dict, Ref]] = field(default_factory=list)  # every audit head logged
    # "first-round" / "second-round" -> each such leaf's link, in order (a presidential second
    # round and the round it repeats name each other)
    rounds: dict[str, list[tuple[dict, Ref]]] = field(default_factory=dict)
    invalid: list[tuple[Ref, str]] = field(default_factory=list)

    def add(self, ref: Ref, data: bytes) -> None:
        """The next leaf in the log's order."""
        self.leaves += 1
        try:
            leaf = leaves.decode(data, ref.index)
        except leaves.LeafError as exc:
            self.invalid.append((ref, str(exc).split(": ", 1)[-1]))
            return
        if leaf["election"] != self.election:
            self.invalid.append((ref, f"it states election {leaf['election']!r}"))
            return
        kind = leaf["type"]
        m = {k: v for k, v in leaf.items() if k not in COMMON}
        if kind == "structure":
            self._begin(ref)
            self.witnesses = (m["witnesses"], ref)
            if "parties" in m:
                self.facts = ({k: m[k] for k in ("name", "kind", "date", "synthetic",
                                                 "parties")}, ref)
        elif kind == "contests":
            self.contests.update((c["id"], (c, ref)) for c in m["contests"])
        elif kind == "stations":
            self.stations.update((s["id"], (s, ref)) for s in m["stations"])
            self.commissions.update((c["id"], (c, ref)) for c in m.get("commissions", ()))
        elif kind == "structure-change":
            self.contests.update((c["id"], (c, ref)) for c in m["contests"])
            if m["witnesses"] is not None:
                self.witnesses = (m["witnesses"], ref)
        elif kind == "commission-key":
            self._key(ref, m)
        elif kind == "protocol":
            self.versions[(m["station"], m["contest"], m["version"])] = (m, ref)
            self.current[(m["station"], m["contest"])] = (m["version"], ref)
        elif kind == "complaint-decision":
            self.decisions[m["complaint"]] = (m, ref)
        elif kind == "role":
            self.roles[m["grant"]] = (m, ref)
        elif kind == "audit-head":
            self.heads.append((m, ref))
        elif kind == "turnout":
            self.turnout.setdefault((m["station"], m["hour"]), []).append((m, ref))
        elif kind in ("first-round", "second-round"):
            self.rounds.setdefault(kind, []).append((m[kind.replace("-", "_")], ref))

    def _begin(self, ref: Ref) -> None:
        """A structure (again): what the leaves before it stated went with the one replaced."""
        kept = (self.leaves, self.heads, self.invalid)
        self.__init__(self.election)
        self.leaves, self.heads, self.invalid = kept
        self.structure = ref

    def _key(self, ref: Ref, m: dict) -> None:
        k = (m["commission"], m["public_key"])
        if m["action"] == "register":
            state = {"held_by_server": m["held_by_server"], "confirmed": False,
                     "revoked": False}
            if "late" in m:
                state["late"] = m["late"]
            self.keys[k] = Key(ref, ref, state)
        elif k not in self.keys:
            never = f"a {m['action']} of a key of {m['commission']} that was never registered"
            self.invalid.append((ref, never))
        else:
            key = self.keys[k]
            key.last = ref
            key.state["confirmed" if m["action"] == "confirm" else "revoked"] = True


class Views(dict):
    """election id -> View, fed leaf by leaf in each election's log order."""

    def add(self, election: str, outbox: int, index: int | None, data: bytes) -> Ref:
        view = self.get(election)
        if view is None:
            view = self[election] = View(election)
        ref = Ref(index, outbox, _at(data))
        view.add(ref, data)
        return ref


def _at(data: bytes) -> str:
    """The leaf's `at` for naming it (before it is decoded: an invalid leaf is named too)."""
    i = data.find(b'"at":"')
    return data[i + 6:i + 26].decode("ascii", "replace") if i >= 0 else "?"
