"""Referrals of families (cases service)."""

from flask.views import MethodView
from flask_smorest import Blueprint

from verband_common.roles import REFERRERS
from verband_common.schemas.cases import ReferralInput, ReferralReceipt
from verband_gateway import auth, call

blp = Blueprint(
    "referrals", __name__, url_prefix="/api/networks", description="Aanmeldingen van gezinnen."
)


@blp.route("/<uuid:network_id>/referrals")
class Referrals(MethodView):
    @auth.requires(*REFERRERS)
    @blp.arguments(ReferralInput)
    @blp.response(201, ReferralReceipt)
    def post(self, data, network_id):
        """Refer a family to an offer of the network, with the family's consent."""
        return call(
            "cases",
            "receive_referral",
            str(network_id),
            ReferralInput().dump(data),
            schema=ReferralReceipt(),
        )
