"""Portal pages of the governance bodies: bodies and series, the agenda builder, proposing an
item, the meeting's record, minutes, and "my meetings" / "my actions"."""

import datetime as dt
import re
import uuid
from zoneinfo import ZoneInfo

import pytest

from verband_common.errors import Conflict, Forbidden, NotFound, ValidationFailed
from verband_gateway.meeting_pages import cadence_text

from .conftest import action_row, body_row, item_row, meeting_detail, meeting_row, minutes_row

BRUSSELS = ZoneInfo("Europe/Brussels")
TODAY = dt.datetime.now(BRUSSELS).date()


def token_of(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def field_error(page: str, name: str) -> str:
    """The text of the error next to the input `name`, or "" when there is none."""
    found = re.search(rf'<span class="field-error" id="e-{re.escape(name)}">([^<]*)</span>', page)
    return found.group(1) if found else ""


def described_by_error(page: str, name: str) -> bool:
    """The input `name` is marked invalid and points at its error."""
    tag = re.search(rf'<(?:input|select|textarea)[^>]*id="f-{re.escape(name)}"[^>]*>', page)
    return bool(tag) and 'aria-invalid="true"' in tag.group(0) and f"e-{name}" in tag.group(0)


def value_of(page: str, name: str) -> str:
    tag = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', page)
    found = re.search(r'value="([^"]*)"', tag.group(0)) if tag else None
    return found.group(1) if found else ""


class Governance:
    """A network's kernteam in the fake meetings service, with the signed-in person's seat."""

    def __init__(self, services, network, person, role="secretary", starts_on=TODAY):
        self.services = services
        nid = network["id"]
        self.me = {
            "id": str(uuid.uuid4()),
            "person_id": person["person_id"],
            "organisation_id": None,
            "organisation_name": None,
            "delegate_id": None,
            "name": "An Peeters",
            "role": role,
            "voting": True,
        }
        self.chair = {**self.me, "id": str(uuid.uuid4()), "person_id": str(uuid.uuid4())}
        self.chair.update(name="Bert Claes", role="chair")
        self.adviser = {
            **self.me,
            "id": str(uuid.uuid4()),
            "person_id": str(uuid.uuid4()),
            "name": "Coördinator Mia",
            "role": "adviser",
            "voting": False,
        }
        self.body = body_row(nid, members=[self.chair, self.me, self.adviser])
        bid = self.body["id"]
        starts = dt.datetime.combine(starts_on, dt.time(14, 0), BRUSSELS)
        self.item = item_row(title="Werking wachtlijst", position=1)
        self.meeting = meeting_detail(
            **{
                **meeting_row(bid),
                "network_id": nid,
                "starts_at": starts.isoformat(),
                "ends_at": (starts + dt.timedelta(hours=2)).isoformat(),
            },
            agenda=[self.item],
        )
        self.meeting["body_id"] = bid
        mid = self.meeting["id"]
        services.answer("meetings", "list_bodies", lambda n: [self.body])
        services.answer("meetings", "get_body", lambda b: self.body)
        services.answer("meetings", "get_meeting", lambda m: self.meeting)
        services.answer("meetings", "list_meetings", lambda b, f: [meeting_row(**self.summary())])
        self.mid = mid
        self.bid = bid

    def summary(self):
        return {k: v for k, v in self.meeting.items() if k in meeting_row()}


@pytest.fixture
def signed_in(client, services, network, portal_sign_in):
    """sign(role in network, seat in body) -> Governance of a signed-in person."""

    def sign(network_role="coordinator", seat="secretary", starts_on=TODAY):
        person = portal_sign_in({network["id"]: [network_role]})
        return Governance(services, network, person, seat, starts_on)

    return sign


def post(client, path, data):
    page = client.get(path).get_data(as_text=True)
    return client.post(path, data={**data, "csrf_token": token_of(page)})


# --- menu, access and isolation --------------------------------------------------------------


@pytest.mark.parametrize("role", ["referrer", "partner_worker", "coordinator", "iroj_viewer"])
def test_every_member_of_a_network_finds_the_meetings_in_the_menu(
    client, services, network, portal_sign_in, role
):
    portal_sign_in({network["id"]: [role]})
    page = client.get("/organisaties").get_data(as_text=True)
    for link in ("/organen", "/mijn-vergaderingen", "/mijn-acties"):
        assert f'href="{link}"' in page, link


MEETING_ID = str(uuid.uuid4())
PAGES = [
    "/organen",
    f"/organen/{uuid.uuid4()}",
    f"/vergaderingen/{MEETING_ID}",
    f"/vergaderingen/{MEETING_ID}/agenda",
    f"/vergaderingen/{MEETING_ID}/punt-voorstellen",
    f"/vergaderingen/{MEETING_ID}/verslag",
    "/mijn-vergaderingen",
    "/mijn-acties",
]


@pytest.mark.parametrize("path", PAGES)
def test_pages_need_someone_signed_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/aanmelden")


@pytest.mark.parametrize("path", PAGES)
def test_a_page_asks_to_choose_the_network_first(client, portal_sign_in, path):
    portal_sign_in({str(uuid.uuid4()): ["coordinator"], str(uuid.uuid4()): ["coordinator"]})
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/netwerk?volgende=")


def test_a_body_or_meeting_of_another_network_is_not_found(client, services, signed_in):
    gov = signed_in()
    other = str(uuid.uuid4())
    gov.body["network_id"] = other
    gov.meeting["network_id"] = other
    for path in (
        f"/organen/{gov.bid}",
        f"/vergaderingen/{gov.mid}",
        f"/vergaderingen/{gov.mid}/agenda",
        f"/vergaderingen/{gov.mid}/punt-voorstellen",
        f"/vergaderingen/{gov.mid}/verslag",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        page = response.get_data(as_text=True)
        assert "Kernteam" not in page and "Werking wachtlijst" not in page, path
    # Nor does it show among the network's bodies, or as a seat of mine.
    assert "Kernteam" not in client.get("/mijn-vergaderingen").get_data(as_text=True)


def test_what_the_service_does_not_show_is_not_found(client, services, signed_in):
    signed_in()
    services.fail("meetings", "get_meeting", NotFound("Deze vergadering bestaat niet."))
    response = client.get(f"/vergaderingen/{uuid.uuid4()}")
    assert response.status_code == 404
    assert "Deze vergadering bestaat niet." in response.get_data(as_text=True)


def test_a_form_without_its_token_is_refused_and_changes_nothing(client, services, signed_in):
    gov = signed_in()
    client.get(f"/vergaderingen/{gov.mid}/agenda")
    response = client.post(f"/vergaderingen/{gov.mid}/agenda", data={"action": "publish"})
    assert response.status_code in (400, 403)
    assert not services.calls_to("publish_agenda")


# --- bodies and series -------------------------------------------------------------------------


def test_the_cadence_reads_as_dutch():
    assert cadence_text({"kind": "every_days", "days": 14, "weekday": 1, "time": "14:00"}) == (
        "Minstens om de 14 dagen, op dinsdag om 14:00"
    )
    monthly = {
        "kind": "monthly",
        "week": 2,
        "weekday": 3,
        "phases": [{"every_months": 1, "until": "2027-06-30"}, {"every_months": 2}],
    }
    assert cadence_text(monthly) == (
        "Maandelijks tot 30/06/2027, daarna om de 2 maanden, op de tweede donderdag van de maand"
    )
    assert cadence_text({"kind": "yearly", "months": [3, 10], "week": 3, "weekday": 2}) == (
        "Elk jaar in maart en oktober, op de derde woensdag van de maand"
    )


def test_the_bodies_list_shows_kind_rhythm_and_my_seat(client, signed_in):
    signed_in(seat="secretary")
    page = client.get("/organen").get_data(as_text=True)
    assert "Overlegorganen" in page and "<caption" in page and 'scope="col"' in page
    assert "Kernteam" in page and "Minstens om de 14 dagen" in page and "Secretaris" in page


def test_a_body_shows_members_with_role_and_voting_right_and_its_series(client, signed_in):
    gov = signed_in()
    page = client.get(f"/organen/{gov.bid}").get_data(as_text=True)
    assert "Coördinator Mia" in page and "Adviseur" in page
    row = re.search(r"Coördinator Mia</th>\s*<td>Adviseur</td>\s*<td>(\w+)</td>", page)
    assert row and row.group(1) == "Nee"
    assert f"/api/bodies/{gov.bid}/calendar.ics" in page and "/api/me/calendar.ics" in page
    assert f"/vergaderingen/{gov.mid}" in page
    assert "Reeks plannen" in page and f"wijzig={gov.mid}" in page


def test_a_member_without_lead_sees_no_planning(client, services, network, portal_sign_in):
    person = portal_sign_in({network["id"]: ["referrer"]})
    gov = Governance(services, network, person, "member")
    page = client.get(f"/organen/{gov.bid}").get_data(as_text=True)
    assert "Reeks plannen" not in page and "wijzig=" not in page


def test_moving_a_meeting_sends_a_belgian_time(client, services, signed_in):
    gov = signed_in()
    day = (TODAY + dt.timedelta(days=20)).isoformat()
    response = post(
        client,
        f"/organen/{gov.bid}?wijzig={gov.mid}",
        {
            "action": "move",
            "meeting_id": gov.mid,
            "move_on": day,
            "move_at": "10:30",
            "move_reason": "Zaal bezet",
        },
    )
    assert response.status_code == 302
    (call,) = services.calls_to("move_meeting")
    assert call.args[0] == gov.mid
    moved = dt.datetime.fromisoformat(call.args[1]["starts_at"])
    assert moved.astimezone(BRUSSELS).replace(tzinfo=None) == dt.datetime.fromisoformat(
        f"{day}T10:30"
    )
    assert call.args[1]["reason"] == "Zaal bezet"


def test_moving_to_no_date_is_refused_next_to_the_field_keeping_the_input(
    client, services, signed_in
):
    gov = signed_in()
    response = post(
        client,
        f"/organen/{gov.bid}?wijzig={gov.mid}",
        {"action": "move", "meeting_id": gov.mid, "move_on": "31/02/2027", "move_at": "10:30"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert field_error(page, "move_on") and described_by_error(page, "move_on")
    assert value_of(page, "move_on") == "31/02/2027"
    assert not services.calls_to("move_meeting")


def test_a_move_onto_a_holiday_shows_the_services_refusal_at_the_date(client, services, signed_in):
    gov = signed_in()
    services.fail(
        "meetings",
        "move_meeting",
        ValidationFailed(
            "Dat is een feestdag.", {"starts_at": ["Kerstmis is een Belgische feestdag."]}
        ),
    )
    response = post(
        client,
        f"/organen/{gov.bid}?wijzig={gov.mid}",
        {"action": "move", "meeting_id": gov.mid, "move_on": "25/12/2026", "move_at": "14:00"},
    )
    assert response.status_code == 422
    assert "Kerstmis" in field_error(response.get_data(as_text=True), "move_on")


def test_cancelling_a_meeting_of_another_body_is_not_found(client, services, signed_in):
    gov = signed_in()
    page = client.get(f"/organen/{gov.bid}").get_data(as_text=True)
    gov.meeting["body_id"] = str(uuid.uuid4())
    response = client.post(
        f"/organen/{gov.bid}",
        data={"action": "cancel", "meeting_id": gov.mid, "csrf_token": token_of(page)},
    )
    assert response.status_code == 404
    assert not services.calls_to("cancel_meeting")


def test_cancelling_a_meeting_with_a_reason(client, services, signed_in):
    gov = signed_in()
    response = post(
        client,
        f"/organen/{gov.bid}",
        {"action": "cancel", "meeting_id": gov.mid, "cancel_reason": "Te weinig punten"},
    )
    assert response.status_code == 302
    (call,) = services.calls_to("cancel_meeting")
    assert call.args == (gov.mid, {"reason": "Te weinig punten"})


def test_a_series_is_planned_and_a_rule_without_dates_is_refused_at_its_field(
    client, services, signed_in
):
    gov = signed_in()
    response = post(
        client, f"/organen/{gov.bid}", {"action": "series", "series_from": "2027-01-01"}
    )
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "series_until")
    assert not services.calls_to("schedule_series")

    services.fail(
        "meetings",
        "schedule_series",
        ValidationFailed("Geen datum.", {"until": ["Het ritme geeft in deze periode geen datum."]}),
    )
    response = post(
        client,
        f"/organen/{gov.bid}",
        {"action": "series", "series_from": "01/01/2027", "series_until": "03/01/2027"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "geen datum" in field_error(page, "series_until")
    assert value_of(page, "series_until") == "03/01/2027"

    services.errors.clear()
    response = post(
        client,
        f"/organen/{gov.bid}",
        {"action": "series", "series_from": "01/01/2027", "series_until": "31/12/2027"},
    )
    assert response.status_code == 302
    assert services.calls_to("schedule_series")[-1].args[1] == {
        "from": "2027-01-01",
        "until": "2027-12-31",
    }


# --- the agenda builder ------------------------------------------------------------------------


def test_the_secretary_orders_the_items_by_their_numbers(client, services, signed_in):
    gov = signed_in()
    second = item_row(title="Vorming", position=2)
    gov.meeting["agenda"] = [gov.item, second]
    response = post(
        client,
        f"/vergaderingen/{gov.mid}/agenda",
        {
            "action": "order",
            f"position-{gov.item['id']}": "2",
            f"position-{second['id']}": "1",
        },
    )
    assert response.status_code == 302
    (call,) = services.calls_to("order_agenda")
    assert call.args == (gov.mid, {"item_ids": [second["id"], gov.item["id"]]})


def test_an_order_that_is_no_number_is_refused_next_to_the_item(client, services, signed_in):
    gov = signed_in()
    response = post(
        client,
        f"/vergaderingen/{gov.mid}/agenda",
        {"action": "order", f"position-{gov.item['id']}": "eerst"},
    )
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), f"position-{gov.item['id']}")
    assert not services.calls_to("order_agenda")


def test_publishing_the_agenda(client, services, signed_in):
    gov = signed_in()
    page = client.get(f"/vergaderingen/{gov.mid}/agenda").get_data(as_text=True)
    assert "Agenda publiceren" in page and "vaste punten" in page
    response = client.post(
        f"/vergaderingen/{gov.mid}/agenda", data={"action": "publish", "csrf_token": token_of(page)}
    )
    assert response.status_code == 302
    assert services.calls_to("publish_agenda")[0].args == (gov.mid,)


def test_a_member_cannot_publish(client, services, network, portal_sign_in):
    person = portal_sign_in({network["id"]: ["referrer"]})
    gov = Governance(services, network, person, "member")
    page = client.get(f"/vergaderingen/{gov.mid}/agenda").get_data(as_text=True)
    assert "Agenda publiceren" not in page
    services.fail("meetings", "publish_agenda", Forbidden("Enkel de voorzitter of secretaris."))
    response = client.post(
        f"/vergaderingen/{gov.mid}/agenda", data={"action": "publish", "csrf_token": token_of(page)}
    )
    assert response.status_code == 403
    assert "Enkel de voorzitter of secretaris." in response.get_data(as_text=True)


def test_an_item_added_after_publication_needs_the_meetings_approval(client, services, signed_in):
    gov = signed_in()
    gov.meeting["agenda_published_at"] = dt.datetime.now(dt.UTC).isoformat()
    page = client.get(f"/vergaderingen/{gov.mid}/agenda").get_data(as_text=True)
    assert "Agenda publiceren" not in page and "Punt toevoegen op de vergadering" in page
    services.fail(
        "meetings",
        "add_item_at_meeting",
        ValidationFailed(
            "Een punt toevoegen vraagt de goedkeuring van de vergadering.",
            {"approved_by_meeting": ["De vergadering moet de toevoeging goedkeuren."]},
        ),
    )
    response = post(
        client,
        f"/vergaderingen/{gov.mid}/agenda",
        {"action": "add", "add_title": "Crisisopvang"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "goedkeuren" in field_error(page, "add_approved_by_meeting")
    assert value_of(page, "add_title") == "Crisisopvang"
    (call,) = services.calls_to("add_item_at_meeting")
    assert call.args[1]["approved_by_meeting"] is False

    services.errors.clear()
    response = post(
        client,
        f"/vergaderingen/{gov.mid}/agenda",
        {"action": "add", "add_title": "Crisisopvang", "add_approved_by_meeting": "ja"},
    )
    assert response.status_code == 302
    assert services.calls_to("add_item_at_meeting")[-1].args[1]["approved_by_meeting"] is True


# --- proposing an item -------------------------------------------------------------------------


def propose_path(gov):
    return f"/vergaderingen/{gov.mid}/punt-voorstellen"


def test_a_member_proposes_an_item_with_documents(client, services, network, portal_sign_in):
    person = portal_sign_in({network["id"]: ["partner_worker"]})
    gov = Governance(services, network, person, "member", starts_on=TODAY + dt.timedelta(days=20))
    page = client.get(propose_path(gov)).get_data(as_text=True)
    assert '<label for="f-title">' in page and "Dien het in tot en met" in page
    response = post(
        client,
        propose_path(gov),
        {
            "title": "Aanbod voor tieners",
            "explanation": "Te weinig plaatsen.",
            "decision_asked": "Een werkgroep oprichten.",
            "doc_name-0": "Nota",
            "doc_url-0": "https://verband.example/nota.pdf",
        },
    )
    assert response.status_code == 302
    (call,) = services.calls_to("propose_item")
    assert call.args[1] == {
        "title": "Aanbod voor tieners",
        "explanation": "Te weinig plaatsen.",
        "decision_asked": "Een werkgroep oprichten.",
        "documents": [{"name": "Nota", "url": "https://verband.example/nota.pdf"}],
    }


def test_a_proposal_without_title_or_with_a_bad_link_is_refused_at_its_fields(
    client, services, network, portal_sign_in
):
    person = portal_sign_in({network["id"]: ["partner_worker"]})
    gov = Governance(services, network, person, "member", starts_on=TODAY + dt.timedelta(days=20))
    response = post(
        client,
        propose_path(gov),
        {
            "title": "",
            "explanation": "Blijft staan",
            "doc_name-1": "Nota",
            "doc_url-1": "geen link",
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert field_error(page, "title") and described_by_error(page, "title")
    assert field_error(page, "doc_url-1") == "Geen geldige URL."
    assert "Blijft staan" in page and value_of(page, "doc_url-1") == "geen link"
    assert not services.calls_to("propose_item")


def test_a_proposal_after_the_deadline_shows_the_services_refusal(
    client, services, network, portal_sign_in
):
    person = portal_sign_in({network["id"]: ["partner_worker"]})
    gov = Governance(services, network, person, "member", starts_on=TODAY + dt.timedelta(days=2))
    page = client.get(propose_path(gov)).get_data(as_text=True)
    assert "de termijn liep af" in page
    services.fail(
        "meetings",
        "propose_item",
        Conflict("De termijn om punten voor te stellen is voorbij.", {"meeting_id": ["Te laat."]}),
    )
    response = post(client, propose_path(gov), {"title": "Te laat"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "De termijn om punten voor te stellen is voorbij." in page
    assert value_of(page, "title") == "Te laat"


def test_someone_without_a_seat_is_told_so(client, services, network, portal_sign_in):
    portal_sign_in({network["id"]: ["referrer"]})
    gov = Governance(services, network, {"person_id": str(uuid.uuid4())}, "member")
    page = client.get(propose_path(gov)).get_data(as_text=True)
    assert "Enkel leden van Kernteam" in page and 'name="title"' not in page


# --- the meeting -------------------------------------------------------------------------------


def meeting_path(gov):
    return f"/vergaderingen/{gov.mid}"


def test_attendance_and_the_iroj_reporter_are_recorded(client, services, signed_in):
    gov = signed_in()
    data = {
        "action": "attendance",
        f"presence-{gov.chair['id']}": "present",
        f"presence-{gov.me['id']}": "present",
        f"presence-{gov.adviser['id']}": "excused",
        "iroj_reporter": gov.chair["id"],
    }
    response = post(client, meeting_path(gov), data)
    assert response.status_code == 302
    (call,) = services.calls_to("record_attendance")
    assert call.args[1] == {
        "attendance": [
            {"member_id": gov.chair["id"], "status": "present"},
            {"member_id": gov.me["id"], "status": "present"},
            {"member_id": gov.adviser["id"], "status": "excused"},
        ],
        "iroj_reporter_member_id": gov.chair["id"],
    }


def test_attendance_left_open_is_refused_next_to_the_member(client, services, signed_in):
    gov = signed_in()
    response = post(
        client,
        meeting_path(gov),
        {
            "action": "attendance",
            f"presence-{gov.chair['id']}": "present",
            f"presence-{gov.me['id']}": "",
            f"presence-{gov.adviser['id']}": "absent",
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert field_error(page, f"presence-{gov.me['id']}") == (
        "Kies aanwezig, verontschuldigd of afwezig."
    )
    assert described_by_error(page, f"presence-{gov.me['id']}")
    assert not services.calls_to("record_attendance")


def test_a_meeting_to_come_cannot_be_recorded_yet(client, services, signed_in):
    gov = signed_in(starts_on=TODAY + dt.timedelta(days=7))
    page = client.get(meeting_path(gov)).get_data(as_text=True)
    assert "Aanwezigheid bewaren" not in page and "Vergadering afsluiten" not in page
    assert "op de vergadering zelf geregistreerd" in page


def test_a_consensus_with_an_objection_and_an_action(client, services, signed_in):
    gov = signed_in()
    key = gov.item["id"]
    due = (TODAY + dt.timedelta(days=14)).isoformat()
    response = post(
        client,
        meeting_path(gov),
        {
            "action": "item",
            "item_id": key,
            f"notes-{key}": "Lang besproken.",
            f"method-{key}": "consensus",
            f"decision-{key}": "We vragen extra plaatsen aan.",
            f"objection_member-{key}-0": gov.chair["id"],
            f"objection_text-{key}-0": "Te vroeg.",
            f"action_title-{key}-1": "Brief opstellen",
            f"action_owner-{key}-1": gov.me["id"],
            f"action_due-{key}-1": due,
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    (call,) = services.calls_to("record_item")
    assert call.args[:2] == (gov.mid, key)
    assert call.args[2] == {
        "notes": "Lang besproken.",
        "decision": {
            "method": "consensus",
            "text": "We vragen extra plaatsen aan.",
            "objections": [{"member_id": gov.chair["id"], "text": "Te vroeg."}],
            "votes": [],
            "for_iroj": False,
        },
        "actions": [{"title": "Brief opstellen", "owner_member_id": gov.me["id"], "due_on": due}],
    }


def test_an_action_without_owner_is_refused_at_its_owner(client, services, signed_in):
    gov = signed_in()
    key = gov.item["id"]
    response = post(
        client,
        meeting_path(gov),
        {
            "action": "item",
            "item_id": key,
            f"action_title-{key}-0": "Brief opstellen",
            f"action_due-{key}-0": (TODAY + dt.timedelta(days=3)).isoformat(),
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert field_error(page, f"action_owner-{key}-0") == "Kies wie de actie opneemt."
    assert value_of(page, f"action_title-{key}-0") == "Brief opstellen"
    assert not services.calls_to("record_item")


def test_a_vote_by_a_member_without_voting_right_is_refused_at_that_vote(
    client, services, signed_in
):
    gov = signed_in()
    key = gov.item["id"]
    page = client.get(meeting_path(gov)).get_data(as_text=True)
    # Only members with a voting right get a vote on the page.
    assert f'name="vote-{key}-{gov.chair["id"]}"' in page
    assert f'name="vote-{key}-{gov.adviser["id"]}"' not in page
    services.fail(
        "meetings",
        "record_item",
        ValidationFailed(
            "De beslissing klopt niet.",
            {"decision.votes.1.member_id": ["Coördinator Mia heeft geen stemrecht in dit orgaan."]},
        ),
    )
    response = client.post(
        meeting_path(gov),
        data={
            "csrf_token": token_of(page),
            "action": "item",
            "item_id": key,
            f"method-{key}": "vote",
            f"decision-{key}": "Extra plaatsen.",
            f"vote-{key}-{gov.chair['id']}": "for",
            f"vote-{key}-{gov.adviser['id']}": "for",
        },
    )
    assert response.status_code == 422
    (call,) = services.calls_to("record_item")
    assert call.args[2]["decision"]["votes"] == [
        {"member_id": gov.chair["id"], "choice": "for"},
        {"member_id": gov.adviser["id"], "choice": "for"},
    ]
    page = response.get_data(as_text=True)
    assert "geen stemrecht" in field_error(page, f"decision-{key}")
    assert described_by_error(page, f"decision-{key}")
    assert "Extra plaatsen." in page


def test_an_item_not_on_this_agenda_is_not_found(client, services, signed_in):
    gov = signed_in()
    response = post(
        client,
        meeting_path(gov),
        {"action": "item", "item_id": str(uuid.uuid4()), "notes-x": "iets"},
    )
    assert response.status_code == 404
    assert not services.calls_to("record_item")


def test_a_recorded_decision_and_tally_are_shown(client, services, signed_in):
    gov = signed_in()
    gov.meeting["quorum_reached"] = True
    gov.meeting["iroj_reporter_member_id"] = gov.chair["id"]
    gov.meeting["decisions"] = [
        {
            "id": str(uuid.uuid4()),
            "item_id": gov.item["id"],
            "method": "vote",
            "outcome": "adopted",
            "text": "Extra plaatsen aanvragen.",
            "objections": [],
            "votes": [],
            "tally": {"for": 2, "against": 0, "abstain": 1},
            "case_pseudonym": None,
            "taken_at": dt.datetime.now(dt.UTC).isoformat(),
        }
    ]
    gov.meeting["open_actions"] = [action_row(title="Navraag bij OCMW")]
    page = client.get(meeting_path(gov)).get_data(as_text=True)
    assert "Extra plaatsen aanvragen." in page and "2 voor, 0 tegen, 1 onthouding" in page
    assert "Bereikt" in page and "Bert Claes" in page and "Navraag bij OCMW" in page


def test_a_signal_for_iroj(client, services, signed_in):
    gov = signed_in()
    response = post(
        client,
        meeting_path(gov),
        {"action": "signal", "signal_kind": "", "signal_title": "Wachttijd CGG"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert field_error(page, "signal_kind") == "Kies knelpunt of verbetervoorstel."
    assert value_of(page, "signal_title") == "Wachttijd CGG"
    assert not services.calls_to("raise_signal")
    response = post(
        client,
        meeting_path(gov),
        {"action": "signal", "signal_kind": "pain_point", "signal_title": "Wachttijd CGG"},
    )
    assert response.status_code == 302
    assert services.calls_to("raise_signal")[0].args[1] == {
        "kind": "pain_point",
        "title": "Wachttijd CGG",
        "description": None,
    }


def test_closing_without_an_iroj_reporter_names_the_field(client, services, signed_in):
    gov = signed_in()
    services.fail(
        "meetings",
        "close_meeting",
        ValidationFailed(
            "De vergadering kan nog niet afgesloten worden.",
            {"iroj_reporter_member_id": ["Duid het lid aan dat terugkoppelt aan IROJ."]},
        ),
    )
    response = post(client, meeting_path(gov), {"action": "close"})
    assert response.status_code == 422
    assert "terugkoppelt" in field_error(response.get_data(as_text=True), "iroj_reporter")


# --- minutes -----------------------------------------------------------------------------------


def minutes_path(gov):
    return f"/vergaderingen/{gov.mid}/verslag"


def test_the_secretary_drafts_and_sends_the_minutes(client, services, signed_in):
    gov = signed_in()
    key = gov.item["id"]
    response = post(
        client,
        minutes_path(gov),
        {"action": "save", "summary": "Goede vergadering.", f"notes-{key}": "Besproken."},
    )
    assert response.status_code == 302
    (call,) = services.calls_to("update_minutes")
    assert call.args[1] == {"summary": "Goede vergadering.", "item_notes": {key: "Besproken."}}
    gov.meeting["minutes"] = minutes_row(gov.mid, summary="Goede vergadering.")
    page = client.get(minutes_path(gov)).get_data(as_text=True)
    assert f"/api/meetings/{gov.mid}/minutes.pdf" in page
    assert f"/api/meetings/{gov.mid}/agenda.pdf" in page
    response = client.post(minutes_path(gov), data={"action": "send", "csrf_token": token_of(page)})
    assert response.status_code == 302
    assert services.calls_to("send_minutes_draft")[0].args == (gov.mid,)


def test_minutes_are_approved_at_a_later_meeting_with_amendments(client, services, signed_in):
    gov = signed_in(seat="chair")
    gov.meeting["minutes"] = minutes_row(gov.mid, status="sent")
    later = meeting_row(gov.bid, starts_at=dt.datetime.now(BRUSSELS).isoformat())
    services.answer("meetings", "list_meetings", lambda b, f: [later])
    response = post(
        client,
        minutes_path(gov),
        {"action": "approve", "in_meeting_id": "", "amendments": "Punt 2: 'niet' schrappen."},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert field_error(page, "in_meeting_id") == "Kies de vergadering die het verslag goedkeurt."
    assert "niet&#39; schrappen" in page or "niet' schrappen" in page
    assert not services.calls_to("approve_minutes")
    response = post(
        client,
        minutes_path(gov),
        {
            "action": "approve",
            "in_meeting_id": later["id"],
            "amendments": "Punt 2: 'niet' schrappen.\n\nAanwezigheid Bert aanvullen.\n",
        },
    )
    assert response.status_code == 302
    (call,) = services.calls_to("approve_minutes")
    assert call.args[1] == {
        "in_meeting_id": later["id"],
        "amendments": ["Punt 2: 'niet' schrappen.", "Aanwezigheid Bert aanvullen."],
    }


def test_approving_minutes_at_a_meeting_not_yet_held_shows_the_refusal(client, services, signed_in):
    gov = signed_in(seat="chair")
    gov.meeting["minutes"] = minutes_row(gov.mid, status="sent")
    later = meeting_row(gov.bid)
    services.answer("meetings", "list_meetings", lambda b, f: [later])
    services.fail(
        "meetings",
        "approve_minutes",
        Conflict(
            "De vergadering die goedkeurt, heeft nog niet plaatsgevonden.",
            {"in_meeting_id": ["Deze vergadering vond nog niet plaats."]},
        ),
    )
    response = post(client, minutes_path(gov), {"action": "approve", "in_meeting_id": later["id"]})
    assert response.status_code == 422
    assert "nog niet plaats" in field_error(response.get_data(as_text=True), "in_meeting_id")


def test_approved_minutes_are_locked(client, services, signed_in):
    gov = signed_in()
    gov.meeting["minutes"] = minutes_row(
        gov.mid, status="approved", summary="Vastgelegd.", amendments=["Typfout in punt 1."]
    )
    page = client.get(minutes_path(gov)).get_data(as_text=True)
    assert "Typfout in punt 1." in page and "kan niet meer gewijzigd" in page
    assert 'name="summary"' not in page and "Aanwezigheid bewaren" not in client.get(
        meeting_path(gov)
    ).get_data(as_text=True)
    # Editing anyway is refused by the service, shown, and nothing is kept.
    services.fail(
        "meetings",
        "update_minutes",
        Conflict("Een goedgekeurd verslag ligt vast.", {"minutes": ["Goedgekeurd."]}),
    )
    response = client.post(
        minutes_path(gov),
        data={"action": "save", "summary": "Anders", "csrf_token": token_of(page)},
    )
    assert response.status_code == 422
    assert "Een goedgekeurd verslag ligt vast." in response.get_data(as_text=True)


# --- my meetings and my actions ----------------------------------------------------------------


def test_my_meetings_lists_only_the_bodies_i_sit_in(client, services, signed_in, network):
    gov = signed_in(seat="member")
    elsewhere = body_row(network["id"], name="Netwerkforum", kind="netwerkforum")
    services.answer("meetings", "list_bodies", lambda n: [gov.body, elsewhere])
    page = client.get("/mijn-vergaderingen").get_data(as_text=True)
    assert "Kernteam" in page and "Netwerkforum" not in page
    assert [c.args[0] for c in services.calls_to("list_meetings")] == [gov.bid]
    assert "/api/me/calendar.ics" in page and f"/vergaderingen/{gov.mid}" in page


def test_my_actions_are_mine_and_marked_done(client, services, signed_in):
    gov = signed_in(seat="member")
    mine = action_row(body_id=gov.bid, owner_member_id=gov.me["id"], title="Brief opstellen")
    late = action_row(
        body_id=gov.bid,
        owner_member_id=gov.me["id"],
        title="Cijfers bezorgen",
        due_on=(TODAY - dt.timedelta(days=3)).isoformat(),
    )
    theirs = action_row(body_id=gov.bid, owner_member_id=gov.chair["id"], title="Zaal boeken")
    services.answer("meetings", "list_actions", lambda b, open_only: [mine, late, theirs])
    page = client.get("/mijn-acties").get_data(as_text=True)
    assert "Brief opstellen" in page and "Cijfers bezorgen" in page and "Zaal boeken" not in page
    assert page.index("Cijfers bezorgen") < page.index("Brief opstellen") and "te laat" in page
    token = token_of(page)
    response = client.post("/mijn-acties", data={"action_id": theirs["id"], "csrf_token": token})
    assert response.status_code == 404
    assert not services.calls_to("complete_action")
    response = client.post("/mijn-acties", data={"action_id": mine["id"], "csrf_token": token})
    assert response.status_code == 302
    assert services.calls_to("complete_action")[0].args == (mine["id"],)


# --- setting up a body -------------------------------------------------------------------------


def test_an_organiser_sets_up_a_beleidsgroep_with_its_phased_rhythm(client, services, signed_in):
    signed_in(network_role="coordinator")
    page = client.get("/organen").get_data(as_text=True)
    assert "Orgaan oprichten" in page and '<label for="f-cadence_kind">' in page
    response = post(
        client,
        "/organen",
        {
            "name": "Beleidsgroep",
            "kind": "beleidsgroep",
            "mandate": "Stuurt het netwerk.",
            "cadence_kind": "monthly",
            "cadence_week": "2",
            "cadence_weekday": "3",
            "phase_every-0": "1",
            "phase_until-0": "30/06/2027",
            "phase_every-1": "2",
            "cadence_time": "10:00",
            "cadence_duration": "120",
            "quorum_kind": "majority",
            "decision_method": "consensus",
            "decision_majority": "simple",
            "agenda_deadline_days": "7",
            "mail_days_before": "5",
        },
    )
    assert response.status_code == 302
    (call,) = services.calls_to("create_body")
    payload = call.args[1]
    assert payload["kind"] == "beleidsgroep" and payload["mail_days_before"] == 5
    assert payload["cadence"] == {
        "kind": "monthly",
        "week": 2,
        "weekday": 3,
        "phases": [{"every_months": 1, "until": "2027-06-30"}, {"every_months": 2, "until": None}],
        "time": "10:00",
        "duration_minutes": 120,
    }
    assert payload["decision_rule"] == {"method": "consensus", "majority": "simple"}


def test_a_body_with_a_bad_rhythm_is_refused_at_its_fields(client, services, signed_in):
    signed_in(network_role="coordinator")
    response = post(
        client,
        "/organen",
        {
            "name": "Kernteam",
            "kind": "",
            "cadence_kind": "every_days",
            "cadence_days": "3",
            "quorum_kind": "majority",
            "decision_method": "consensus",
            "agenda_deadline_days": "7",
            "mail_days_before": "7",
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert field_error(page, "kind") == "Kies de soort orgaan."
    assert field_error(page, "cadence_days") == "Tussen 4 en 366 dagen."
    assert value_of(page, "name") == "Kernteam" and value_of(page, "cadence_days") == "3"
    assert not services.calls_to("create_body")


def test_a_rhythm_that_yields_no_date_is_refused_by_the_service_at_the_rhythm(
    client, services, signed_in
):
    signed_in(network_role="coordinator")
    services.fail(
        "meetings",
        "create_body",
        ValidationFailed(
            "Deze vergaderregel levert geen enkele datum op.",
            {"cadence": ["Geen enkele vergaderdatum tussen 2026-11-23 en 2027-11-23."]},
        ),
    )
    response = post(
        client,
        "/organen",
        {
            "name": "Forum",
            "kind": "netwerkforum",
            "cadence_kind": "custom",
            "cadence_dates": "03/03/2020",
            "quorum_kind": "none",
            "decision_method": "consensus",
            "agenda_deadline_days": "7",
            "mail_days_before": "7",
        },
    )
    assert response.status_code == 422
    assert "Geen enkele vergaderdatum" in field_error(
        response.get_data(as_text=True), "cadence_kind"
    )


def test_only_organisers_set_up_a_body(client, services, network, portal_sign_in):
    portal_sign_in({network["id"]: ["referrer"]})
    page = client.get("/organen").get_data(as_text=True)
    assert "Orgaan oprichten" not in page
    response = client.post(
        "/organen", data={"name": "Kernteam", "kind": "kernteam", "csrf_token": token_of(page)}
    )
    assert response.status_code == 403
    assert not services.calls_to("create_body")


def test_an_organiser_adds_a_person_and_an_organisation_with_its_delegate(
    client, services, signed_in
):
    gov = signed_in(network_role="coordinator")
    person = str(uuid.uuid4())
    organisation = str(uuid.uuid4())
    services.answer("partners", "list_people", lambda nid: [{"id": person, "name": "Sara Maes"}])
    services.answer(
        "partners",
        "list_organisations",
        lambda nid: [{"id": organisation, "name": "CAW Limburg"}],
    )
    page = client.get(f"/organen/{gov.bid}").get_data(as_text=True)
    assert "Sara Maes" in page and "CAW Limburg" in page
    response = post(
        client,
        f"/organen/{gov.bid}",
        {
            "action": "add_member",
            "member_kind": "person",
            "member_person": person,
            "member_role": "member",
        },
    )
    assert response.status_code == 302
    assert services.calls_to("add_member")[-1].args[1] == {
        "person_id": person,
        "role": "member",
        "voting": False,
    }
    response = post(
        client,
        f"/organen/{gov.bid}",
        {
            "action": "add_member",
            "member_kind": "organisation",
            "member_organisation": organisation,
            "member_delegate": person,
            "member_role": "member",
            "member_voting": "ja",
        },
    )
    assert response.status_code == 302
    assert services.calls_to("add_member")[-1].args[1] == {
        "organisation_id": organisation,
        "organisation_name": "CAW Limburg",
        "delegate_id": person,
        "role": "member",
        "voting": True,
    }


def test_a_member_without_a_delegate_or_a_second_chair_is_refused_at_its_field(
    client, services, signed_in
):
    gov = signed_in(network_role="coordinator")
    response = post(
        client,
        f"/organen/{gov.bid}",
        {"action": "add_member", "member_kind": "organisation", "member_role": "member"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert field_error(page, "member_delegate") and field_error(page, "member_organisation")
    assert not services.calls_to("add_member")
    services.fail(
        "meetings",
        "add_member",
        ValidationFailed(
            "Dit orgaan heeft die rol al toegekend.", {"role": ["Er is al een voorzitter."]}
        ),
    )
    response = post(
        client,
        f"/organen/{gov.bid}",
        {
            "action": "add_member",
            "member_kind": "person",
            "member_person": str(uuid.uuid4()),
            "member_role": "chair",
        },
    )
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "member_role") == "Er is al een voorzitter."


def test_removing_members_is_for_organisers_and_only_of_this_body(
    client, services, network, portal_sign_in
):
    person = portal_sign_in({network["id"]: ["referrer"]})
    gov = Governance(services, network, person, "secretary")
    page = client.get(f"/organen/{gov.bid}").get_data(as_text=True)
    assert "remove_member" not in page
    response = client.post(
        f"/organen/{gov.bid}",
        data={
            "action": "remove_member",
            "member_id": gov.adviser["id"],
            "csrf_token": token_of(page),
        },
    )
    assert response.status_code == 403
    assert not services.calls_to("remove_member")


def test_an_organiser_removes_a_member(client, services, signed_in):
    gov = signed_in(network_role="coordinator")
    response = post(
        client, f"/organen/{gov.bid}", {"action": "remove_member", "member_id": str(uuid.uuid4())}
    )
    assert response.status_code == 404
    assert not services.calls_to("remove_member")
    response = post(
        client, f"/organen/{gov.bid}", {"action": "remove_member", "member_id": gov.adviser["id"]}
    )
    assert response.status_code == 302
    assert services.calls_to("remove_member")[0].args == (gov.bid, gov.adviser["id"])


def test_a_single_meeting_outside_the_series(client, services, signed_in):
    gov = signed_in()
    response = post(
        client,
        f"/organen/{gov.bid}",
        {"action": "meeting", "one_on": "morgen", "one_at": "14:00", "one_duration": "60"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert field_error(page, "one_on") and value_of(page, "one_on") == "morgen"
    assert not services.calls_to("schedule_meeting")
    day = (TODAY + dt.timedelta(days=30)).isoformat()
    response = post(
        client,
        f"/organen/{gov.bid}",
        {
            "action": "meeting",
            "one_on": day,
            "one_at": "09:30",
            "one_duration": "60",
            "one_location": "Zaal 1",
        },
    )
    assert response.status_code == 302
    payload = services.calls_to("schedule_meeting")[0].args[1]
    assert dt.datetime.fromisoformat(payload["starts_at"]) == dt.datetime.combine(
        dt.date.fromisoformat(day), dt.time(9, 30), BRUSSELS
    )
    assert payload["duration_minutes"] == 60 and payload["location"] == "Zaal 1"
    assert payload["on_holiday"] is False


def test_a_decision_is_marked_for_iroj_with_its_box(client, services, signed_in):
    gov = signed_in()
    key = gov.item["id"]
    page = client.get(meeting_path(gov)).get_data(as_text=True)
    assert f'name="for_iroj-{key}"' in page
    response = post(
        client,
        meeting_path(gov),
        {
            "action": "item",
            "item_id": key,
            f"method-{key}": "consensus",
            f"decision-{key}": "De werkgroep kansarmoede start in maart.",
            f"for_iroj-{key}": "yes",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    (call,) = services.calls_to("record_item")
    assert call.args[2]["decision"]["for_iroj"] is True


def test_a_refused_mark_for_iroj_is_shown_at_its_box(client, services, signed_in):
    gov = signed_in()
    key = gov.item["id"]
    services.fail(
        "meetings",
        "record_item",
        ValidationFailed(
            "Een beslissing over een knelpuntdossier gaat niet naar IROJ.",
            {"decision.for_iroj": ["Niet voor een knelpuntdossier."]},
        ),
    )
    response = post(
        client,
        meeting_path(gov),
        {
            "action": "item",
            "item_id": key,
            f"method-{key}": "consensus",
            f"decision-{key}": "Akkoord.",
            f"for_iroj-{key}": "yes",
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Niet voor een knelpuntdossier." in field_error(page, f"for_iroj-{key}")
