"""Field types and Dutch error messages shared by the payload schemas."""

import datetime as dt
import re

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from verband_common.labels import labels_of

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


# What no text may hold: NUL (PostgreSQL refuses it), lone surrogates (not encodable as UTF-8,
# so neither storable nor sendable), and the other C0/C1 control characters, which only ever
# arrive by accident or attack. A multi-line text may also hold line breaks and tabs; CR is
# allowed there because browsers send a textarea's line breaks as CRLF.
_NOT_IN_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_NOT_IN_PROSE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# Free text of this length or longer is prose (notes, questions, minutes) and may run over
# several lines; anything shorter (names, titles, labels, codes) is one line.
PROSE_LENGTH = 1000
# Paging never reaches this far (a network has thousands of cases, not millions); it keeps an
# offset a careless or hostile caller sends far inside PostgreSQL's bigint.
MAX_OFFSET = 1_000_000
BIGINT_MAX = 2**63 - 1
BAD_CHARACTER = "Deze tekst bevat een ongeldig teken."
LINE_BREAK = "Deze tekst moet op één regel, zonder tabs of stuurtekens."


def refused_character(value: str, multiline: bool = False) -> str | None:
    """Why `value` cannot be accepted as text, or None: the one rule for every text field."""
    found = (_NOT_IN_PROSE if multiline else _NOT_IN_ONE_LINE).search(value)
    if found is None:
        return None
    if not multiline and found.group() in "\t\n\r":
        return LINE_BREAK
    return BAD_CHARACTER


class String(fields.String):
    """marshmallow's String that refuses characters no text may hold (see refused_character).

    Every schema uses this instead of fields.String, so the gateway and every other RPC
    caller get the same refusal, naming the field.
    """

    def __init__(self, *args, multiline: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.multiline = multiline

    def _deserialize(self, value, attr, data, **kwargs):
        text_value = super()._deserialize(value, attr, data, **kwargs)
        problem = refused_character(text_value, self.multiline)
        if problem:
            raise ValidationError(problem)
        return text_value


class Email(String, fields.Email):
    """An e-mail address, held to the same character rule as every other text."""


class Whole(fields.Nested):
    """A nested object that is loaded whole, also inside a partial update.

    marshmallow passes `partial` on to nested schemas, so an update with `{"target_ages": {}}`
    loaded as an empty object and the service met a KeyError; an object that is given must
    be complete (its own defaults apply), whatever the update around it leaves out.
    """

    def _deserialize(self, value, attr, data, partial=None, **kwargs):
        return super()._deserialize(value, attr, data, partial=False, **kwargs)


class Strict(Schema):
    """Unknown fields are errors, so a typo in a field name never passes silently."""

    class Meta:
        unknown = RAISE

    error_messages = {"unknown": "Onbekend veld.", "type": "Geef een JSON-object."}


def not_in_future(value: dt.date) -> None:
    if value > dt.date.today():
        raise ValidationError("Deze datum ligt in de toekomst.")


def text(max_length: int, required: bool = True, multiline: bool | None = None, **kwargs) -> String:
    """Free text of 1 to `max_length` characters; prose (PROSE_LENGTH or more) may be
    multi-line unless `multiline` says otherwise."""
    return String(
        required=required,
        multiline=max_length >= PROSE_LENGTH if multiline is None else multiline,
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


def line(max_length: int, required: bool = True, **kwargs) -> String:
    """One line of text (a name, a label) of 1 to `max_length` characters."""
    return String(
        required=required,
        validate=[
            validate.Length(min=1, max=max_length, error=f"Geef tussen 1 en {max_length} tekens."),
            single_line,
        ],
        **kwargs,
    )


def choice_message(choices) -> str:
    """The "Kies een van: ..." message naming the choices as a person reads them (their Dutch
    labels, from `verband_common.labels`), never by their internal codes."""
    names = labels_of(choices)
    return "Kies een van: " + ", ".join(names[c] for c in choices) + "."
