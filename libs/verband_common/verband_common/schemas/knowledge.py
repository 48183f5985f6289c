"""Payloads of the network's own knowledge, kept by the meetings service: its library of
procedures and working agreements (versioned, with an owner and a review date) and its
vorming moments with registration. The gateway checks requests with these same schemas."""

from marshmallow import ValidationError, fields, validate, validates_schema

from verband_common.schemas.common import Strict, String, choice_message, text
from verband_common.schemas.meetings import MAX_DOCUMENT_BYTES, RAW_NAME_MAX

PROCEDURE_KINDS = ("procedure", "werkafspraak", "sjabloon", "richtlijn")
PROCEDURE_STATUSES = ("concept", "vastgesteld", "vervallen")
TRAINING_WHEN = ("upcoming", "past")

TITLE_MAX = 200
SUMMARY_MAX = 5000
PLACE_MAX = 200
QUERY_MAX = 100
# A vorming in a meeting room or a day in a conference centre; never a mass event.
CAPACITY_MAX = 500
LIST_LIMIT_MAX = 200


def _plausible_moment(value) -> None:
    """A moment a vorming can have: also keeps a year 9999 with an offset (beyond what
    Python's datetime holds once in UTC) away from the database."""
    if not 2000 <= value.year <= 2100:
        raise ValidationError("Kies een moment tussen 2000 en 2100.")


def one_of(choices) -> validate.OneOf:
    return validate.OneOf(choices, error=choice_message(choices))


# -- procedures and working agreements -----------------------------------------------------


class ProcedureInput(Strict):
    title = text(TITLE_MAX)
    kind = String(required=True, validate=one_of(PROCEDURE_KINDS))
    summary = text(SUMMARY_MAX)
    owner_id = fields.UUID(
        required=True, metadata={"description": "de persoon van het netwerk die ze beheert"}
    )
    # In the future when set (the service checks against its own clock).
    review_on = fields.Date(
        load_default=None, allow_none=True, metadata={"description": "herzien tegen"}
    )
    status = String(load_default="concept", validate=one_of(PROCEDURE_STATUSES))


class ProcedureUpdate(Strict):
    """What a keeper changes of a procedure; at least one field."""

    title = text(TITLE_MAX, required=False)
    kind = String(validate=one_of(PROCEDURE_KINDS))
    summary = text(SUMMARY_MAX, required=False)
    owner_id = fields.UUID()
    review_on = fields.Date(allow_none=True)
    status = String(validate=one_of(PROCEDURE_STATUSES))

    @validates_schema(skip_on_field_errors=True)
    def something(self, data, **kwargs):
        if not data:
            raise ValidationError("Geef minstens één veld om te wijzigen.", "_schema")


class ProcedureQuery(Strict):
    q = String(
        validate=validate.Length(min=1, max=QUERY_MAX, error=f"Geef 1 tot {QUERY_MAX} tekens."),
        metadata={"description": "gezocht in titel en samenvatting"},
    )
    kind = String(validate=one_of(PROCEDURE_KINDS))
    status = String(validate=one_of(PROCEDURE_STATUSES))
    overdue = fields.Boolean(metadata={"description": "enkel die waarvan de herziening voorbij is"})


class ProcedureFile(Strict):
    """A file for a procedure: its first version or a new one (the older ones stay)."""

    filename = fields.String(
        required=True,
        validate=validate.Length(min=1, max=RAW_NAME_MAX, error="Geef de naam van het bestand."),
    )
    content_base64 = fields.String(
        required=True,
        validate=validate.Length(
            min=1,
            max=4 * -(-MAX_DOCUMENT_BYTES // 3),
            error=f"Hoogstens {MAX_DOCUMENT_BYTES // (1024 * 1024)} MiB per stuk.",
        ),
    )


# -- vorming --------------------------------------------------------------------------------


class TrainingInput(Strict):
    title = text(TITLE_MAX)
    description = text(SUMMARY_MAX)
    starts_at = fields.AwareDateTime(required=True, validate=_plausible_moment)
    place = text(PLACE_MAX)
    capacity = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(
            min=1, max=CAPACITY_MAX, error=f"Tussen 1 en {CAPACITY_MAX} plaatsen."
        ),
    )
    registration_deadline = fields.AwareDateTime(required=True, validate=_plausible_moment)

    @validates_schema(skip_on_field_errors=True)
    def deadline_before_start(self, data, **kwargs):
        if data["registration_deadline"] > data["starts_at"]:
            raise ValidationError(
                "De inschrijvingen sluiten ten laatste bij de start.", "registration_deadline"
            )


class TrainingQuery(Strict):
    q = String(
        validate=validate.Length(min=1, max=QUERY_MAX, error=f"Geef 1 tot {QUERY_MAX} tekens."),
        metadata={"description": "gezocht in titel, beschrijving en plaats"},
    )
    when = String(validate=one_of(TRAINING_WHEN), metadata={"description": "upcoming of past"})
