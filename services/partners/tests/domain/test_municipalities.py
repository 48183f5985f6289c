"""The reference list of Flemish municipalities."""

from partners.domain import municipalities

PROVINCES = {"Antwerpen", "Limburg", "Oost-Vlaanderen", "Vlaams-Brabant", "West-Vlaanderen"}
# The first digit of a NIS code is its province.
PROVINCE_DIGIT = {
    "1": "Antwerpen",
    "2": "Vlaams-Brabant",
    "3": "West-Vlaanderen",
    "4": "Oost-Vlaanderen",
    "7": "Limburg",
}


def test_flanders_counts_285_municipalities_since_the_2025_mergers():
    known = municipalities.MUNICIPALITIES
    assert len(known) == 285
    assert len({m.name for m in known.values()}) == 285
    assert {m.province for m in known.values()} == PROVINCES
    for m in known.values():
        assert len(m.nis) == 5 and m.nis.isdigit()
        assert PROVINCE_DIGIT[m.nis[0]] == m.province


def test_the_2025_mergers_are_in_and_the_merged_municipalities_out():
    known = municipalities.MUNICIPALITIES
    assert known["46030"].name == "Beveren-Kruibeke-Zwijndrecht"
    assert known["23106"].name == "Pajottegem"
    assert known["44088"].name == "Merelbeke-Melle"
    assert known["71072"].name == "Hasselt"
    assert known["73111"].name == "Tongeren-Borgloon"
    for gone in ("46003", "46013", "11056", "23023", "23024", "23032", "71022", "73040"):
        assert gone not in known  # Beveren, Kruibeke, Zwijndrecht, Galmaarden, ... Kortessem
    assert known["23002"].name == "Asse" and known["44083"].name == "Deinze"


def test_unknown_codes_name_their_position():
    assert municipalities.unknown(["23002", "99999", "21004"], "municipalities") == {
        "municipalities.1": ["Onbekende NIS-code: geen Vlaamse gemeente."],
        # Brussels is no Flemish municipality.
        "municipalities.2": ["Onbekende NIS-code: geen Vlaamse gemeente."],
    }
    assert municipalities.unknown([], "municipalities") == {}
