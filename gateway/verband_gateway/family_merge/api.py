"""JSON API of family merges: propose, list the open ones, confirm, undo (cases service)."""

from flask.views import MethodView
from flask_smorest import Blueprint

from verband_common.roles import CASE_COORDINATORS
from verband_common.schemas import cases as c
from verband_gateway import auth, call
from verband_gateway.api.cases import NoBody

blp = Blueprint(
    "family_merges",
    __name__,
    url_prefix="/api/networks",
    description="Twee dossiers van één gezin samenvoegen, bevestigen of ongedaan maken.",
)


@blp.route("/<uuid:network_id>/family-merges")
class FamilyMerges(MethodView):
    @auth.requires(*CASE_COORDINATORS)
    @blp.response(200, c.FamilyMerge(many=True))
    def get(self, network_id):
        """The open merges of the network, each with both records; the read is logged."""
        return call("cases", "family_merges", str(network_id), schema=c.FamilyMerge(many=True))

    @auth.requires(*CASE_COORDINATORS)
    @blp.arguments(c.FamilyMergeInput)
    @blp.alt_response(409, "CONFLICT")
    @blp.response(201, c.FamilyMerge)
    def post(self, data, network_id):
        """Merge one record of a family into another of the same network: its cases,
        children, carers, plan versions and journal move; the kept record's contact data and
        plan stay. Logged with the reason; undoable until a coordinator confirms it."""
        return call(
            "cases",
            "propose_family_merge",
            str(network_id),
            c.FamilyMergeInput().dump(data),
            schema=c.FamilyMerge(),
        )


@blp.route("/<uuid:network_id>/family-merges/<uuid:merge_id>/confirm")
class FamilyMergeConfirmation(MethodView):
    @auth.requires(*CASE_COORDINATORS)
    @blp.arguments(NoBody, required=False, description="Leeg: de samenvoeging wordt definitief.")
    @blp.alt_response(409, "CONFLICT")
    @blp.response(200, c.FamilyMerge)
    def post(self, _body, network_id, merge_id):
        """Confirm an open merge: it is final, the merged record is left empty."""
        return call(
            "cases",
            "confirm_family_merge",
            str(merge_id),
            str(network_id),
            schema=c.FamilyMerge(),
        )


@blp.route("/<uuid:network_id>/family-merges/<uuid:merge_id>/undo")
class FamilyMergeUndo(MethodView):
    @auth.requires(*CASE_COORDINATORS)
    @blp.arguments(NoBody, required=False, description="Leeg: alles gaat terug zoals het was.")
    @blp.alt_response(409, "CONFLICT")
    @blp.response(200, c.FamilyMerge)
    def post(self, _body, network_id, merge_id):
        """Undo an open merge: every case, child, carer and plan version goes back."""
        return call(
            "cases",
            "undo_family_merge",
            str(merge_id),
            str(network_id),
            schema=c.FamilyMerge(),
        )
