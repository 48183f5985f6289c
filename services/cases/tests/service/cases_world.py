"""A small world for the cases service tier: two networks as partners' events describe them
(settings, partner organisations, offers, people with roles), published the way partners'
relay would, and RPC helpers acting as one of those people."""

import uuid

from verband_servicekit import referral, role_version, wait_until

from verband_common.actor import person
from verband_common.contracts import new_event

MUNICIPALITIES = ["23002", "23050", "23088"]
WEIGHTS = {"waiting_days": 1.0, "concern": 10.0, "multiproblem": 7.0}


class Network:
    def __init__(self, name, region="Vlaams-Brabant/Brussel"):
        self.id = str(uuid.uuid4())
        self.name = name
        self.region = region
        self.org_a = str(uuid.uuid4())  # provides the offers
        self.org_b = str(uuid.uuid4())  # a partner not involved in the cases
        self.org_x = str(uuid.uuid4())  # the referrer's OCMW, not a partner
        self.coordinator = str(uuid.uuid4())
        self.admin = str(uuid.uuid4())
        self.coach_a = str(uuid.uuid4())  # family coach at org A
        self.worker_b = str(uuid.uuid4())  # partner worker at org B
        self.referrer = str(uuid.uuid4())
        self.manager_b = str(uuid.uuid4())  # case manager at org B
        self.offer = str(uuid.uuid4())
        self.offer2 = str(uuid.uuid4())

    def events(self, weights=None) -> list[dict]:
        n = self.id
        roles = [
            (self.coordinator, "coordinator", None),
            (self.admin, "network_admin", None),
            (self.coach_a, "family_coach", self.org_a),
            (self.worker_b, "partner_worker", self.org_b),
            (self.referrer, "referrer", self.org_x),
            (self.manager_b, "case_manager", self.org_b),
        ]
        events = [
            new_event(
                "partners",
                "network_created",
                n,
                {"name": self.name, "kind": "1G1P", "region": self.region},
            ),
            new_event(
                "partners",
                "network_settings_changed",
                n,
                {
                    "municipalities": MUNICIPALITIES,
                    "waiting_weights": weights or WEIGHTS,
                    "warm_contact_interval_days": 14,
                    "pickup_guideline_days": 30,
                    "targets": [],
                },
            ),
        ]
        for org, name in ((self.org_a, "Gezinsondersteuning Asse"), (self.org_b, "CAW Halle")):
            events.append(
                new_event(
                    "partners",
                    "partner_joined",
                    n,
                    {
                        "organisation_id": org,
                        "name": name,
                        "sector": "caw",
                        "role": "partner",
                        "starts_on": "2025-01-01",
                        "ends_on": None,
                    },
                )
            )
        for who, role, org in roles:
            events.append(
                new_event(
                    "partners",
                    "role_granted",
                    n,
                    {
                        "person_id": who,
                        "role": role,
                        "organisation_id": org,
                        "role_version": role_version(),
                    },
                )
            )
        for offer_id, title in ((self.offer, "Gezinscoaching"), (self.offer2, "Opvoedingsteun")):
            events.append(
                new_event(
                    "partners",
                    "offer_changed",
                    n,
                    {
                        "offer_id": offer_id,
                        "title": title,
                        "kind": "family_coaching",
                        "capacity": 10,
                        "free_places": 0,
                        "municipalities": MUNICIPALITIES,
                        "status": "active",
                        "warm_waiting_list": True,
                        "organisation_id": self.org_a,
                        "can_start_from": None,
                        "changed": ["status"],
                    },
                )
            )
        return events


def seed(verband, cases, *networks: Network) -> None:
    """Publish the networks' partners events and wait until cases applied them all."""
    for net in networks:
        for event in net.events():
            verband.publish("partners", event)
    wanted = 6 * len(networks)

    def applied():
        db = cases.db_url
        return (
            verband.count(db, "role_holders") == wanted
            and verband.count(db, "offers", "organisation_id IS NOT NULL") == 2 * len(networks)
            and verband.count(db, "network_partners") == 2 * len(networks)
            and verband.count(db, "networks", "settings_at IS NOT NULL AND name IS NOT NULL")
            == len(networks)
        )

    wait_until(applied, timeout=20, what="partners' events applied by cases")


def as_(verband, person_id):
    """An RPC proxy acting as `person_id`."""
    return verband.rpc(context_data={"actor": person(person_id)})


def family(net: Network, **overrides) -> dict:
    return referral(net.offer, **overrides)


def refer(verband, net: Network, **overrides) -> dict:
    with as_(verband, net.referrer) as rpc:
        return rpc.cases.receive_referral(net.id, family(net, **overrides))


def onto_list(verband, net: Network, case_id, offers=None) -> dict:
    with as_(verband, net.coordinator) as rpc:
        return rpc.cases.triage_referral(
            case_id,
            {
                "decision": "waiting_list",
                "reason": "Past bij gezinscoaching.",
                "offer_ids": offers or [net.offer],
            },
        )
