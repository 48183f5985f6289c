"""One home for the Dutch names of codes: every vocabulary a person chooses from has a label
for each code, and a refused choice is explained in those labels, never in internal codes."""

import re

import pytest
from marshmallow import Schema, ValidationError, validate

from verband_common import labels
from verband_common.contracts import cases as case_contracts
from verband_common.contracts import meetings as meeting_contracts
from verband_common.contracts import partners as partner_contracts
from verband_common.roles import ROLES
from verband_common.schemas import cases as case_schemas
from verband_common.schemas import knowledge as knowledge_schemas
from verband_common.schemas import meetings as meeting_schemas
from verband_common.schemas import partners as partner_schemas

VOCABULARIES = [
    (ROLES, labels.ROLE_LABELS),
    (partner_schemas.SECTORS, labels.SECTOR_LABELS),
    (partner_schemas.OFFER_KINDS, labels.OFFER_KIND_LABELS),
    (partner_contracts.MEMBERSHIP_ROLES, labels.MEMBERSHIP_ROLE_LABELS),
    (partner_contracts.OFFER_STATUSES, labels.OFFER_STATUS_LABELS),
    (case_schemas.CASE_STATUSES, labels.CASE_STATUS_LABELS),
    (case_contracts.CONCERN_LEVELS, labels.CONCERN_LABELS),
    (case_contracts.URGENCIES, labels.URGENCY_LABELS),
    (case_schemas.LIFE_DOMAINS, labels.LIFE_DOMAIN_LABELS),
    (case_schemas.SHARING, labels.SHARING_LABELS),
    (case_contracts.SOURCE_SECTORS, labels.SOURCE_SECTOR_LABELS),
    (case_contracts.TRIAGE_DECISIONS, labels.TRIAGE_DECISION_LABELS),
    (case_contracts.REFER_TO, labels.REFER_TO_LABELS),
    (case_contracts.CONTACT_CHANNELS, labels.CONTACT_CHANNEL_LABELS),
    (case_contracts.REMOVAL_REASONS, labels.REMOVAL_REASON_LABELS),
    (case_schemas.BRIDGING_KINDS, labels.BRIDGING_KIND_LABELS),
    (case_contracts.CLOSING_OUTCOMES, labels.CLOSING_OUTCOME_LABELS),
    (case_contracts.FLOW_TO, labels.FLOW_TO_LABELS),
    (case_contracts.BOTTLENECK_REASONS, labels.BOTTLENECK_REASON_LABELS),
    (case_contracts.AGE_BANDS, labels.AGE_BAND_LABELS),
    (meeting_contracts.BODY_KINDS, labels.BODY_KIND_LABELS),
    (meeting_contracts.SIGNAL_KINDS, labels.SIGNAL_KIND_LABELS),
    (case_contracts.REFERRAL_ANSWERS, labels.REFERRAL_ANSWER_LABELS),
    (case_contracts.PLAN_ACTION_STATUSES, labels.PLAN_ACTION_STATUS_LABELS),
    (case_schemas.JOURNAL_KINDS, labels.JOURNAL_KIND_LABELS),
    (knowledge_schemas.PROCEDURE_KINDS, labels.PROCEDURE_KIND_LABELS),
    (knowledge_schemas.PROCEDURE_STATUSES, labels.PROCEDURE_STATUS_LABELS),
]


@pytest.mark.parametrize("codes, names", VOCABULARIES)
def test_every_code_of_a_vocabulary_has_its_dutch_label(codes, names):
    assert set(names) == set(codes)
    assert all(name.strip() and name != code for code, name in names.items())
    assert labels.labels_of(codes) is names


@pytest.mark.parametrize("codes, names", VOCABULARIES)
def test_a_refused_choice_names_the_labels_not_the_codes(codes, names):
    field = case_schemas.String(validate=case_schemas.one_of(codes))
    with pytest.raises(ValidationError) as refused:
        Schema.from_dict({"choice": field})().load({"choice": "iets anders"})
    message = refused.value.messages["choice"][0]
    assert message.startswith("Kies een van: ")
    for code in codes:
        assert names[code] in message
    codes_shown = [c for c in codes if re.search(rf"(?<![\w-]){re.escape(c)}(?![\w-])", message)]
    # A code may only appear inside a label that happens to spell it ("0-2 jaar").
    assert all(c in names[c] for c in codes_shown), codes_shown


def test_the_referral_form_explains_concern_in_words():
    """The case the portal showed: "Kies een van: none, some, serious"."""
    with pytest.raises(ValidationError) as refused:
        case_schemas.ReferralInput().load({"concern": "veel"})
    message = refused.value.messages["concern"][0]
    assert message == "Kies een van: Geen zorgen, Enige zorgen, Ernstige zorgen."


def test_every_choice_of_a_labelled_vocabulary_in_the_schemas_uses_the_labels():
    """Walks every field of every schema: where a field offers the codes of a vocabulary that
    has labels, its message shows them (no field keeps its own "{choices}" message)."""
    labelled = {frozenset(codes) for codes, _ in VOCABULARIES}
    checked = 0
    for module in (case_schemas, partner_schemas, meeting_schemas):
        for schema in vars(module).values():
            if not (isinstance(schema, type) and issubclass(schema, Schema)):
                continue
            for name, field in schema._declared_fields.items():
                inner = getattr(field, "inner", field)
                for validator in inner.validators:
                    if isinstance(validator, validate.OneOf) and (
                        frozenset(validator.choices) in labelled
                    ):
                        checked += 1
                        assert "{choices}" not in validator.error, (schema.__name__, name)
                        sample = labels.labels_of(validator.choices)[validator.choices[0]]
                        assert sample in validator.error, (schema.__name__, name)
    assert checked > 10


def test_a_field_offering_part_of_a_vocabulary_names_its_labels():
    chosen = labels.labels_of(case_contracts.CHOSEN_REMOVAL_REASONS)
    assert chosen == {
        code: labels.REMOVAL_REASON_LABELS[code] for code in case_contracts.CHOSEN_REMOVAL_REASONS
    }
