"""The guide as a public, read-only Open Referral HSDS 3.0 API: services, list and one.

No sign-in, so no session, cookie or token is read; a budget per client address per minute
(limits.py). Only the partners service's public RPCs answer here: active offers, public
fields, the wait as a band in words."""

from flask import jsonify
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import INCLUDE, RAISE, Schema, fields, validate

from verband_common.schemas.common import Strict, String
from verband_common.schemas.partners import MAX_AGE, OFFER_KINDS, one_of
from verband_gateway import call, errors
from verband_gateway.guide import limits

blp = Blueprint(
    "hsds",
    __name__,
    url_prefix="/api/public/hsds",
    description=(
        "Publieke aanbodgids als Open Referral HSDS 3.0, zonder aanmelden, alleen lezen;"
        " hoogstens PUBLIC_RATE_LIMIT verzoeken per minuut per adres (429 met Retry-After)."
    ),
)


class ServiceQuery(Strict):
    """The guide's search as a query string (numbers arrive as text there)."""

    municipality = String(
        validate=validate.Length(min=1, max=100, error="Geef tussen 1 en 100 tekens."),
        metadata={"description": "Gemeente: naam, postcode of NIS-code."},
    )
    age = fields.Integer(validate=validate.Range(min=0, max=MAX_AGE, error="Geef 0 tot 24 jaar."))
    kind = String(validate=one_of(OFFER_KINDS))
    concern = String(
        validate=validate.Length(min=1, max=100, error="Geef tussen 1 en 100 tekens."),
        metadata={"description": "Zorg of vraag, gezocht in titel, beschrijving en situaties."},
    )


class HsdsService(Schema):
    """An HSDS 3.0 service (https://docs.openreferral.org/en/latest/hsds/schema_reference.html);
    the nested objects follow that schema, and HSDS allows more fields than these (not
    Strict: this describes an answer, it does not check a request)."""

    class Meta:
        unknown = INCLUDE

    id = fields.String(required=True)
    name = fields.String(required=True)
    status = fields.String(required=True)
    description = fields.String()
    eligibility_description = fields.String()
    minimum_age = fields.Integer()
    maximum_age = fields.Integer()
    wait_time = fields.String(
        metadata={"description": "De wachttijd nu, als band; nooit een aantal."}
    )
    application_process = fields.String()
    fees_description = fields.String()
    email = fields.String()
    last_modified = fields.String()
    organization_id = fields.String()
    organization = fields.Dict()
    service_areas = fields.List(fields.Dict())
    languages = fields.List(fields.Dict())
    schedules = fields.List(fields.Dict())
    phones = fields.List(fields.Dict())
    cost_options = fields.List(fields.Dict())
    service_at_locations = fields.List(fields.Dict())


class HsdsPage(Schema):
    class Meta:
        unknown = INCLUDE

    total_items = fields.Integer(required=True)
    total_pages = fields.Integer(required=True)
    page_number = fields.Integer(required=True)
    size = fields.Integer(required=True)
    first_page = fields.Boolean(required=True)
    last_page = fields.Boolean(required=True)
    empty = fields.Boolean(required=True)
    contents = fields.List(fields.Nested(HsdsService), required=True)


@blp.before_request
def within_budget():
    limits.check()


@blp.route("/services")
class Services(MethodView):
    # Unknown parameters are refused, not ignored: a misspelt filter would silently widen
    # the answer.
    @blp.doc(security=[])
    @blp.arguments(ServiceQuery, location="query", unknown=RAISE)
    @blp.response(200, HsdsPage)
    @blp.alt_response(422, "UNPROCESSABLE_ENTITY")
    @blp.alt_response(429, "TOO_MANY_REQUESTS")
    def get(self, query):
        """The active offer of every network, filtered; an unknown municipality is 422."""
        # Answered as the service built it: the documented schema describes, never trims it.
        return jsonify(call("partners", "public_services", query, anonymous=True))


@blp.route("/services/<uuid:service_id>")
class Service(MethodView):
    @blp.doc(security=[])
    @blp.response(200, HsdsService)
    @blp.alt_response(404, "NOT_FOUND")
    @blp.alt_response(429, "TOO_MANY_REQUESTS")
    def get(self, service_id):
        """One active offer as an HSDS service."""
        return jsonify(call("partners", "public_service", str(service_id), anonymous=True))


@blp.errorhandler(limits.RateLimited)
def too_many(exc):
    response = errors.error_response(429, exc.code, exc.message, exc.fields)
    response.headers["Retry-After"] = str(limits.WINDOW_SECONDS)
    return response
