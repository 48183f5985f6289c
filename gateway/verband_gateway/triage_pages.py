"""The triage page: the coordinator's (or a table's) decision on a referral, always with a
reason.

The form starts from the offer the referrer asked for, and groups the fields of each decision
in a fieldset whose legend names that decision: without JavaScript every group shows, with
it (static/triage.js) only the chosen decision's. For a referral with a mandated body (OCJ/SDJ)
involved it shows how many places of the network's volume agreement are used, and once they
all are, asks the reason to take the family in anyway; the cases service applies that rule.
"""

import datetime as dt

from flask import Blueprint, flash, redirect, render_template, request, url_for

from verband_common.contracts.cases import mandated_referral
from verband_common.dutch import date_text
from verband_common.errors import Forbidden
from verband_common.labels import TRIAGE_DECISION_LABELS
from verband_common.roles import CONTACT_POINTS
from verband_common.schemas import cases as c
from verband_gateway import call
from verband_gateway.case_pages import (
    COORDINATOR,
    _choose,
    _crisis_text,
    _first,
    _offers,
    _people,
    _submit,
    cases,
)
from verband_gateway.pages import _ChooseNetwork, _network, _try

bp = Blueprint("triage_pages", __name__)
# As on every case page: no network chosen yet sends the person to choose one first.
bp.register_error_handler(_ChooseNetwork, _choose)

# The fields each decision sends; the others of the form are left out.
DECISION_FIELDS = {
    "waiting_list": ("offer_ids", "volume_override_reason"),
    "start_now": ("offer_id", "case_manager_id", "volume_override_reason"),
    "refer_on": ("refer_to", "refer_to_detail"),
    "decline": (),
}


@bp.route("/dossiers/<uuid:case_id>/triage", methods=["GET", "POST"])
def triage(case_id):
    """The coordinator's (or a table's) decision on a referral, always with a reason."""
    network_id, who, roles = _network()
    if COORDINATOR not in roles:
        raise Forbidden("Alleen de coördinator beslist over een aanmelding (ook voor een tafel).")
    case_id = str(case_id)
    form, errors, problem, status = {}, {}, None, 200
    if request.method == "POST":
        form = request.form.to_dict()
        form["offer_ids"] = request.form.getlist("offer_ids")
        decision = form.get("decision", "")
        errors, problem, result = _submit(
            c.TriageInput(),
            decision_data(decision, form),
            _first,
            lambda p: cases("triage_referral", case_id, p),
        )
        if result is not None:
            decided = TRIAGE_DECISION_LABELS.get(decision, decision)
            flash("De beslissing is vastgelegd: " + decided + ".")
            if result.get("crisis_agreements"):
                flash(_crisis_text(result["crisis_agreements"]))
            return redirect(url_for("case_pages.case", case_id=case_id), code=303)
        status = 422
        if "decision" in errors and not decision:
            errors["decision"] = "Kies een beslissing."
    found = cases("get_case", case_id, "triage")
    offers = {
        str(o["id"]): o["title"] + f" – {o.get('free_places', 0)} vrije plaatsen"
        for o in _offers(network_id)
        if o.get("status") == "active"
    }
    if request.method == "GET":
        form = requested_offers(found, offers)
    crisis = []
    if found.get("urgency") == "urgent_dangerous":
        agreements, _ = _try(lambda: call("partners", "list_agreements", network_id))
        crisis = [a for a in agreements or [] if a.get("kind") == "crisis_point"]
    mandate = None
    mandated = mandated_referral(found.get("mandated_body"), found.get("source_sector"))
    if mandated:
        places, _ = _try(lambda: cases("mandated_volume", network_id))
        mandate = places and {**places, "text": mandate_text(places, dt.date.today())}
    people = _people(network_id)
    return render_template(
        "cases/triage.html",
        case=found,
        form=form,
        errors=errors,
        problem=problem,
        offers=offers,
        contact_points={
            str(p["id"]): p["name"]
            for p in people
            if set(p.get("roles") or ()).intersection(CONTACT_POINTS)
        },
        crisis=crisis,
        mandate=mandate,
        mandated=mandated,
    ), status


def decision_data(decision: str, form: dict) -> dict:
    """What the form sends for `decision`: its reason and the fields of that decision only."""
    data = {"decision": decision, "reason": form.get("reason", "").strip()}
    for name in DECISION_FIELDS.get(decision, ()):
        if name == "offer_ids":
            data[name] = form["offer_ids"]
        else:
            data[name] = form.get(name, "").strip() or None
    return data


def requested_offers(case: dict, offers: dict) -> dict:
    """The form as it starts: the offers the referrer asked for, those still taking families,
    chosen for the waiting list and the first of them for a start at once."""
    asked = [str(o) for o in case.get("requested_offer_ids") or []]
    if not asked and case.get("offer_id"):
        asked = [str(case["offer_id"])]
    open_ = [o for o in asked if o in offers]
    return {"offer_ids": open_, "offer_id": open_[0] if open_ else ""}


def mandate_text(places: dict, today: dt.date) -> str:
    """ "Mandaat: 3 van 5 plaatsen dit kwartaal gebruikt", in the agreement's own period."""
    used, agreed = places["used"], places["agreed"]
    noun = "plaats" if agreed == 1 else "plaatsen"
    starts = dt.date.fromisoformat(str(places["starts_on"]))
    ends = dt.date.fromisoformat(str(places["ends_on"])) if places.get("ends_on") else None
    named = period_name(starts, ends, today)
    if named:
        return f"Mandaat: {used} van {agreed} {noun} {named} gebruikt"
    if ends is None:
        return f"Mandaat: {used} van {agreed} {noun} gebruikt sinds {date_text(starts)}"
    return (
        f"Mandaat: {used} van {agreed} {noun} gebruikt van {date_text(starts)}"
        f" tot {date_text(ends)}"
    )


def period_name(starts: dt.date, ends: dt.date | None, today: dt.date) -> str | None:
    """ "deze maand", "dit kwartaal", "dit jaar" when the agreement's period is exactly the
    calendar month, quarter or year of today; None otherwise."""
    if ends is None or not starts <= today <= ends or starts.day != 1:
        return None
    following = (ends + dt.timedelta(days=1)).replace(day=1)
    months = (following.year - starts.year) * 12 + following.month - starts.month
    if ends + dt.timedelta(days=1) != following:
        return None
    if months == 1:
        return "deze maand"
    if months == 3 and starts.month in (1, 4, 7, 10):
        return "dit kwartaal"
    if months == 12 and starts.month == 1:
        return "dit jaar"
    return None
