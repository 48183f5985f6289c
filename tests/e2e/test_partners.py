"""A coordinator keeps the network's directory through the gateway: organisations, people
and roles, offer, gaps, agreements, task groups, the HSDS export and a CSV import. Every
refusal names the field and leaves what was stored as it was."""

import datetime as dt
import json
from pathlib import Path

import jsonschema

from verband_testkit import ROOT
from verband_testkit.api import (
    MUNICIPALITY,
    PASSWORD,
    accept_as_new,
    create_team,
    expect,
    kbo_number,
    offer_input,
    publish_offer,
)

TODAY = dt.date.today().isoformat()
HSDS = json.loads(
    (Path(ROOT) / "services/partners/tests/hsds/service_with_definitions.json").read_text()
)


def refused(response, status: int, *fields: str) -> dict:
    assert response.status_code == status, f"{response.status_code}: {response.text[:300]}"
    error = response.json()["error"]
    named = error.get("fields", {})
    for f in fields:
        assert any(n == f or n.startswith(f + ".") for n in named), (f, named)
    return error


def organisations(team):
    return expect(team.http("coordinator", "GET", f"/api/networks/{team.id}/organisations"), 200)


def people(team):
    return expect(team.http("coordinator", "GET", f"/api/networks/{team.id}/people"), 200)


def offers(team):
    return expect(team.http("coordinator", "GET", f"/api/networks/{team.id}/offers"), 200)


def organisation(**overrides) -> dict:
    return {
        "name": "CAW Oost-Limburg",
        "kbo": kbo_number(),
        "sector": "caw",
        "municipalities": [MUNICIPALITY],
        **overrides,
    }


def test_organisations_people_and_roles_with_their_refusals(stack):
    team = create_team(stack)
    nid = team.id
    before = organisations(team)

    # A KBO number whose check digits are wrong, an unknown sector or municipality.
    bad_kbo = "0471.982.304"  # 0471.982.303 is valid: the check digits are off by one
    for body, field in (
        (organisation(kbo=bad_kbo, network_id=nid), "kbo"),
        (organisation(sector="bank", network_id=nid), "sector"),
        (organisation(municipalities=["99999"], network_id=nid), "municipalities"),
        (organisation(name="", network_id=nid), "name"),
    ):
        refused(team.http("coordinator", "POST", "/api/organisations", json=body), 422, field)
    # Registered for one of one's own networks only.
    refused(team.http("coordinator", "POST", "/api/organisations", json=organisation()), 403)
    # One organisation per enterprise number.
    duplicate = organisation(kbo=team.organisation["kbo"], network_id=nid)
    refused(team.http("coordinator", "POST", "/api/organisations", json=duplicate), 409, "kbo")
    assert organisations(team) == before

    caw = expect(
        team.http("coordinator", "POST", "/api/organisations", json=organisation(network_id=nid)),
        201,
    )
    email = f"jana.{caw['id'][:8]}@caw.test"
    person = {"name": "Jana Claes", "email": email, "organisation_id": caw["id"]}
    invitations_path = f"/api/networks/{nid}/invitations"
    # Not yet a member of the network: its people are not invited into it.
    before_people = people(team)
    refused(team.http("coordinator", "POST", invitations_path, json=person), 422, "organisation_id")
    refused(
        team.http(
            "coordinator",
            "POST",
            f"/api/networks/{nid}/memberships",
            json={"organisation_id": caw["id"], "role": "vriend", "starts_on": TODAY},
        ),
        422,
        "role",
    )
    assert people(team) == before_people

    # Once the CAW has joined, its worker is invited, accepts, gets a role and signs in.
    expect(
        team.http(
            "coordinator",
            "POST",
            f"/api/networks/{nid}/memberships",
            json={"organisation_id": caw["id"], "role": "partner", "starts_on": TODAY},
        ),
        201,
    )
    expect(team.http("coordinator", "POST", invitations_path, json=person), 201)
    worker = accept_as_new(stack, email)["principal"]
    roles_path = f"/api/networks/{nid}/people/{worker['person_id']}/roles"
    refused(team.http("coordinator", "POST", roles_path, json={"role": "koning"}), 422, "role")
    granted = expect(
        team.http("coordinator", "POST", roles_path, json={"role": "partner_worker"}), 200
    )
    assert granted["roles"] == ["partner_worker"]

    # A person who did not accept a network's invitation gets no role there, not even from
    # the platform admin: to that network they are unknown.
    other = create_team(stack)
    r = stack.http(
        "POST",
        f"/api/networks/{other.id}/people/{worker['person_id']}/roles",
        token=stack.admin_token,
        json={"role": "referrer"},
    )
    refused(r, 404, "person_id")
    token = stack.login(email, PASSWORD)
    me = expect(stack.http("GET", "/api/auth/me", token=token), 200)
    memberships = me["principal"]["memberships"] if "principal" in me else me["memberships"]
    assert [(m["network_id"], m["roles"]) for m in memberships] == [(nid, ["partner_worker"])]
    assert caw["id"] in [o["id"] for o in organisations(team)]


def test_offer_gaps_and_capacity(stack):
    team = create_team(stack)
    before = offers(team)
    org = team.organisation["id"]
    for body, field in (
        (offer_input(org, capacity=-1, free_places=0), "capacity"),
        (offer_input(org, capacity=2, free_places=3), "free_places"),
        (offer_input(org, municipalities=["99999"]), "municipalities"),
        (offer_input(org, kind="tovenarij"), "kind"),
    ):
        r = team.http("coordinator", "POST", f"/api/networks/{team.id}/offers", json=body)
        refused(r, 422, field)
    assert offers(team) == before

    coaching = publish_offer(team, title="Gezinscoaching Genk", capacity=4, free_places=0)
    gaps = expect(team.http("coordinator", "GET", f"/api/networks/{team.id}/gaps"), 200)
    uncovered = {(g["municipality"], g["kind"]) for g in gaps["uncovered"]}
    assert (MUNICIPALITY, "family_coaching") not in uncovered
    assert (MUNICIPALITY, "first_line_psychology") in uncovered
    assert coaching["id"] in [o["offer_id"] for o in gaps["full_with_waiting"]]

    # The partner worker of the organisation keeps its free places current; a bad number
    # is refused and changes nothing.
    path = f"/api/offers/{coaching['id']}"
    refused(team.http("partner_worker", "PATCH", path, json={"free_places": 9}), 422)
    changed = expect(team.http("partner_worker", "PATCH", path, json={"free_places": 2}), 200)
    assert changed["free_places"] == 2
    gaps = expect(team.http("coordinator", "GET", f"/api/networks/{team.id}/gaps"), 200)
    assert coaching["id"] not in [o["offer_id"] for o in gaps["full_with_waiting"]]


def test_agreements_and_task_groups(stack):
    team = create_team(stack)
    path = f"/api/networks/{team.id}/agreements"
    agreement = {
        "title": "Volume-afspraak OCJ Limburg",
        "kind": "mandated_body",
        "parties": [{"name": "OCJ Limburg"}],
        "starts_on": TODAY,
        "agreed_number": 12,
    }
    refused(
        team.http("coordinator", "POST", path, json={**agreement, "agreed_number": -3}),
        422,
        "agreed_number",
    )
    refused(team.http("coordinator", "POST", path, json={**agreement, "kind": "x"}), 422, "kind")
    assert expect(team.http("coordinator", "GET", path), 200) == []
    recorded = expect(team.http("coordinator", "POST", path, json=agreement), 201)
    followed = expect(
        team.http(
            "coordinator",
            "POST",
            f"/api/agreements/{recorded['id']}/follow-ups",
            json={"held_on": TODAY, "notes": "Vier gezinnen sneller opgestart.", "used_number": 4},
        ),
        201,
    )
    assert followed["used_number"] == 4 and len(followed["follow_ups"]) == 1
    # A referrer has no business with agreements.
    assert team.http("referrer", "GET", path).status_code == 403

    groups = f"/api/networks/{team.id}/task-groups"
    group = {"name": "Werkgroep kansarmoede", "theme": "poverty", "mandate": "Drempels wegwerken."}
    refused(team.http("coordinator", "POST", groups, json={**group, "theme": "x"}), 422, "theme")
    made = expect(team.http("coordinator", "POST", groups, json=group), 201)
    assert [g["id"] for g in expect(team.http("coordinator", "GET", groups), 200)] == [made["id"]]


def test_the_catalogue_exports_as_valid_hsds(stack):
    team = create_team(stack)
    publish_offer(team, title="Gezinscoaching", capacity=6, free_places=2)
    publish_offer(team, title="Opvoedingscursus", kind="parenting_course")
    page = expect(team.http("referrer", "GET", f"/api/networks/{team.id}/hsds.json"), 200)
    assert page["total_items"] == 2
    validator = jsonschema.Draft202012Validator(HSDS)
    for service in page["contents"]:
        validator.validate(service)
    assert {s["name"] for s in page["contents"]} == {"Gezinscoaching", "Opvoedingscursus"}


def test_csv_import_reports_every_bad_row_then_imports_all_or_nothing(stack):
    team = create_team(stack)
    path = f"/api/networks/{team.id}/imports/organisations"
    good_kbo = kbo_number()
    header = "naam;kbo;sector;gemeenten;rol;start\n"
    bad = (
        header
        + f"CGG Genk;{good_kbo};cgg;{MUNICIPALITY};partner;{TODAY}\n"
        + ";0471.982.304;bank;99999;vriend;gisteren\n"
        + "Te kort;0551.234.568\n"
    )
    before = organisations(team)
    for dry_run in ("true", "false"):
        report = expect(
            team.http(
                "coordinator",
                "POST",
                f"{path}?dry_run={dry_run}",
                data=bad.encode(),
                headers={"Content-Type": "text/csv"},
            ),
            200,
        )
        assert report["created"] == 0
        lines = {e["line"] for e in report["errors"]}
        assert lines == {3, 4}, report["errors"]
        fields = {e["field"] for e in report["errors"] if e["line"] == 3}
        assert {"naam", "kbo", "sector", "gemeenten", "rol", "start"} <= fields, fields
    assert organisations(team) == before

    good = header + f"CGG Genk;{good_kbo};cgg;{MUNICIPALITY};partner;{TODAY}\n"
    dry = expect(
        team.http(
            "coordinator",
            "POST",
            f"{path}?dry_run=true",
            files={"file": ("organisaties.csv", "\ufeff" + good, "text/csv")},
        ),
        200,
    )
    assert dry["errors"] == [] and dry["created"] == 0
    assert organisations(team) == before
    done = expect(
        team.http(
            "coordinator",
            "POST",
            f"{path}?dry_run=false",
            data=good.encode(),
            headers={"Content-Type": "text/csv"},
        ),
        200,
    )
    assert done["created"] == 1
    assert "CGG Genk" in [o["name"] for o in organisations(team)]
