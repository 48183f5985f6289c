"""Triage of a referral by the coordinator or a table, and what a referral must carry.

A decision is one of: onto the waiting list of one or more offers, start at once, refer on
(non-direct-access care, the crisis point for urgent and dangerous situations, another
service) or decline; always with a reason. Each rule returns field errors (Dutch, keyed by
the field's dotted path) rather than raising: the adapter refuses the call with all of them.
"""

import datetime as dt

DECISIONS = ("waiting_list", "start_now", "refer_on", "decline")
REFER_TO = ("non_direct_access", "crisis_point", "other_service")
LIFE_DOMAINS = (
    "housing",
    "income",
    "health",
    "mental_health",
    "parenting",
    "school",
    "work",
    "social_network",
    "safety",
    "addiction",
    "justice",
    "administration",
)
URGENCIES = ("normal", "urgent", "urgent_dangerous")
# "returned": an offer's organisation declined and nothing else is under way.
OPEN_STATUSES = ("received", "returned")
NO_CONSENT = "Zonder toestemming van het gezin kan je alleen een anonieme consultatie registreren."


def crisis_alert(urgency: str) -> bool:
    """Urgent and dangerous situations follow the agreements with the crisis point: the
    coordinator is alerted at once, whatever triage will decide."""
    return urgency == "urgent_dangerous"


def referral_problems(
    data: dict,
    network_municipalities: list[str] | None,
    known_offers: dict,
) -> dict[str, list[str]]:
    """Rules of a referral beyond its schema. `known_offers`: offer id -> status, for the
    offers of this network cases knows; `network_municipalities`: None if not known yet."""
    errors: dict[str, list[str]] = {}
    consent = data.get("consent")
    if not consent:
        errors["consent"] = [NO_CONSENT]
    elif not consent.get("sharing"):
        errors["consent.sharing"] = [
            "Geef waarvoor het gezin toestemming gaf om gegevens te delen."
        ]
    if network_municipalities and data["municipality"] not in network_municipalities:
        errors["municipality"] = [
            "Deze gemeente hoort niet bij het werkingsgebied van dit netwerk."
        ]
    requested = []
    if data.get("offer_id"):
        requested.append(("offer_id", data["offer_id"]))
    for i, offer_id in enumerate(data.get("requested_offer_ids") or []):
        requested.append((f"requested_offer_ids.{i}", offer_id))
    for field, offer_id in requested:
        status = known_offers.get(offer_id)
        if status is None:
            errors[field] = ["Onbekend aanbod in dit netwerk."]
        elif status != "active":
            errors[field] = ["Dit aanbod neemt geen aanmeldingen aan."]
    return errors


def triage_problems(
    decision: dict, referral_status: str, known_offers: dict, case_managers: set
) -> dict[str, list[str]]:
    """Rules of a triage decision. `known_offers`: offer id -> status in the network;
    `case_managers`: person ids that may be the family's contact point in the network."""
    errors: dict[str, list[str]] = {}
    if referral_status not in OPEN_STATUSES:
        errors["decision"] = ["Deze aanmelding is al getrieerd."]
    if not (decision.get("reason") or "").strip():
        errors["reason"] = ["Geef altijd een reden voor de beslissing."]
    kind = decision["decision"]
    if kind == "waiting_list":
        offer_ids = decision.get("offer_ids") or []
        if not offer_ids:
            errors["offer_ids"] = ["Kies minstens één aanbod voor de wachtlijst."]
        for i, offer_id in enumerate(offer_ids):
            status = known_offers.get(offer_id)
            if status is None:
                errors[f"offer_ids.{i}"] = ["Onbekend aanbod in dit netwerk."]
            elif status != "active":
                errors[f"offer_ids.{i}"] = ["Dit aanbod is niet actief."]
        if len(set(offer_ids)) != len(offer_ids):
            errors.setdefault("offer_ids", []).append("Een aanbod staat er twee keer in.")
    elif kind == "start_now":
        offer_id = decision.get("offer_id")
        if offer_id is not None and known_offers.get(offer_id) != "active":
            errors["offer_id"] = ["Onbekend of niet actief aanbod in dit netwerk."]
        manager = decision.get("case_manager_id")
        if manager is None:
            errors["case_manager_id"] = ["Kies wie het aanspreekpunt van het gezin wordt."]
        elif manager not in case_managers:
            errors["case_manager_id"] = ["Deze persoon kan geen aanspreekpunt zijn in dit netwerk."]
    elif kind == "refer_on":
        if decision.get("refer_to") not in REFER_TO:
            errors["refer_to"] = ["Kies waarnaar je doorverwijst."]
    return errors


def days_between(first: dt.date, second: dt.date) -> int:
    return (second - first).days
