"""The offer (hulpaanbod): per network, region-wide for referrers, and the gaps in it."""

from flask.views import MethodView
from flask_smorest import Blueprint

from verband_common.roles import NETWORK_MANAGERS
from verband_gateway import auth, call
from verband_gateway.api.schemas import Gaps, Offer, OfferInput, OfferQuery, OfferUpdate

blp = Blueprint(
    "offers",
    __name__,
    url_prefix="/api",
    description="Hulpaanbod: per netwerk, over de regio heen, en de lacunes.",
)


@blp.route("/networks/<uuid:network_id>/offers")
class NetworkOffers(MethodView):
    # Any role holder of a network in the same region may read it too (offer is visible
    # region-wide); the gateway cannot see regions of other networks, so it only asks for
    # someone signed in and the partners service answers 404 to the rest.
    @auth.requires(region_wide=True)
    @blp.arguments(OfferQuery, location="query")
    @blp.response(200, Offer(many=True))
    def get(self, filters, network_id):
        """The network's offer, filtered by municipality, age, kind, free places, status."""
        return call(
            "partners",
            "list_offers",
            str(network_id),
            OfferQuery().dump(filters),
            schema=Offer(many=True),
        )

    @auth.requires(*NETWORK_MANAGERS)
    @blp.arguments(OfferInput)
    @blp.response(201, Offer)
    def post(self, data, network_id):
        """Publish an offer (module) of a member organisation in the network."""
        return call(
            "partners", "publish_offer", str(network_id), OfferInput().dump(data), schema=Offer()
        )


@blp.route("/offers/search")
class RegionOffer(MethodView):
    @auth.requires()
    @blp.arguments(OfferQuery, location="query")
    @blp.response(200, Offer(many=True))
    def get(self, filters):
        """The offer of every network in the caller's region(s): where a referrer looks
        for a place for a family, by municipality, age, kind and free places."""
        return call(
            "partners", "search_region_offer", OfferQuery().dump(filters), schema=Offer(many=True)
        )


@blp.route("/offers/<uuid:offer_id>")
class OfferById(MethodView):
    @auth.requires()
    @blp.response(200, Offer)
    def get(self, offer_id):
        """One offer."""
        return call("partners", "get_offer", str(offer_id), schema=Offer())

    @auth.requires()
    @blp.arguments(OfferUpdate)
    @blp.response(200, Offer)
    def patch(self, data, offer_id):
        """Change an offer; only the fields given. A partner worker may change free places,
        status and start date of their own organisation's offer."""
        return call(
            "partners", "update_offer", str(offer_id), OfferUpdate().dump(data), schema=Offer()
        )


@blp.route("/networks/<uuid:network_id>/gaps")
class NetworkGaps(MethodView):
    @auth.requires()
    @blp.response(200, Gaps)
    def get(self, network_id):
        """Gaps (lacunes): municipalities of the network without an offer of a kind, and
        full offers with families waiting."""
        return call("partners", "gaps", str(network_id), schema=Gaps())
