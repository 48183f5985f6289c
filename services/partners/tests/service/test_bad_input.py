"""Bad input to every write of partners is refused naming the field, in Dutch, over RPC as
the gateway sees it, and stores nothing: not a row, not an event."""

import uuid

import pytest
from verband_servicekit import NETWORK, ORGANISATION, offer

from verband_common.errors import Conflict, NotFound, ValidationFailed

pytestmark = pytest.mark.service

BAD_CSV = (
    "naam;kbo;sector;gemeenten;rol;start\n"
    "Goede organisatie;0471.982.303;cgg;23002;partner;2025-01-01\n"
    "Fout nummer;0471.982.304;cgg;23002;partner;2025-01-01\n"
)


def test_bad_input_is_refused_naming_the_field_and_stores_nothing(world):
    a, unknown = world.network_a, str(uuid.uuid4())
    with world.rpc(world.coordinator_a) as rpc:
        good_offer = rpc.partners.publish_offer(a, offer(world.org_a))
        agreement = rpc.partners.record_agreement(
            a,
            {
                "title": "Volumeafspraak OCJ",
                "kind": "mandated_body",
                "parties": [{"name": "OCJ Halle-Vilvoorde"}],
                "starts_on": "2026-01-01",
                "agreed_number": 12,
            },
        )
        group = rpc.partners.create_task_group(
            a, {"name": "Diversiteit", "theme": "diversity", "mandate": "Drempels wegwerken."}
        )
        outsider = world.join(rpc, a, "Zonder organisatie", "los@verband.test")["person_id"]

    admin_calls = [
        ("create_network", ("a name",), ValidationFailed, {"_schema"}),
        ("create_network", ({},), ValidationFailed, {"name", "kind", "region"}),
        (
            "create_network",
            ({"name": "", "kind": "club", "region": "Brabant", "chair": "Jan"},),
            ValidationFailed,
            {"name", "kind", "region", "chair"},
        ),
        (
            "create_network",
            ({**NETWORK, "name": "Nieuw", "municipalities": ["23002", "99999"]},),
            ValidationFailed,
            {"municipalities.1"},
        ),
        ("create_network", (NETWORK,), Conflict, {"name"}),
        (
            "create_organisation",
            ({**ORGANISATION, "kbo": "0207.437.469"},),
            ValidationFailed,
            {"kbo"},
        ),
        ("create_organisation", ({**ORGANISATION, "kbo": "12345"},), ValidationFailed, {"kbo"}),
        ("create_organisation", ({**ORGANISATION, "name": "Dubbel"},), Conflict, {"kbo"}),
        (
            "create_organisation",
            ({**ORGANISATION, "kbo": "0551.234.568", "municipalities": ["2300"]},),
            ValidationFailed,
            {"municipalities.0"},
        ),
        (
            "create_organisation",
            ({**ORGANISATION, "kbo": "0551.234.568", "municipalities": ["00001"]},),
            ValidationFailed,
            {"municipalities.0"},
        ),
        (
            "create_organisation",
            ({**ORGANISATION, "kbo": "0551.234.568", "sector": "bank", "contact": {"email": "x"}},),
            ValidationFailed,
            {"sector", "contact.email"},
        ),
    ]
    coordinator_calls = [
        ("get_network", ("12",), ValidationFailed, {"network_id"}),
        ("get_network", (unknown,), NotFound, {"network_id"}),
        ("update_network_settings", (a, {}), ValidationFailed, {"_schema"}),
        (
            "update_network_settings",
            (a, {"municipalities": ["99999"], "pickup_guideline_days": 0}),
            ValidationFailed,
            {"pickup_guideline_days"},
        ),
        (
            "update_network_settings",
            (a, {"municipalities": ["99999"]}),
            ValidationFailed,
            {"municipalities.0"},
        ),
        (
            "update_network_settings",
            (a, {"waiting_weights": {"concern": -1}, "targets": [{"code": "X"}]}),
            ValidationFailed,
            {"waiting_weights.concern", "targets.0.code", "targets.0.label", "targets.0.value"},
        ),
        ("update_organisation", (world.org_a, {}), ValidationFailed, {"_schema"}),
        ("update_organisation", (world.org_a, {"kbo": "0207.437.400"}), ValidationFailed, {"kbo"}),
        ("update_organisation", (world.org_a, {"kbo": "0412.134.786"}), Conflict, {"kbo"}),
        (
            "add_membership",
            (a, {"organisation_id": unknown, "role": "partner", "starts_on": "2025-01-01"}),
            ValidationFailed,
            {"organisation_id"},
        ),
        (
            "add_membership",
            (a, {"organisation_id": world.org_b, "role": "vriend", "starts_on": "2025-02-01"}),
            ValidationFailed,
            {"role"},
        ),
        (
            "add_membership",
            (
                a,
                {
                    "organisation_id": world.org_b,
                    "role": "partner",
                    "starts_on": "2025-02-01",
                    "ends_on": "2025-01-01",
                },
            ),
            ValidationFailed,
            {"ends_on"},
        ),
        (
            "add_membership",
            (a, {"organisation_id": world.org_a, "role": "partner", "starts_on": "2025-06-01"}),
            Conflict,
            {"organisation_id"},
        ),
        ("end_membership", (a, world.org_a, "gisteren"), ValidationFailed, {"ends_on"}),
        ("end_membership", (a, world.org_a, "2024-12-31"), ValidationFailed, {"ends_on"}),
        ("end_membership", (a, world.org_b, "2026-01-01"), NotFound, {"organisation_id"}),
        (
            "invite_person",
            (a, {"name": "X", "email": "geen-adres", "password": "kort"}),
            ValidationFailed,
            {"email", "password"},
        ),
        (
            "invite_person",
            (a, {"name": "X", "email": "x@verband.test", "organisation_id": world.org_b}),
            ValidationFailed,
            {"organisation_id"},
        ),
        # Line breaks in a name or address (mail header and subject injection).
        (
            "invite_person",
            (a, {"name": "Jan\r\nBcc: iedereen@example.org", "email": "x@verband.test\n"}),
            ValidationFailed,
            {"name", "email"},
        ),
        (
            "invite_person",
            (a, {"name": "Jan\u2028Peeters", "email": "x@verband.test", "roles": ["koning"]}),
            ValidationFailed,
            {"name", "roles.0"},
        ),
        # A role needing membership, without an organisation.
        (
            "invite_person",
            (a, {"name": "X", "email": "x@verband.test", "roles": ["referrer"]}),
            ValidationFailed,
            {"organisation_id"},
        ),
        ("grant_role", (a, world.referrer_a_id, "koning"), ValidationFailed, {"role"}),
        ("grant_role", (a, "x", "referrer"), ValidationFailed, {"person_id"}),
        ("grant_role", (a, unknown, "referrer"), NotFound, {"person_id"}),
        # The person's organisation is no partner of this network.
        ("grant_role", (a, outsider, "referrer"), ValidationFailed, {"person_id"}),
        ("publish_offer", ("x", offer(world.org_a)), ValidationFailed, {"network_id"}),
        ("publish_offer", (unknown, offer(world.org_a)), NotFound, {"network_id"}),
        ("publish_offer", (a, [offer(world.org_a)]), ValidationFailed, {"_schema"}),
        (
            "publish_offer",
            (a, offer(world.org_a, capacity=-1, free_places=0)),
            ValidationFailed,
            {"capacity"},
        ),
        (
            "publish_offer",
            (a, offer(world.org_a, free_places=11)),
            ValidationFailed,
            {"free_places"},
        ),
        ("publish_offer", (a, offer(world.org_a, capacity="10")), ValidationFailed, {"capacity"}),
        (
            "publish_offer",
            (a, offer(world.org_a, municipalities=["23002", "12345"])),
            ValidationFailed,
            {"municipalities.1"},
        ),
        (
            "publish_offer",
            (a, offer(world.org_a, municipalities=[])),
            ValidationFailed,
            {"municipalities"},
        ),
        (
            "publish_offer",
            (
                a,
                offer(
                    world.org_a, kind="therapy", status="closed", target_ages={"min": 9, "max": 3}
                ),
            ),
            ValidationFailed,
            {"kind", "status", "target_ages.min"},
        ),
        ("publish_offer", (a, offer(world.org_b)), ValidationFailed, {"organisation_id"}),
        (
            "publish_offer",
            (a, offer(world.org_a, flanking_offer_ids=[unknown])),
            ValidationFailed,
            {"flanking_offer_ids.0"},
        ),
        (
            "update_offer",
            (good_offer["id"], {"free_places": -1}),
            ValidationFailed,
            {"free_places"},
        ),
        (
            "update_offer",
            (good_offer["id"], {"free_places": 11}),
            ValidationFailed,
            {"free_places"},
        ),
        ("update_offer", (good_offer["id"], {"capacity": 3}), ValidationFailed, {"free_places"}),
        (
            "update_offer",
            (good_offer["id"], {"organisation_id": world.org_b}),
            ValidationFailed,
            {"organisation_id"},
        ),
        ("update_offer", (unknown, {"free_places": 1}), NotFound, {"offer_id"}),
        (
            "record_agreement",
            (a, {}),
            ValidationFailed,
            {"title", "kind", "parties", "starts_on", "agreed_number"},
        ),
        (
            "record_agreement",
            (
                a,
                {
                    "title": "Crisis",
                    "kind": "crisis_point",
                    "parties": [{"name": "Crisismeldpunt", "organisation_id": unknown}],
                    "starts_on": "2026-01-01",
                    "agreed_number": 3,
                },
            ),
            ValidationFailed,
            {"parties.0.organisation_id"},
        ),
        (
            "update_agreement",
            (agreement["id"], {"agreed_number": -2}),
            ValidationFailed,
            {"agreed_number"},
        ),
        (
            "update_agreement",
            (agreement["id"], {"ends_on": "2025-01-01"}),
            ValidationFailed,
            {"ends_on"},
        ),
        (
            "add_agreement_follow_up",
            (agreement["id"], {"held_on": "2026-02-01"}),
            ValidationFailed,
            {"notes"},
        ),
        (
            "create_task_group",
            (a, {"name": "Taakgroep", "theme": "sport", "mandate": "x", "members": [unknown]}),
            ValidationFailed,
            {"theme"},
        ),
        (
            "create_task_group",
            (a, {"name": "Taakgroep", "theme": "poverty", "mandate": "x", "members": [unknown]}),
            ValidationFailed,
            {"members.0"},
        ),
        ("import_csv", (a, "people", "naam\n", False), ValidationFailed, {"kind"}),
        ("import_csv", (a, "organisations", "", False), ValidationFailed, {"csv_text"}),
        ("issue_api_token", (a, "god", ""), ValidationFailed, {"role", "label"}),
        ("revoke_api_token", ("x",), ValidationFailed, {"token_id"}),
        ("revoke_role", (a, world.referrer_a_id, "koning"), ValidationFailed, {"role"}),
        ("update_task_group", (group["id"], {}), ValidationFailed, {"_schema"}),
        (
            "update_task_group",
            (group["id"], {"theme": "sport", "members": ["x"]}),
            ValidationFailed,
            {"theme", "members.0"},
        ),
        ("update_agreement", (agreement["id"], {}), ValidationFailed, {"_schema"}),
        ("change_password", ("", "kort"), ValidationFailed, {"current_password", "new_password"}),
        ("list_offers", (a, {"age": 40, "kind": "x"}), ValidationFailed, {"age", "kind"}),
    ]
    anonymous_calls = [
        ("open_session", ("geen-adres", "x", {}), ValidationFailed, {"email"}),
        ("reset_password", ("onbekend", "kort"), ValidationFailed, {"new_password"}),
        (
            "reset_password",
            ("onbekend", "een lang genoeg wachtwoord"),
            ValidationFailed,
            {"reset_token"},
        ),
        ("request_password_reset", ("geen-adres",), ValidationFailed, {"email"}),
        ("accept_invitation_as_new", ("kort", "kort"), ValidationFailed, {"token", "password"}),
        (
            "accept_invitation_as_new",
            ("x" * 43, "een lang genoeg wachtwoord"),
            ValidationFailed,
            {"token"},
        ),
    ]

    before = world.verband.counts(world.db)
    for actor, calls in (
        (world.admin, admin_calls),
        (world.coordinator_a, coordinator_calls),
        (None, anonymous_calls),
    ):
        with world.rpc(actor) as rpc:
            for method, args, error, fields in calls:
                with pytest.raises(error) as refused:
                    getattr(rpc.partners, method)(*args)
                assert set(refused.value.fields) == fields, (method, args, refused.value.fields)
                assert refused.value.message and all(
                    isinstance(m, str) for ms in refused.value.fields.values() for m in ms
                )
    assert world.verband.counts(world.db) == before

    # A CSV with one bad row is answered with a report, and imports nothing at all.
    with world.rpc(world.coordinator_a) as rpc:
        report = rpc.partners.import_csv(a, "organisations", BAD_CSV, False)
    assert report == {
        "dry_run": False,
        "rows": 2,
        "created": 0,
        "errors": [
            {
                "line": 3,
                "field": "kbo",
                "message": "Dit ondernemingsnummer klopt niet: de controlecijfers zijn fout.",
            }
        ],
    }
    assert world.verband.counts(world.db) == before
