"""Synthetic history: years of a region's networks as the events partners, cases and meetings
publish, with realistic distributions, for the reporting benchmark and for demos.

Deterministic for a seed. Every body follows its event contract (a sample of each type is
checked with the contracts themselves, `check_sample`); nothing in it is personal: ids,
pseudonyms, codes from the contracts' fixed lists, municipality codes, dates and counts.

What it draws, per network (sizes differ, lognormally, around the mean):
- families referred all year round, fewer in July and August and around New Year; one in
  three comes back with a second referral 6 to 18 months later; source sectors, concern
  levels and municipalities weighted as a network sees them;
- the first answer (triage) after a lognormal number of days (median 12, a long tail);
  55 % go onto warm waiting lists (one per offer they need: 1, 2 or 3), 25 % start at once;
- waiting lognormally (median about five months, up to two years), a warm contact about
  every 12 days, then leaving the list, mostly to start a trajectory;
- trajectories of about seven months (lognormal), closed with an outcome;
- bottleneck cases, discussed with a decision within a month;
- the kernteam every 14 days, the beleidsgroep monthly, the netwerkforum twice a year, held
  (or not), minutes approved at the next meeting (or later), actions, signals.

Use:
    .venv/bin/python bench/history.py --networks 4 --years 2 --out demo-events.jsonl
    .venv/bin/python bench/history.py --networks 4 --years 2 --publish AMQP_URI
(the second publishes to each source's exchange, as the services' relays would, so a
running stack's reporting service takes it in like live events).
"""

import csv
import datetime as dt
import itertools
import json
import math
import random
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Versions of the role changes, growing as partners stamps them.
ROLE_VERSIONS = itertools.count(1)
MUNICIPALITIES = ROOT / "services/reporting/reporting/data/municipalities.csv"
REGION_OF_PROVINCE = {
    "Antwerpen": "Antwerpen",
    "Limburg": "Limburg",
    "Oost-Vlaanderen": "Oost-Vlaanderen",
    "West-Vlaanderen": "West-Vlaanderen",
    "Vlaams-Brabant": "Vlaams-Brabant/Brussel",
}
OFFER_KINDS = (
    "family_coaching",
    "contextual_support",
    "parenting_support",
    "psychological_care",
    "day_support",
    "outreach",
)
SECTORS = (
    ("ocmw", 22), ("huis_van_het_kind", 14), ("caw", 10), ("cgg", 6), ("clb", 16),
    ("kind_en_gezin", 9), ("ckg", 3), ("ota", 4), ("mandated_body", 6), ("crisis_point", 2),
    ("first_line_psychology", 3), ("local_government", 2), ("partner", 2), ("other", 1),
)  # fmt: skip
CONCERNS = (("none", 20), ("some", 55), ("serious", 25))
AGE_BANDS = ("0-2", "3-5", "6-11", "12-17", "18-24")
DECISIONS = (("waiting_list", 55), ("start_now", 25), ("refer_on", 12), ("decline", 8))
REMOVALS = (
    ("started_here", 70), ("started_elsewhere", 8), ("no_longer_needed", 10),
    ("unreachable", 5), ("moved_away", 4), ("other", 3),
)  # fmt: skip
OUTCOMES = (
    ("goals_reached", 50), ("flow_through", 20), ("outflow", 15), ("dropped_out", 10),
    ("moved_away", 5),
)  # fmt: skip
REASONS = (
    ("no_suitable_offer", 25), ("waiting_too_long", 30), ("no_capacity", 20),
    ("cooperation_stuck", 10), ("family_unreachable", 5), ("mandated_body_access", 5),
    ("other", 5),
)  # fmt: skip
CHANNELS = ("phone", "phone", "home_visit", "visit", "video", "message")
SEASON = {1: 0.85, 2: 1.0, 3: 1.1, 4: 1.0, 5: 1.05, 6: 1.0, 7: 0.6, 8: 0.55, 9: 1.2,
          10: 1.25, 11: 1.15, 12: 0.8}  # fmt: skip
SIGNAL_TITLES = (
    "Wachttijd gezinscoaching loopt op",
    "Te weinig aanbod voor jongeren van 12 tot 17 jaar",
    "Toegang tot mandaatorganen verloopt traag",
    "Voorstel: gezamenlijke intake met het CLB",
    "Vervoer naar dagbegeleiding is een drempel",
    "Voorstel: warme overdracht bij verhuis binnen de regio",
)


def pick(rng: random.Random, weighted) -> str:
    total = sum(w for _, w in weighted)
    x = rng.uniform(0, total)
    for value, weight in weighted:
        x -= weight
        if x <= 0:
            return value
    return weighted[-1][0]


def lognormal_days(rng, median: float, sigma: float, cap: int) -> int:
    return min(cap, max(0, int(rng.lognormvariate(math.log(median), sigma))))


def new_id(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


@dataclass
class Network:
    id: str
    name: str
    region: str
    municipalities: list
    offers: list  # (offer_id, kind)
    size: float
    coordinator: str
    iroj_viewer: str
    target: int = 200
    extra: dict = field(default_factory=dict)


def municipalities_by_region() -> dict:
    out: dict = {}
    with MUNICIPALITIES.open(encoding="utf-8") as f:
        rows = csv.DictReader((line for line in f if not line.startswith("#")), delimiter=";")
        for r in rows:
            region = REGION_OF_PROVINCE.get(r["province"])
            if region:
                out.setdefault(region, []).append(r["nis"])
    return out


def make_networks(count: int, seed: int = 1) -> list[Network]:
    rng = random.Random(seed)
    by_region = municipalities_by_region()
    regions = sorted(by_region)
    networks = []
    for i in range(count):
        region = regions[i % len(regions)]
        kind = "RTJ" if i % 2 == 0 else "1G1P"
        offers = [(new_id(rng), k) for k in rng.sample(OFFER_KINDS, rng.randint(4, 6))]
        networks.append(
            Network(
                id=new_id(rng),
                name=f"{kind} {region} {i // len(regions) + 1}",
                region=region,
                municipalities=rng.sample(by_region[region], rng.randint(3, 8)),
                offers=offers,
                size=rng.lognormvariate(0, 0.35),
                coordinator=new_id(rng),
                iroj_viewer=new_id(rng),
                target=rng.choice((150, 200, 250)),
            )
        )
    norm = sum(n.size for n in networks) / len(networks)
    for n in networks:
        n.size /= norm
    return networks


class Emitter:
    """Builds bodies in their canonical JSON form (as `event_json` gives them)."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def __call__(self, source, event_type, network, day: dt.date, payload, version=1) -> dict:
        at = dt.datetime.combine(day, dt.time(8), dt.UTC) + dt.timedelta(
            seconds=self.rng.randint(0, 10 * 3600)
        )
        return {
            "event_id": new_id(self.rng),
            "event_type": event_type,
            "source": source,
            "version": version,
            "occurred_at": at.isoformat(),
            "network_id": network.id,
            **payload,
        }


def partners_events(e: Emitter, n: Network, start: dt.date, end: dt.date) -> list[dict]:
    out = [
        e("partners", "network_created", n, start, {"name": n.name, "kind": "RTJ",
                                                     "region": n.region}),
        e("partners", "network_settings_changed", n, start, {
            "municipalities": n.municipalities,
            "waiting_weights": {"waiting_days": 1.0, "concern": 10.0, "multiproblem": 7.0},
            "warm_contact_interval_days": 14,
            "pickup_guideline_days": 30,
            "targets": [{"code": "family_guidances", "label": "Bijkomende gezinsbegeleidingen",
                         "value": n.target, "period": "year"}],
        }),
    ]  # fmt: skip
    for person, role, name in (
        (n.coordinator, "coordinator", "Coördinator"),
        (n.iroj_viewer, "iroj_viewer", "IROJ-lid"),
    ):
        out.append(e("partners", "role_granted", n, start, {
            "person_id": person, "role": role, "organisation_id": None,
            "role_version": next(ROLE_VERSIONS),
            "person_name": f"{name} {n.name}", "person_email": None,
        }))  # fmt: skip
    for offer_id, kind in n.offers:
        out.append(e("partners", "offer_published", n, start, {
            "offer_id": offer_id, "title": kind.replace("_", " ").capitalize(), "kind": kind,
            "capacity": 20, "free_places": 2, "municipalities": n.municipalities,
            "status": "active", "warm_waiting_list": True,
        }))  # fmt: skip
    for year in range(start.year, end.year + 1):
        for kind, agreed in (("mandated_body", 40), ("crisis_point", 12)):
            out.append(e("partners", "agreement_recorded", n, dt.date(year, 1, 1), {
                "agreement_id": new_id(e.rng), "kind": kind,
                "organisation_ids": [new_id(e.rng)], "starts_on": f"{year}-01-01",
                "ends_on": f"{year}-12-31", "agreed_number": agreed, "status": "active",
            }))  # fmt: skip
    return out


def referral_events(e: Emitter, n: Network, received: dt.date, end: dt.date) -> list[dict]:
    rng = e.rng
    pseudo = uuid.UUID(int=rng.getrandbits(128)).hex
    referral_id = new_id(rng)
    offer_id, _ = rng.choice(n.offers)
    nis = rng.choice(n.municipalities)
    concern = pick(rng, CONCERNS)
    out = [e("cases", "referral_received", n, received, {
        "referral_id": referral_id, "offer_id": offer_id, "family_pseudonym": pseudo,
        "age_bands": sorted(rng.sample(AGE_BANDS[:4], rng.randint(1, 2))),
        "municipality": nis, "concern": concern, "source_sector": pick(rng, SECTORS),
        "received_on": received.isoformat(),
    })]  # fmt: skip
    triaged = received + dt.timedelta(days=lognormal_days(rng, 12, 0.8, 120))
    if triaged > end:
        return out
    needed = rng.choices((1, 2, 3), weights=(70, 22, 8))[0]
    offers = [offer_id] + [o for o, _ in rng.sample(n.offers, needed) if o != offer_id]
    offers = offers[:needed]
    decision = pick(rng, DECISIONS)
    out.append(e("cases", "referral_triaged", n, triaged, {
        "family_pseudonym": pseudo, "referral_id": referral_id, "decision": decision,
        "refer_to": "other_service" if decision == "refer_on" else None,
        "offer_ids": offers if decision in ("waiting_list", "start_now") else [],
        "concern": concern, "urgency": rng.choices(("normal", "urgent"), (92, 8))[0],
        "received_on": received.isoformat(), "triaged_on": triaged.isoformat(),
    }))  # fmt: skip
    start = None
    if decision == "waiting_list":
        for i, offer in enumerate(offers):
            entry = new_id(rng)
            out.append(e("cases", "waiting_list_entry_added", n, triaged, {
                "family_pseudonym": pseudo, "entry_id": entry, "referral_id": referral_id,
                "offer_id": offer, "age_bands": ["6-11"], "municipality": nis,
                "concern": concern, "waiting_since": received.isoformat(),
                "added_on": triaged.isoformat(),
            }))  # fmt: skip
            leaves = triaged + dt.timedelta(days=lognormal_days(rng, 150, 0.7, 720))
            day = triaged
            while True:
                day = day + dt.timedelta(days=max(3, 12 + rng.randint(-5, 4)))
                if day >= min(leaves, end):
                    break
                out.append(e("cases", "warm_contact_logged", n, day, {
                    "family_pseudonym": pseudo, "entry_id": entry, "offer_id": offer,
                    "contacted_on": day.isoformat(), "channel": rng.choice(CHANNELS),
                    "next_contact_due": (day + dt.timedelta(days=14)).isoformat(),
                }))  # fmt: skip
            if leaves > end:
                continue
            reason = pick(rng, REMOVALS)
            out.append(e("cases", "waiting_list_entry_removed", n, leaves, {
                "family_pseudonym": pseudo, "entry_id": entry, "offer_id": offer,
                "reason": reason, "removed_on": leaves.isoformat(),
                "days_waited": (leaves - received).days,
            }))  # fmt: skip
            if i == 0 and reason == "started_here":
                start = (leaves, offer)
    elif decision == "start_now":
        start = (triaged + dt.timedelta(days=rng.randint(0, 10)), offers[0])
    if start is not None and start[0] <= end:
        started, offer = start
        trajectory = new_id(rng)
        out.append(e("cases", "trajectory_started", n, started, {
            "family_pseudonym": pseudo, "trajectory_id": trajectory,
            "referral_id": referral_id, "offer_id": offer, "organisation_id": None,
            "started_on": started.isoformat(), "days_to_start": (started - received).days,
            "reopened": False,
        }))  # fmt: skip
        closed = started + dt.timedelta(days=lognormal_days(rng, 200, 0.6, 1100))
        if closed <= end:
            out.append(e("cases", "trajectory_closed", n, closed, {
                "family_pseudonym": pseudo, "trajectory_id": trajectory,
                "outcome": pick(rng, OUTCOMES), "flow_to": None,
                "started_on": started.isoformat(), "closed_on": closed.isoformat(),
            }))  # fmt: skip
    if rng.random() < 0.06:
        flagged = triaged + dt.timedelta(days=rng.randint(20, 150))
        if flagged <= end:
            case = uuid.UUID(int=rng.getrandbits(128)).hex
            out.append(e("cases", "bottleneck_flagged", n, flagged, {
                "case_pseudonym": case, "reason_category": pick(rng, REASONS),
                "flagged_on": flagged.isoformat(),
            }))  # fmt: skip
            n.extra.setdefault("bottlenecks", []).append((flagged, case))
    return out


BODIES = (("kernteam", 14, 0), ("beleidsgroep", 30, 0), ("netwerkforum", 182, 0))


def meeting_events(e: Emitter, n: Network, start: dt.date, end: dt.date) -> list[dict]:
    rng = e.rng
    out = []
    pending = sorted(n.extra.get("bottlenecks", []))
    for kind, every, _ in BODIES:
        body = new_id(rng)
        day = start + dt.timedelta(days=rng.randint(0, every - 1))
        previous = None
        while day <= end:
            meeting = new_id(rng)
            ref = {"meeting_id": meeting, "body_id": body, "body_kind": kind}
            at = dt.datetime.combine(day, dt.time(13), dt.UTC)
            out.append(e("meetings", "meeting_scheduled", n, day - dt.timedelta(days=20), {
                **ref, "starts_at": at.isoformat(),
                "ends_at": (at + dt.timedelta(hours=2)).isoformat(), "status": "scheduled",
            }))  # fmt: skip
            if rng.random() < 0.05:
                out.append(e("meetings", "meeting_scheduled", n, day - dt.timedelta(days=3), {
                    **ref, "starts_at": at.isoformat(),
                    "ends_at": (at + dt.timedelta(hours=2)).isoformat(), "status": "cancelled",
                }))  # fmt: skip
            elif rng.random() < 0.96:
                out.append(e("meetings", "meeting_held", n, day, {
                    **ref, "held_on": day.isoformat(), "present": rng.randint(5, 12),
                    "excused": rng.randint(0, 3), "absent": rng.randint(0, 1),
                    "quorum_reached": True, "iroj_reporter_person_id": None,
                }))  # fmt: skip
                if previous is not None:
                    late = rng.random() < 0.15
                    out.append(e("meetings", "minutes_approved", n, day, {
                        "meeting_id": previous, "body_id": body, "body_kind": kind,
                        "approved_in_meeting_id": meeting,
                        "approved_on": (day + dt.timedelta(days=every if late else 0)).isoformat(),
                        "amendments": rng.randint(0, 2),
                    }))  # fmt: skip
                previous = meeting
                for _ in range(rng.randint(0, 3)):
                    action = new_id(rng)
                    due = day + dt.timedelta(days=rng.randint(7, 45))
                    out.append(e("meetings", "action_assigned", n, day, {
                        **ref, "action_id": action, "owner_person_id": new_id(rng),
                        "due_on": due.isoformat(),
                    }))  # fmt: skip
                    done = due + dt.timedelta(days=rng.randint(-20, 25))
                    if done <= end and rng.random() < 0.9:
                        out.append(e("meetings", "action_done", n, max(done, day), {
                            "action_id": action, "body_id": body,
                            "done_on": max(done, day).isoformat(),
                        }))  # fmt: skip
                if rng.random() < 0.1:
                    out.append(e("meetings", "signal_raised", n, day, {
                        **ref, "signal_id": new_id(rng),
                        "kind": rng.choice(("pain_point", "improvement_proposal")),
                        "title": rng.choice(SIGNAL_TITLES), "description": None,
                        "raised_on": day.isoformat(),
                    }))  # fmt: skip
                if kind == "kernteam":
                    while pending and pending[0][0] <= day:
                        _, case = pending.pop(0)
                        out.append(e("meetings", "decision_taken", n, day, {
                            **ref, "decision_id": new_id(rng), "item_id": new_id(rng),
                            "method": "consensus", "outcome": "adopted",
                            "text": "Het kernteam zoekt samen een oplossing.", "objections": 0,
                            "votes_for": None, "votes_against": None, "abstentions": None,
                            "case_pseudonym": case, "taken_on": day.isoformat(),
                        }))  # fmt: skip
            day += dt.timedelta(days=every)
    return out


def network_admin_grants(networks: list[Network], person_id: str, day: dt.date, seed: int = 5):
    """One person made network admin of every network (as a region's staff member who
    drafts all their quarterly reports at once)."""
    e = Emitter(random.Random(seed))
    return [
        e(
            "partners",
            "role_granted",
            n,
            day,
            {
                "person_id": person_id,
                "role": "network_admin",
                "organisation_id": None,
                "role_version": next(ROLE_VERSIONS),
                "person_name": "Netwerkbeheerder van de regio",
                "person_email": None,
            },
        )  # fmt: skip
        for n in networks
    ]


def history(
    networks: list[Network], years: int, families: int, end: dt.date, seed: int = 7
) -> Iterator[dict]:
    """Every network's events over `years` years up to `end`; ~`families` families in all.
    Yields one network at a time (partners' facts first, then cases', then meetings')."""
    start = dt.date(end.year - years + 1, 1, 1)
    days = (end - start).days + 1
    for index, n in enumerate(networks):
        rng = random.Random(seed * 1000 + index)
        e = Emitter(rng)
        yield from partners_events(e, n, start, end)
        count = int(families / len(networks) * n.size)
        for _ in range(count):
            while True:  # seasonal: a day is kept with its month's weight
                received = start + dt.timedelta(days=rng.randrange(days))
                if rng.random() < SEASON[received.month] / 1.25:
                    break
            yield from referral_events(e, n, received, end)
            if rng.random() < 0.33:
                again = received + dt.timedelta(days=rng.randint(180, 540))
                if again <= end:
                    yield from referral_events(e, n, again, end)
        yield from meeting_events(e, n, start, end)


def check_sample(events, per_type: int = 200) -> dict:
    """Validate up to `per_type` bodies of each event type against its contract."""
    sys.path.insert(0, str(ROOT / "libs/verband_common"))
    from verband_common.contracts import dump_event

    seen: dict = {}
    for body in events:
        key = (body["source"], body["event_type"])
        if seen.get(key, 0) < per_type:
            dump_event(body["source"], body["event_type"], body)
            seen[key] = seen.get(key, 0) + 1
    return seen


def publish(amqp_uri: str, events) -> int:
    sys.path.insert(0, str(ROOT / "libs/verband_common"))
    from kombu import Connection

    from verband_common.outbox import event_exchange

    sent = 0
    with Connection(amqp_uri) as conn:
        producer = conn.Producer()
        exchanges = {s: event_exchange(s) for s in ("partners", "cases", "meetings")}
        for body in events:
            exchange = exchanges[body["source"]]
            producer.publish(
                json.dumps(body),
                exchange=exchange,
                routing_key=body["event_type"],
                content_type="application/json",
                content_encoding="utf-8",
                declare=[exchange],
                delivery_mode=2,
            )
            sent += 1
    return sent


def main() -> int:
    import argparse

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--networks", type=int, default=4)
    p.add_argument("--years", type=int, default=2)
    p.add_argument("--families", type=int, default=None, help="default: 1250 a network a year")
    p.add_argument("--end", type=dt.date.fromisoformat, default=dt.date.today())
    p.add_argument("--seed", type=int, default=7)
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--out", type=Path, help="write JSON lines here")
    group.add_argument("--publish", metavar="AMQP_URI", help="publish to a running broker")
    args = p.parse_args()
    families = args.families or 1250 * args.networks * args.years
    networks = make_networks(args.networks, args.seed)
    events = list(history(networks, args.years, families, args.end, args.seed))
    check_sample(events)
    if args.out:
        with args.out.open("w", encoding="utf-8") as f:
            for body in events:
                f.write(json.dumps(body, ensure_ascii=False) + "\n")
        print(f"{len(events)} events of {len(networks)} networks written to {args.out}")
    else:
        events.sort(key=lambda b: b["occurred_at"])
        print(f"{publish(args.publish, events)} events published")
    for n in networks:
        print(
            f"  {n.name} ({n.region}): network {n.id}, coordinator person:{n.coordinator},"
            f" IROJ person:{n.iroj_viewer}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
