"""JSON API of the network's library (procedures, working agreements, templates; their
versioned files) and its vorming moments with registration.

Thin calls to the meetings service with the request's actor. Input is checked here with the
service's own schemas (verband_common.schemas.knowledge), so a bad field is a 422 before any
RPC; the gateway's role check is coarse (any role in the network; a keeper's role to add),
the service checks again and answers 404 for another network's items."""

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields

from verband_common.roles import KNOWLEDGE_KEEPERS
from verband_common.schemas import knowledge as k
from verband_common.schemas.meetings import DOCUMENT_TYPES
from verband_gateway import auth, call
from verband_gateway.api.meetings import (
    NO_INPUT,
    Answer,
    NoInput,
    VersionQuery,
    _maybe,
    _upload_body,
    document_download,
    read_upload,
)

blp = Blueprint(
    "knowledge",
    __name__,
    url_prefix="/api",
    description=(
        "Kennisbank van het netwerk (procedures, werkafspraken, sjablonen, met eigenaar,"
        " herzieningsdatum en versies) en vorming met inschrijving."
    ),
)


# --- answers -------------------------------------------------------------------------------


class ProcedureVersion(Answer):
    version = fields.Integer(required=True)
    filename = fields.String(required=True)
    content_type = fields.String(required=True, metadata={"enum": list(DOCUMENT_TYPES.values())})
    size = fields.Integer(required=True)
    sha256 = fields.String(required=True)
    uploaded_by = _maybe(fields.UUID)
    uploaded_by_name = fields.String(required=True)
    uploaded_at = fields.AwareDateTime(required=True)


class Procedure(Answer):
    id = fields.UUID(required=True)
    network_id = fields.UUID(required=True)
    title = fields.String(required=True)
    kind = fields.String(required=True, metadata={"enum": list(k.PROCEDURE_KINDS)})
    summary = fields.String(required=True)
    owner_id = fields.UUID(required=True)
    owner_name = fields.String(required=True)
    review_on = _maybe(fields.Date)
    review_overdue = fields.Boolean(
        required=True, metadata={"description": "de herzieningsdatum is voorbij"}
    )
    status = fields.String(required=True, metadata={"enum": list(k.PROCEDURE_STATUSES)})
    latest_version = _maybe(fields.Integer, metadata={"description": "leeg: nog geen bestand"})
    updated_at = fields.AwareDateTime(required=True)
    versions = fields.List(
        fields.Nested(ProcedureVersion), metadata={"description": "nieuwste eerst"}
    )


class Registration(Answer):
    person_id = fields.UUID(required=True)
    name = fields.String(required=True)
    registered_at = fields.AwareDateTime(required=True)


class Training(Answer):
    id = fields.UUID(required=True)
    network_id = fields.UUID(required=True)
    title = fields.String(required=True)
    description = fields.String(required=True)
    starts_at = fields.AwareDateTime(required=True)
    place = fields.String(required=True)
    capacity = fields.Integer(required=True)
    registration_deadline = fields.AwareDateTime(required=True)
    registered = fields.Integer(required=True)
    places_left = fields.Integer(required=True)
    registration_open = fields.Boolean(required=True)
    past = fields.Boolean(required=True)
    me_registered = fields.Boolean(required=True)
    registrations = fields.List(
        fields.Nested(Registration), metadata={"description": "enkel voor de organisatoren"}
    )


# --- procedures ----------------------------------------------------------------------------


@blp.route("/networks/<uuid:network_id>/procedures")
class Procedures(MethodView):
    @auth.requires()
    @blp.arguments(k.ProcedureQuery, location="query")
    @blp.response(200, Procedure(many=True))
    def get(self, query, network_id):
        """The network's library, filtered: `q` (title and summary; Dutch full text, or a
        part of the title), `kind`, `status`, `overdue` (review date passed)."""
        return call(
            "meetings",
            "search_procedures",
            str(network_id),
            k.ProcedureQuery().dump(query),
            schema=Procedure(many=True),
        )

    @auth.requires(*KNOWLEDGE_KEEPERS)
    @blp.arguments(k.ProcedureInput)
    @blp.response(201, Procedure)
    def post(self, data, network_id):
        """Add a procedure, working agreement or template (coordinator or network admin);
        the owner is a person of the network, a review date lies in the future."""
        return call(
            "meetings",
            "create_procedure",
            str(network_id),
            k.ProcedureInput().dump(data),
            schema=Procedure(),
        )


@blp.route("/networks/<uuid:network_id>/procedures/<uuid:procedure_id>")
class ProcedureById(MethodView):
    @auth.requires()
    @blp.response(200, Procedure)
    def get(self, network_id, procedure_id):
        """One procedure with every version of its file."""
        return call(
            "meetings", "get_procedure", str(network_id), str(procedure_id), schema=Procedure()
        )

    @auth.requires(*KNOWLEDGE_KEEPERS)
    @blp.arguments(k.ProcedureUpdate)
    @blp.response(200, Procedure)
    def patch(self, data, network_id, procedure_id):
        """Change only the fields given (coordinator or network admin)."""
        return call(
            "meetings",
            "update_procedure",
            str(network_id),
            str(procedure_id),
            k.ProcedureUpdate().dump(data),
            schema=Procedure(),
        )


@blp.route("/networks/<uuid:network_id>/procedures/<uuid:procedure_id>/versions")
class ProcedureVersions(MethodView):
    @auth.requires()
    @blp.doc(requestBody=_upload_body(with_item=False))
    @blp.response(201, Procedure)
    @blp.alt_response(422, "UNPROCESSABLE_ENTITY")
    def post(self, network_id, procedure_id):
        """A file for the procedure, or a newer version (coordinator, network admin or the
        procedure's owner): multipart `file`, PDF, DOCX, XLSX, PPTX, ODT, ODS, PNG or JPEG
        (read from its content), at most 3 MiB. The older versions stay."""
        payload = read_upload(request.files, request.form.to_dict(), with_item=False)
        return call(
            "meetings",
            "add_procedure_version",
            str(network_id),
            str(procedure_id),
            payload,
            schema=Procedure(),
        )


@blp.route("/networks/<uuid:network_id>/procedures/<uuid:procedure_id>/file")
class ProcedureFile(MethodView):
    @auth.requires()
    @blp.arguments(VersionQuery, location="query")
    @blp.alt_response(422, "UNPROCESSABLE_ENTITY")
    @blp.doc(
        responses={
            "200": {
                "description": "Het bestand, als bijlage, met het type dat de inhoud toont.",
                "content": {
                    t: {"schema": {"type": "string", "format": "binary"}}
                    for t in DOCUMENT_TYPES.values()
                },
            }
        }
    )
    def get(self, query, network_id, procedure_id):
        """Download the procedure's file (the newest version, or `version`)."""
        args = (str(network_id), str(procedure_id)) + (
            (query["version"],) if query["version"] else ()
        )
        return document_download(call("meetings", "procedure_file", *args))


# --- vorming -------------------------------------------------------------------------------


@blp.route("/networks/<uuid:network_id>/trainings")
class Trainings(MethodView):
    @auth.requires()
    @blp.arguments(k.TrainingQuery, location="query")
    @blp.response(200, Training(many=True))
    def get(self, query, network_id):
        """The network's vorming moments: `q` (title, description, place), `when`
        (upcoming, past); each says whether the caller registered and how many places are
        left."""
        return call(
            "meetings",
            "search_trainings",
            str(network_id),
            k.TrainingQuery().dump(query),
            schema=Training(many=True),
        )

    @auth.requires(*KNOWLEDGE_KEEPERS)
    @blp.arguments(k.TrainingInput)
    @blp.response(201, Training)
    def post(self, data, network_id):
        """Plan a vorming (coordinator or network admin): in the future, with at most 500
        places and a registration deadline no later than its start."""
        return call(
            "meetings",
            "create_training",
            str(network_id),
            k.TrainingInput().dump(data),
            schema=Training(),
        )


@blp.route("/networks/<uuid:network_id>/trainings/<uuid:training_id>")
class TrainingById(MethodView):
    @auth.requires()
    @blp.response(200, Training)
    def get(self, network_id, training_id):
        """One vorming; its organisers also see who registered."""
        return call(
            "meetings", "get_training", str(network_id), str(training_id), schema=Training()
        )


@blp.route("/networks/<uuid:network_id>/trainings/<uuid:training_id>/registration")
class OwnRegistration(MethodView):
    @auth.requires()
    @blp.arguments(NoInput, required=False, description=NO_INPUT)
    @blp.response(200, Training)
    @blp.alt_response(409, "CONFLICT")
    def put(self, _nothing, network_id, training_id):
        """Register oneself: 409 when the vorming is full or its registrations closed;
        registering twice changes nothing."""
        return call(
            "meetings",
            "register_for_training",
            str(network_id),
            str(training_id),
            schema=Training(),
        )

    @auth.requires()
    @blp.response(200, Training)
    @blp.alt_response(409, "CONFLICT")
    def delete(self, network_id, training_id):
        """Unregister oneself, until the vorming starts (404 when not registered)."""
        return call(
            "meetings",
            "unregister_from_training",
            str(network_id),
            str(training_id),
            schema=Training(),
        )


@blp.route("/networks/<uuid:network_id>/trainings/<uuid:training_id>/registrations")
class Registrations(MethodView):
    @auth.requires(*KNOWLEDGE_KEEPERS)
    @blp.response(200, Registration(many=True))
    def get(self, network_id, training_id):
        """Who registered, in order of registration (coordinator or network admin)."""
        return call(
            "meetings",
            "training_registrations",
            str(network_id),
            str(training_id),
            schema=Registration(many=True),
        )
