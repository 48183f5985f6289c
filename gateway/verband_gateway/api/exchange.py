"""Data in and out of the directory: HSDS 3.0 export and CSV import of organisations or offer."""

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint

from verband_common.errors import ValidationFailed
from verband_common.roles import NETWORK_MANAGERS
from verband_gateway import auth, call
from verband_gateway.api.schemas import ImportQuery, ImportReport

blp = Blueprint(
    "exchange",
    __name__,
    url_prefix="/api/networks",
    description="Uitwisseling: export naar HSDS 3.0, import uit CSV.",
)

IMPORT_KINDS = ("organisations", "offer")
# A directory of a few thousand rows is well under this; anything bigger is a mistake.
MAX_CSV_BYTES = 2 * 1024 * 1024


@blp.route("/<uuid:network_id>/hsds.json")
class HsdsExport(MethodView):
    @auth.requires()
    @blp.response(200)
    @blp.doc(
        responses={
            "200": {
                "description": "HSDS 3.0: services with organizations and service areas.",
                "content": {"application/json": {"schema": {"type": "object"}}},
            }
        }
    )
    def get(self, network_id):
        """The network's offer as Human Services Data Specification (HSDS 3.0) JSON."""
        return call("partners", "export_hsds", str(network_id))


CSV_BODY = {
    "required": True,
    "content": {
        "text/csv": {"schema": {"type": "string"}},
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary"}},
                "required": ["file"],
            }
        },
    },
}


@blp.route("/<uuid:network_id>/imports/<any(organisations, offer):kind>")
class CsvImport(MethodView):
    @auth.requires(*NETWORK_MANAGERS)
    @blp.arguments(ImportQuery, location="query")
    @blp.response(200, ImportReport)
    @blp.alt_response(422, "UNPROCESSABLE_ENTITY")
    @blp.doc(requestBody=CSV_BODY)
    def post(self, query, network_id, kind):
        """Import organisations or offer from CSV (text/csv body, or a file upload).

        `dry_run` defaults to true: the rows are checked and the problems listed per line,
        nothing is written. Send dry_run=false to write them.
        """
        return call(
            "partners",
            "import_csv",
            str(network_id),
            kind,
            _csv_text(),
            query["dry_run"],
            schema=ImportReport(),
        )


def _csv_text() -> str:
    upload = request.files.get("file")
    if upload is not None:
        raw = upload.read(MAX_CSV_BYTES + 1)
    elif request.mimetype in ("text/csv", "text/plain"):
        raw = request.get_data(cache=False)
    else:
        raise ValidationFailed(
            "Stuur een CSV-bestand.",
            {"_body": ["Stuur text/csv, of multipart/form-data met een veld 'file'."]},
        )
    if len(raw) > MAX_CSV_BYTES:
        raise ValidationFailed("Het bestand is te groot.", {"_body": ["Hoogstens 2 MB."]})
    if not raw.strip():
        raise ValidationFailed("Het bestand is leeg.", {"_body": ["Het bestand is leeg."]})
    try:
        # utf-8-sig: spreadsheets often start a UTF-8 export with a byte-order mark.
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationFailed(
            "Het bestand is geen UTF-8.", {"_body": ["Bewaar het bestand als CSV UTF-8."]}
        ) from None
