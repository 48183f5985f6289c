"""The guide's pages for residents: search by municipality (name or postcode), age, kind of
help and concern; one offer on a page of its own that prints well. No sign-in."""

from flask import Blueprint, render_template, request

from verband_common.errors import ValidationFailed
from verband_common.labels import OFFER_KIND_LABELS
from verband_common.schemas.partners import LANGUAGES, WAIT_BANDS
from verband_gateway import call
from verband_gateway.guide import limits

bp = Blueprint("guide", __name__, template_folder="templates")
SEARCH_FIELDS = ("municipality", "age", "kind", "concern")


@bp.before_request
def within_budget():
    limits.check()


@bp.errorhandler(limits.RateLimited)
def too_many(exc):
    return (
        render_template("error.html", status=429, message=exc.message),
        429,
        {"Retry-After": str(limits.WINDOW_SECONDS)},
    )


@bp.context_processor
def labels():
    return {"offer_kinds": OFFER_KIND_LABELS, "languages": LANGUAGES, "wait_bands": WAIT_BANDS}


def _query(form: dict) -> dict:
    """The form as the RPC takes it: an age that is not a whole number stays text, so the
    service names the field."""
    query = {k: v.strip() for k, v in form.items() if k in SEARCH_FIELDS and v.strip()}
    if "age" in query and query["age"].isdigit() and len(query["age"]) <= 3:
        query["age"] = int(query["age"])
    return query


@bp.get("/aanbodgids")
def search():
    form = {k: request.args.get(k, "") for k in SEARCH_FIELDS}
    query = _query(form)
    found, field_errors, problem = None, {}, None
    if query:
        try:
            found = call("partners", "public_offers", query, anonymous=True)
        except ValidationFailed as exc:
            field_errors = {k: " ".join(v) for k, v in exc.fields.items()}
            problem = exc.message
    return render_template(
        "guide/search.html", form=form, found=found, errors=field_errors, problem=problem
    ), 422 if field_errors else 200


@bp.get("/aanbodgids/<uuid:offer_id>")
def offer(offer_id):
    found = call("partners", "public_offer", str(offer_id), anonymous=True)
    return render_template("guide/offer.html", offer=found, back=request.args.get("terug", ""))
