"""Networks (the tenants) and their settings (partners service)."""

from flask.views import MethodView
from flask_smorest import Blueprint

from verband_common.roles import NETWORK_MANAGERS
from verband_gateway import auth, call
from verband_gateway.api.schemas import Network, NetworkInput, NetworkSettingsUpdate

blp = Blueprint(
    "networks",
    __name__,
    url_prefix="/api/networks",
    description="Samenwerkingsverbanden en hun instellingen.",
)


@blp.route("/")
class Networks(MethodView):
    @auth.requires()
    @blp.response(200, Network(many=True))
    def get(self):
        """The networks the caller has a role in (a platform admin: all of them)."""
        return call("partners", "list_networks", schema=Network(many=True))

    @auth.requires(platform_admin=True)
    @blp.arguments(NetworkInput)
    @blp.response(201, Network)
    @blp.alt_response(409, "CONFLICT")
    def post(self, data):
        """Create a network (the tenant); platform admins only."""
        return call("partners", "create_network", NetworkInput().dump(data), schema=Network())


@blp.route("/<uuid:network_id>")
class NetworkById(MethodView):
    @auth.requires(platform_admin=True)
    @blp.response(200, Network)
    def get(self, network_id):
        """One network."""
        return call("partners", "get_network", str(network_id), schema=Network())


@blp.route("/<uuid:network_id>/settings")
class Settings(MethodView):
    @auth.requires(*NETWORK_MANAGERS)
    @blp.arguments(NetworkSettingsUpdate)
    @blp.response(200, Network)
    def patch(self, data, network_id):
        """Change the network's settings: municipalities, waiting-list weights, warm
        contact interval, pick-up guideline, targets. Only the fields given change."""
        return call(
            "partners",
            "update_network_settings",
            str(network_id),
            NetworkSettingsUpdate().dump(data),
            schema=Network(),
        )
