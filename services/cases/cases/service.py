"""nameko entrypoints of the cases service: referrals, triage, the warm waiting list,
trajectories, one plan per family, bottleneck cases, privacy requests.

Every RPC checks the actor against cases' own copy of partners' role events: no actor ->
Unauthenticated; no role in the case's network -> NotFound (its existence is not
revealed); a role in the network but none on the case -> Forbidden. Every read and change
of a case is written to the audit log in the same transaction. Rules live in
`cases.domain`, SQL in `cases.store` and `cases.projections`.
"""

import datetime as dt
import logging
import uuid
from pathlib import Path

from nameko.dependency_providers import Config
from nameko.timer import timer

from cases import audit, dashboard, merges, projections, store
from cases import sweep as due_sweep
from cases.domain import (
    age_band,
    answers,
    child_key,
    families,
    listimport,
    priority,
    privacy,
    pseudonym,
    triage,
    volume,
)
from cases.domain import clock as clocks
from cases.domain import plan as plans
from cases.domain.access import (
    FOLLOW_UP,
    FULL,
    Principal,
    can_answer_referral,
    can_audit,
    can_coordinate,
    can_read_offer_list,
    can_refer,
    can_refer_from_region,
    case_access,
    listed,
)
from cases.domain.access import CaseFacts as Facts
from verband_common import config
from verband_common.actor import Actor
from verband_common.consumer import event_consumer
from verband_common.correlation import CorrelationId
from verband_common.db import Database
from verband_common.errors import (
    Conflict,
    Forbidden,
    NotFound,
    Unauthenticated,
    ValidationFailed,
)
from verband_common.metrics import Metrics
from verband_common.roles import CONTACT_POINTS, ROLE_LABELS, newer_role_change
from verband_common.rpc import answer, parse_id, rpc, validated
from verband_common.schemas import cases as schemas

MIGRATIONS = Path(__file__).with_name("migrations")
log = logging.getLogger(__name__)

NO_CASE = "Dit dossier bestaat niet."
NO_ROLE = "Je hebt geen rol in dit dossier."
# What an imported family's referral and triage say when the earlier list gave no note.
IMPORTED_QUESTION = "Overgenomen van de wachtlijst die het netwerk eerder bijhield."
IMPORTED_REASON = "Stond al op de wachtlijst die het netwerk eerder bijhield."


def today() -> dt.date:
    return dt.date.today()


def iso(value):
    """JSON-safe: ids and dates as strings, recursively."""
    if isinstance(value, dict):
        return {k: iso(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [iso(v) for v in value]
    if isinstance(value, (uuid.UUID, dt.date, dt.datetime)):
        return str(value) if isinstance(value, uuid.UUID) else value.isoformat()
    return value


def candidate(e: dict) -> priority.Candidate:
    return priority.Candidate(
        waiting_since=e["waiting_since"],
        concern=e["concern"],
        domains=e["domains"],
        urgency=e["urgency"],
        id=str(e["id"]),
    )


def referral_input(payload) -> dict:
    try:
        return validated(schemas.ReferralInput(), payload)
    except ValidationFailed as refused:
        if "consent" in refused.fields:
            raise ValidationFailed(triage.NO_CONSENT, refused.fields) from None
        raise


def case_facts(network_id, row) -> Facts:
    """The access rule's facts of a case from its `store.CASE_FACTS` row."""
    return Facts(
        network_id=str(network_id),
        referrer_id=str(row["referrer_id"]) if row["referrer_id"] else None,
        contact_points=frozenset(str(p) for p in row["contact_points"]),
        organisations=frozenset(str(o) for o in row["organisations"] if o),
    )


def not_found(field="case_id"):
    return NotFound(NO_CASE, {field: ["Onbekend dossier."]})


class CasesService:
    name = "cases"

    db = Database(MIGRATIONS)
    metrics = Metrics()
    correlation_id = CorrelationId()
    actor = Actor()
    nameko_config = Config()

    @rpc
    def health(self):
        return {"service": self.name, **self.db.health()}

    # -- who is acting --------------------------------------------------------------------

    def _principal(self, db) -> Principal:
        # `db` is the worker's session or, for the busy portal reads (waiting list, cases,
        # clocks, dashboard), their own transaction: one connection and one commit per call.
        if self.actor is None:
            raise Unauthenticated("Meld je aan om dossiers te bekijken of te wijzigen.")
        if self.actor.kind != "person":
            # API tokens are scoped in partners; cases knows people's roles only, so a token
            # sees no case (integrations use the pseudonymised events instead).
            return Principal(None)
        return projections.principal(db, self.actor.id)

    def _network(self, db, principal, network_id, allowed, message) -> dict:
        if not principal.in_network(network_id):
            raise NotFound("Dit netwerk bestaat niet.", {"network_id": ["Onbekend netwerk."]})
        if not allowed(principal, network_id):
            raise Forbidden(message)
        return projections.network(db, network_id) or {
            "id": network_id,
            "municipalities": [],
            "waiting_weights": {},
            "warm_contact_interval_days": clocks.DEFAULT_CONTACT_INTERVAL_DAYS,
            "pickup_guideline_days": clocks.DEFAULT_GUIDELINE_DAYS,
        }

    def _denied(self, network_id, case_id, action):
        with self.db.transaction(own=True) as tx:
            audit.record(tx, network_id, case_id, self.actor, "access_denied", tried=action)

    def _case(self, tx, principal, case_id, action: str, need=FULL, lock=False) -> dict:
        """The case if the principal may see it (`need`: FULL or FOLLOW_UP)."""
        case = store.referral(tx, case_id, lock=lock)
        if case is None:
            raise not_found()
        facts = store.case_facts(tx, case_id)
        # Outside the network only the referrer (from elsewhere in the region) gets an answer.
        if not principal.in_network(case["network_id"]) and (
            principal.person_id is None or str(facts["referrer_id"]) != principal.person_id
        ):
            raise not_found()
        access = case_access(principal, case_facts(case["network_id"], facts))
        if access is None or (need == FULL and access != FULL):
            self._denied(case["network_id"], case_id, action)
            raise Forbidden(NO_ROLE)
        case["access"] = access
        return case

    @staticmethod
    def _access_to(tx, principal, network_id, case_ids) -> dict:
        """The one access rule, decided for each case a list would show: case id -> FULL,
        FOLLOW_UP or None. A list holds a family only where the rule names the reader."""
        facts = store.case_facts_of(tx, list(dict.fromkeys(case_ids)))
        return {
            case_id: case_access(principal, case_facts(network_id, row))
            for case_id, row in facts.items()
        }

    def _settings(self, db, network_id) -> dict:
        return projections.network(db, network_id) or {
            "waiting_weights": {},
            "warm_contact_interval_days": clocks.DEFAULT_CONTACT_INTERVAL_DAYS,
            "pickup_guideline_days": clocks.DEFAULT_GUIDELINE_DAYS,
            "municipalities": [],
        }

    # -- partners' facts --------------------------------------------------------------------

    @event_consumer("partners", "network_created")
    def on_network_created(self, event):
        with self.db.transaction() as tx:
            if tx.first_delivery(event):
                projections.upsert_network(tx, event)

    @event_consumer("partners", "network_settings_changed")
    def on_network_settings_changed(self, event):
        with self.db.transaction() as tx:
            if tx.first_delivery(event) and projections.apply_settings(tx, event):
                # New weights reorder every list of the network: recompute the kept keys.
                weights = priority.Weights.from_settings(event["waiting_weights"])
                entries = store.waiting_entries_of_network(tx, event["network_id"])
                store.set_rank_keys(
                    tx, [(e["id"], priority.rank_key(candidate(e), weights)) for e in entries]
                )

    @event_consumer("partners", "role_granted")
    def on_role_granted(self, event):
        with self.db.transaction() as tx:
            # Only if no later change of this role (a revoke) was applied already.
            if tx.first_delivery(event) and newer_role_change(tx, event, granted=True):
                projections.grant_role(
                    tx,
                    event["network_id"],
                    event["person_id"],
                    event["role"],
                    event.get("organisation_id"),
                )

    @event_consumer("partners", "role_revoked")
    def on_role_revoked(self, event):
        with self.db.transaction() as tx:
            if tx.first_delivery(event) and newer_role_change(tx, event, granted=False):
                projections.revoke_role(tx, event["network_id"], event["person_id"], event["role"])

    @event_consumer("partners", "partner_joined")
    def on_partner_joined(self, event):
        with self.db.transaction() as tx:
            if tx.first_delivery(event):
                projections.partner_joined(tx, event)

    @event_consumer("partners", "partner_left")
    def on_partner_left(self, event):
        with self.db.transaction() as tx:
            if tx.first_delivery(event):
                projections.partner_left(tx, event)

    @event_consumer("partners", "offer_published")
    def on_offer_published(self, event):
        with self.db.transaction() as tx:
            if tx.first_delivery(event):
                projections.upsert_offer(tx, event["network_id"], event)

    @event_consumer("partners", "offer_changed")
    def on_offer_changed(self, event):
        with self.db.transaction() as tx:
            if tx.first_delivery(event):
                projections.upsert_offer(tx, event["network_id"], event)

    @event_consumer("partners", "capacity_changed")
    def on_capacity_changed(self, event):
        with self.db.transaction() as tx:
            if tx.first_delivery(event):
                projections.apply_capacity(tx, event)

    @event_consumer("partners", "agreement_recorded")
    def on_agreement_recorded(self, event):
        with self.db.transaction() as tx:
            if tx.first_delivery(event):
                projections.record_agreement(tx, event)
                projections.record_mandated_agreement(tx, event)

    @event_consumer("meetings", "decision_taken")
    def on_decision_taken(self, event):
        """A decision about a bottleneck case flows back to the case, by its pseudonym."""
        if event["case_pseudonym"] is None:
            return
        with self.db.transaction() as tx:
            if not tx.first_delivery(event):
                return
            case = store.referral_by_case_pseudonym(
                tx, event["network_id"], event["case_pseudonym"]
            )
            if case is None:
                return
            store.record_decision(
                tx,
                case["id"],
                iso(
                    {
                        "decision_id": event["decision_id"],
                        "meeting_id": event["meeting_id"],
                        "body_kind": event["body_kind"],
                        "outcome": event["outcome"],
                        "taken_on": event["taken_on"],
                        # A family anonymised meanwhile gets the outcome, not the words.
                        **({"text": event["text"]} if case.get("anonymised_at") is None else {}),
                    }
                ),
            )
            audit.record(tx, case["network_id"], case["id"], None, "bottleneck_decision")
            if case.get("anonymised_at") is None:
                self._tell_bottleneck_decision(tx, case, event)

    @staticmethod
    def _tell_bottleneck_decision(tx, case, event) -> None:
        """The case's contact point hears of the decision (issue 14). Cases tells whom, since
        only cases knows a case's contact point and meetings knows the case by pseudonym only;
        partners then needs to ask nothing. One event per contact point of an open
        trajectory; none yet: one without, and partners tells the coordinators."""
        people = sorted(
            {
                str(t["case_manager_id"])
                for t in store.trajectories_of(tx, case["id"])
                if t["status"] != "closed"
            }
        )
        for person in people or [None]:
            tx.emit(
                "bottleneck_decision_reached",
                case["network_id"],
                iso(
                    {
                        "referral_id": case["id"],
                        "contact_point_id": person,
                        "decision_id": event["decision_id"],
                        "outcome": event["outcome"],
                        "taken_on": event["taken_on"],
                    }
                ),
            )

    # -- referrals --------------------------------------------------------------------------

    @rpc
    def receive_referral(self, network_id, payload):
        network_id = parse_id(network_id, "network_id")
        principal = self._principal(self.db)
        data = referral_input(payload)
        with self.db.transaction() as tx:
            receipt = self._receive(tx, principal, network_id, data, "create_referral")
            return answer(schemas.ReferralReceipt(), receipt)

    def _referral_network(self, tx, principal, network_id) -> dict:
        """The network a referral goes to: one the actor may refer in, by a role there or as
        a referrer of another network of the same region."""
        if principal.in_network(network_id) or not can_refer_from_region(
            principal, network_id, projections.regions(tx, [network_id, *principal.roles])
        ):
            return self._network(
                tx, principal, network_id, can_refer, "Je mag in dit netwerk geen gezin aanmelden."
            )
        return self._settings(tx, network_id)

    def _receive(
        self, tx, principal, network_id, data, action, received_on=None, network=None
    ) -> dict:
        """Record a referral. `received_on`: the day it was made, for one taken over from an
        earlier waiting list (today otherwise); `network`: the network's settings when the
        caller has checked the actor's right to act there already."""
        network = network or self._referral_network(tx, principal, network_id)
        problems = triage.referral_problems(
            data, network["municipalities"], projections.offer_statuses(tx, network_id)
        )
        if problems:
            raise ValidationFailed("De aanmelding is niet volledig of niet juist.", problems)
        as_json = schemas.ReferralInput().dump(data)
        received_on = received_on or today()
        key = store.network_key(tx, network_id)
        referral_id = uuid.uuid4()
        children = data["household"]["children"]
        keys = [child_key(key, c["first_name"], c["birth_date"]) for c in children]
        # One family, one record: a child the network knows joins that family's record.
        known = store.known_family(tx, network_id, keys)
        if known is None:
            family_id = uuid.uuid4()
            store.insert_family(
                tx,
                {
                    "id": family_id,
                    "network_id": network_id,
                    "municipality": data["municipality"],
                    "household": as_json["household"],
                    "contact": as_json["contact"],
                },
            )
        else:
            family_id = known["id"]
            store.update_family(
                tx,
                family_id,
                families.merged_household(
                    known["household"],
                    as_json["household"],
                    lambda c: child_key(
                        key, c["first_name"], dt.date.fromisoformat(str(c["birth_date"]))
                    ),
                ),
                families.merged_contact(known["contact"], as_json["contact"]),
                data["municipality"],
            )
        store.insert_children(tx, family_id, network_id, keys)
        family_pseudonym = pseudonym(key, family_id)
        age_bands = sorted({age_band(c["birth_date"], received_on) for c in children})
        person = principal.person_id
        receipt = store.insert_referral(
            tx,
            {
                "id": referral_id,
                "network_id": network_id,
                "family_id": family_id,
                "offer_id": data["offer_id"],
                "source_sector": data["source_sector"],
                "concern": data["concern"],
                "question": data["question"],
                "consent": as_json["consent"],
                "requested_offer_ids": data["requested_offer_ids"],
                "mandated_body": data["mandated_body"],
                "life_domains": sorted(set(data["life_domains"])),
                "urgency": data["urgency"],
                "referrer_id": person,
                "referrer_organisation_id": principal.organisation_in(network_id),
                "case_pseudonym": pseudonym(key, f"case:{referral_id}"),
                "family_pseudonym": family_pseudonym,
                "age_bands": age_bands,
                "received_at": None
                if received_on == today()
                # Noon UTC: the same calendar day in every time zone the platform reads it in.
                else dt.datetime.combine(received_on, dt.time(12), tzinfo=dt.UTC),
            },
        )
        tx.emit(
            "referral_received",
            network_id,
            {
                "referral_id": str(referral_id),
                "offer_id": str(data["offer_id"]) if data["offer_id"] else None,
                "family_pseudonym": family_pseudonym,
                "age_bands": age_bands,
                "municipality": data["municipality"],
                "concern": data["concern"],
                "source_sector": data["source_sector"],
                "received_on": received_on.isoformat(),
                "crisis_alert": triage.crisis_alert(data["urgency"]),
            },
        )
        if triage.crisis_alert(data["urgency"]):
            tx.emit(
                "crisis_alert_raised",
                network_id,
                {
                    "family_pseudonym": family_pseudonym,
                    "referral_id": str(referral_id),
                    "municipality": data["municipality"],
                    "raised_on": received_on.isoformat(),
                },
            )
            receipt["crisis_agreements"] = projections.crisis_agreements(
                tx, network_id, received_on
            )
        receipt["attached_to_family"] = known is not None
        audit.record(
            tx, network_id, referral_id, self.actor, action, attached_to_family=known is not None
        )
        return receipt

    @rpc
    def save_referral_draft(self, network_id, payload, draft_id=None):
        """Save a referral being written, unchecked; `draft_id` updates an earlier draft."""
        network_id = parse_id(network_id, "network_id")
        principal = self._principal(self.db)
        data = validated(schemas.DraftInput(), {"payload": payload})
        draft_id = parse_id(draft_id, "draft_id") if draft_id else uuid.uuid4()
        with self.db.transaction() as tx:
            self._referral_network(tx, principal, network_id)
            row = store.save_draft(tx, draft_id, network_id, principal.person_id, data["payload"])
            if row is None:
                raise NotFound("Dit concept bestaat niet.", {"draft_id": ["Onbekend concept."]})
            audit.record(tx, network_id, None, self.actor, "save_draft", draft_id=draft_id)
        return iso(row)

    @rpc
    def list_referral_drafts(self, network_id):
        network_id = parse_id(network_id, "network_id")
        principal = self._principal(self.db)
        with self.db.transaction() as tx:
            self._referral_network(tx, principal, network_id)
            rows = store.drafts(tx, network_id, principal.person_id)
            # Drafts hold a family's data too: reading them is on the record like any read.
            audit.record(
                tx, network_id, None, self.actor, "list_drafts", draft_ids=[r["id"] for r in rows]
            )
        return iso(rows)

    @rpc
    def submit_referral_draft(self, draft_id):
        """Check a saved draft as a referral; on success it is received and the draft goes."""
        draft_id = parse_id(draft_id, "draft_id")
        principal = self._principal(self.db)
        with self.db.transaction() as tx:
            draft = store.draft(tx, draft_id, principal.person_id)
            if draft is None:
                raise NotFound("Dit concept bestaat niet.", {"draft_id": ["Onbekend concept."]})
            data = referral_input(draft["payload"])
            receipt = self._receive(tx, principal, draft["network_id"], data, "submit_draft")
            store.delete_draft(tx, draft_id)
            return answer(schemas.ReferralReceipt(), receipt)

    @rpc
    def register_consultation(self, network_id, payload):
        """Without the family's consent: an anonymous consultation, nothing that names them."""
        network_id = parse_id(network_id, "network_id")
        principal = self._principal(self.db)
        data = validated(schemas.ConsultationInput(), payload)
        with self.db.transaction() as tx:
            network = self._network(
                tx, principal, network_id, can_refer, "Je mag hier geen consultatie registreren."
            )
            if network["municipalities"] and data["municipality"] not in network["municipalities"]:
                raise ValidationFailed(
                    "Deze gemeente hoort niet bij dit netwerk.",
                    {"municipality": ["Deze gemeente hoort niet bij dit netwerk."]},
                )
            row = store.insert_consultation(
                tx,
                {
                    **data,
                    "id": uuid.uuid4(),
                    "network_id": network_id,
                    "registered_by": principal.person_id,
                },
            )
            audit.record(tx, network_id, None, self.actor, "register_consultation")
        return iso(row)

    # -- reading cases ------------------------------------------------------------------------

    @rpc
    def list_cases(self, network_id, filters=None):
        """The cases the actor may see: all for the coordinator, else those involving them."""
        network_id = parse_id(network_id, "network_id")
        with self.db.transaction() as tx:
            principal = self._principal(tx)
            f = validated(schemas.CaseFilters(), filters or {})
            self._network(tx, principal, network_id, lambda p, n: True, "")
            rows = self._listed_cases(tx, principal, network_id, f)
            audit.record(
                tx, network_id, None, self.actor, "list_cases", case_ids=[r["id"] for r in rows]
            )
        return schemas.CaseSummary(many=True).dump(rows)

    def _listed_cases(self, tx, principal, network_id, f: dict) -> list[dict]:
        rows = store.list_cases(
            tx,
            network_id,
            principal.person_id,
            principal.organisation_in(network_id),
            can_coordinate(principal, network_id),
            f.get("status"),
            bool(f.get("referred_by_me")),
        )
        # The query narrows the candidates; the rule decides on each one, so a role
        # without a say in cases (network admin, secretary) never lists a family through
        # its organisation's offers.
        access = self._access_to(tx, principal, network_id, [r["id"] for r in rows])
        return [r for r in rows if listed(access.get(r["id"]))]

    @rpc
    def get_case(self, case_id, purpose=None):
        case_id = parse_id(case_id, "case_id")
        principal = self._principal(self.db)
        with self.db.transaction() as tx:
            case = self._case(tx, principal, case_id, "read_case")
            view = self._case_view(tx, case)
            view["can_answer_offer_ids"] = self._answerable_by(tx, principal, case)
            audit.record(tx, case["network_id"], case_id, self.actor, "read_case", purpose)
        return iso(view)

    def _case_view(self, tx, case) -> dict:
        settings = self._settings(tx, case["network_id"])
        weights = priority.Weights.from_settings(settings["waiting_weights"])
        entries = []
        for e in store.entries_of(tx, case["id"]):
            item = {
                k: e[k]
                for k in (
                    "id",
                    "offer_id",
                    "offer_title",
                    "waiting_since",
                    "added_on",
                    "status",
                    "last_contact_on",
                    "next_contact_due",
                    "removed_on",
                    "removal_reason",
                    "removal_note",
                    "can_start_from",
                )
            }
            if e["status"] == "waiting":
                item["why"] = priority.explain(
                    candidate(e), weights, today(), store.position_of(tx, e)
                )
                item["contact_overdue"] = clocks.contact_overdue(e["next_contact_due"], today())
            entries.append(item)
        trajectories = store.trajectories_of(tx, case["id"])
        for t in trajectories:
            t["history"] = store.history_of(tx, t["id"])
        plan = store.current_plan(tx, case["id"])
        others = store.also_waiting(tx, [case["id"]], case["network_id"]).get(case["id"], [])
        return {
            "case_id": case["id"],
            "network_id": case["network_id"],
            "status": case["status"],
            "received_at": case["received_at"],
            "source_sector": case["source_sector"],
            "municipality": case["municipality"],
            "household": case["household"],
            "contact": case["contact"],
            "question": case["question"],
            "concern": case["concern"],
            "urgency": case["urgency"],
            "mandated_body": case["mandated_body"],
            "life_domains": case["life_domains"],
            "consent": case["consent"],
            "offer_id": case["offer_id"],
            "requested_offer_ids": case["requested_offer_ids"],
            "age_bands": case["age_bands"],
            "triage": case["triage"],
            "clock": self._clock(case, settings).as_dict(),
            "waiting": entries,
            "warm_contacts": store.contacts_of(tx, case["id"]),
            "bridging": store.bridging_of(tx, case["id"]),
            "trajectories": trajectories,
            "plan": plan,
            "bottlenecks": store.bottlenecks_of(tx, case["id"]),
            "answers": self._answers(tx, case),
            "also_waiting": [
                {
                    "entry_id": o["entry_id"],
                    "offer_id": o["offer_id"],
                    "offer_title": o["title"],
                    "same_referral": o["other_referral"] == case["id"],
                }
                for o in others
            ],
            "legal_hold": case["legal_hold"],
            "anonymised": case["anonymised_at"] is not None,
        }

    def _clock(self, case, settings) -> clocks.PickupClock:
        stopped = None
        if case["started_at"] is not None:
            stopped = case["started_at"].date()
        elif case["status"] in ("referred_on", "declined", "left_list", "closed"):
            stopped = (case["triaged_at"] or case["received_at"]).date()
        return clocks.pickup_clock(
            case["received_at"].date(), settings["pickup_guideline_days"], today(), stopped
        )

    @rpc
    def follow_up(self, case_id):
        """The referrer's view: who starts which help, and when; no notes, no plan."""
        case_id = parse_id(case_id, "case_id")
        principal = self._principal(self.db)
        with self.db.transaction() as tx:
            case = self._case(tx, principal, case_id, "read_follow_up", need=FOLLOW_UP)
            names = projections.partner_names(tx, case["network_id"])
            waiting = [
                {
                    "offer_id": e["offer_id"],
                    "offer_title": e["offer_title"],
                    "organisation": names.get(e["organisation_id"]),
                    "waiting_since": e["waiting_since"],
                    "can_start_from": e["can_start_from"],
                    "status": e["status"],
                }
                for e in store.entries_of(tx, case_id)
            ]
            help_started = []
            for t in store.trajectories_of(tx, case_id):
                offer = projections.offer(tx, t["offer_id"]) if t["offer_id"] else None
                org = projections.organisation_of(tx, case["network_id"], t["case_manager_id"])
                help_started.append(
                    {
                        "offer_title": offer["title"] if offer else None,
                        "organisation": names.get(offer["organisation_id"]) if offer else None,
                        "contact_point_organisation": names.get(org),
                        "started_on": t["started_on"],
                        "status": t["status"],
                        "closed_on": t["closed_on"],
                    }
                )
            settings = self._settings(tx, case["network_id"])
            view = {
                "case_id": case_id,
                "received_at": case["received_at"],
                "status": case["status"],
                "decision": (case["triage"] or {}).get("decision"),
                "refer_to": (case["triage"] or {}).get("refer_to"),
                "waiting": waiting,
                "help": help_started,
                "answers": self._answers(tx, case),
                "clock": self._clock(case, settings).as_dict(),
            }
            audit.record(tx, case["network_id"], case_id, self.actor, "read_follow_up")
        return schemas.FollowUp().dump(view)

    # -- the receiving organisation answers (closed loop) ----------------------------------------

    @staticmethod
    def _answers(tx, case) -> list[dict]:
        names = projections.partner_names(tx, case["network_id"])
        return [
            {
                "offer_id": a["offer_id"],
                "offer_title": a["offer_title"],
                "organisation": names.get(a["organisation_id"]),
                "answer": a["answer"],
                "reason": a["reason"],
                "starts_on": a["starts_on"],
                "answered_on": a["answered_on"],
            }
            for a in store.answers_of(tx, case["id"])
        ]

    @staticmethod
    def _answerable_by(tx, principal, case) -> list[str]:
        """The offers of this case the reader's organisation can still answer for."""
        answered = {str(a["offer_id"]) for a in store.answers_of(tx, case["id"])}
        offers = answers.answerable_offers(case["offer_id"], store.entries_of(tx, case["id"]))
        found = []
        for offer_id in offers:
            offer = projections.offer(tx, offer_id)
            if (
                offer is not None
                and offer_id not in answered
                and can_answer_referral(principal, case["network_id"], offer["organisation_id"])
            ):
                found.append(offer_id)
        return found

    @rpc
    def answer_referral(self, case_id, payload):
        """The organisation of the offer accepts the family (from a start date) or declines it
        (with a reason). The referrer sees the answer in the follow-up; a decline that leaves
        nothing under way sends the case back to the coordinator."""
        case_id = parse_id(case_id, "case_id")
        principal = self._principal(self.db)
        data = validated(schemas.ReferralAnswerInput(), payload)
        with self.db.transaction() as tx:
            case = self._case(tx, principal, case_id, "answer_referral", lock=True)
            network_id = case["network_id"]
            offers = answers.answerable_offers(case["offer_id"], store.entries_of(tx, case_id))
            problems = answers.answer_problems(data, case["received_at"].date(), offers)
            if problems:
                raise ValidationFailed("Dit antwoord kan zo niet.", problems)
            offer = projections.offer(tx, data["offer_id"])
            if not can_answer_referral(principal, network_id, offer["organisation_id"]):
                self._denied(network_id, case_id, "answer_referral")
                raise Forbidden("Alleen de organisatie van dit aanbod antwoordt op de aanmelding.")
            entry = offers[str(data["offer_id"])]
            kind = data["answer"]
            reason = data["reason"].strip()
            added = store.insert_answer(
                tx,
                {
                    "id": uuid.uuid4(),
                    "network_id": network_id,
                    "referral_id": case_id,
                    "offer_id": data["offer_id"],
                    "entry_id": entry["id"] if entry else None,
                    "answer": kind,
                    "reason": reason,
                    "starts_on": data["starts_on"] if kind == "accepted" else None,
                    "answered_by": principal.person_id,
                    "answered_on": today(),
                },
            )
            if added is None:
                raise Conflict(
                    "Jullie antwoordden al voor dit aanbod.",
                    {"offer_id": ["Al beantwoord."]},
                )
            if kind == "declined" and entry is not None:
                # The family no longer waits for an offer that will not take it.
                self._remove(tx, case, entry, "declined_by_provider", reason)
            status = answers.status_after(
                kind,
                case["status"],
                store.waiting_left(tx, case_id),
                store.running_trajectories(tx, case_id),
            )
            if status != case["status"]:
                store.set_status(tx, case_id, status)
            tx.emit(
                "referral_answered",
                network_id,
                {
                    "family_pseudonym": case["family_pseudonym"],
                    "referral_id": str(case_id),
                    "offer_id": str(data["offer_id"]),
                    "organisation_id": (
                        str(offer["organisation_id"]) if offer["organisation_id"] else None
                    ),
                    "answer": kind,
                    "starts_on": (data["starts_on"].isoformat() if kind == "accepted" else None),
                    "received_on": case["received_at"].date().isoformat(),
                    "answered_on": today().isoformat(),
                    "referrer_id": str(case["referrer_id"]) if case.get("referrer_id") else None,
                },
            )
            audit.record(
                tx,
                network_id,
                case_id,
                self.actor,
                "answer_referral",
                offer_id=data["offer_id"],
                answer=kind,
            )
            mine = [a for a in self._answers(tx, case) if a["offer_id"] == data["offer_id"]]
            result = {"case_id": case_id, "status": status, "answer": mine[0]}
            return answer(schemas.ReferralAnswered(), result)

    # -- triage -------------------------------------------------------------------------------

    @rpc
    def triage_referral(self, case_id, payload):
        case_id = parse_id(case_id, "case_id")
        principal = self._principal(self.db)
        data = validated(schemas.TriageInput(), payload)
        with self.db.transaction() as tx:
            case = self._case(tx, principal, case_id, "triage", lock=True)
            network_id = case["network_id"]
            if not can_coordinate(principal, network_id):
                raise Forbidden("Alleen de coördinator of een tafel beslist over een aanmelding.")
            problems = triage.triage_problems(
                data,
                case["status"],
                projections.offer_statuses(tx, network_id),
                projections.contact_point_candidates(tx, network_id),
            )
            places = None
            mandated = volume.mandated_referral(case["mandated_body"], case["source_sector"])
            if mandated:
                # Locked: two triages at once cannot both take the agreement's last place.
                places = self._mandated_volume(tx, network_id, lock=True)
                problems.update(volume.volume_problems(True, data, places))
            if problems:
                raise ValidationFailed("Deze beslissing kan zo niet.", problems)
            override = volume.override_needed(mandated, data["decision"], places)
            if not override:
                # A reason given while places were left overrides nothing: not recorded as one.
                data["volume_override_reason"] = None
            extra = {"mandated_volume": iso(places.as_dict())} if places else {}
            status, record = self._decide(tx, case, data, principal, extra)
            decision = data["decision"]
            result = {"case_id": case_id, "status": status, "triage": record}
            if case["urgency"] == "urgent_dangerous" or data["refer_to"] == "crisis_point":
                result["crisis_agreements"] = projections.crisis_agreements(tx, network_id, today())
            if places is not None:
                result["mandated_volume"] = self._mandated_volume(tx, network_id).as_dict()
            audit.record(tx, network_id, case_id, self.actor, "triage", decision=decision)
            if override:
                audit.record(
                    tx,
                    network_id,
                    case_id,
                    self.actor,
                    "mandated_volume_override",
                    agreement_id=places.agreement_id,
                    agreed=places.agreed,
                    used=places.used,
                    reason=data["volume_override_reason"],
                )
            return answer(schemas.TriageResult(), result)

    def _mandated_volume(self, tx, network_id, lock=False) -> volume.Volume | None:
        """The places of the volume agreement with the mandated bodies in force today."""
        agreements = [
            volume.VolumeAgreement(
                id=str(r["id"]),
                agreed_number=r["agreed_number"],
                starts_on=r["starts_on"],
                ends_on=r["ends_on"],
                status=r["status"],
            )
            for r in projections.mandated_agreements(tx, network_id, lock=lock)
        ]
        current = volume.in_force(agreements, today())
        if current is None:
            return None
        used = store.mandated_places_used(
            tx, network_id, current.starts_on, current.ends_on, volume.TAKES_A_PLACE
        )
        return volume.Volume(
            agreement_id=current.id,
            agreed=current.agreed_number,
            used=used,
            starts_on=current.starts_on,
            ends_on=current.ends_on,
        )

    @rpc
    def mandated_volume(self, network_id):
        """For the coordinator at triage: how many places of the volume agreement with the
        mandated bodies are used in its period; None when no agreement is in force."""
        network_id = parse_id(network_id, "network_id")
        principal = self._principal(self.db)
        self._network(
            self.db,
            principal,
            network_id,
            can_coordinate,
            "Alleen de coördinator of een tafel ziet de volumeafspraak bij de triage.",
        )
        places = self._mandated_volume(self.db, network_id)
        return None if places is None else answer(schemas.MandatedVolume(), places.as_dict())

    def _decide(self, tx, case, data, principal, extra=None) -> tuple[str, dict]:
        """Carry out a checked triage decision: the case's status, its lists or its start,
        and the `referral_triaged` event. Answers the status and the recorded decision
        (with `extra`: what the decision was taken against, such as the agreed volume)."""
        case_id, network_id = case["id"], case["network_id"]
        decision = data["decision"]
        record = {
            **schemas.TriageInput().dump(data),
            **(extra or {}),
            "by": principal.person_id,
            "on": today().isoformat(),
        }
        status = {
            "waiting_list": "waiting",
            "start_now": "started",
            "refer_on": "referred_on",
            "decline": "declined",
        }[decision]
        store.record_triage(tx, case_id, status, record)
        offer_ids = data["offer_ids"] if decision == "waiting_list" else []
        if decision == "waiting_list":
            for offer_id in offer_ids:
                self._add_to_list(tx, case, offer_id, principal)
        elif decision == "start_now":
            self._start(tx, case, data["offer_id"], data["case_manager_id"], today(), principal)
        tx.emit(
            "referral_triaged",
            network_id,
            {
                "family_pseudonym": case["family_pseudonym"],
                "referral_id": str(case_id),
                "decision": decision,
                "refer_to": data["refer_to"] if decision == "refer_on" else None,
                "offer_ids": [str(o) for o in offer_ids],
                "concern": case["concern"],
                "urgency": case["urgency"],
                "received_on": case["received_at"].date().isoformat(),
                "triaged_on": today().isoformat(),
                "referrer_id": str(case["referrer_id"]) if case.get("referrer_id") else None,
            },
        )
        return status, record

    def _add_to_list(self, tx, case, offer_id, principal) -> None:
        settings = self._settings(tx, case["network_id"])
        weights = priority.Weights.from_settings(settings["waiting_weights"])
        waiting_since = case["received_at"].date()
        entry_id = uuid.uuid4()
        c = priority.Candidate(
            waiting_since=waiting_since,
            concern=case["concern"],
            domains=len(case["life_domains"]),
            urgency=case["urgency"],
            id=str(entry_id),
        )
        added = store.insert_entry(
            tx,
            {
                "id": entry_id,
                "network_id": case["network_id"],
                "referral_id": case["id"],
                "offer_id": offer_id,
                "waiting_since": waiting_since,
                "added_on": today(),
                "concern": c.concern,
                "concern_level": priority.CONCERN_LEVELS[c.concern],
                "urgency": c.urgency,
                "urgency_level": priority.URGENCY_LEVELS[c.urgency],
                "domains": c.domains,
                "rank_key": priority.rank_key(c, weights),
                "next_contact_due": clocks.next_contact_due(
                    today(), settings["warm_contact_interval_days"]
                ),
                "added_by": principal.person_id,
            },
        )
        if added is None:
            raise Conflict(
                "Dit gezin staat al op de wachtlijst van dit aanbod.",
                {"offer_ids": ["Staat al op deze wachtlijst."]},
            )
        tx.emit(
            "waiting_list_entry_added",
            case["network_id"],
            {
                "family_pseudonym": case["family_pseudonym"],
                "entry_id": str(entry_id),
                "referral_id": str(case["id"]),
                "offer_id": str(offer_id),
                "age_bands": case["age_bands"],
                "municipality": case["municipality"],
                "concern": case["concern"],
                "waiting_since": waiting_since.isoformat(),
                "added_on": today().isoformat(),
            },
        )

    @rpc
    def add_to_waiting_list(self, case_id, offer_id):
        """Put an already triaged family on one more offer's list."""
        case_id = parse_id(case_id, "case_id")
        offer_id = parse_id(offer_id, "offer_id")
        principal = self._principal(self.db)
        with self.db.transaction() as tx:
            case = self._case(tx, principal, case_id, "add_to_waiting_list", lock=True)
            if not can_coordinate(principal, case["network_id"]):
                raise Forbidden("Alleen de coördinator beheert de wachtlijsten.")
            if projections.offer_statuses(tx, case["network_id"]).get(offer_id) != "active":
                raise ValidationFailed(
                    "Onbekend of niet actief aanbod.",
                    {"offer_id": ["Onbekend aanbod in dit netwerk."]},
                )
            self._add_to_list(tx, case, offer_id, principal)
            store.set_status(
                tx,
                case_id,
                "waiting"
                if case["status"] in ("received", "waiting", "left_list")
                else case["status"],
            )
            audit.record(
                tx,
                case["network_id"],
                case_id,
                self.actor,
                "add_to_waiting_list",
                offer_id=offer_id,
            )
        return {"case_id": str(case_id), "offer_id": str(offer_id)}

    # -- taking over a waiting list kept in a spreadsheet ------------------------------------

    @rpc
    def import_waiting_list(
        self, network_id, offer_id, rows, dry_run=True, consent_confirmed=False
    ):
        """The coordinator takes over an offer's waiting list kept until now elsewhere.

        Every row is checked and every problem reported (line, column, reason). Only a list
        without problems is imported, whole, in one transaction: each family is referred on
        the date the list gives and triaged onto this offer's list by the very code a live
        referral and triage run, so its place, its one-month clock and the events reporting
        counts are those of a family referred that day. A refused import answers the same
        report with nothing imported. A real import needs the coordinator's attestation
        that every family consented to sharing with the network's partners: the consent
        each imported referral records rests on it, and the audit log names who gave it."""
        network_id = parse_id(network_id, "network_id")
        offer_id = parse_id(offer_id, "offer_id")
        principal = self._principal(self.db)
        data = validated(
            schemas.WaitingListImportInput(),
            {"rows": rows, "dry_run": dry_run, "consent_confirmed": consent_confirmed},
        )
        if not data["dry_run"] and not data["consent_confirmed"]:
            raise ValidationFailed(
                schemas.CONSENT_NOT_CONFIRMED,
                {"consent_confirmed": [schemas.CONSENT_NOT_CONFIRMED]},
            )
        with self.db.transaction() as tx:
            network = self._network(
                tx,
                principal,
                network_id,
                can_coordinate,
                "Alleen de coördinator neemt een wachtlijst over.",
            )
            if projections.offer_statuses(tx, network_id).get(offer_id) != "active":
                raise ValidationFailed(
                    "Onbekend of niet actief aanbod.",
                    {"offer_id": ["Onbekend of niet actief aanbod in dit netwerk."]},
                )
            good, problems = listimport.check_rows(data["rows"], network["municipalities"])
            problems += self._known_children(tx, network_id, good)
            problems.sort(key=lambda p: (p["line"], p["column"]))
            bad_lines = {p["line"] for p in problems}
            report = {
                "dry_run": data["dry_run"],
                "offer_id": offer_id,
                "rows": len(data["rows"]),
                "good_rows": len([1 for line, _ in good if line not in bad_lines]),
                "bad_rows": len(bad_lines),
                "problems": problems,
                "imported": 0,
                "case_ids": [],
            }
            if not data["dry_run"] and not problems:
                for _, row in good:
                    report["case_ids"].append(
                        self._import_family(tx, principal, network, network_id, offer_id, row)
                    )
                report["imported"] = len(report["case_ids"])
            audit.record(
                tx,
                network_id,
                None,
                self.actor,
                "import_waiting_list",
                offer_id=offer_id,
                dry_run=data["dry_run"],
                consent_confirmed=data["consent_confirmed"],
                rows=report["rows"],
                bad_rows=report["bad_rows"],
                imported=report["imported"],
            )
            return answer(schemas.WaitingListImportReport(), report)

    @staticmethod
    def _known_children(tx, network_id, good) -> list[dict]:
        """A child the network knows already (referred or imported before) is not imported
        again: a second import of the same file would put every family on the list twice."""
        key = store.existing_network_key(tx, network_id)
        if key is None or not good:
            return []
        keys = {line: child_key(key, r["child_first_name"], r["birth_date"]) for line, r in good}
        known = store.known_child_keys(tx, network_id, list(keys.values()))
        return [
            {
                "line": line,
                "column": listimport.column_of("child_first_name"),
                "reason": "Dit kind is al aangemeld in dit netwerk.",
            }
            for line, k in keys.items()
            if k in known
        ]

    def _import_family(self, tx, principal, network, network_id, offer_id, row) -> str:
        """One family of the list: its referral on the date it was made, then the triage
        decision that put it on this offer's list."""
        question = row["note"] or IMPORTED_QUESTION
        if row["referrer_organisation"]:
            question = f"Verwezen door {row['referrer_organisation']}. {question}"
        referral = referral_input(
            {
                "offer_id": str(offer_id),
                "source_sector": row["source_sector"],
                "municipality": row["municipality"],
                "concern": row["concern"],
                "question": question,
                "household": {
                    "carers": [{"name": row["family_name"]}],
                    "children": [
                        {
                            "first_name": row["child_first_name"],
                            "birth_date": row["birth_date"].isoformat(),
                        }
                    ],
                },
                # The family agreed to be on the network's list when it was referred; the
                # earlier list is the record of that agreement.
                "consent": {
                    "given_by": row["family_name"],
                    "given_on": row["referred_on"].isoformat(),
                    "sharing": ["network_partners"],
                },
                "life_domains": row["life_domains"],
                "urgency": row["urgency"],
            }
        )
        receipt = self._receive(
            tx,
            principal,
            network_id,
            referral,
            "import_waiting_list",
            received_on=row["referred_on"],
            network=network,
        )
        case = store.referral(tx, receipt["case_id"], lock=True)
        decision = validated(
            schemas.TriageInput(),
            {"decision": "waiting_list", "reason": IMPORTED_REASON, "offer_ids": [str(offer_id)]},
        )
        self._decide(tx, case, decision, principal)
        audit.record(tx, network_id, case["id"], self.actor, "triage", decision="waiting_list")
        return str(case["id"])

    # -- the warm waiting list ------------------------------------------------------------------

    @rpc
    def waiting_list(self, offer_id, limit=50, offset=0, purpose=None):
        """One page of an offer's warm waiting list in priority order, each family with why
        it has this place, its clocks and other lists it is on; the offer's free places."""
        offer_id = parse_id(offer_id, "offer_id")
        paging = validated(schemas.Paging(), {"limit": limit, "offset": offset})
        with self.db.transaction() as tx:
            principal = self._principal(tx)
            offer, result = self._waiting_page(tx, principal, offer_id, paging)
            audit.record(
                tx,
                offer["network_id"],
                None,
                self.actor,
                "read_waiting_list",
                purpose,
                offer_id=offer_id,
                case_ids=[e["case_id"] for e in result["entries"]],
            )
        return schemas.WaitingListPage().dump(result)

    def _waiting_page(self, tx, principal, offer_id, paging) -> tuple[dict, dict]:
        """(offer, page) of one offer's warm waiting list, for a reader the rule allows."""
        offer = projections.offer(tx, offer_id)
        if offer is None or not principal.in_network(offer["network_id"]):
            raise NotFound("Dit aanbod bestaat niet.", {"offer_id": ["Onbekend aanbod."]})
        if not can_read_offer_list(principal, offer["network_id"], offer["organisation_id"]):
            self._denied(offer["network_id"], None, "read_waiting_list")
            raise Forbidden("Je mag de wachtlijst van dit aanbod niet zien.")
        settings = self._settings(tx, offer["network_id"])
        weights = priority.Weights.from_settings(settings["waiting_weights"])
        rows = store.offer_list_page(tx, offer_id, paging["limit"], paging["offset"])
        access = self._access_to(
            tx, principal, offer["network_id"], [r["referral_id"] for r in rows]
        )
        others = store.other_lists(
            tx, [r["referral_id"] for r in rows], offer["network_id"], offer_id
        )
        day = today()
        entries = []
        for i, r in enumerate(rows):
            position = paging["offset"] + i + 1
            clock = clocks.pickup_clock(
                r["received_at"].date(), settings["pickup_guideline_days"], day
            )
            entries.append(
                {
                    "position": position,
                    "entry_id": r["id"],
                    "case_id": r["referral_id"],
                    # Named only to whoever may read the case itself.
                    "family_name": r["family_name"]
                    if access.get(r["referral_id"]) == FULL
                    else None,
                    "municipality": r["municipality"],
                    "age_bands": r["age_bands"],
                    "waiting_since": r["waiting_since"],
                    "days_waiting": priority.days_waiting(candidate(r), day),
                    "concern": r["concern"],
                    "urgency": r["urgency"],
                    "domains": r["domains"],
                    "why": priority.explain(candidate(r), weights, day, position),
                    "last_contact_on": r["last_contact_on"],
                    "next_contact_due": r["next_contact_due"],
                    "contact_overdue": clocks.contact_overdue(r["next_contact_due"], day),
                    "clock": clock.as_dict(),
                    "also_waiting_on": [
                        {"offer_id": o["offer_id"], "offer_title": o["title"]}
                        for o in others.get(r["referral_id"], [])
                    ],
                }
            )
        result = {
            "offer": {
                "id": offer["id"],
                "title": offer["title"],
                "capacity": offer["capacity"],
                "free_places": offer["free_places"],
                "status": offer["status"],
                "can_start_from": offer["can_start_from"],
            },
            "weights": vars(weights),
            "total": store.waiting_count(tx, offer_id),
            "limit": paging["limit"],
            "offset": paging["offset"],
            "entries": entries,
        }
        return offer, result

    def _entry_case(self, tx, principal, entry_id, action):
        entry = store.entry(tx, entry_id, lock=True)
        if entry is None:
            raise NotFound("Deze wachtlijstplaats bestaat niet.", {"entry_id": ["Onbekend."]})
        try:
            case = self._case(tx, principal, entry["referral_id"], action)
        except NotFound:
            raise NotFound(
                "Deze wachtlijstplaats bestaat niet.", {"entry_id": ["Onbekend."]}
            ) from None
        return entry, case

    @rpc
    def explain_priority(self, entry_id):
        """Why this family has this place on this list."""
        entry_id = parse_id(entry_id, "entry_id")
        principal = self._principal(self.db)
        with self.db.transaction() as tx:
            entry, case = self._entry_case(tx, principal, entry_id, "explain_priority")
            if entry["status"] != "waiting":
                raise Conflict("Dit gezin staat niet meer op de wachtlijst.")
            weights = priority.Weights.from_settings(
                self._settings(tx, case["network_id"])["waiting_weights"]
            )
            why = priority.explain(candidate(entry), weights, today(), store.position_of(tx, entry))
            audit.record(tx, case["network_id"], case["id"], self.actor, "explain_priority")
        return schemas.Priority().dump({"entry_id": entry_id, **why})

    @rpc
    def log_warm_contact(self, entry_id, payload):
        entry_id = parse_id(entry_id, "entry_id")
        principal = self._principal(self.db)
        data = validated(schemas.WarmContactInput(), payload)
        with self.db.transaction() as tx:
            entry, case = self._entry_case(tx, principal, entry_id, "log_warm_contact")
            if data["contact_on"] < case["received_at"].date():
                raise ValidationFailed(
                    "Een contact kan niet voor de aanmelding liggen.",
                    {"contact_on": ["Deze datum ligt voor de aanmelding."]},
                )
            if entry["status"] != "waiting":
                raise Conflict("Dit gezin staat niet meer op deze wachtlijst.")
            interval = self._settings(tx, case["network_id"])["warm_contact_interval_days"]
            last = max(data["contact_on"], entry["last_contact_on"] or data["contact_on"])
            due = clocks.next_contact_due(last, interval)
            contact = store.insert_contact(
                tx,
                {
                    **data,
                    "id": uuid.uuid4(),
                    "entry_id": entry_id,
                    "by_person": principal.person_id,
                },
            )
            store.contact_done(tx, entry_id, last, due)
            tx.emit(
                "warm_contact_logged",
                case["network_id"],
                {
                    "family_pseudonym": case["family_pseudonym"],
                    "entry_id": str(entry_id),
                    "offer_id": str(entry["offer_id"]),
                    "contacted_on": data["contact_on"].isoformat(),
                    "channel": data["channel"],
                    "next_contact_due": due.isoformat(),
                },
            )
            audit.record(tx, case["network_id"], case["id"], self.actor, "log_warm_contact")
        return iso({**contact, "next_contact_due": due})

    @rpc
    def overdue_contacts(self, network_id):
        """Families on a warm waiting list whose next contact is past due."""
        network_id = parse_id(network_id, "network_id")
        with self.db.transaction() as tx:
            principal = self._principal(tx)
            self._network(tx, principal, network_id, lambda p, n: True, "")
            rows = self._overdue(tx, principal, network_id)
            audit.record(
                tx,
                network_id,
                None,
                self.actor,
                "read_overdue_contacts",
                case_ids=[r["referral_id"] for r in rows],
            )
        return iso(rows)

    def _overdue(self, tx, principal, network_id) -> list[dict]:
        everything = can_coordinate(principal, network_id)
        org = principal.organisation_in(network_id)
        if not everything and org is None:
            raise Forbidden("Je hebt geen wachtlijst in dit netwerk.")
        rows = store.overdue(tx, network_id, today(), org, everything)
        access = self._access_to(tx, principal, network_id, [r["referral_id"] for r in rows])
        rows = [r for r in rows if access.get(r["referral_id"]) == FULL]
        for r in rows:
            r["days_overdue"] = (today() - r["next_contact_due"]).days
        return rows

    @rpc
    def pickup_clocks(self, network_id):
        """Referrals not yet picked up: those near the guideline (warning) and past it."""
        network_id = parse_id(network_id, "network_id")
        with self.db.transaction() as tx:
            principal = self._principal(tx)
            self._network(
                tx, principal, network_id, can_coordinate, "Alleen de coördinator ziet dit."
            )
            result = self._pickup(tx, network_id, self._settings(tx, network_id))
            audit.record(
                tx,
                network_id,
                None,
                self.actor,
                "read_pickup_clocks",
                case_ids=[c["case_id"] for v in result.values() for c in v],
            )
        return iso(result)

    @staticmethod
    def _pickup(tx, network_id, settings) -> dict:
        result = {"warning": [], "escalated": []}
        for r in store.open_referrals(tx, network_id):
            clock = clocks.pickup_clock(
                r["received_at"].date(), settings["pickup_guideline_days"], today()
            )
            if clock.state in result:
                result[clock.state].append(
                    {
                        "case_id": r["id"],
                        "family_name": r["family_name"],
                        "status": r["status"],
                        "urgency": r["urgency"],
                        "concern": r["concern"],
                        **clock.as_dict(),
                    }
                )
        return result

    @rpc
    def dashboard(self, network_id):
        """The network at a glance, for its coordinator and network admin: per offer how many
        families wait and how long, the one-month clock, warm contacts overdue, bottleneck
        cases, trajectories. Counts and days only: no family is named."""
        network_id = parse_id(network_id, "network_id")
        with self.db.transaction() as tx:
            principal = self._principal(tx)
            settings = self._network(
                tx,
                principal,
                network_id,
                lambda p, n: can_coordinate(p, n) or can_audit(p, n),
                "Alleen de coördinator of de netwerkbeheerder ziet het dashboard.",
            )
            result = self._dashboard(tx, network_id, settings)
        # Counts only, no case and no family: nothing for the audit log, so the dashboard
        # reads without a write (it is opened far more often than any case).
        return iso(result)

    @staticmethod
    def _dashboard(tx, network_id, settings) -> dict:
        day = today()
        year_start = dt.date(day.year, 1, 1)
        guideline = settings["pickup_guideline_days"]
        offers = [
            dashboard.offer_health(row)
            for row in dashboard.waiting_per_offer(tx, network_id, day, guideline)
        ]
        return {
            "network_id": network_id,
            "as_of": day,
            "guideline_days": guideline,
            "offers": offers,
            "waiting": sum(o["waiting"] for o in offers),
            "contacts_overdue": sum(o["contacts_overdue"] for o in offers),
            "pickup": dashboard.pickup_counts(tx, network_id, day, guideline),
            "bottlenecks": dashboard.bottleneck_counts(tx, network_id),
            "trajectories": dashboard.trajectory_counts(tx, network_id, year_start),
            "referrals_this_year": dashboard.referrals_this_year(tx, network_id, year_start),
        }

    # -- pages in one call ----------------------------------------------------------------
    # The portal's busiest pages ask cases once each: one RPC, one transaction and one
    # audit-log row naming every case the page shows, instead of one of each per panel
    # (bench/README.md, "What the portal benchmark shows"). The panels come from the same
    # helpers, and so the same rules, as the single RPCs above.

    @rpc
    def coordinator_home(self, network_id):
        """The coordinator's dashboard: the network's counts (`dashboard`) and, for the
        coordinator, the referrals near or past the one-month clock (`pickup_clocks`)."""
        network_id = parse_id(network_id, "network_id")
        with self.db.transaction() as tx:
            principal = self._principal(tx)
            settings = self._network(
                tx,
                principal,
                network_id,
                lambda p, n: can_coordinate(p, n) or can_audit(p, n),
                "Alleen de coördinator of de netwerkbeheerder ziet het dashboard.",
            )
            result = {"board": self._dashboard(tx, network_id, settings), "clocks": None}
            if can_coordinate(principal, network_id):
                # The clocks name cases (ids, days, urgency): audit-logged as their own RPC is.
                result["clocks"] = self._pickup(tx, network_id, settings)
                audit.record(
                    tx,
                    network_id,
                    None,
                    self.actor,
                    "read_coordinator_home",
                    case_ids=[c["case_id"] for v in result["clocks"].values() for c in v],
                )
        return iso(result)

    @rpc
    def waiting_board(self, network_id, offer_id=None, limit=50, offset=0, purpose=None):
        """The waiting-list board: one page of an offer's list (`waiting_list`; a list the
        reader may not see or that is not this network's is left out with the reason in
        `board_problem`, the rest of the board stands), the warm contacts overdue and, for
        the coordinator, the referrals to triage, those returned by the provider and the
        one-month clocks."""
        network_id = parse_id(network_id, "network_id")
        if purpose is not None and (not isinstance(purpose, str) or len(purpose) > 200):
            raise ValidationFailed("Ongeldig doel.", {"purpose": ["Tekst van ten hoogste 200."]})
        with self.db.transaction() as tx:
            principal = self._principal(tx)
            settings = self._network(tx, principal, network_id, lambda p, n: True, "")
            result = {
                "board": None,
                "board_problem": None,
                "to_triage": [],
                "returned": [],
                "clocks": {"warning": [], "escalated": []},
                "overdue": [],
            }
            shown = []
            if offer_id is not None:
                try:
                    offer_id = parse_id(offer_id, "offer_id")
                    paging = validated(schemas.Paging(), {"limit": limit, "offset": offset})
                    offer, page = self._waiting_page(tx, principal, offer_id, paging)
                    if str(offer["network_id"]) != str(network_id):
                        raise NotFound("Dit aanbod hoort niet bij dit netwerk.")
                except (ValidationFailed, NotFound, Forbidden) as exc:
                    offer_id = offer_id if isinstance(offer_id, uuid.UUID) else None
                    result["board_problem"] = exc.message
                else:
                    result["board"] = schemas.WaitingListPage().dump(page)
                    shown += [e["case_id"] for e in page["entries"]]
            if can_coordinate(principal, network_id):
                for key, status in (("to_triage", "received"), ("returned", "returned")):
                    rows = self._listed_cases(tx, principal, network_id, {"status": status})
                    result[key] = schemas.CaseSummary(many=True).dump(rows)
                    shown += [r["id"] for r in rows]
                result["clocks"] = iso(self._pickup(tx, network_id, settings))
                shown += [c["case_id"] for v in result["clocks"].values() for c in v]
            if can_coordinate(principal, network_id) or principal.organisation_in(network_id):
                rows = self._overdue(tx, principal, network_id)
                result["overdue"] = iso(rows)
                shown += [r["referral_id"] for r in rows]
            audit.record(
                tx,
                network_id,
                None,
                self.actor,
                "read_waiting_board",
                purpose,
                offer_id=offer_id,
                case_ids=list(dict.fromkeys(str(c) for c in shown)),
            )
        return result

    @rpc
    def record_bridging(self, case_id, payload):
        case_id = parse_id(case_id, "case_id")
        principal = self._principal(self.db)
        data = validated(schemas.BridgingInput(), payload)
        with self.db.transaction() as tx:
            case = self._case(tx, principal, case_id, "record_bridging")
            if data["organisation_id"] is not None and data["organisation_id"] not in (
                projections.active_partners(tx, case["network_id"], data["starts_on"])
            ):
                raise ValidationFailed(
                    "Deze organisatie is geen partner van dit netwerk.",
                    {"organisation_id": ["Geen partner van dit netwerk."]},
                )
            row = store.insert_bridging(
                tx,
                {
                    **data,
                    "id": uuid.uuid4(),
                    "referral_id": case_id,
                    "recorded_by": principal.person_id,
                },
            )
            audit.record(tx, case["network_id"], case_id, self.actor, "record_bridging")
        return iso(row)

    @rpc
    def remove_from_waiting_list(self, entry_id, payload):
        entry_id = parse_id(entry_id, "entry_id")
        principal = self._principal(self.db)
        data = validated(schemas.RemovalInput(), payload)
        with self.db.transaction() as tx:
            entry, case = self._entry_case(tx, principal, entry_id, "remove_from_waiting_list")
            if entry["status"] != "waiting":
                raise Conflict("Dit gezin staat niet meer op deze wachtlijst.")
            self._remove(tx, case, entry, data["reason"], data["note"])
            if store.waiting_left(tx, case["id"]) == 0 and case["status"] == "waiting":
                store.set_status(
                    tx,
                    case["id"],
                    "referred_on" if data["reason"] == "referred_on" else "left_list",
                )
            audit.record(
                tx,
                case["network_id"],
                case["id"],
                self.actor,
                "remove_from_waiting_list",
                reason=data["reason"],
            )
        return {"entry_id": str(entry_id), "status": "removed", "reason": data["reason"]}

    def _remove(self, tx, case, entry, reason, note) -> None:
        store.remove_entry(tx, entry["id"], today(), reason, note)
        tx.emit(
            "waiting_list_entry_removed",
            case["network_id"],
            {
                "family_pseudonym": case["family_pseudonym"],
                "entry_id": str(entry["id"]),
                "offer_id": str(entry["offer_id"]),
                "reason": reason,
                "removed_on": today().isoformat(),
                "days_waited": max((today() - entry["waiting_since"]).days, 0),
            },
        )

    # -- trajectories ---------------------------------------------------------------------------

    def _check_contact_point(self, tx, network_id, person_id) -> None:
        if person_id not in projections.contact_point_candidates(tx, network_id):
            raise ValidationFailed(
                "Deze persoon kan geen aanspreekpunt zijn in dit netwerk.",
                {
                    "case_manager_id": [
                        "Kies iemand met een rol als "
                        + ", ".join(sorted(ROLE_LABELS[r].lower() for r in CONTACT_POINTS))
                        + "."
                    ]
                },
            )

    def _start(self, tx, case, offer_id, manager_id, started_on, principal, reopened=False):
        network_id = case["network_id"]
        self._check_contact_point(tx, network_id, manager_id)
        if (
            offer_id is not None
            and projections.offer_statuses(tx, network_id).get(offer_id) is None
        ):
            raise ValidationFailed(
                "Onbekend aanbod in dit netwerk.", {"offer_id": ["Onbekend aanbod in dit netwerk."]}
            )
        if started_on < case["received_at"].date():
            raise ValidationFailed(
                "De start ligt voor de aanmelding.", {"started_on": ["Ligt voor de aanmelding."]}
            )
        if any(t["status"] != "closed" for t in store.trajectories_of(tx, case["id"])):
            raise Conflict("Dit gezin heeft al een lopend traject.")
        t = store.insert_trajectory(
            tx,
            {
                "id": uuid.uuid4(),
                "network_id": network_id,
                "referral_id": case["id"],
                "offer_id": offer_id,
                "case_manager_id": manager_id,
                "started_on": started_on,
            },
        )
        store.add_history(
            tx, t["id"], "started", {"case_manager_id": str(manager_id)}, principal.person_id
        )
        for e in store.entries_of(tx, case["id"]):
            if e["status"] == "waiting" and e["offer_id"] == offer_id:
                self._remove(tx, case, e, "started_here", "")
        tx.execute(
            "UPDATE referrals SET status = 'started', started_at = COALESCE(started_at, %s)"
            " WHERE id = %s",
            (dt.datetime.combine(started_on, dt.time(12), dt.UTC), case["id"]),
        )
        tx.emit(
            "trajectory_started",
            network_id,
            {
                "family_pseudonym": case["family_pseudonym"],
                "trajectory_id": str(t["id"]),
                "referral_id": str(case["id"]),
                "offer_id": str(offer_id) if offer_id else None,
                "organisation_id": self._org_str(tx, network_id, manager_id),
                "started_on": started_on.isoformat(),
                "days_to_start": max((started_on - case["received_at"].date()).days, 0),
                "reopened": reopened,
                "referrer_id": str(case["referrer_id"]) if case.get("referrer_id") else None,
            },
        )
        return t

    @staticmethod
    def _org_str(tx, network_id, person_id):
        org = projections.organisation_of(tx, network_id, person_id)
        return str(org) if org else None

    @rpc
    def start_trajectory(self, case_id, payload):
        case_id = parse_id(case_id, "case_id")
        principal = self._principal(self.db)
        data = validated(schemas.TrajectoryInput(), payload)
        with self.db.transaction() as tx:
            case = self._case(tx, principal, case_id, "start_trajectory", lock=True)
            if case["status"] not in ("received", "waiting", "left_list"):
                raise Conflict("Voor dit dossier kan geen traject starten.")
            t = self._start(
                tx, case, data["offer_id"], data["case_manager_id"], data["started_on"], principal
            )
            audit.record(tx, case["network_id"], case_id, self.actor, "start_trajectory")
            return answer(schemas.Trajectory(), t)

    def _trajectory_case(self, tx, principal, trajectory_id, action):
        t = store.trajectory(tx, trajectory_id, lock=True)
        if t is None:
            raise NotFound("Dit traject bestaat niet.", {"trajectory_id": ["Onbekend traject."]})
        try:
            case = self._case(tx, principal, t["referral_id"], action)
        except NotFound:
            raise NotFound(
                "Dit traject bestaat niet.", {"trajectory_id": ["Onbekend traject."]}
            ) from None
        return t, case

    @rpc
    def change_contact_point(self, trajectory_id, payload):
        trajectory_id = parse_id(trajectory_id, "trajectory_id")
        principal = self._principal(self.db)
        data = validated(schemas.ContactPointInput(), payload)
        with self.db.transaction() as tx:
            t, case = self._trajectory_case(tx, principal, trajectory_id, "change_contact_point")
            if t["status"] == "closed":
                raise Conflict("Dit traject is afgesloten.")
            self._check_contact_point(tx, case["network_id"], data["case_manager_id"])
            row = store.update_trajectory(
                tx, trajectory_id, case_manager_id=data["case_manager_id"]
            )
            store.add_history(
                tx,
                trajectory_id,
                "contact_point_changed",
                {
                    "from": str(t["case_manager_id"]),
                    "to": str(data["case_manager_id"]),
                    "reason": data["reason"],
                },
                principal.person_id,
            )
            tx.emit(
                "contact_point_changed",
                case["network_id"],
                {
                    "family_pseudonym": case["family_pseudonym"],
                    "trajectory_id": str(trajectory_id),
                    "organisation_id": self._org_str(
                        tx, case["network_id"], data["case_manager_id"]
                    ),
                    "changed_on": today().isoformat(),
                },
            )
            audit.record(tx, case["network_id"], case["id"], self.actor, "change_contact_point")
            return answer(schemas.Trajectory(), row)

    @rpc
    def set_trajectory_status(self, trajectory_id, payload):
        """Pause or resume a trajectory (closing has its own call: it needs an outcome)."""
        trajectory_id = parse_id(trajectory_id, "trajectory_id")
        principal = self._principal(self.db)
        data = validated(schemas.TrajectoryStatusInput(), payload)
        with self.db.transaction() as tx:
            t, case = self._trajectory_case(tx, principal, trajectory_id, "set_trajectory_status")
            if t["status"] == "closed":
                raise Conflict("Dit traject is afgesloten; heropen het eerst.")
            row = store.update_trajectory(tx, trajectory_id, status=data["status"])
            store.add_history(
                tx, trajectory_id, data["status"], {"reason": data["reason"]}, principal.person_id
            )
            audit.record(
                tx,
                case["network_id"],
                case["id"],
                self.actor,
                "set_trajectory_status",
                status=data["status"],
            )
            return answer(schemas.Trajectory(), row)

    @rpc
    def close_trajectory(self, trajectory_id, payload):
        trajectory_id = parse_id(trajectory_id, "trajectory_id")
        principal = self._principal(self.db)
        data = validated(schemas.ClosingInput(), payload)
        with self.db.transaction() as tx:
            t, case = self._trajectory_case(tx, principal, trajectory_id, "close_trajectory")
            if t["status"] == "closed":
                raise Conflict("Dit traject is al afgesloten.")
            errors = {}
            if data["outcome"] == "flow_through" and data["flow_to"] is None:
                errors["flow_to"] = ["Geef waarheen het gezin doorstroomt."]
            if data["closed_on"] < t["started_on"]:
                errors["closed_on"] = ["Deze datum ligt voor de start van het traject."]
            if errors:
                raise ValidationFailed("Het traject kan zo niet afgesloten worden.", errors)
            row = store.update_trajectory(
                tx,
                trajectory_id,
                status="closed",
                closed_on=data["closed_on"],
                outcome=data["outcome"],
                flow_to=data["flow_to"],
                closing_note=data["note"],
            )
            store.set_status(tx, case["id"], "closed")
            store.add_history(
                tx,
                trajectory_id,
                "closed",
                {"outcome": data["outcome"], "flow_to": data["flow_to"]},
                principal.person_id,
            )
            tx.emit(
                "trajectory_closed",
                case["network_id"],
                {
                    "family_pseudonym": case["family_pseudonym"],
                    "trajectory_id": str(trajectory_id),
                    "outcome": data["outcome"],
                    "flow_to": data["flow_to"],
                    "started_on": t["started_on"].isoformat(),
                    "closed_on": data["closed_on"].isoformat(),
                },
            )
            audit.record(tx, case["network_id"], case["id"], self.actor, "close_trajectory")
            return answer(schemas.Trajectory(), row)

    @rpc
    def reopen_trajectory(self, trajectory_id, payload):
        trajectory_id = parse_id(trajectory_id, "trajectory_id")
        principal = self._principal(self.db)
        data = validated(schemas.ReopeningInput(), payload)
        with self.db.transaction() as tx:
            t, case = self._trajectory_case(tx, principal, trajectory_id, "reopen_trajectory")
            if t["status"] != "closed":
                raise Conflict("Dit traject loopt nog.")
            if case["anonymised_at"] is not None:
                raise Conflict("Dit dossier is geanonimiseerd en kan niet heropend worden.")
            row = store.update_trajectory(
                tx,
                trajectory_id,
                status="active",
                closed_on=None,
                outcome=None,
                flow_to=None,
            )
            store.set_status(tx, case["id"], "started")
            store.add_history(
                tx, trajectory_id, "reopened", {"reason": data["reason"]}, principal.person_id
            )
            tx.emit(
                "trajectory_started",
                case["network_id"],
                {
                    "family_pseudonym": case["family_pseudonym"],
                    "trajectory_id": str(trajectory_id),
                    "referral_id": str(case["id"]),
                    "offer_id": str(t["offer_id"]) if t["offer_id"] else None,
                    "organisation_id": self._org_str(tx, case["network_id"], t["case_manager_id"]),
                    "started_on": today().isoformat(),
                    "days_to_start": max((today() - case["received_at"].date()).days, 0),
                    "reopened": True,
                    "referrer_id": str(case["referrer_id"]) if case.get("referrer_id") else None,
                },
            )
            audit.record(tx, case["network_id"], case["id"], self.actor, "reopen_trajectory")
            return answer(schemas.Trajectory(), row)

    # -- the one plan ---------------------------------------------------------------------------

    @rpc
    def update_plan(self, case_id, payload):
        """A new version of the family's one plan; `based_on_version` guards lost updates."""
        case_id = parse_id(case_id, "case_id")
        principal = self._principal(self.db)
        data = validated(schemas.PlanInput(), payload)
        with self.db.transaction() as tx:
            case = self._case(tx, principal, case_id, "update_plan", lock=True)
            if case["anonymised_at"] is not None:
                raise Conflict("Dit dossier is geanonimiseerd.")
            current = store.current_plan(tx, case_id)
            problems = plans.plan_problems(
                data,
                projections.active_partners(tx, case["network_id"], today()),
                case["received_at"].date(),
                today(),
                kept=frozenset(
                    dt.date.fromisoformat(str(d))
                    for d in (current["plan"].get("review_dates", []) if current else [])
                ),
            )
            if problems:
                raise ValidationFailed("Het plan kan zo niet bewaard worden.", problems)
            version = current["version"] if current else 0
            if data["based_on_version"] != version:
                raise Conflict(
                    f"Iemand anders wijzigde het plan intussen (versie {version}). Herlaad het.",
                    {"based_on_version": [f"De huidige versie is {version}."]},
                )
            new = schemas.PlanInput(exclude=("based_on_version",)).dump(data)
            changed = plans.changes(current["plan"] if current else None, new)
            row = store.insert_plan(tx, case_id, version + 1, new, changed, principal.person_id)
            self._plan_updated(tx, case, version + 1, new)
            audit.record(
                tx, case["network_id"], case_id, self.actor, "update_plan", version=version + 1
            )
            return answer(schemas.PlanVersion(), row)

    @rpc
    def get_plan(self, case_id, version=None):
        case_id = parse_id(case_id, "case_id")
        principal = self._principal(self.db)
        with self.db.transaction() as tx:
            case = self._case(tx, principal, case_id, "read_plan")
            row = (
                store.plan_version(tx, case_id, int(version))
                if version is not None
                else store.current_plan(tx, case_id)
            )
            if row is None:
                raise NotFound("Er is (nog) geen plan.", {"version": ["Geen plan."]})
            audit.record(
                tx, case["network_id"], case_id, self.actor, "read_plan", version=row["version"]
            )
        return schemas.PlanVersion().dump(row)

    @rpc
    def plan_history(self, case_id):
        """Every version of the plan: who changed what, and when."""
        case_id = parse_id(case_id, "case_id")
        principal = self._principal(self.db)
        with self.db.transaction() as tx:
            case = self._case(tx, principal, case_id, "read_plan_history")
            rows = store.plan_versions(tx, case_id)
            audit.record(tx, case["network_id"], case_id, self.actor, "read_plan_history")
        return schemas.PlanVersion(many=True).dump(rows)

    @rpc
    def set_plan_action_status(self, case_id, payload):
        """One action of the plan is planned, running, done or dropped: recorded as a new
        version of the plan (who, when, which field), so the history stays whole."""
        case_id = parse_id(case_id, "case_id")
        principal = self._principal(self.db)
        data = validated(schemas.PlanActionStatusInput(), payload)
        with self.db.transaction() as tx:
            case = self._case(tx, principal, case_id, "update_plan_action", lock=True)
            if case["anonymised_at"] is not None:
                raise Conflict("Dit dossier is geanonimiseerd.")
            current = store.current_plan(tx, case_id)
            if current is None:
                raise NotFound("Er is (nog) geen plan.", {"based_on_version": ["Geen plan."]})
            version = current["version"]
            if data["based_on_version"] != version:
                raise Conflict(
                    f"Iemand anders wijzigde het plan intussen (versie {version}). Herlaad het.",
                    {"based_on_version": [f"De huidige versie is {version}."]},
                )
            new = plans.with_action_status(
                current["plan"], data["goal"], data["action"], data["status"]
            )
            if new is None:
                raise ValidationFailed(
                    "Deze actie staat niet in het plan.",
                    {"action": ["Onbekende actie in dit plan."]},
                )
            changed = plans.changes(current["plan"], new)
            row = store.insert_plan(tx, case_id, version + 1, new, changed, principal.person_id)
            self._plan_updated(tx, case, version + 1, new)
            audit.record(
                tx,
                case["network_id"],
                case_id,
                self.actor,
                "update_plan_action",
                version=version + 1,
                path=f"goals.{data['goal']}.actions.{data['action']}",
                status=data["status"],
            )
            return answer(schemas.PlanVersion(), row)

    def _plan_updated(self, tx, case, version: int, plan: dict) -> None:
        goals, actions = plans.counts(plan)
        review = plans.next_review(
            {"review_dates": [dt.date.fromisoformat(str(d)) for d in plan["review_dates"]]},
            today(),
        )
        tx.emit(
            "plan_updated",
            case["network_id"],
            {
                "family_pseudonym": case["family_pseudonym"],
                "referral_id": str(case["id"]),
                "version_number": version,
                "goals": goals,
                "actions": actions,
                "next_review_on": review.isoformat() if review else None,
                "updated_on": today().isoformat(),
            },
        )

    # -- the case journal ---------------------------------------------------------------------

    @rpc
    def add_journal_entry(self, case_id, payload):
        """A contact or note of the family's workers (the access rule's FULL readers). A line
        is never edited: a correction is a new line naming the one it corrects."""
        case_id = parse_id(case_id, "case_id")
        principal = self._principal(self.db)
        data = validated(schemas.JournalEntryInput(), payload)
        with self.db.transaction() as tx:
            case = self._case(tx, principal, case_id, "add_journal_entry")
            if case["anonymised_at"] is not None:
                raise Conflict("Dit dossier is geanonimiseerd.")
            corrects = data["corrects_id"]
            if corrects is not None and store.journal_entry_of(tx, case_id, corrects) is None:
                raise ValidationFailed(
                    "De regel die je verbetert staat niet in dit logboek.",
                    {"corrects_id": ["Onbekende regel in dit logboek."]},
                )
            row = store.insert_journal_entry(
                tx,
                {
                    "id": uuid.uuid4(),
                    "network_id": case["network_id"],
                    "referral_id": case_id,
                    "occurred_at": data["occurred_at"],
                    "kind": data["kind"],
                    "text": data["text"],
                    "corrects_id": corrects,
                    "author_id": principal.person_id,
                },
            )
            audit.record(
                tx,
                case["network_id"],
                case_id,
                self.actor,
                "add_journal_entry",
                entry_id=row["id"],
                corrects_id=corrects,
            )
            return answer(schemas.JournalEntry(), row)

    @rpc
    def journal(self, case_id, purpose=None):
        """The case's journal, newest contact first; read as the case page is (FULL access)
        and written to the access log."""
        case_id = parse_id(case_id, "case_id")
        principal = self._principal(self.db)
        with self.db.transaction() as tx:
            case = self._case(tx, principal, case_id, "read_journal")
            rows = store.journal_of(tx, case_id)
            audit.record(tx, case["network_id"], case_id, self.actor, "read_journal", purpose)
        return schemas.JournalEntry(many=True).dump(rows)

    # -- one family, one record: search and likely duplicates ----------------------------------

    @staticmethod
    def _family_record(row) -> dict:
        household = row["household"] or {}
        return {
            "family_id": row.get("family_id") or row.get("id"),
            "municipality": row["municipality"],
            "carers": [c.get("name", "") for c in household.get("carers", [])],
            "children": [
                {
                    "first_name": c.get("first_name", ""),
                    "birth_date": dt.date.fromisoformat(str(c["birth_date"])),
                }
                for c in household.get("children", [])
                if c.get("birth_date")
            ],
            "case_ids": row["case_ids"],
        }

    @rpc
    def search_families(self, network_id, payload):
        """The coordinator finds a family's record by name, a child's birth date or the
        municipality. Always with a purpose: the access log keeps it, with the criteria and
        every family (and case) the search returned."""
        network_id = parse_id(network_id, "network_id")
        principal = self._principal(self.db)
        data = validated(schemas.FamilySearchInput(), payload)
        with self.db.transaction() as tx:
            self._network(
                tx, principal, network_id, can_coordinate, "Alleen de coördinator zoekt gezinnen."
            )
            rows = store.search_families(tx, network_id, data, schemas.MAX_FAMILY_RESULTS)
            found = [self._family_record(r) for r in rows]
            audit.record(
                tx,
                network_id,
                None,
                self.actor,
                "search_families",
                data["purpose"],
                criteria={k: data[k] for k in ("name", "birth_date", "municipality") if data[k]},
                family_ids=[f["family_id"] for f in found],
                case_ids=[c for f in found for c in f["case_ids"]],
            )
            return answer(schemas.FamilyRecord(many=True), found)

    @rpc
    def likely_duplicates(self, network_id):
        """Records that are likely one family (a child with the same birth date and a similar
        first name), for the coordinator to check; the read is logged with the families."""
        network_id = parse_id(network_id, "network_id")
        principal = self._principal(self.db)
        with self.db.transaction() as tx:
            self._network(
                tx,
                principal,
                network_id,
                can_coordinate,
                "Alleen de coördinator ziet mogelijke dubbele dossiers.",
            )
            rows = {str(r["id"]): r for r in store.families_of(tx, network_id)}
            pairs = families.likely_duplicates(list(rows.values()))
            found = [
                {
                    "birth_date": dt.date.fromisoformat(p["birth_date"]),
                    "names": p["names"],
                    "records": [self._family_record(rows[f]) for f in p["family_ids"]],
                }
                for p in pairs
            ]
            family_ids = sorted({f for p in pairs for f in p["family_ids"]})
            audit.record(
                tx,
                network_id,
                None,
                self.actor,
                "list_likely_duplicates",
                family_ids=family_ids,
                case_ids=[str(c) for f in family_ids for c in rows[f]["case_ids"]],
            )
            return answer(schemas.LikelyDuplicate(many=True), found)

    # -- one family, one record: merging two records of one family ------------------------------

    def _merge_network(self, tx, principal, network_id, action) -> None:
        """Merges are the coordinator's (any coordinator of the network); a refusal is logged."""
        if not principal.in_network(network_id):
            raise NotFound("Dit netwerk bestaat niet.", {"network_id": ["Onbekend netwerk."]})
        if not can_coordinate(principal, network_id):
            self._denied(network_id, None, action)
            raise Forbidden("Alleen de coördinator voegt dossiers van een gezin samen.")

    def _merge_view(self, tx, m) -> dict:
        """A merge with both records as they stand (the merged one holds no case while the
        merge is open); `case_ids`: the cases it moved."""
        moved = m["moved"] or {}
        return {
            **{k: v for k, v in m.items() if k != "moved"},
            "case_ids": [r["id"] for r in moved.get("referrals", [])],
            "keep": self._family_record(merges.record_of(tx, m["keep_family_id"])),
            "merged": self._family_record(merges.record_of(tx, m["merge_family_id"])),
        }

    def _merge_families(self, tx, network_id, data) -> tuple[dict, dict]:
        """Both records, locked in one order (two merges at once do not deadlock), and checked:
        of this network, still holding a family, not merged away already."""
        fields = {
            data["keep_family_id"]: "keep_family_id",
            data["merge_family_id"]: "merge_family_id",
        }
        found = {}
        for family_id in sorted(fields, key=str):
            row = merges.family(tx, family_id)
            field = fields[family_id]
            if row is None or str(row["network_id"]) != str(network_id):
                raise NotFound(
                    "Dit gezin bestaat niet.", {field: ["Onbekend gezin in dit netwerk."]}
                )
            if row["anonymised_at"] is not None:
                raise Conflict("Dit dossier is geanonimiseerd.", {field: ["Geanonimiseerd."]})
            if row["merged_into"] is not None:
                raise Conflict(
                    "Dit dossier is al samengevoegd met een ander.",
                    {field: ["Al samengevoegd met een ander dossier."]},
                )
            found[field] = row
        if merges.open_merge_keeping(tx, found["merge_family_id"]["id"]) is not None:
            # Its own merge must be confirmed or undone first: an undo puts rows back into it.
            raise Conflict(
                "Bij dit dossier is nog een samenvoeging open: bevestig die of maak ze ongedaan.",
                {"merge_family_id": ["Er is nog een samenvoeging in dit dossier open."]},
            )
        return found["keep_family_id"], found["merge_family_id"]

    @rpc
    def propose_family_merge(self, network_id, payload):
        """The coordinator merges a record into another record of the same family: its cases,
        children, carers, plan versions and journal move; the kept record's contact data and
        plan stay. Until a coordinator confirms it, `undo_family_merge` puts it all back."""
        network_id = parse_id(network_id, "network_id")
        principal = self._principal(self.db)
        data = validated(schemas.FamilyMergeInput(), payload)
        with self.db.transaction() as tx:
            self._merge_network(tx, principal, network_id, "propose_family_merge")
            keep, merged = self._merge_families(tx, network_id, data)
            moved = merges.move(
                tx, store.network_key(tx, network_id), keep, merged, principal.person_id
            )
            m = merges.insert_merge(
                tx,
                {
                    "id": uuid.uuid4(),
                    "network_id": network_id,
                    "keep_family_id": keep["id"],
                    "merge_family_id": merged["id"],
                    "reason": data["reason"],
                    "proposed_by": principal.person_id,
                    "moved": moved,
                },
            )
            view = self._merge_view(tx, m)
            self._merge_logged(tx, view, "propose_family_merge", data["reason"])
            return answer(schemas.FamilyMerge(), view)

    def _merge_logged(self, tx, view, action, purpose=None) -> None:
        audit.record(
            tx,
            view["network_id"],
            None,
            self.actor,
            action,
            purpose,
            merge_id=view["id"],
            keep_family_id=view["keep_family_id"],
            merge_family_id=view["merge_family_id"],
            case_ids=sorted({str(c) for c in [*view["keep"]["case_ids"], *view["case_ids"]]}),
        )

    def _open_merge(self, tx, principal, merge_id, network_id, action) -> dict:
        """The open merge, locked; `network_id` (the gateway's path) must be its network."""
        m = merges.merge(tx, merge_id, lock=True)
        if (
            m is None
            or not principal.in_network(m["network_id"])
            or (network_id is not None and str(network_id) != str(m["network_id"]))
        ):
            raise NotFound("Deze samenvoeging bestaat niet.", {"merge_id": ["Onbekend."]})
        self._merge_network(tx, principal, m["network_id"], action)
        if m["status"] != "open":
            raise Conflict(
                "Deze samenvoeging is bevestigd en dus definitief."
                if m["status"] == "confirmed"
                else "Deze samenvoeging is al ongedaan gemaakt.",
                {"merge_id": ["Niet meer open."]},
            )
        return m

    @rpc
    def undo_family_merge(self, merge_id, network_id=None):
        """Everything goes back to the merged record as it was before the merge."""
        merge_id = parse_id(merge_id, "merge_id")
        network_id = parse_id(network_id, "network_id") if network_id is not None else None
        principal = self._principal(self.db)
        with self.db.transaction() as tx:
            m = self._open_merge(tx, principal, merge_id, network_id, "undo_family_merge")
            view = self._merge_view(tx, m)
            ids = sorted([m["keep_family_id"], m["merge_family_id"]], key=str)
            rows = {r["id"]: r for r in (merges.family(tx, i) for i in ids)}
            merges.undo(tx, rows[m["keep_family_id"]], rows[m["merge_family_id"]], m["moved"])
            done = merges.decide(tx, merge_id, "undone", principal.person_id)
            self._merge_logged(tx, view, "undo_family_merge")
            return answer(
                schemas.FamilyMerge(), {**self._merge_view(tx, done), "case_ids": view["case_ids"]}
            )

    @rpc
    def confirm_family_merge(self, merge_id, network_id=None):
        """The merge becomes final: the merged record is left an empty shell."""
        merge_id = parse_id(merge_id, "merge_id")
        network_id = parse_id(network_id, "network_id") if network_id is not None else None
        principal = self._principal(self.db)
        with self.db.transaction() as tx:
            m = self._open_merge(tx, principal, merge_id, network_id, "confirm_family_merge")
            view = self._merge_view(tx, m)
            merged = merges.family(tx, m["merge_family_id"])
            merges.empty_merged(tx, merged["id"], privacy.anonymised_household(merged["household"]))
            done = merges.decide(tx, merge_id, "confirmed", principal.person_id)
            self._merge_logged(tx, view, "confirm_family_merge")
            return answer(
                schemas.FamilyMerge(), {**self._merge_view(tx, done), "case_ids": view["case_ids"]}
            )

    @rpc
    def family_merges(self, network_id):
        """The network's open merges, each with both records, for a coordinator to confirm or
        undo; the read is logged with the families."""
        network_id = parse_id(network_id, "network_id")
        principal = self._principal(self.db)
        with self.db.transaction() as tx:
            self._merge_network(tx, principal, network_id, "list_family_merges")
            found = [self._merge_view(tx, m) for m in merges.open_merges(tx, network_id)]
            audit.record(
                tx,
                network_id,
                None,
                self.actor,
                "list_family_merges",
                merge_ids=[m["id"] for m in found],
                case_ids=sorted({str(c) for m in found for c in m["keep"]["case_ids"]}),
            )
            return answer(schemas.FamilyMerge(many=True), found)

    # -- bottleneck cases -----------------------------------------------------------------------

    @rpc
    def flag_bottleneck(self, case_id, payload):
        case_id = parse_id(case_id, "case_id")
        principal = self._principal(self.db)
        data = validated(schemas.BottleneckInput(), payload)
        with self.db.transaction() as tx:
            case = self._case(tx, principal, case_id, "flag_bottleneck")
            row = store.insert_bottleneck(
                tx,
                {
                    **data,
                    "id": uuid.uuid4(),
                    "network_id": case["network_id"],
                    "referral_id": case_id,
                    "flagged_on": today(),
                    "flagged_by": principal.person_id,
                },
            )
            tx.emit(
                "bottleneck_flagged",
                case["network_id"],
                {
                    "case_pseudonym": case["case_pseudonym"],
                    "reason_category": data["reason_category"],
                    "flagged_on": today().isoformat(),
                },
            )
            audit.record(tx, case["network_id"], case_id, self.actor, "flag_bottleneck")
        return iso({**row, "case_pseudonym": case["case_pseudonym"]})

    # -- privacy --------------------------------------------------------------------------------

    @rpc
    def search_audit_log(self, network_id, filters=None):
        network_id = parse_id(network_id, "network_id")
        principal = self._principal(self.db)
        f = validated(schemas.AuditFilters(), filters or {})
        with self.db.transaction() as tx:
            self._network(
                tx,
                principal,
                network_id,
                can_audit,
                "Alleen de netwerkbeheerder doorzoekt het toegangslogboek.",
            )
            rows = audit.search(tx, network_id, f)
            audit.record(tx, network_id, f.get("case_id"), self.actor, "search_audit_log")
        return schemas.AuditEntry(many=True).dump(rows)

    def _privacy_case(self, tx, principal, case_id, action):
        """Privacy requests: the network admin (who handles them) or the coordinator."""
        case = store.referral(tx, case_id, lock=True)
        if case is None or not principal.in_network(case["network_id"]):
            raise not_found()
        if not (
            can_audit(principal, case["network_id"])
            or can_coordinate(principal, case["network_id"])
        ):
            self._denied(case["network_id"], case_id, action)
            raise Forbidden("Alleen de netwerkbeheerder of coördinator behandelt dit verzoek.")
        return case

    @rpc
    def set_legal_hold(self, case_id, payload):
        case_id = parse_id(case_id, "case_id")
        principal = self._principal(self.db)
        data = validated(schemas.LegalHoldInput(), payload)
        with self.db.transaction() as tx:
            case = self._privacy_case(tx, principal, case_id, "set_legal_hold")
            store.set_legal_hold(tx, case["family_id"], data["on"], data["reason"])
            audit.record(
                tx, case["network_id"], case_id, self.actor, "set_legal_hold", on=data["on"]
            )
        return {"case_id": str(case_id), "legal_hold": data["on"]}

    @rpc
    def export_family(self, case_id):
        """Everything this service holds about the family (an access request)."""
        case_id = parse_id(case_id, "case_id")
        principal = self._principal(self.db)
        with self.db.transaction() as tx:
            self._privacy_case(tx, principal, case_id, "export_family")
            # Handling the request does not open the file: the export holds the whole case,
            # so its reader must be one the access rule names (the network admin is not).
            case = self._case(tx, principal, case_id, "export_family")
            view = self._case_view(tx, case)
            view["plan_versions"] = store.plan_versions(tx, case_id)
            view["journal"] = store.journal_of(tx, case_id)
            view["access_log"] = audit.of_case(tx, case_id)
            audit.record(tx, case["network_id"], case_id, self.actor, "export_family")
        return iso(view)

    @rpc
    def erase_family(self, case_id, payload):
        """Erase a family's personal data (erasure request), unless under legal hold."""
        case_id = parse_id(case_id, "case_id")
        principal = self._principal(self.db)
        data = validated(schemas.ErasureInput(), payload)
        with self.db.transaction() as tx:
            case = self._privacy_case(tx, principal, case_id, "erase_family")
            if case["legal_hold"]:
                raise Conflict(
                    "Dit dossier valt onder een wettelijke bewaarplicht en kan niet gewist worden.",
                    {"legal_hold": [case["legal_hold_reason"] or "Wettelijke bewaarplicht."]},
                )
            if merges.open_merge_of(tx, case["family_id"]) is not None:
                # An open merge keeps what it moved, names included, to undo it exactly.
                raise Conflict(
                    "Bij dit gezin is een samenvoeging open: bevestig die of maak ze ongedaan.",
                    {"case_id": ["Er is een samenvoeging van dit gezin open."]},
                )
            self._anonymise(tx, case, erased=True)
            audit.record(
                tx, case["network_id"], case_id, self.actor, "erase_family", reason=data["reason"]
            )
        return {"case_id": str(case_id), "erased": True}

    def _anonymise(self, tx, case, erased: bool) -> None:
        # One family, one record: anonymising it empties every case of the family.
        household = privacy.anonymised_household(case["household"])
        for other in store.cases_of_family(tx, case["family_id"]):
            each = case if other == case["id"] else store.referral(tx, other, lock=True)
            for e in store.entries_of(tx, each["id"]):
                if e["status"] == "waiting":
                    self._remove(tx, each, e, "erased", "")
            store.anonymise(tx, each["id"], each["family_id"], household, erased)
        merges.forget_reasons(tx, case["family_id"])

    def _days(self, name: str, default: int) -> int:
        raw = self.nameko_config.get(name)
        if raw not in (None, ""):
            return int(raw)
        return config.env_int(name, default)

    def _retention_days(self) -> int:
        return self._days("CASE_RETENTION_DAYS", privacy.DEFAULT_RETENTION_DAYS)

    @rpc
    def apply_retention(self, network_id):
        """Anonymise the network's closed cases older than the retention period now."""
        network_id = parse_id(network_id, "network_id")
        principal = self._principal(self.db)
        self._network(
            self.db,
            principal,
            network_id,
            can_audit,
            "Alleen de netwerkbeheerder past de bewaartermijn toe.",
        )
        return {"anonymised": self._retention(network_id)}

    @timer(interval=6 * 3600)
    def retention_sweep(self):
        """Every store of personal data keeps it only as long as its retention (README):
        closed cases anonymised, forgotten drafts and old access-log entries deleted."""
        self._retention(None)
        now = dt.datetime.now(dt.UTC)
        drafts = self._days("DRAFT_RETENTION_DAYS", privacy.DEFAULT_DRAFT_RETENTION_DAYS)
        audits = self._days("AUDIT_RETENTION_DAYS", privacy.DEFAULT_AUDIT_RETENTION_DAYS)
        with self.db.transaction() as tx:
            store.purge_drafts(tx, now - dt.timedelta(days=drafts))
            store.purge_audit_log(tx, now - dt.timedelta(days=audits))

    def _retention(self, network_id) -> int:
        cutoff = today() - dt.timedelta(days=self._retention_days())
        done = 0
        for row in store.retention_candidates(self.db, network_id, cutoff):
            with self.db.transaction() as tx:
                case = store.referral(tx, row["id"], lock=True)
                if case["anonymised_at"] is not None or case["legal_hold"]:
                    continue
                if merges.open_merge_of(tx, case["family_id"]) is not None:
                    continue  # until the merge is confirmed or undone (see erase_family)
                self._anonymise(tx, case, erased=False)
                audit.record(tx, case["network_id"], case["id"], None, "retention")
                done += 1
        return done

    # -- notices that time passing raises (issue 14; cases.sweep) ---------------------------

    @timer(interval=3600)
    def due_notices_sweep(self):
        """Every hour: the warm contacts, one-month clocks and plan actions that came near
        or past their due date are told of, each once (partners decides whom it tells)."""
        self._sweep_due_notices()

    @rpc
    def sweep_due_notices(self):
        """The hourly sweep, now (operators, tests). It takes nothing and raises only what is
        due today, each notice once, so calling it early or often changes nothing but the
        moment; the gateway offers no route to it."""
        return self._sweep_due_notices()

    def _sweep_due_notices(self) -> dict:
        with self.db.transaction() as tx:
            raised = due_sweep.sweep(tx, today())
        if raised is None:
            log.info("due notices: another instance is sweeping; skipped this round")
            return {"swept": False}
        return {"swept": True, "raised": raised}
