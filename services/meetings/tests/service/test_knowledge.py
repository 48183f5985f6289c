"""The network's library of procedures and working agreements, and its vorming with
registration: the coordinators keep them, every role in the network reads them, another
network finds nothing; files are versioned and checked as meeting documents are; a vorming
never takes more people than it has places, also when they register at the same moment."""

import base64
import datetime as dt
import uuid

import eventlet
import pytest
from meetings_support import World

from verband_common.errors import Conflict, Forbidden, NotFound, ValidationFailed

pytestmark = pytest.mark.service

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PDF_V2 = b"%PDF-1.4\n% tweede versie\ntrailer << >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120


def upload(name: str, content: bytes) -> dict:
    return {"filename": name, "content_base64": base64.b64encode(content).decode()}


def soon(days: float) -> str:
    return (dt.datetime.now(dt.UTC) + dt.timedelta(days=days)).isoformat()


@pytest.fixture
def w(verband):
    return World(verband)


def procedure(w, **overrides) -> dict:
    payload = {
        "title": "Warme-wachtlijstbeheer gezinscoaching",
        "kind": "procedure",
        "summary": "Hoe we gezinnen op de wachtlijst warm houden: de langst wachtenden en"
        " de meest zorgwekkende situaties eerst, contact houden tijdens het wachten.",
        "owner_id": str(w.kernpartner.id),
        "review_on": (dt.date.today() + dt.timedelta(days=180)).isoformat(),
        "status": "vastgesteld",
        **overrides,
    }
    with w.rpc(w.coordinator) as rpc:
        return rpc.meetings.create_procedure(str(w.network), payload)


def training(w, **overrides) -> dict:
    payload = {
        "title": "Intervisie gezinscoaches",
        "description": "Casusbespreking in kleine groep, met terugkoppeling naar het kernteam.",
        "starts_at": soon(14),
        "place": "Sociaal Huis Vilvoorde",
        "capacity": 2,
        "registration_deadline": soon(7),
        **overrides,
    }
    with w.rpc(w.coordinator) as rpc:
        return rpc.meetings.create_training(str(w.network), payload)


def test_the_library_is_kept_by_coordinators_and_read_by_every_role(verband, w):
    made = procedure(w)
    assert made["owner_name"] == w.kernpartner.name
    assert made["review_overdue"] is False and made["latest_version"] is None
    net = str(w.network)
    for reader in (w.chair, w.secretary, w.outsider, w.contractant):
        with w.rpc(reader) as rpc:
            assert [p["id"] for p in rpc.meetings.search_procedures(net, {})] == [made["id"]]
            assert rpc.meetings.get_procedure(net, made["id"])["title"] == made["title"]
    # Writing is the keepers' (a secretary organises bodies, not the library).
    for writer in (w.chair, w.secretary):
        with w.rpc(writer) as rpc, pytest.raises(Forbidden):
            rpc.meetings.create_procedure(net, {**_input(w), "title": "Eigen procedure"})
        with w.rpc(writer) as rpc, pytest.raises(Forbidden):
            rpc.meetings.update_procedure(net, made["id"], {"status": "vervallen"})
    # Another network learns nothing: its coordinator finds neither the network nor the item.
    with w.rpc(w.stranger) as rpc:
        with pytest.raises(NotFound):
            rpc.meetings.get_procedure(net, made["id"])
        with pytest.raises(NotFound):
            rpc.meetings.get_procedure(str(w.other_network), made["id"])
        with pytest.raises(NotFound):
            rpc.meetings.search_procedures(net, {})
        assert rpc.meetings.search_procedures(str(w.other_network), {}) == []
    assert verband.count(w.meetings.db_url, "procedures") == 1


def _input(w) -> dict:
    return {
        "title": "Crisisprocedure",
        "kind": "procedure",
        "summary": "Wat we doen bij dringende en gevaarlijke situaties, met het crisismeldpunt.",
        "owner_id": str(w.coordinator.id),
    }


def test_search_by_text_kind_status_and_overdue_review(verband, w):
    net = str(w.network)
    warm = procedure(w)
    crisis = procedure(w, **_input(w))
    template = procedure(
        w,
        title="Sjabloon verslag casustafel",
        kind="sjabloon",
        summary="Een leeg verslag om de afspraken van de casustafel te noteren.",
        status="concept",
        review_on=None,
    )
    # A review that has passed (set directly: the service refuses a past date).
    verband.sql(
        w.meetings.db_url,
        "UPDATE procedures SET review_on = current_date - 3 WHERE id = %s",
        (crisis["id"],),
    )

    def found(query):
        with w.rpc(w.chair) as rpc:
            return {p["id"] for p in rpc.meetings.search_procedures(net, query)}

    # Dutch stemming: "afspraken" finds "afspraken"/"afspraak", "gevaarlijk" the inflected form.
    assert found({"q": "gevaarlijk"}) == {crisis["id"]}
    assert found({"q": "afspraak"}) == {template["id"]}
    # A part of a compound in the title, which no dictionary splits.
    assert found({"q": "wachtlijst"}) == {warm["id"]}
    assert found({"q": "100%_"}) == set()
    assert found({"kind": "sjabloon"}) == {template["id"]}
    assert found({"status": "concept"}) == {template["id"]}
    assert found({"overdue": True}) == {crisis["id"]}
    assert found({"overdue": False}) == {warm["id"], template["id"]}
    with w.rpc(w.chair) as rpc:
        [listed] = rpc.meetings.search_procedures(net, {"overdue": True})
    assert listed["review_overdue"] is True
    # A lapsed procedure needs no review.
    with w.rpc(w.coordinator) as rpc:
        rpc.meetings.update_procedure(net, crisis["id"], {"status": "vervallen"})
    assert found({"overdue": True}) == set()


def test_bad_input_is_refused_by_field_and_stores_nothing(verband, w):
    net = str(w.network)
    bad = [
        ({"review_on": (dt.date.today() - dt.timedelta(days=1)).isoformat()}, "review_on"),
        ({"review_on": dt.date.today().isoformat()}, "review_on"),
        ({"owner_id": str(w.stranger.id)}, "owner_id"),
        ({"owner_id": str(uuid.uuid4())}, "owner_id"),
        ({"kind": "roddel"}, "kind"),
        ({"status": "geheim"}, "status"),
        ({"title": "x" * 201}, "title"),
        ({"title": "a\x00b"}, "title"),
        ({"summary": ""}, "summary"),
        ({"extra": 1}, "extra"),
    ]
    for change, field in bad:
        with w.rpc(w.coordinator) as rpc, pytest.raises(ValidationFailed) as err:
            rpc.meetings.create_procedure(net, {**_input(w), **change})
        assert field in err.value.fields, (change, err.value.fields)
    for query, field in (({"q": "x" * 101}, "q"), ({"overdue": "misschien"}, "overdue")):
        with w.rpc(w.chair) as rpc, pytest.raises(ValidationFailed) as err:
            rpc.meetings.search_procedures(net, query)
        assert field in err.value.fields
    bad_trainings = [
        ({"capacity": 0}, "capacity"),
        ({"capacity": 501}, "capacity"),
        ({"capacity": "5"}, "capacity"),
        ({"starts_at": soon(-1), "registration_deadline": soon(-2)}, "starts_at"),
        ({"registration_deadline": soon(20)}, "registration_deadline"),
        ({"registration_deadline": soon(-1)}, "registration_deadline"),
        ({"starts_at": "2027-05-01T10:00:00"}, "starts_at"),
    ]
    for change, field in bad_trainings:
        with w.rpc(w.coordinator) as rpc, pytest.raises(ValidationFailed) as err:
            rpc.meetings.create_training(
                net,
                {
                    "title": "Vorming",
                    "description": "Uitleg.",
                    "starts_at": soon(14),
                    "place": "Vilvoorde",
                    "capacity": 5,
                    "registration_deadline": soon(7),
                    **change,
                },
            )
        assert field in err.value.fields, (change, err.value.fields)
    made = procedure(w)
    with w.rpc(w.coordinator) as rpc, pytest.raises(ValidationFailed) as err:
        rpc.meetings.add_procedure_version(net, made["id"], upload("app.pdf", EXE))
    assert "file" in err.value.fields
    counts = verband.counts(w.meetings.db_url)
    assert counts["procedures"] == 1
    assert counts["procedure_versions"] == 0
    assert counts["trainings"] == 0


def test_a_file_is_versioned_and_the_owner_adds_a_version(verband, w):
    net = str(w.network)
    made = procedure(w)
    with w.rpc(w.coordinator) as rpc:
        first = rpc.meetings.add_procedure_version(net, made["id"], upload("C:\\wl\\v1.pdf", PDF))
    assert first["latest_version"] == 1
    assert first["versions"][0]["filename"] == "v1.pdf"
    # The owner (a partner worker) adds a newer version; the first one stays.
    with w.rpc(w.kernpartner) as rpc:
        second = rpc.meetings.add_procedure_version(net, made["id"], upload("v2.pdf", PDF_V2))
    assert [v["version"] for v in second["versions"]] == [2, 1]
    assert second["versions"][0]["uploaded_by_name"] == w.kernpartner.name
    # Any other worker reads both versions but adds none.
    with w.rpc(w.chair) as rpc:
        newest = rpc.meetings.procedure_file(net, made["id"])
        oldest = rpc.meetings.procedure_file(net, made["id"], 1)
        with pytest.raises(Forbidden):
            rpc.meetings.add_procedure_version(net, made["id"], upload("v3.pdf", PDF))
        with pytest.raises(NotFound):
            rpc.meetings.procedure_file(net, made["id"], 3)
    assert base64.b64decode(newest["content_base64"]) == PDF_V2 and newest["version"] == 2
    assert base64.b64decode(oldest["content_base64"]) == PDF
    with w.rpc(w.stranger) as rpc, pytest.raises(NotFound):
        rpc.meetings.procedure_file(net, made["id"])
    assert verband.count(w.meetings.db_url, "procedure_versions") == 2


def test_registration_is_for_members_and_the_organisers_see_who(verband, w):
    net = str(w.network)
    t = training(w, capacity=5)
    assert t["registrations"] == [] and t["places_left"] == 5
    with w.rpc(w.chair) as rpc:
        mine = rpc.meetings.register_for_training(net, t["id"])
        again = rpc.meetings.register_for_training(net, t["id"])
        assert "registrations" not in mine
        with pytest.raises(Forbidden):
            rpc.meetings.training_registrations(net, t["id"])
        [listed] = rpc.meetings.search_trainings(net, {"q": "intervisie", "when": "upcoming"})
        assert rpc.meetings.search_trainings(net, {"when": "past"}) == []
    assert mine["me_registered"] and again["registered"] == 1 and listed["me_registered"]
    with w.rpc(w.coordinator) as rpc:
        [who] = rpc.meetings.training_registrations(net, t["id"])
        assert who["name"] == w.chair.name
        assert rpc.meetings.get_training(net, t["id"])["registrations"][0]["name"] == w.chair.name
    with w.rpc(w.chair) as rpc:
        left = rpc.meetings.unregister_from_training(net, t["id"])
        assert left["registered"] == 0 and not left["me_registered"]
        with pytest.raises(NotFound):
            rpc.meetings.unregister_from_training(net, t["id"])
    with w.rpc(w.stranger) as rpc, pytest.raises(NotFound):
        rpc.meetings.register_for_training(net, t["id"])
    with w.rpc(w.chair) as rpc, pytest.raises(Forbidden):
        rpc.meetings.create_training(net, {"title": "x"})


def test_a_full_or_closed_vorming_takes_nobody_more(verband, w):
    net = str(w.network)
    t = training(w, capacity=1)
    with w.rpc(w.chair) as rpc:
        rpc.meetings.register_for_training(net, t["id"])
    with w.rpc(w.kernpartner) as rpc, pytest.raises(Conflict) as err:
        rpc.meetings.register_for_training(net, t["id"])
    assert "volzet" in err.value.message
    # The deadline passed (set directly: the service refuses one in the past).
    verband.sql(
        w.meetings.db_url,
        "UPDATE trainings SET registration_deadline = now() - interval '1 minute' WHERE id = %s",
        (t["id"],),
    )
    with w.rpc(w.chair) as rpc:
        rpc.meetings.unregister_from_training(net, t["id"])
    with w.rpc(w.kernpartner) as rpc, pytest.raises(Conflict) as err:
        rpc.meetings.register_for_training(net, t["id"])
    assert "afgesloten" in err.value.message
    assert verband.count(w.meetings.db_url, "training_registrations") == 0


def test_people_registering_at_once_never_exceed_the_places(verband, w):
    net = str(w.network)
    t = training(w, capacity=2)
    people = [w.coordinator, w.chair, w.secretary, w.kernpartner, w.contractant, w.outsider]

    def attempt(person):
        with w.rpc(person) as rpc:
            try:
                rpc.meetings.register_for_training(net, t["id"])
                return "in"
            except Conflict:
                return "full"

    outcomes = list(eventlet.GreenPool(len(people)).imap(attempt, people))
    assert sorted(outcomes) == ["full"] * 4 + ["in"] * 2
    assert verband.count(w.meetings.db_url, "training_registrations") == 2
    with w.rpc(w.coordinator) as rpc:
        assert rpc.meetings.get_training(net, t["id"])["places_left"] == 0
