"""Reading organisation and offer CSV files as spreadsheets export them."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partners.domain import csv_rows

ORGS = (
    "naam;kbo;sector;gemeenten;email;rol;start\n"
    "Huis van het Kind Asse;0207.437.468;huis_van_het_kind;23002|23050;info@hvk.be;partner;"
    "2025-01-01\n"
)


def test_rows_become_payloads_with_spreadsheet_line_numbers():
    rows, errors = csv_rows.read("organisations", "\ufeff" + ORGS + "\n;;;;;;\n")
    assert errors == []
    assert rows == [
        (
            2,
            {
                "name": "Huis van het Kind Asse",
                "kbo": "0207.437.468",
                "sector": "huis_van_het_kind",
                "municipalities": ["23002", "23050"],
                "contact": {"email": "info@hvk.be"},
                "membership": {"role": "partner", "starts_on": "2025-01-01"},
            },
        )
    ]


def test_offer_numbers_and_yes_no_are_converted_or_reported():
    text = (
        "titel;kbo;soort;gemeenten;capaciteit;vrije_plaatsen;warme_wachtlijst\n"
        "Coaching;0207.437.468;family_coaching;23002;10;2;ja\n"
        "Cursus;0207.437.468;parenting_course;23002;tien;2;misschien\n"
    )
    rows, errors = csv_rows.read("offer", text)
    assert rows[0][1]["capacity"] == 10 and rows[0][1]["warm_waiting_list"] is True
    assert rows[0][1]["organisation"] == {"kbo": "0207.437.468"}
    assert errors == [
        {"line": 3, "field": "capaciteit", "message": "Geef een geheel getal."},
        {"line": 3, "field": "warme_wachtlijst", "message": "Geef ja of nee."},
    ]


def test_a_row_of_the_wrong_width_is_reported_by_line():
    rows, errors = csv_rows.read("organisations", ORGS + "Te kort;0207.437.468\n")
    assert len(rows) == 1
    assert errors[0]["line"] == 3 and errors[0]["field"] == "_row"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Het bestand is leeg."),
        ("naam,kbo,sector\nA,B,C\n", "Gebruik een puntkomma (;) als scheidingsteken."),
        ("naam;kbo;sector;rol;start;kleur\n", "Onbekende kolom(men): kleur."),
        ("naam;kbo\n", "Verplichte kolom(men) ontbreken: sector, rol, start."),
    ],
)
def test_a_file_that_cannot_be_read_says_why(text, message):
    with pytest.raises(csv_rows.BadFile) as bad:
        csv_rows.read("organisations", text)
    assert bad.value.message == message


def test_field_errors_point_at_the_column():
    assert csv_rows.field_errors("offer", 4, {"municipalities.1": ["Onbekend."]}) == [
        {"line": 4, "field": "gemeenten", "message": "Onbekend."}
    ]
    assert csv_rows.column_of("offer", "target_ages.min") == "leeftijd_min"
    assert csv_rows.column_of("organisations", "membership.role") == "rol"
    assert csv_rows.column_of("organisations", "_schema") == "_row"


cell = st.text(alphabet=st.characters(blacklist_characters='\r\n;"', blacklist_categories=["Cs"]))


@given(st.lists(st.tuples(cell, cell, cell), max_size=6))
def test_every_non_empty_row_is_either_a_payload_or_an_error(cells):
    lines = ["naam;kbo;sector;rol;start"] + [f"{a};{b};{c};partner;2025-01-01" for a, b, c in cells]
    rows, errors = csv_rows.read("organisations", "\n".join(lines) + "\n")
    seen = {line for line, _ in rows} | {e["line"] for e in errors}
    assert seen == set(range(2, 2 + len(cells)))
