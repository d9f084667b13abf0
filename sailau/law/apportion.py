"""Seat allocation arithmetic: thresholds and the largest-remainder (Hare) method, in exact
fractions. A tie that decides a seat is returned as a `Tie` value: resolved by the registration
order when the law says so and the order is known, otherwise left unresolved with its seats
unallocated. Nothing is decided by dictionary order or by the name of a party."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction


def fraction_str(value: Fraction | int | None) -> str | None:
    """Exact numbers in JSON: always "p/q" (also for integers), never a float."""
    if value is None:
        return None
    value = Fraction(value)
    return f"{value.numerator}/{value.denominator}"


@dataclass(frozen=True)
class Tie:
    """Equal values competing for fewer places than there are of them."""

    stage: str  # what was being decided: "remainder", "runner_up", "plurality", "runoff"...
    names: tuple[str, ...]  # everyone with the equal value
    value: Fraction  # the value they share (a remainder, a vote count)
    places: int  # how many of them can be served
    chosen: tuple[str, ...] = ()  # who was served, when the tie was resolved
    resolved_by: str | None = None  # the rule that resolved it, or None when it stays open

    def to_json(self) -> dict:
        return {
            "stage": self.stage,
            "names": list(self.names),
            "value": fraction_str(self.value),
            "places": self.places,
            "chosen": list(self.chosen),
            "resolved_by": self.resolved_by,
        }


def reaches(votes: int, base: int, threshold: Fraction) -> bool:
    """votes ≥ threshold × base, in integers (the law says "at least": equality passes)."""
    return votes * threshold.denominator >= threshold.numerator * base


@dataclass(frozen=True)
class Allocation:
    quota: Fraction
    quotients: dict[str, Fraction]
    seats: dict[str, int]
    ties: tuple[Tie, ...] = ()
    unallocated: int = 0  # seats held back by an unresolved tie
    remainder_seats: dict[str, int] = field(default_factory=dict)


def largest_remainder(
    votes: Mapping[str, int], seats: int, order: Sequence[str] | None = None
) -> Allocation:
    """Hare quota = total / seats; each gets the integer part of votes / quota; the seats left go
    one each to the largest remainders; equal remainders go to the earlier name in `order`
    (the registration order of the lists). Requires a positive total and seats ≥ 0."""
    total = sum(votes.values())
    if total <= 0:
        raise ValueError("largest_remainder needs a positive vote total")
    if seats < 0:
        raise ValueError("seats must not be negative")
    quotients = {name: Fraction(v * seats, total) for name, v in votes.items()}
    won = {name: (v * seats) // total for name, v in votes.items()}
    left = seats - sum(won.values())

    by_remainder: dict[Fraction, list[str]] = {}
    for name, q in quotients.items():
        by_remainder.setdefault(q - won[name], []).append(name)
    rank = {name: i for i, name in enumerate(order or ())}

    extra = {name: 0 for name in votes}
    ties: list[Tie] = []
    unallocated = 0
    for remainder in sorted(by_remainder, reverse=True):
        if left == 0:
            break
        group = by_remainder[remainder]
        if len(group) <= left:
            chosen = group
        elif all(name in rank for name in group):
            chosen = sorted(group, key=rank.__getitem__)[:left]
            ties.append(Tie("remainder", _ordered(group, rank), remainder, left,
                            _ordered(chosen, rank), "registration_order"))
        else:
            # The law's tie rule cannot be applied: hold the contested seats back.
            ties.append(Tie("remainder", tuple(sorted(group)), remainder, left))
            unallocated, chosen = left, []
        for name in chosen:
            extra[name] += 1
        left = 0 if unallocated else left - len(chosen)
    return Allocation(
        quota=Fraction(total, seats) if seats else Fraction(0),
        quotients=quotients,
        seats={name: won[name] + extra[name] for name in votes},
        ties=tuple(ties),
        unallocated=unallocated,
        remainder_seats=extra,
    )


def _ordered(names, rank) -> tuple[str, ...]:
    return tuple(sorted(names, key=lambda n: (rank.get(n, len(rank)), n)))
