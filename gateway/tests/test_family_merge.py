"""Merging two records of one family through the gateway: the JSON API (each route calls its
RPC with the network of its path, bad input is 422 naming the field before any RPC, the
service's refusals pass through) and the families page's forms."""

import re
import uuid

import pytest

from verband_common.errors import Conflict, NotFound

from .conftest import duplicate_row, merge_row

KEEP, MERGED, MERGE = (str(uuid.uuid4()) for _ in range(3))
GOOD = {"keep_family_id": KEEP, "merge_family_id": MERGED, "reason": "Zelfde moeder."}


def test_each_route_calls_its_rpc(client, services, coordinator, network):
    net = network["id"]
    listed = client.get(f"/api/networks/{net}/family-merges", headers=coordinator)
    assert listed.status_code == 200 and listed.json[0]["status"] == "open"
    made = client.post(f"/api/networks/{net}/family-merges", json=GOOD, headers=coordinator)
    assert made.status_code == 201, made.json
    assert made.json["keep"]["carers"] and made.json["merged"]["case_ids"] == []
    done = client.post(f"/api/networks/{net}/family-merges/{MERGE}/confirm", headers=coordinator)
    assert done.status_code == 200 and done.json["status"] == "confirmed"
    undone = client.post(f"/api/networks/{net}/family-merges/{MERGE}/undo", headers=coordinator)
    assert undone.status_code == 200 and undone.json["status"] == "undone"
    assert [(c.method, c.args) for c in services.calls if c.service == "cases"] == [
        ("family_merges", (net,)),
        ("propose_family_merge", (net, GOOD)),
        # The path's network goes along: the service finds no merge of another network.
        ("confirm_family_merge", (MERGE, net)),
        ("undo_family_merge", (MERGE, net)),
    ]


@pytest.mark.parametrize(
    "body, field",
    [
        ({**GOOD, "reason": ""}, "reason"),
        ({**GOOD, "reason": "   "}, "reason"),
        ({**GOOD, "reason": "x" * 1001}, "reason"),
        ({k: v for k, v in GOOD.items() if k != "reason"}, "reason"),
        ({**GOOD, "keep_family_id": "gezin 1"}, "keep_family_id"),
        ({**GOOD, "merge_family_id": KEEP}, "merge_family_id"),
        ({**GOOD, "extra": 1}, "extra"),
    ],
)
def test_bad_input_is_422_naming_the_field_without_a_call(
    client, services, coordinator, network, body, field
):
    response = client.post(
        f"/api/networks/{network['id']}/family-merges", json=body, headers=coordinator
    )
    assert response.status_code == 422, response.json
    assert field in response.json["error"]["fields"]
    assert [c for c in services.calls if c.service == "cases"] == []


def test_the_services_refusals_pass_through(client, services, coordinator, network):
    net = network["id"]
    services.fail(
        "cases",
        "propose_family_merge",
        NotFound("Dit gezin bestaat niet.", {"merge_family_id": ["Onbekend gezin."]}),
    )
    refused = client.post(f"/api/networks/{net}/family-merges", json=GOOD, headers=coordinator)
    assert refused.status_code == 404 and "merge_family_id" in refused.json["error"]["fields"]
    services.fail(
        "cases",
        "undo_family_merge",
        Conflict("Deze samenvoeging is bevestigd en dus definitief.", {"merge_id": ["Niet open."]}),
    )
    final = client.post(f"/api/networks/{net}/family-merges/{MERGE}/undo", headers=coordinator)
    assert final.status_code == 409 and final.json["error"]["code"] == "conflict"


def test_only_a_coordinator_of_the_network_merges(client, services, bearer, network):
    coach = bearer({network["id"]: ["family_coach"]})
    other = bearer({str(uuid.uuid4()): ["coordinator"]})
    path = f"/api/networks/{network['id']}/family-merges"
    assert client.post(path, json=GOOD, headers=coach).status_code == 403
    assert client.post(path, json=GOOD, headers=other).status_code == 404
    assert client.post(f"{path}/{MERGE}/confirm", headers=coach).status_code == 403
    assert [c for c in services.calls if c.service == "cases"] == []


def test_the_openapi_document_describes_the_merges(client):
    paths = client.get("/api/openapi.json").json["paths"]
    merges = paths["/api/networks/{network_id}/family-merges"]
    assert set(merges) >= {"get", "post"}
    assert "409" in merges["post"]["responses"]
    for action in ("confirm", "undo"):
        assert "post" in paths[f"/api/networks/{{network_id}}/family-merges/{{merge_id}}/{action}"]


# --- the families page -------------------------------------------------------------------------


def token_of(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


@pytest.fixture
def coordinator_page(client, services, network, portal_sign_in):
    portal_sign_in({network["id"]: ["coordinator"]})
    return network


def test_the_families_page_offers_to_merge_duplicates_and_lists_open_merges(
    client, services, coordinator_page
):
    net = coordinator_page["id"]
    pair = duplicate_row()
    services.answer("cases", "likely_duplicates", lambda nid: [pair])
    open_merge = merge_row()
    services.answer("cases", "family_merges", lambda nid: [open_merge])
    page = client.get("/gezinnen")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Samenvoegen" in text and "Waarom is dit hetzelfde gezin?" in text
    assert "Bevestigen" in text and "Ongedaan maken" in text
    assert open_merge["reason"] in text
    token = token_of(text)
    ids = ",".join(r["family_id"] for r in pair["records"])
    keep, merged = (r["family_id"] for r in pair["records"])

    # No reason: the form again, its field named, nothing merged.
    refused = client.post(
        "/gezinnen/samenvoegen",
        data={"csrf_token": token, "family_ids": ids, "keep_family_id": merged, "reason": " "},
    )
    assert refused.status_code == 422
    assert 'id="e-reason"' in refused.get_data(as_text=True)
    assert services.calls_to("propose_family_merge") == []

    # The coordinator chose the second record to stay.
    done = client.post(
        "/gezinnen/samenvoegen",
        data={"csrf_token": token, "family_ids": ids, "keep_family_id": merged, "reason": "Zelfde"},
    )
    assert done.status_code == 303 and done.headers["Location"].endswith("/gezinnen")
    (call,) = services.calls_to("propose_family_merge")
    assert call.args == (
        net,
        {"keep_family_id": merged, "merge_family_id": keep, "reason": "Zelfde"},
    )
    assert "De dossiers zijn samengevoegd" in client.get("/gezinnen").get_data(as_text=True)

    confirmed = client.post(
        f"/gezinnen/samenvoegingen/{open_merge['id']}/bevestigen", data={"csrf_token": token}
    )
    assert confirmed.status_code == 303
    assert services.calls_to("confirm_family_merge")[0].args == (open_merge["id"], net)

    # A refusal (already final) is told in Dutch on the families page.
    services.fail(
        "cases",
        "undo_family_merge",
        Conflict("Deze samenvoeging is bevestigd en dus definitief.", {"merge_id": ["Niet open."]}),
    )
    undone = client.post(
        f"/gezinnen/samenvoegingen/{open_merge['id']}/ongedaan-maken",
        data={"csrf_token": token},
        follow_redirects=True,
    )
    assert "bevestigd en dus definitief" in undone.get_data(as_text=True)


def test_the_merge_forms_need_the_csrf_token(client, services, network, portal_sign_in):
    portal_sign_in({network["id"]: ["coordinator"]})
    assert client.post("/gezinnen/samenvoegen", data={"reason": "x"}).status_code == 403
    assert client.post(f"/gezinnen/samenvoegingen/{MERGE}/ongedaan-maken").status_code == 403
    assert services.calls_to("propose_family_merge") == []
    assert services.calls_to("undo_family_merge") == []


def test_only_the_coordinator_uses_the_merge_forms(client, services, network, portal_sign_in):
    portal_sign_in({network["id"]: ["family_coach"]})
    token = token_of(client.get("/").get_data(as_text=True))
    for path in ("/gezinnen/samenvoegen", f"/gezinnen/samenvoegingen/{MERGE}/bevestigen"):
        assert client.post(path, data={"csrf_token": token, "reason": "x"}).status_code == 403
    assert services.calls_to("propose_family_merge") == []
    assert services.calls_to("confirm_family_merge") == []
