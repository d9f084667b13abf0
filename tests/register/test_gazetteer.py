from sailau.register.gazetteer import REGIONS, Gazetteer


def test_twenty_regions_seventeen_oblasts_three_cities():
    g = Gazetteer.builtin()
    assert len(g.regions) == 20
    assert sum(1 for r in REGIONS if "область" in r[0]) == 17


def test_spellings_resolve_and_city_is_not_region():
    g = Gazetteer.builtin()
    assert g.region("Ақмола облысы") == g.region("Akmola Region") == "Акмолинская область"
    assert g.region("г. Алматы") == g.region("Almaty") == "Алматы"
    assert g.region("Алматы облысы") == "Алматинская область"
    assert g.locality("Карагандинская область", "Приозерск") == "Приозёрск"
    assert g.locality("Карагандинская область", "Актобе") is None
    assert g.region("Марс") is None


def test_from_csv(tmp_path):
    p = tmp_path / "kato.csv"
    p.write_text("region,locality,aliases\nАбайская область,Семей,Abai|Абай облысы\nАбайская область,Бородулиха,\n",
                 encoding="utf-8")
    g = Gazetteer.from_csv(p)
    assert g.region("Abai") == "Абайская область"
    assert g.locality("Абайская область", "Бородулиха") == "Бородулиха"
