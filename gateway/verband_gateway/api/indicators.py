"""Monitoring figures (reporting service)."""

from flask.views import MethodView
from flask_smorest import Blueprint

from verband_common.schemas.reporting import ReferralCount
from verband_gateway import auth, call

blp = Blueprint(
    "indicators",
    __name__,
    url_prefix="/api/networks",
    description="Monitoring per netwerk, zonder persoonsgegevens.",
)


@blp.route("/<uuid:network_id>/indicators/referrals")
class ReferralIndicator(MethodView):
    @auth.requires()
    @blp.response(200, ReferralCount)
    def get(self, network_id):
        """How many referrals the network received, as counted by reporting from events."""
        return call("reporting", "referral_count", str(network_id), schema=ReferralCount())
