"""Agreements (volume agreements with mandated bodies, crisis-point arrangements) with their
follow-ups, and the network's task groups."""

from flask.views import MethodView
from flask_smorest import Blueprint

from verband_common.roles import AGREEMENT_READERS, NETWORK_MANAGERS
from verband_gateway import auth, call
from verband_gateway.api.schemas import (
    Agreement,
    AgreementInput,
    AgreementUpdate,
    FollowUpInput,
    TaskGroup,
    TaskGroupInput,
    TaskGroupUpdate,
)

blp = Blueprint(
    "agreements",
    __name__,
    url_prefix="/api",
    description="Afspraken (volumeafspraken, crisisafspraken) en hun opvolging; taakgroepen.",
)


@blp.route("/networks/<uuid:network_id>/agreements")
class Agreements(MethodView):
    @auth.requires(*AGREEMENT_READERS)
    @blp.response(200, Agreement(many=True))
    def get(self, network_id):
        """The network's agreements, with their follow-ups and whether one is due."""
        return call("partners", "list_agreements", str(network_id), schema=Agreement(many=True))

    @auth.requires(*NETWORK_MANAGERS)
    @blp.arguments(AgreementInput)
    @blp.response(201, Agreement)
    def post(self, data, network_id):
        """Record an agreement."""
        return call(
            "partners",
            "record_agreement",
            str(network_id),
            AgreementInput().dump(data),
            schema=Agreement(),
        )


@blp.route("/agreements/<uuid:agreement_id>")
class AgreementById(MethodView):
    @auth.requires()
    @blp.arguments(AgreementUpdate)
    @blp.response(200, Agreement)
    def patch(self, data, agreement_id):
        """Change an agreement; only the fields given (network admin or coordinator)."""
        return call(
            "partners",
            "update_agreement",
            str(agreement_id),
            AgreementUpdate().dump(data),
            schema=Agreement(),
        )


@blp.route("/agreements/<uuid:agreement_id>/follow-ups")
class AgreementFollowUps(MethodView):
    @auth.requires()
    @blp.arguments(FollowUpInput)
    @blp.response(201, Agreement)
    def post(self, data, agreement_id):
        """Note how an agreement is being kept (a follow-up); answers the agreement."""
        return call(
            "partners",
            "add_agreement_follow_up",
            str(agreement_id),
            FollowUpInput().dump(data),
            schema=Agreement(),
        )


@blp.route("/networks/<uuid:network_id>/task-groups")
class TaskGroups(MethodView):
    @auth.requires()
    @blp.response(200, TaskGroup(many=True))
    def get(self, network_id):
        """The network's task groups (e.g. diversity, kansarmoede)."""
        return call("partners", "list_task_groups", str(network_id), schema=TaskGroup(many=True))

    @auth.requires(*NETWORK_MANAGERS)
    @blp.arguments(TaskGroupInput)
    @blp.response(201, TaskGroup)
    def post(self, data, network_id):
        """Start a task group."""
        return call(
            "partners",
            "create_task_group",
            str(network_id),
            TaskGroupInput().dump(data),
            schema=TaskGroup(),
        )


@blp.route("/task-groups/<uuid:task_group_id>")
class TaskGroupById(MethodView):
    @auth.requires()
    @blp.arguments(TaskGroupUpdate)
    @blp.response(200, TaskGroup)
    def patch(self, data, task_group_id):
        """Change a task group; only the fields given (network admin or coordinator)."""
        return call(
            "partners",
            "update_task_group",
            str(task_group_id),
            TaskGroupUpdate().dump(data),
            schema=TaskGroup(),
        )
