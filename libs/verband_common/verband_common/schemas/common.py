"""Field types and Dutch error messages shared by the payload schemas."""

import datetime as dt

from marshmallow import RAISE, Schema, ValidationError, fields, validate

NIS_CODE = validate.Regexp(r"^\d{5}$", error="Geef een NIS-code van vijf cijfers.")

fields.Field.default_error_messages.update(
    {
        "required": "Dit veld is verplicht.",
        "null": "Dit veld mag niet leeg zijn.",
        "validator_failed": "Ongeldige waarde.",
    }
)
fields.String.default_error_messages.update({"invalid": "Geef tekst."})
fields.Integer.default_error_messages.update({"invalid": "Geef een geheel getal."})
fields.UUID.default_error_messages.update({"invalid_uuid": "Geen geldige id."})
fields.Date.default_error_messages.update({"invalid": "Geef een datum (JJJJ-MM-DD)."})
fields.List.default_error_messages.update({"invalid": "Geef een lijst."})
fields.Nested.default_error_messages.update({"type": "Geef een object."})
fields.Boolean.default_error_messages.update({"invalid": "Geef waar of onwaar."})


class Strict(Schema):
    """Unknown fields are errors, so a typo in a field name never passes silently."""

    class Meta:
        unknown = RAISE

    error_messages = {"unknown": "Onbekend veld.", "type": "Geef een JSON-object."}


def not_in_future(value: dt.date) -> None:
    if value > dt.date.today():
        raise ValidationError("Deze datum ligt in de toekomst.")


def text(max_length: int, required: bool = True, **kwargs) -> fields.String:
    return fields.String(
        required=required,
        validate=validate.Length(
            min=1, max=max_length, error=f"Geef tussen 1 en {max_length} tekens."
        ),
        **kwargs,
    )


# Line breaks, also the Unicode ones a mail or log reader may honour.
LINE_BREAKS = frozenset("\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029")


def single_line(value: str) -> None:
    """Names, e-mail addresses and labels are one line: a line break in a name would end up
    in a mail header or subject (header injection) or split a log line."""
    if isinstance(value, str) and any(ch in LINE_BREAKS for ch in value):
        raise ValidationError("Geef één regel tekst, zonder regeleinde.")


def line(max_length: int, required: bool = True, **kwargs) -> fields.String:
    """One line of text (a name, a label) of 1 to `max_length` characters."""
    return fields.String(
        required=required,
        validate=[
            validate.Length(min=1, max=max_length, error=f"Geef tussen 1 en {max_length} tekens."),
            single_line,
        ],
        **kwargs,
    )
