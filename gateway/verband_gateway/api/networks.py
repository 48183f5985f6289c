"""Networks and their offer (partners service)."""

from flask.views import MethodView
from flask_smorest import Blueprint

from verband_common.schemas.partners import Network, NetworkInput, Offer, OfferInput
from verband_gateway import call

blp = Blueprint(
    "networks",
    __name__,
    url_prefix="/api/networks",
    description="Samenwerkingsverbanden en hun hulpaanbod.",
)


@blp.route("/")
class Networks(MethodView):
    @blp.response(200, Network(many=True))
    def get(self):
        """All networks hosted on this platform."""
        return call("partners", "list_networks", schema=Network(many=True))

    @blp.arguments(NetworkInput)
    @blp.response(201, Network)
    @blp.alt_response(409, description="A network of that name exists.")
    def post(self, data):
        """Create a network (the tenant)."""
        return call("partners", "create_network", NetworkInput().dump(data), schema=Network())


@blp.route("/<uuid:network_id>")
class NetworkById(MethodView):
    @blp.response(200, Network)
    @blp.alt_response(404, description="No such network.")
    def get(self, network_id):
        """One network."""
        return call("partners", "get_network", str(network_id), schema=Network())


@blp.route("/<uuid:network_id>/offers")
class Offers(MethodView):
    @blp.response(200, Offer(many=True))
    def get(self, network_id):
        """The network's offer."""
        return call("partners", "list_offers", str(network_id), schema=Offer(many=True))

    @blp.arguments(OfferInput)
    @blp.response(201, Offer)
    @blp.alt_response(404, description="No such network.")
    def post(self, data, network_id):
        """Publish an offer (module) in the network."""
        return call(
            "partners", "publish_offer", str(network_id), OfferInput().dump(data), schema=Offer()
        )
