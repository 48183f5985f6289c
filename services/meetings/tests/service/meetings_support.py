"""What most meetings service tests start from: a running meetings service that knows, from
partners' role_granted events, the people of two networks; and a governance body."""

import datetime as dt
import uuid

from nameko.testing.services import entrypoint_waiter
from verband_servicekit import role_version, until_calls

from meetings.service import MeetingsService
from verband_common import actor
from verband_common.contracts import EVENTS, new_event

RIGHT_NOW_SKEW = dt.timedelta(minutes=3)


def role_granted(network_id, person_id, role, name, email) -> dict:
    payload = {
        "person_id": str(person_id),
        "role": role,
        "organisation_id": None,
        "role_version": role_version(),
    }
    declared = EVENTS[("partners", "role_granted", 1)]._declared_fields
    if "person_name" in declared:  # the contract of the interface (names travel for mail)
        payload.update(person_name=name, person_email=email)
    return new_event("partners", "role_granted", network_id, payload)


class Person:
    def __init__(self, name: str, network_id, roles: tuple[str, ...]):
        self.id = uuid.uuid4()
        self.name = name
        self.email = f"{name.split()[0].lower()}.{self.id.hex[:6]}@verband.test"
        self.network_id = network_id
        self.roles = roles
        self.actor = actor.person(self.id)


class World:
    """Network A (a 1G1P network) with a coordinator, a chair, a secretary, two partners and
    a worker outside every body; network B with its own coordinator."""

    def __init__(self, verband, mailbox=None, **config):
        self.verband = verband
        extra = {"MAIL_POLL_SECONDS": 0.3, **config}
        if mailbox is not None:
            extra.update(
                SMTP_HOST=mailbox.host,
                SMTP_PORT=mailbox.port,
                SMTP_SENDER="secretariaat@verband.test",
            )
        self.meetings = verband.start(MeetingsService, **extra)
        self.network = uuid.uuid4()
        self.other_network = uuid.uuid4()
        a = self.network
        self.coordinator = Person("Dirk Wouters", a, ("coordinator",))
        self.chair = Person("An Claes", a, ("partner_worker",))
        self.secretary = Person("Sofie Janssens", a, ("secretary",))
        self.kernpartner = Person("Bart Peeters", a, ("partner_worker",))
        self.contractant = Person("Carla Maes", a, ("partner_worker", "family_coach"))
        self.outsider = Person("Eva De Smet", a, ("referrer",))
        self.stranger = Person("Frank Verbeke", self.other_network, ("coordinator",))
        people = [
            self.coordinator,
            self.chair,
            self.secretary,
            self.kernpartner,
            self.contractant,
            self.outsider,
            self.stranger,
        ]
        events = [
            role_granted(p.network_id, p.id, r, p.name, p.email) for p in people for r in p.roles
        ]
        with entrypoint_waiter(
            self.meetings, "on_role_granted", callback=until_calls(len(events)), timeout=20
        ):
            for e in events:
                verband.publish("partners", e)

    def rpc(self, who: Person | None = None):
        return self.verband.rpc(context_data={"actor": who.actor} if who else None)

    def body_payload(self, **overrides) -> dict:
        """A beleidsgroep: decides by vote; the coordinator sits in it without a vote."""
        payload = {
            "name": "Beleidsgroep 1G1P Asse-Meise-Vilvoorde",
            "kind": "beleidsgroep",
            "mandate": "Bewaakt missie, visie en doelstellingen van het samenwerkingsverband.",
            "members": [
                {"person_id": str(self.chair.id), "role": "chair"},
                {"person_id": str(self.secretary.id), "role": "secretary", "voting": False},
                {
                    "organisation_id": str(uuid.uuid4()),
                    "organisation_name": "CAW Halle-Vilvoorde",
                    "delegate_id": str(self.kernpartner.id),
                    "role": "member",
                },
                {"person_id": str(self.contractant.id), "role": "member"},
                {"person_id": str(self.coordinator.id), "role": "adviser", "voting": False},
            ],
            "quorum": {"kind": "majority"},
            "decision_rule": {"method": "vote", "majority": "simple"},
            "cadence": {
                "kind": "monthly",
                "week": 2,
                "weekday": 3,
                "phases": [{"every_months": 1, "until": "2027-06-30"}, {"every_months": 2}],
            },
            "location": "Sociaal Huis Vilvoorde",
            "agenda_deadline_days": 0,
            "mail_days_before": 7,
        }
        payload.update(overrides)
        return payload

    def create_body(self, **overrides) -> dict:
        with self.rpc(self.coordinator) as rpc:
            return rpc.meetings.create_body(str(self.network), self.body_payload(**overrides))

    def meeting_soon(self, body, minutes_ahead: int = 3) -> dict:
        """A meeting later today (its day has come: it can be held)."""
        starts = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=minutes_ahead)
        with self.rpc(self.coordinator) as rpc:
            # on_holiday: "today" may be a public holiday; the body then meets anyway.
            return rpc.meetings.schedule_meeting(
                body["id"], {"starts_at": starts.isoformat(), "on_holiday": True}
            )

    @staticmethod
    def member_id(body, person: Person) -> str:
        return next(
            m["id"] for m in body["members"] if str(person.id) in (m["person_id"], m["delegate_id"])
        )
