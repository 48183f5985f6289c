"""Keeping an offer's entry in the public guide: the portal form in which the offering
organisation (its partner workers) or the network's coordinator fills in what a resident
reads in the aanbodgids: address, when and how to get in touch, languages, cost and how to
be referred. Who may change which field is the partners service's rule (PUBLIC_OFFER_FIELDS
are among what a partner worker of the organisation may change); the form only gathers."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from marshmallow import ValidationError

from verband_common.errors import VerbandError, flatten_messages
from verband_common.schemas.partners import LANGUAGES, OfferUpdate
from verband_gateway import auth, call

bp = Blueprint("guide_keeping", __name__)

TEXT_FIELDS = ("opening_hours", "cost", "referral")
OPTIONAL_FIELDS = ("contact_phone", "contact_email")
ADDRESS_PARTS = ("street", "postcode", "city")


@bp.route("/aanbod/<uuid:offer_id>/gids", methods=["GET", "POST"])
def keep_guide_entry(offer_id):
    auth.signed_in()
    offer = call("partners", "get_offer", str(offer_id))
    if request.method in ("GET", "HEAD"):
        return _page(offer, _form_of(offer), {}, None)
    form = request.form.to_dict()
    form["languages"] = request.form.getlist("languages")
    try:
        data = OfferUpdate().load(_payload(form))
        call("partners", "update_offer", str(offer_id), OfferUpdate().dump(data))
    except ValidationError as err:
        return _page(offer, form, _form_errors(flatten_messages(err.messages)), None, 422)
    except VerbandError as exc:
        problem = "Niet opgeslagen: " + exc.message
        return _page(offer, form, _form_errors(exc.fields), problem, exc.http_status)
    flash(f"De gegevens van {offer['title']} in de aanbodgids zijn bijgewerkt.")
    return redirect(url_for("guide_keeping.keep_guide_entry", offer_id=offer_id), code=303)


def _form_of(offer: dict) -> dict:
    form = {name: offer.get(name) or "" for name in (*TEXT_FIELDS, *OPTIONAL_FIELDS)}
    address = offer.get("address") or {}
    form.update({f"address_{part}": address.get(part, "") for part in ADDRESS_PARTS})
    form["languages"] = list(offer.get("languages") or [])
    return form


def _payload(form: dict) -> dict:
    """The form as the offer's public fields: an empty phone or e-mail is none, an address
    left wholly empty is none (a partly filled one is checked, and its gaps named)."""
    data = {name: form.get(name, "").strip() for name in TEXT_FIELDS}
    for name in OPTIONAL_FIELDS:
        data[name] = form.get(name, "").strip() or None
    address = {part: form.get(f"address_{part}", "").strip() for part in ADDRESS_PARTS}
    data["address"] = address if any(address.values()) else None
    data["languages"] = form.get("languages") or []
    return data


def _form_errors(messages) -> dict[str, str]:
    """Dotted messages ("address.postcode", "languages.0") as {form field: text}."""
    flat: dict[str, str] = {}
    for key, value in (messages or {}).items():
        parts = str(key).split(".")
        name = f"address_{parts[1]}" if parts[0] == "address" and len(parts) > 1 else parts[0]
        text = " ".join(value) if isinstance(value, list) else str(value)
        flat[name] = f"{flat[name]} {text}" if name in flat else text
    return flat


def _page(offer, form, errors, problem, status=200):
    return render_template(
        "guide_entry.html",
        offer=offer,
        form=form,
        errors=errors,
        problem=problem,
        languages=LANGUAGES,
    ), status
