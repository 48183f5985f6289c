"""The portal's first pages: the networks a person works in, and choosing the current one."""

from flask import Blueprint, flash, redirect, render_template, request, session

from verband_common.errors import VerbandError
from verband_gateway import auth, call
from verband_gateway.signin import safe_next

bp = Blueprint("portal", __name__)

OFFER_KINDS = {
    "family_coaching": "Gezinscoaching",
    "first_line_psychology": "Eerstelijnspsychologische zorg",
    "parenting_course": "Opvoedingscursus",
    "group_offer": "Groepsaanbod",
    "consultation": "Consult",
    "home_guidance": "Contextbegeleiding",
    "other": "Ander aanbod",
}


def current_network_id() -> str | None:
    """The network chosen in this session, if the person still has a role in it."""
    chosen = session.get("network_id")
    who = auth.principal()
    if not chosen or who is None:
        return None
    if auth.roles_in(who, chosen) or auth.is_platform_admin(who):
        return chosen
    session.pop("network_id", None)
    return None


@bp.get("/")
def home():
    auth.signed_in()
    try:
        networks = call("partners", "list_networks")
        for network in networks:
            network["offers"] = call("partners", "list_offers", network["id"], {})
            network["referrals"] = call("reporting", "referral_count", network["id"])["referrals"]
        problem = None
    except VerbandError as exc:
        networks, problem = [], exc.message
    return render_template(
        "home.html",
        networks=networks,
        problem=problem,
        offer_kinds=OFFER_KINDS,
        current=current_network_id(),
    ), 503 if problem else 200


@bp.route("/netwerk", methods=["GET", "POST"])
def choose_network():
    """A person with roles in several networks works in one at a time, chosen here."""
    who = auth.signed_in()
    choices = [
        {**m, "role_labels": [auth.ROLE_LABELS.get(r, r) for r in m.get("roles", [])]}
        for m in who.get("memberships") or []
    ]
    error = None
    target = request.values.get("volgende")
    if request.method == "POST":
        chosen = request.form.get("network_id", "")
        if any(str(m["network_id"]) == chosen for m in choices):
            session["network_id"] = chosen
            flash("Je werkt nu in " + _name_of(choices, chosen) + ".")
            return redirect(safe_next(target))
        error = "Kies een van je netwerken."
    return render_template(
        "network_choice.html",
        choices=choices,
        current=current_network_id(),
        error=error,
        target=target,
    ), 422 if error else 200


def _name_of(choices, network_id) -> str:
    for m in choices:
        if str(m["network_id"]) == network_id:
            return m.get("network_name") or "dit netwerk"
    return "dit netwerk"
