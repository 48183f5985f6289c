"""Setting up a body (members, rules) and preparing an agenda: ordering before publication,
the order fixed after it."""

import uuid

import pytest
from meetings_support import World

from verband_common.errors import Conflict, NotFound, ValidationFailed

pytestmark = pytest.mark.service


def test_a_body_is_set_up_changed_and_its_members_managed(verband):
    w = World(verband)
    body = w.create_body()
    assert body["decision_rule"] == {"method": "vote", "majority": "simple"}
    coordinator = next(m for m in body["members"] if m["person_id"] == str(w.coordinator.id))
    assert coordinator["voting"] is False and coordinator["role"] == "adviser"
    caw = next(m for m in body["members"] if m["organisation_name"] == "CAW Halle-Vilvoorde")
    assert caw["delegate_id"] == str(w.kernpartner.id)
    with w.rpc(w.coordinator) as rpc:
        changed = rpc.meetings.update_body(
            body["id"],
            {
                "cadence": {"kind": "monthly", "week": -1, "weekday": 4},
                "mail_days_before": 10,
            },
        )
        assert changed["cadence"]["week"] == -1 and changed["mail_days_before"] == 10
        assert changed["name"] == body["name"]
        with pytest.raises(ValidationFailed) as refused:
            rpc.meetings.add_member(body["id"], {"person_id": str(w.outsider.id), "role": "chair"})
        assert refused.value.fields == {"role": ["Er is al een voorzitter."]}
        grown = rpc.meetings.add_member(body["id"], {"person_id": str(w.outsider.id)})
        assert len(grown["members"]) == len(body["members"]) + 1
        shrunk = rpc.meetings.remove_member(body["id"], caw["id"])
        assert caw["id"] not in [m["id"] for m in shrunk["members"]]
        with pytest.raises(NotFound) as unknown:
            rpc.meetings.remove_member(body["id"], str(uuid.uuid4()))
        assert unknown.value.fields == {"member_id": ["Onbekend."]}
    # someone whose seat ended proposes nothing anymore, nor sees the body's meetings
    meeting = w.meeting_soon(body, 30)
    with w.rpc(w.kernpartner) as rpc, pytest.raises(NotFound):
        rpc.meetings.propose_item(meeting["id"], {"title": "Nog één punt"})


def test_the_secretary_orders_the_proposals_until_the_agenda_is_published(verband):
    w = World(verband)
    body = w.create_body()
    meeting = w.meeting_soon(body, 30)
    with w.rpc(w.contractant) as rpc:
        a = rpc.meetings.propose_item(meeting["id"], {"title": "Jaarverslag"})
        b = rpc.meetings.propose_item(meeting["id"], {"title": "Begroting"})
    with w.rpc(w.secretary) as rpc:
        with pytest.raises(ValidationFailed) as refused:
            rpc.meetings.order_agenda(meeting["id"], {"item_ids": [b["id"]]})
        assert "item_ids" in refused.value.fields
        ordered = rpc.meetings.order_agenda(meeting["id"], {"item_ids": [b["id"], a["id"]]})
        assert [i["title"] for i in ordered] == ["Begroting", "Jaarverslag"]
        published = rpc.meetings.publish_agenda(meeting["id"])
        assert [i["title"] for i in published["agenda"]] == [
            "Begroting",
            "Jaarverslag",
            "Terugkoppeling aan IROJ",
        ]
        with pytest.raises(Conflict):
            rpc.meetings.order_agenda(meeting["id"], {"item_ids": [a["id"], b["id"]]})
        with pytest.raises(Conflict):
            rpc.meetings.publish_agenda(meeting["id"])
        pdf = rpc.meetings.agenda_pdf(meeting["id"])
        assert pdf["filename"].startswith("agenda-beleidsgroep")
        assert [m["id"] for m in rpc.meetings.list_meetings(body["id"], {})] == [meeting["id"]]
