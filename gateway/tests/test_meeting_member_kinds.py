"""A person may sit in a body for the clients, as an experience expert or for a sector
instead of for a care organisation: chosen on the body's page, shown with the member, and
refused at its field for an organisation's delegate."""

import uuid

from .test_meeting_pages import field_error, post, signed_in  # noqa: F401 - the fixture


def test_a_person_sits_for_the_clients(client, services, signed_in):  # noqa: F811
    gov = signed_in(network_role="coordinator")
    person = str(uuid.uuid4())
    organisation = str(uuid.uuid4())
    services.answer("partners", "list_people", lambda nid: [{"id": person, "name": "Sara Maes"}])
    services.answer(
        "partners", "list_organisations", lambda nid: [{"id": organisation, "name": "CAW"}]
    )
    gov.body["members"][0]["represents"] = "experience_experts"
    page = client.get(f"/organen/{gov.bid}").get_data(as_text=True)
    assert "Ervaringsdeskundige" in page
    response = post(
        client,
        f"/organen/{gov.bid}",
        {
            "action": "add_member",
            "member_kind": "person",
            "member_person": person,
            "member_role": "member",
            "member_represents": "clients",
        },
    )
    assert response.status_code == 302
    assert services.calls_to("add_member")[-1].args[1] == {
        "person_id": person,
        "role": "member",
        "voting": False,
        "represents": "clients",
    }
    response = post(
        client,
        f"/organen/{gov.bid}",
        {
            "action": "add_member",
            "member_kind": "organisation",
            "member_organisation": organisation,
            "member_delegate": person,
            "member_role": "member",
            "member_represents": "sector",
        },
    )
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "member_represents")
    assert len(services.calls_to("add_member")) == 1
