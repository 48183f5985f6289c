"""The triage page: its fields grouped by decision (each group's legend names its decision),
the offer the referrer asked for chosen from the start, and for a mandated body's referral
the places of the network's volume agreement and the override it asks once they are used."""

import datetime as dt
import re

from verband_common.errors import ValidationFailed
from verband_gateway.triage_pages import mandate_text, period_name

from .test_case_pages import a_case, coordinator_in, field_error, token_of  # noqa: F401

TODAY = dt.date.today()
FULL = "Alle afgesproken plaatsen voor de gemandateerde voorziening zijn gebruikt."


def offers_of(services, network_id):
    """The network's offers, the same on every call (the default fake draws new ids)."""
    offers = services.defaults[("partners", "list_offers")](network_id, {})
    services.answer("partners", "list_offers", offers)
    return offers


def open_case(services, network_id, **over):
    case = a_case(network_id, status="received", triage=None, **over)
    services.answer("cases", "get_case", lambda cid, purpose: {**case, "case_id": cid})
    return case


def places(used, agreed, starts_on, ends_on):
    return {
        "agreement_id": "a",
        "agreed": agreed,
        "used": used,
        "starts_on": starts_on.isoformat(),
        "ends_on": ends_on.isoformat() if ends_on else None,
        "full": used >= agreed,
    }


def this_quarter():
    first_month = 3 * ((TODAY.month - 1) // 3) + 1
    starts = TODAY.replace(month=first_month, day=1)
    following = (starts + dt.timedelta(days=95)).replace(day=1)
    return starts, following - dt.timedelta(days=1)


def test_each_decision_has_its_own_group_and_the_asked_offer_is_chosen(
    client,
    services,
    coordinator_in,  # noqa: F811
):
    network = coordinator_in
    offer = offers_of(services, network["id"])[0]
    case = open_case(services, network["id"], requested_offer_ids=[offer["id"]])
    page = client.get(f"/dossiers/{case['case_id']}/triage").get_data(as_text=True)
    groups = re.findall(r'<fieldset data-decision="([^"]+)">\s*<legend>([^<]+)</legend>', page)
    assert groups == [
        ("waiting_list", "Bij “op de wachtlijst van een of meer aanbieders”"),
        ("start_now", "Bij “meteen starten”"),
        ("refer_on", "Bij “doorverwijzen”"),
    ]
    assert re.search(rf'name="offer_ids" value="{offer["id"]}" checked', page)
    assert re.search(rf'<option value="{offer["id"]}" selected>', page)
    assert "triage.js" in page and "data-triage" in page
    # No mandated body: nothing about the volume agreement, no override field.
    assert "Mandaat" not in page and "volume_override_reason" not in page
    assert services.calls_to("mandated_volume") == []


def test_nothing_is_chosen_when_the_referrer_left_the_offer_to_the_network(
    client,
    services,
    coordinator_in,  # noqa: F811
):
    case = open_case(services, coordinator_in["id"], requested_offer_ids=[], offer_id=None)
    page = client.get(f"/dossiers/{case['case_id']}/triage").get_data(as_text=True)
    assert 'name="offer_ids"' in page and "checked" not in page and "selected>" not in page


def test_a_mandated_referral_shows_the_places_used_this_quarter(
    client,
    services,
    coordinator_in,  # noqa: F811
):
    network = coordinator_in
    case = open_case(services, network["id"], mandated_body=True)
    services.answer("cases", "mandated_volume", places(3, 5, *this_quarter()))
    page = client.get(f"/dossiers/{case['case_id']}/triage").get_data(as_text=True)
    assert "Mandaat: 3 van 5 plaatsen dit kwartaal gebruikt." in page
    assert services.calls_to("mandated_volume")[0].args == (network["id"],)
    assert 'name="volume_override_reason"' not in page


def test_beyond_the_volume_the_override_is_asked_and_refused_without_a_reason(
    client,
    services,
    coordinator_in,  # noqa: F811
):
    network = coordinator_in
    offer = offers_of(services, network["id"])[0]
    case = open_case(services, network["id"], mandated_body=True)
    services.answer("cases", "mandated_volume", places(5, 5, *this_quarter()))
    url = f"/dossiers/{case['case_id']}/triage"
    page = client.get(url).get_data(as_text=True)
    assert "Mandaat: 5 van 5 plaatsen dit kwartaal gebruikt." in page
    assert 'name="volume_override_reason"' in page
    assert '<fieldset data-decision="waiting_list start_now">' in page
    services.fail(
        "cases",
        "triage_referral",
        ValidationFailed("Deze beslissing kan zo niet.", {"volume_override_reason": [FULL]}),
    )
    form = {
        "csrf_token": token_of(page),
        "decision": "waiting_list",
        "offer_ids": offer["id"],
        "reason": "Past bij coaching.",
        "refer_to": "crisis_point",
    }
    refused = client.post(url, data=form)
    assert refused.status_code == 422
    assert field_error(refused.get_data(as_text=True), "volume_override_reason") == FULL
    del services.errors[("cases", "triage_referral")]
    done = client.post(url, data={**form, "volume_override_reason": " Veiligheid gaat voor. "})
    assert done.status_code == 303
    sent = services.calls_to("triage_referral")[-1].args[1]
    assert sent["volume_override_reason"] == "Veiligheid gaat voor."
    # Only the chosen decision's fields are sent: the referral target typed elsewhere is not.
    assert sent["refer_to"] is None and sent["offer_ids"] == [offer["id"]]


def test_an_override_reason_is_bounded_before_it_reaches_the_service(
    client,
    services,
    coordinator_in,  # noqa: F811
):
    network = coordinator_in
    case = open_case(services, network["id"], mandated_body=True)
    services.answer("cases", "mandated_volume", places(5, 5, *this_quarter()))
    url = f"/dossiers/{case['case_id']}/triage"
    page = client.get(url).get_data(as_text=True)
    response = client.post(
        url,
        data={
            "csrf_token": token_of(page),
            "decision": "start_now",
            "reason": "Past.",
            "volume_override_reason": "x" * 2001,
        },
    )
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "volume_override_reason")
    assert services.calls_to("triage_referral") == []


def test_the_period_is_named_when_it_is_a_calendar_month_quarter_or_year():
    day = dt.date(2026, 5, 14)
    assert period_name(dt.date(2026, 4, 1), dt.date(2026, 6, 30), day) == "dit kwartaal"
    assert period_name(dt.date(2026, 5, 1), dt.date(2026, 5, 31), day) == "deze maand"
    assert period_name(dt.date(2026, 1, 1), dt.date(2026, 12, 31), day) == "dit jaar"
    assert period_name(dt.date(2026, 2, 1), dt.date(2026, 4, 30), day) is None
    assert period_name(dt.date(2026, 4, 2), dt.date(2026, 6, 30), day) is None
    assert period_name(dt.date(2026, 1, 1), None, day) is None
    half = places(1, 1, dt.date(2026, 3, 15), dt.date(2026, 9, 14))
    assert mandate_text(half, day) == (
        "Mandaat: 1 van 1 plaats gebruikt van 15/03/2026 tot 14/09/2026"
    )
    open_ended = places(2, 8, dt.date(2026, 3, 15), None)
    assert mandate_text(open_ended, day) == "Mandaat: 2 van 8 plaatsen gebruikt sinds 15/03/2026"
