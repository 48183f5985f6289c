"""The network's library and vorming through the gateway: the JSON API checks every field
before any RPC (422 naming it), passes the service's refusals on (409 full or closed), keeps
files out of its own hands (base64 to the service, an attachment back); the portal's pages
show the library with its overdue reviews, a coordinator's form with mistakes next to their
field, and the register button with the service's answer in Dutch."""

import base64
import io
import re
import uuid

import pytest

from verband_common.errors import Conflict, ValidationFailed
from verband_common.schemas.meetings import MAX_DOCUMENT_BYTES

from .test_meeting_pages import described_by_error, field_error, token_of

PDF = b"%PDF-1.4\n%%EOF\n"
NOW = "2026-11-20T10:00:00+01:00"
OWNER = str(uuid.uuid4())
PROCEDURE = str(uuid.uuid4())
TRAINING = str(uuid.uuid4())


def procedure_row(network_id, **over) -> dict:
    return {
        "id": PROCEDURE,
        "network_id": network_id,
        "title": "Crisisprocedure",
        "kind": "procedure",
        "summary": "Wat we doen bij dringende en gevaarlijke situaties.",
        "owner_id": OWNER,
        "owner_name": "Dirk Wouters",
        "review_on": "2026-01-31",
        "review_overdue": True,
        "status": "vastgesteld",
        "latest_version": 1,
        "updated_at": NOW,
        "versions": [
            {
                "version": 1,
                "filename": "crisis.pdf",
                "content_type": "application/pdf",
                "size": len(PDF),
                "sha256": "0" * 64,
                "uploaded_by": OWNER,
                "uploaded_by_name": "Dirk Wouters",
                "uploaded_at": NOW,
            }
        ],
        **over,
    }


def training_row(network_id, **over) -> dict:
    return {
        "id": TRAINING,
        "network_id": network_id,
        "title": "Intervisie gezinscoaches",
        "description": "Casusbespreking in kleine groep.",
        "starts_at": "2027-02-10T13:00:00+00:00",
        "place": "Sociaal Huis Vilvoorde",
        "capacity": 12,
        "registration_deadline": "2027-02-03T22:59:00+00:00",
        "registered": 3,
        "places_left": 9,
        "registration_open": True,
        "past": False,
        "me_registered": False,
        **over,
    }


@pytest.fixture
def fake(services, network):
    nid = network["id"]
    services.answer("meetings", "search_procedures", lambda n, q: [procedure_row(n)])
    services.answer("meetings", "get_procedure", lambda n, pid: procedure_row(n, id=pid))
    services.answer("meetings", "create_procedure", lambda n, p: procedure_row(n, **p))
    services.answer("meetings", "update_procedure", lambda n, pid, p: procedure_row(n, **p))
    services.answer("meetings", "add_procedure_version", lambda n, pid, p: procedure_row(n))
    services.answer(
        "meetings",
        "procedure_file",
        lambda n, pid, *v: {
            "filename": "crisis.pdf",
            "content_type": "application/pdf",
            "version": v[0] if v else 1,
            "content_base64": base64.b64encode(PDF).decode(),
        },
    )
    services.answer("meetings", "network_people", lambda n: [{"id": OWNER, "name": "Dirk"}])
    services.answer("meetings", "search_trainings", lambda n, q: [training_row(n)])
    services.answer("meetings", "get_training", lambda n, tid: training_row(n, id=tid))
    services.answer("meetings", "create_training", lambda n, p: training_row(n))
    services.answer(
        "meetings",
        "register_for_training",
        lambda n, tid: training_row(n, me_registered=True, registered=4, places_left=8),
    )
    services.answer("meetings", "unregister_from_training", lambda n, tid: training_row(n))
    services.network_id = nid
    return services


# --- the JSON API ------------------------------------------------------------------------------


def test_search_goes_to_the_service_with_its_filters(client, fake, network, bearer):
    worker = bearer({network["id"]: ["partner_worker"]})
    response = client.get(
        f"/api/networks/{network['id']}/procedures?q=crisis&kind=procedure&overdue=true",
        headers=worker,
    )
    assert response.status_code == 200, response.json
    [row] = response.json
    assert row["review_overdue"] is True and row["versions"][0]["filename"] == "crisis.pdf"
    [call] = fake.calls_to("search_procedures")
    assert call.args == (network["id"], {"q": "crisis", "kind": "procedure", "overdue": True})


@pytest.mark.parametrize(
    "query, field",
    [("q=" + "x" * 101, "q"), ("kind=roddel", "kind"), ("overdue=misschien", "overdue")],
)
def test_a_bad_search_is_422_naming_the_field_before_any_rpc(
    client, fake, network, bearer, query, field
):
    worker = bearer({network["id"]: ["partner_worker"]})
    response = client.get(f"/api/networks/{network['id']}/procedures?{query}", headers=worker)
    assert response.status_code == 422
    assert field in str(response.json["error"]["fields"])
    assert not fake.calls_to("search_procedures")


def procedure_input(**over) -> dict:
    return {
        "title": "Warme wachtlijst",
        "kind": "werkafspraak",
        "summary": "Contact houden tijdens het wachten.",
        "owner_id": OWNER,
        "review_on": "2031-01-31",
        **over,
    }


def test_a_coordinator_adds_a_procedure_a_worker_may_not(
    client, fake, network, coordinator, bearer
):
    path = f"/api/networks/{network['id']}/procedures"
    response = client.post(path, json=procedure_input(), headers=coordinator)
    assert response.status_code == 201, response.json
    [call] = fake.calls_to("create_procedure")
    assert call.args[1] == {**procedure_input(), "status": "concept"}
    worker = bearer({network["id"]: ["partner_worker"]})
    assert client.post(path, json=procedure_input(), headers=worker).status_code == 403
    assert len(fake.calls_to("create_procedure")) == 1


@pytest.mark.parametrize(
    "change, field",
    [
        ({"review_on": "31/01/2031"}, "review_on"),
        ({"kind": "roddel"}, "kind"),
        ({"title": "x" * 201}, "title"),
        ({"summary": "x" * 5001}, "summary"),
        ({"owner_id": "niemand"}, "owner_id"),
        ({"owner_id": None}, "owner_id"),
        ({"status": "geheim"}, "status"),
        ({"extra": True}, "extra"),
    ],
)
def test_bad_procedure_input_is_422_naming_the_field(
    client, fake, network, coordinator, change, field
):
    response = client.post(
        f"/api/networks/{network['id']}/procedures",
        json=procedure_input(**change),
        headers=coordinator,
    )
    assert response.status_code == 422
    assert field in response.json["error"]["fields"]
    assert not fake.calls_to("create_procedure")


def test_an_empty_update_is_refused(client, fake, network, coordinator):
    path = f"/api/networks/{network['id']}/procedures/{PROCEDURE}"
    assert client.patch(path, json={}, headers=coordinator).status_code == 422
    response = client.patch(path, json={"status": "vervallen"}, headers=coordinator)
    assert response.status_code == 200
    assert fake.calls_to("update_procedure")[0].args[2] == {"status": "vervallen"}


def test_a_version_goes_base64_and_comes_back_as_an_attachment(client, fake, network, bearer):
    owner = bearer({network["id"]: ["partner_worker"]})
    base = f"/api/networks/{network['id']}/procedures/{PROCEDURE}"
    response = client.post(
        f"{base}/versions",
        data={"file": (io.BytesIO(PDF), "crisis.pdf")},
        headers=owner,
        content_type="multipart/form-data",
    )
    assert response.status_code == 201, response.json
    [call] = fake.calls_to("add_procedure_version")
    assert base64.b64decode(call.args[2]["content_base64"]) == PDF
    too_big = client.post(
        f"{base}/versions",
        data={"file": (io.BytesIO(b"%PDF" + b"x" * MAX_DOCUMENT_BYTES), "groot.pdf")},
        headers=owner,
        content_type="multipart/form-data",
    )
    assert too_big.status_code == 413
    assert len(fake.calls_to("add_procedure_version")) == 1
    download = client.get(f"{base}/file?version=1", headers=owner)
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert fake.calls_to("procedure_file")[0].args == (network["id"], PROCEDURE, 1)
    assert client.get(f"{base}/file?version=0", headers=owner).status_code == 422


def training_input(**over) -> dict:
    return {
        "title": "Vorming kansarmoede",
        "description": "Wat armoede doet met een gezin.",
        "starts_at": "2031-03-01T09:00:00+01:00",
        "place": "Genk",
        "capacity": 20,
        "registration_deadline": "2031-02-20T23:59:00+01:00",
        **over,
    }


@pytest.mark.parametrize(
    "change, field",
    [
        ({"capacity": 0}, "capacity"),
        ({"capacity": 501}, "capacity"),
        ({"capacity": "20"}, "capacity"),
        ({"capacity": 2**70}, "capacity"),
        ({"starts_at": "2031-03-01T09:00:00"}, "starts_at"),
        ({"registration_deadline": "2031-03-02T09:00:00+01:00"}, "registration_deadline"),
        ({"place": ""}, "place"),
        ({"starts_at": "9999-12-31T23:00:00-05:00"}, "starts_at"),
    ],
)
def test_bad_training_input_is_422_naming_the_field(
    client, fake, network, coordinator, change, field
):
    response = client.post(
        f"/api/networks/{network['id']}/trainings",
        json=training_input(**change),
        headers=coordinator,
    )
    assert response.status_code == 422
    assert field in response.json["error"]["fields"]
    assert not fake.calls_to("create_training")


def test_registering_for_a_full_vorming_is_409(client, fake, network, bearer):
    worker = bearer({network["id"]: ["family_coach"]})
    path = f"/api/networks/{network['id']}/trainings/{TRAINING}/registration"
    response = client.put(path, headers=worker)
    assert response.status_code == 200 and response.json["me_registered"] is True
    fake.fail(
        "meetings",
        "register_for_training",
        Conflict("Deze vorming is volzet: er is geen plaats meer vrij.", {"capacity": ["Vol."]}),
    )
    refused = client.put(path, headers=worker)
    assert refused.status_code == 409
    assert "volzet" in refused.json["error"]["message"]
    assert client.put(path, json={"iets": 1}, headers=worker).status_code == 422
    assert client.delete(path, headers=worker).status_code == 200
    # Another network: the gateway answers itself, no RPC.
    stranger = bearer({str(uuid.uuid4()): ["coordinator"]})
    before = len(fake.calls_to("register_for_training"))
    assert client.put(path, headers=stranger).status_code == 404
    assert len(fake.calls_to("register_for_training")) == before


# --- the portal ---------------------------------------------------------------------------------


def test_the_library_page_shows_overdue_reviews_and_searches(client, fake, network, portal_sign_in):
    portal_sign_in({network["id"]: ["partner_worker"]})
    page = client.get("/kennis?q=crisis&herziening=voorbij&toestand=vastgesteld").get_data(
        as_text=True
    )
    assert "Crisisprocedure" in page and "Herziening verlopen" in page
    assert "Een document toevoegen" not in page  # the form is the keepers'
    [call] = fake.calls_to("search_procedures")
    assert call.args[1] == {"q": "crisis", "status": "vastgesteld", "overdue": True}
    assert 'href="/kennis"' in client.get("/").get_data(as_text=True)
    bad = client.get("/kennis?soort=roddel").get_data(as_text=True)
    assert field_error(bad, "soort")


def test_a_coordinator_adds_a_procedure_through_the_form(client, fake, network, portal_sign_in):
    portal_sign_in({network["id"]: ["coordinator"]})
    page = client.get("/kennis").get_data(as_text=True)
    # The search and the add form side by side: each label still points at one field.
    for path in ("/kennis", "/vorming", f"/kennis/{PROCEDURE}"):
        ids = re.findall(r' id="([^"]+)"', client.get(path).get_data(as_text=True))
        assert len(ids) == len(set(ids)), path
    form = {
        "csrf_token": token_of(page),
        "title": "Warme wachtlijst",
        "kind": "werkafspraak",
        "summary": "Contact houden tijdens het wachten.",
        "owner_id": OWNER,
        "review_on": "31/01/2031",
        "status": "vastgesteld",
    }
    response = client.post("/kennis", data=form)
    assert response.status_code == 303
    [call] = fake.calls_to("create_procedure")
    assert call.args[1]["review_on"] == "2031-01-31"
    # The service's refusal lands next to its field, with what was typed kept.
    fake.fail(
        "meetings",
        "create_procedure",
        ValidationFailed(
            "De herzieningsdatum moet in de toekomst liggen.",
            {"review_on": ["Kies een datum na vandaag."]},
        ),
    )
    again = client.post("/kennis", data={**form, "review_on": "01/01/2020"})
    assert again.status_code == 422
    text = again.get_data(as_text=True)
    assert field_error(text, "review_on") == "Kies een datum na vandaag."
    assert described_by_error(text, "review_on") and "Warme wachtlijst" in text
    bad = client.post("/kennis", data={**form, "kind": ""})
    assert bad.status_code == 422 and field_error(bad.get_data(as_text=True), "kind")


def test_a_worker_may_not_post_the_library_form(client, fake, network, portal_sign_in):
    portal_sign_in({network["id"]: ["partner_worker"]})
    token = token_of(client.get("/kennis").get_data(as_text=True))
    response = client.post("/kennis", data={"csrf_token": token, "title": "x"})
    assert response.status_code == 403
    assert not fake.calls_to("create_procedure")


def test_the_procedure_page_offers_the_owner_a_new_version(client, fake, network, portal_sign_in):
    me = portal_sign_in({network["id"]: ["partner_worker"]})
    fake.answer(
        "meetings",
        "get_procedure",
        lambda n, pid: procedure_row(n, id=pid, owner_id=me["person_id"]),
    )
    page = client.get(f"/kennis/{PROCEDURE}").get_data(as_text=True)
    assert "Versie 1: crisis.pdf" in page and "Versie toevoegen" in page
    assert "Status en herziening" not in page
    response = client.post(
        f"/kennis/{PROCEDURE}",
        data={
            "csrf_token": token_of(page),
            "action": "version",
            "file": (io.BytesIO(PDF), "v2.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    assert fake.calls_to("add_procedure_version")
    download = client.get(f"/kennis/{PROCEDURE}/bestand?versie=1")
    assert download.status_code == 200 and download.data == PDF


def test_a_coordinator_plans_a_vorming_with_a_day_and_an_hour(
    client, fake, network, portal_sign_in
):
    portal_sign_in({network["id"]: ["coordinator"]})
    token = token_of(client.get("/vorming").get_data(as_text=True))
    form = {
        "csrf_token": token,
        "title": "Vorming kansarmoede",
        "description": "Wat armoede doet met een gezin.",
        "starts_on": "01/03/2031",
        "starts_time": "09:00",
        "place": "Genk",
        "capacity": "20",
        "deadline_on": "20/02/2031",
        "deadline_time": "",
    }
    assert client.post("/vorming", data=form).status_code == 303
    payload = fake.calls_to("create_training")[0].args[1]
    assert payload["starts_at"] == "2031-03-01T09:00:00+01:00"
    assert payload["registration_deadline"] == "2031-02-20T23:59:00+01:00"
    bad = client.post("/vorming", data={**form, "capacity": "600"})
    assert bad.status_code == 422
    assert field_error(bad.get_data(as_text=True), "capacity") == "Tussen 1 en 500 plaatsen."
    late = client.post("/vorming", data={**form, "deadline_on": "02/03/2031"})
    assert late.status_code == 422
    assert "ten laatste bij de start" in field_error(late.get_data(as_text=True), "deadline_on")
    assert len(fake.calls_to("create_training")) == 1


def test_registering_on_the_page_and_a_full_vorming(client, fake, network, portal_sign_in):
    portal_sign_in({network["id"]: ["partner_worker"]})
    page = client.get(f"/vorming/{TRAINING}").get_data(as_text=True)
    assert "Nog 9" not in page and "9 van 12 vrij" in page and ">Inschrijven<" in page
    token = token_of(page)
    response = client.post(f"/vorming/{TRAINING}", data={"csrf_token": token, "action": "register"})
    assert response.status_code == 303
    assert fake.calls_to("register_for_training")[0].args == (network["id"], TRAINING)
    fake.fail(
        "meetings",
        "register_for_training",
        Conflict("Deze vorming is volzet: er is geen plaats meer vrij.", {"capacity": ["Vol."]}),
    )
    full = client.post(f"/vorming/{TRAINING}", data={"csrf_token": token, "action": "register"})
    assert full.status_code == 409
    assert "Deze vorming is volzet" in full.get_data(as_text=True)
    odd = client.post(f"/vorming/{TRAINING}", data={"csrf_token": token, "action": "iets"})
    assert odd.status_code == 422
    listing = client.get("/vorming?q=intervisie").get_data(as_text=True)
    assert "Nog 9 van 12 plaatsen vrij" in listing
    assert fake.calls_to("search_trainings")[-1].args[1] == {"q": "intervisie", "when": "upcoming"}
