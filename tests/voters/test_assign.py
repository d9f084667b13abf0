from sailau.voters.assign import Assigner, StationInfo

STATIONS = [
    StationInfo("a1", 101, "t-ast", {"kk": "Астана", "ru": "Астана"}),
    StationInfo("a2", 102, "t-ast", {"kk": "Астана", "ru": "Астана"}),
    StationInfo("a3", 103, "t-ast", {"kk": "Астана", "ru": "Астана"}),
    StationInfo("k1", 501, "t-akm", {"kk": "Көкшетау", "ru": "Кокшетау"}),
    StationInfo("r1", 502, "t-akm", {"kk": "Жаңаауыл", "ru": "Жанаауыл"}),
]


def test_same_address_same_station_and_stable_across_instances():
    a, b = Assigner(STATIONS), Assigner(list(reversed(STATIONS)))
    for house in map(str, range(1, 60)):
        s = a.station_for("Астана", "Астана", "Абая", house)
        assert s.settlements["kk"] == "Астана"
        assert s == b.station_for("Астана", "г. Астана", "Абая", house)
    used = {a.station_for("Астана", "Астана", "Абая", str(h)).id for h in range(1, 60)}
    assert used == {"a1", "a2", "a3"}  # the city's voters are spread over its stations


def test_locality_in_any_script_then_region_then_everything():
    a = Assigner(STATIONS)
    assert a.station_for("Акмолинская область", "Кокшетау", "Ленина", "1").id == "k1"
    assert a.station_for("Акмолинская область", "Kokshetau", "Ленина", "1").id == "k1"
    # A locality with no station: a station of the territory that covers the region.
    assert a.station_for("Акмолинская область", "Щучинск", "Ленина", "1").territory_id == "t-akm"
    # A region with no station at all: still exactly one station.
    assert a.station_for("Мангистауская область", "Актау", "x", "1") is not None
