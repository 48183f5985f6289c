"""The portal's first page: the networks on this platform, their offer and referral counts."""

from flask import Blueprint, render_template

from verband_common.errors import VerbandError
from verband_gateway import call

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


@bp.get("/")
def home():
    try:
        networks = call("partners", "list_networks")
        for network in networks:
            network["offers"] = call("partners", "list_offers", network["id"])
            network["referrals"] = call("reporting", "referral_count", network["id"])["referrals"]
        problem = None
    except VerbandError as exc:
        networks, problem = [], exc.message
    return render_template(
        "home.html", networks=networks, problem=problem, offer_kinds=OFFER_KINDS
    ), 503 if problem else 200
