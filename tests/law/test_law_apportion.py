"""Largest remainders and thresholds, on small hand-checked cases."""

from fractions import Fraction

import pytest

from sailau.law.apportion import fraction_str, largest_remainder, reaches


def test_hand_computed_example():
    # total 100, 10 seats: quotients 4.6, 3.3, 2.1 → 4+3+2 = 9, one left to the .6
    alloc = largest_remainder({"A": 46, "B": 33, "C": 21}, 10)
    assert alloc.seats == {"A": 5, "B": 3, "C": 2}
    assert alloc.quota == Fraction(10)
    assert alloc.quotients["B"] == Fraction(33, 10)
    assert alloc.remainder_seats == {"A": 1, "B": 0, "C": 0}
    assert alloc.ties == ()


def test_equal_remainders_go_to_the_earlier_registered_list():
    # 3 seats, equal votes: 1 each, no tie; 2 seats among 3 equal: remainders all 2/3
    alloc = largest_remainder({"A": 10, "B": 10, "C": 10}, 2, order=["C", "A", "B"])
    assert alloc.seats == {"A": 1, "B": 0, "C": 1}
    (tie,) = alloc.ties
    assert tie.stage == "remainder"
    assert tie.names == ("C", "A", "B")
    assert tie.chosen == ("C", "A")
    assert tie.places == 2
    assert tie.resolved_by == "registration_order"
    assert tie.value == Fraction(2, 3)


def test_tie_without_registration_order_is_left_open():
    alloc = largest_remainder({"A": 10, "B": 10, "C": 5}, 2)
    # quotients 0.8, 0.8, 0.4: two seats, A and B both get one: no tie
    assert alloc.seats == {"A": 1, "B": 1, "C": 0} and alloc.ties == ()
    alloc = largest_remainder({"A": 10, "B": 10, "C": 10}, 1)
    assert alloc.seats == {"A": 0, "B": 0, "C": 0}
    assert alloc.unallocated == 1
    (tie,) = alloc.ties
    assert tie.resolved_by is None and tie.chosen == () and tie.names == ("A", "B", "C")


def test_tie_below_the_last_seat_is_not_reported():
    # quotients 1.5, 0.25, 0.25 for 2 seats: A gets 1 + remainder seat; the equal .25s get none
    alloc = largest_remainder({"A": 6, "B": 1, "C": 1}, 2)
    assert alloc.seats == {"A": 2, "B": 0, "C": 0}
    assert alloc.ties == ()


def test_threshold_is_at_least():
    assert reaches(5, 100, Fraction(5, 100))
    assert not reaches(4, 100, Fraction(5, 100))
    # 5% of 101 is 5.05: 5 votes fail, exactly
    assert not reaches(5, 101, Fraction(5, 100))


def test_fraction_str_is_exact():
    assert fraction_str(Fraction(6, 4)) == "3/2"
    assert fraction_str(3) == "3/1"
    assert fraction_str(None) is None


def test_rejects_empty_total():
    with pytest.raises(ValueError):
        largest_remainder({"A": 0}, 3)
