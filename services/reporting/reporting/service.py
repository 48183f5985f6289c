"""nameko entrypoints of the reporting service: projections from partners', cases' and
meetings' events; indicators, trends and reports; IROJ's view of its region.

Every RPC checks the actor against reporting's own copy of partners' role events (see
`reporting.domain.access`): no actor -> Unauthenticated; a network the actor has no role in,
or a report they may not read -> NotFound (its existence is not revealed); a role that
does not allow it -> Forbidden. Rules live in `reporting.domain`, SQL in
`reporting.projections` and `reporting.store`.
"""

import datetime as dt
from pathlib import Path

import eventlet
from nameko.dependency_providers import Config
from nameko.timer import timer

from reporting import projections, store
from reporting.domain import indicators, lifecycle, suppression
from reporting.domain.access import (
    Principal,
    can_answer_signal,
    can_read_region,
    can_read_report,
    can_read_report_backs,
)
from reporting.domain.catalogue import BY_KEY, catalogue
from reporting.domain.periods import Period, last_periods
from verband_common.actor import Actor
from verband_common.consumer import event_consumer
from verband_common.contracts import event_json
from verband_common.correlation import CorrelationId
from verband_common.db import Database
from verband_common.errors import Conflict, Forbidden, NotFound, Unauthenticated, ValidationFailed
from verband_common.iroj_feed import IrojFeed
from verband_common.metrics import Metrics
from verband_common.rpc import parse_id, rpc, validated
from verband_common.schemas import reporting as schemas

MIGRATIONS = Path(__file__).with_name("migrations")
DEFAULT_THRESHOLD = 5
NOT_MANAGER = "Alleen de coördinator of de netwerkbeheerder werkt met de rapportering."


def no_network():
    return NotFound("Dit netwerk bestaat niet.", {"network_id": ["Onbekend netwerk."]})


def no_report():
    return NotFound("Dit rapport bestaat niet.", {"report_id": ["Onbekend rapport."]})


def period_of(payload, field="period", kinds=schemas.PeriodInput) -> Period:
    try:
        data = validated(kinds(), payload)
    except ValidationFailed as refused:
        raise ValidationFailed(
            refused.message, {f"{field}.{k}": v for k, v in refused.fields.items()}
        ) from None
    return Period(data["kind"], data["start"])


def signals(rows: list[dict]) -> list[dict]:
    return [{**s, "raised_at": dt.date.fromisoformat(s["raised_at"])} for s in rows]


def consumer(source, event_type):
    """A batching consumer that logs and projects each fresh event once."""

    def handler(self, events):
        with self.db.transaction() as tx:
            projections.consume(tx, tx.first_deliveries(events))

    handler.__name__ = f"on_{event_type}"
    return event_consumer(source, event_type, batch=True)(handler)


class ReportingService:
    name = "reporting"

    # Reporting publishes report_published, which a region's cell feeds to the IROJ hub
    # (verband_common.iroj_feed), and signal_answered, which goes back to meetings.
    db = Database(MIGRATIONS)
    iroj_feed = IrojFeed()
    metrics = Metrics()
    correlation_id = CorrelationId()
    actor = Actor()
    nameko_config = Config()

    @rpc
    def health(self):
        return {"service": self.name, **self.db.health()}

    # -- events ---------------------------------------------------------------------------------
    # Every fact any service publishes is logged here, also those no projection uses yet:
    # the history stays complete, and every event has a queue bound to it, so that the
    # outbox's mandatory publish reports only a real gap (tests/domain/test_every_event.py).

    on_network_created = consumer("partners", "network_created")
    on_network_settings_changed = consumer("partners", "network_settings_changed")
    on_role_granted = consumer("partners", "role_granted")
    on_role_revoked = consumer("partners", "role_revoked")
    on_offer_published = consumer("partners", "offer_published")
    on_offer_changed = consumer("partners", "offer_changed")
    on_agreement_recorded = consumer("partners", "agreement_recorded")
    on_partner_joined = consumer("partners", "partner_joined")
    on_partner_left = consumer("partners", "partner_left")
    on_capacity_changed = consumer("partners", "capacity_changed")
    on_referral_received = consumer("cases", "referral_received")
    on_referral_triaged = consumer("cases", "referral_triaged")
    on_waiting_list_entry_added = consumer("cases", "waiting_list_entry_added")
    on_waiting_list_entry_removed = consumer("cases", "waiting_list_entry_removed")
    on_warm_contact_logged = consumer("cases", "warm_contact_logged")
    on_trajectory_started = consumer("cases", "trajectory_started")
    on_trajectory_closed = consumer("cases", "trajectory_closed")
    on_bottleneck_flagged = consumer("cases", "bottleneck_flagged")
    on_crisis_alert_raised = consumer("cases", "crisis_alert_raised")
    on_contact_point_changed = consumer("cases", "contact_point_changed")
    on_plan_updated = consumer("cases", "plan_updated")
    on_referral_answered = consumer("cases", "referral_answered")
    on_warm_contact_due = consumer("cases", "warm_contact_due")
    on_pickup_guideline_due = consumer("cases", "pickup_guideline_due")
    on_plan_action_due = consumer("cases", "plan_action_due")
    on_bottleneck_decision_reached = consumer("cases", "bottleneck_decision_reached")
    on_agenda_published = consumer("meetings", "agenda_published")
    on_meeting_scheduled = consumer("meetings", "meeting_scheduled")
    on_meeting_held = consumer("meetings", "meeting_held")
    on_decision_taken = consumer("meetings", "decision_taken")
    on_action_assigned = consumer("meetings", "action_assigned")
    on_action_done = consumer("meetings", "action_done")
    on_minutes_approved = consumer("meetings", "minutes_approved")
    on_signal_raised = consumer("meetings", "signal_raised")
    on_iroj_report_back_recorded = consumer("meetings", "iroj_report_back_recorded")
    # Reporting's own answers to signals: logged with the rest of the history.
    on_signal_answered = consumer("reporting", "signal_answered")

    @event_consumer("reporting", "report_published")
    def on_report_published(self, event):
        """The IROJ hub keeps each region's published reports as they arrive from the cells
        (a no-op in the cell that published the report: it is already there)."""
        with self.db.transaction() as tx:
            if tx.first_delivery(event):
                store.receive_published(tx, event_json(event))

    # -- who is acting --------------------------------------------------------------------------

    @property
    def threshold(self) -> int:
        value = self.nameko_config.get("SUPPRESSION_THRESHOLD", DEFAULT_THRESHOLD)
        return suppression.effective(int(value))  # 1: nothing is small (checks by hand)

    def _principal(self) -> Principal:
        if self.actor is None:
            raise Unauthenticated("Meld je aan om de rapportering te bekijken.")
        if self.actor.kind != "person":
            # API tokens are scoped in partners; reporting knows people's roles only.
            return Principal(None)
        return store.principal(self.db, self.actor.id)

    def _managed_network(self, network_id) -> tuple[Principal, dict]:
        network_id = parse_id(network_id, "network_id")
        principal = self._principal()
        if not principal.in_network(network_id):
            raise no_network()
        if not principal.manages(network_id):
            raise Forbidden(NOT_MANAGER)
        network = store.network(self.db, network_id) or {
            "id": network_id,
            "name": None,
            "region": None,
        }
        return principal, network

    def _readable_report(self, report_id) -> tuple[Principal, dict]:
        report_id = parse_id(report_id, "report_id")
        principal = self._principal()
        report = store.report(self.db, report_id)
        if report is None or not can_read_report(principal, report):
            raise no_report()
        return principal, report

    def _managed_report(self, tx, report_id) -> tuple[Principal, dict]:
        report_id = parse_id(report_id, "report_id")
        principal = self._principal()
        report = store.report(tx, report_id, lock=True)
        if report is None or not can_read_report(principal, report):
            raise no_report()
        if not principal.manages(report["network_id"]):
            raise Forbidden(NOT_MANAGER)
        return principal, report

    # -- indicators -----------------------------------------------------------------------------

    @rpc
    def catalogue(self):
        self._principal()
        return [schemas.CatalogueEntry().dump(d) for d in catalogue()]

    def _content(self, network: dict, period: Period, aggregates: dict) -> dict:
        return {
            "network_id": network["id"],
            "network_name": network.get("name"),
            "region": network.get("region"),
            "period": period.as_dict(),
            "threshold": self.threshold,
            "indicators": indicators.present(aggregates, self.threshold),
            "signals": signals(aggregates.get("signals", [])),
        }

    def _indicators(self, network: dict, period: Period) -> tuple[dict, dict]:
        aggregates = store.aggregates(self.db, [network["id"]], period)[str(network["id"])]
        return self._content(network, period, aggregates), aggregates

    @rpc
    def indicators(self, network_id, period):
        _, network = self._managed_network(network_id)
        period = period_of(period)
        content, _ = self._indicators(network, period)
        return schemas.Indicators().dump(content)

    @rpc
    def trend(self, network_id, key, kind, periods):
        _, network = self._managed_network(network_id)
        data = validated(schemas.TrendInput(), {"key": key, "kind": kind, "periods": periods})
        if data["key"] not in BY_KEY:
            raise ValidationFailed("Onbekende indicator.", {"key": ["Onbekende indicator."]})
        points = []
        for period in last_periods(data["kind"], data["periods"], store.today()):
            aggregates = store.aggregates(self.db, [network["id"]], period)[str(network["id"])]
            shown = {i["key"]: i for i in indicators.present(aggregates, self.threshold)}
            point = shown[data["key"]]
            points.append(
                {
                    "start": period.start,
                    "end": period.end,
                    "value": point["value"],
                    "display": point["display"],
                    "suppressed": point["suppressed"],
                }
            )
        return schemas.TrendPoint(many=True).dump(points)

    # -- reports --------------------------------------------------------------------------------

    def _dump(self, report: dict, with_content: bool = True) -> dict:
        row = {
            **{k: v for k, v in report.items() if k != "aggregates"},
            "period": {
                "kind": report["period_kind"],
                "start": report["period_start"],
                "end": report["period_end"],
            },
        }
        for key in ("period_kind", "period_start", "period_end"):
            row.pop(key)
        content = row.pop("content", None)
        out = schemas.ReportSummary().dump(row)
        if with_content:
            out["content"] = content  # stored as dumped when it was frozen
        return out

    @rpc
    def generate_report(self, network_id, period):
        principal, network = self._managed_network(network_id)
        period = period_of(period, kinds=schemas.ReportPeriodInput)
        content, aggregates = self._indicators(network, period)
        content = schemas.Indicators().dump(content)
        with self.db.transaction() as tx:
            versions = store.versions(tx, network["id"], period, lock=True)
            if not lifecycle.may_regenerate(versions):
                raise Conflict(
                    "Dit rapport is al goedgekeurd of gepubliceerd: corrigeer het met een"
                    " nieuwe versie.",
                    {"period": ["Er bestaat al een goedgekeurd of gepubliceerd rapport."]},
                )
            if versions:
                row = store.regenerate_report(
                    tx, versions[-1]["id"], content, aggregates, principal.person_id
                )
            else:
                row = store.insert_report(
                    tx,
                    {
                        "network_id": network["id"],
                        "network_name": network.get("name"),
                        "region": network.get("region"),
                        "period_kind": period.kind,
                        "period_start": period.start,
                        "period_end": period.end,
                        "version": 1,
                        "content": content,
                        "aggregates": aggregates,
                        "generated_by": principal.person_id,
                        "correction_of": None,
                        "correction_reason": None,
                    },
                )
        return self._dump(row)

    @rpc
    def generate_reports(self, network_ids, period):
        """The period's drafts of several networks: one aggregates read, one write. All or
        nothing: one network the actor may not manage, or whose report is approved or
        published, refuses the whole call and stores nothing."""
        data = validated(schemas.ReportNetworksInput(), {"network_ids": network_ids})
        period = period_of(period, kinds=schemas.ReportPeriodInput)
        ids = [str(n) for n in data["network_ids"]]
        principal = self._principal()
        for i, network_id in enumerate(ids):
            if not principal.in_network(network_id):
                raise NotFound(
                    "Dit netwerk bestaat niet.", {f"network_ids.{i}": ["Onbekend netwerk."]}
                )
            if not principal.manages(network_id):
                raise Forbidden(NOT_MANAGER, {f"network_ids.{i}": [NOT_MANAGER]})
        known = store.networks_of(self.db, ids)
        aggregates = store.aggregates(self.db, ids, period)
        drafts = []
        dumper = schemas.Indicators()  # one schema (and its nested ones) for every report
        for network_id in ids:
            network = known.get(network_id) or {"id": network_id, "name": None, "region": None}
            content = dumper.dump(self._content(network, period, aggregates[network_id]))
            drafts.append(
                {
                    "network_id": network_id,
                    "network_name": network.get("name"),
                    "region": network.get("region"),
                    "content": content,
                    "aggregates": aggregates[network_id],
                    "replaces": None,
                }
            )
        with self.db.transaction() as tx:
            versions = store.versions_of(tx, ids, period, lock=True)
            for i, draft in enumerate(drafts):
                existing = versions[draft["network_id"]]
                if not lifecycle.may_regenerate(existing):
                    raise Conflict(
                        "Het rapport van dit netwerk is al goedgekeurd of gepubliceerd:"
                        " corrigeer het met een nieuwe versie.",
                        {
                            f"network_ids.{i}": [
                                "Er bestaat al een goedgekeurd of gepubliceerd rapport."
                            ]
                        },
                    )
                if existing:
                    draft["replaces"] = existing[-1]["id"]
            rows = store.write_drafts(tx, period, drafts, principal.person_id)
        return [self._dump(rows[n]) for n in ids]

    @rpc
    def get_report(self, report_id):
        _, report = self._readable_report(report_id)
        return self._dump(report)

    @rpc
    def list_reports(self, filters=None):
        data = validated(schemas.ReportFilter(), filters if filters is not None else {})
        principal = self._principal()
        rows = store.list_reports(self.db, principal.managed_networks, principal.iroj_regions, data)
        return [self._dump(r, with_content=False) for r in rows]

    @rpc
    def approve_report(self, report_id, payload):
        data = validated(schemas.ApprovalInput(), payload)
        with self.db.transaction() as tx:
            principal, report = self._managed_report(tx, report_id)
            self._step(report, "approve")
            name = store.person_name(tx, principal.person_id)
            row = store.approve(
                tx, report["id"], principal.person_id, name, data["body_name"], data["decided_on"]
            )
        return self._dump(row)

    @rpc
    def publish_report(self, report_id):
        with self.db.transaction() as tx:
            _, report = self._managed_report(tx, report_id)
            self._step(report, "publish")
            period = Period(report["period_kind"], report["period_start"])
            clash = lifecycle.overlapping(period, store.published_periods(tx, report["network_id"]))
            if clash is not None:
                raise Conflict(
                    "IROJ leest dit jaar van het netwerk al per "
                    + ("kwartaal" if clash.kind == "quarter" else "jaar")
                    + ": een jaar en zijn kwartalen samen zouden verborgen kleine aantallen"
                    " prijsgeven.",
                    {"period": ["Overlapt met een gepubliceerd rapport."]},
                )
            row = store.publish(tx, report)
            tx.emit(
                "report_published", row["network_id"], store.published_report_payload(tx, row["id"])
            )
        return self._dump(row)

    @staticmethod
    def _step(report, step):
        try:
            lifecycle.next_status(report["status"], step)
        except lifecycle.StepRefused as refused:
            raise Conflict(str(refused), {"status": [report["status"]]}) from None

    @rpc
    def correct_report(self, report_id, payload):
        data = validated(schemas.CorrectionInput(), payload)
        with self.db.transaction() as tx:
            principal, report = self._managed_report(tx, report_id)
            period = Period(report["period_kind"], report["period_start"])
            versions = store.versions(tx, report["network_id"], period, lock=True)
            why_not = lifecycle.may_correct(report, versions)
            if why_not:
                raise Conflict(why_not, {"status": [report["status"]]})
            network = store.network(tx, report["network_id"]) or {
                "id": report["network_id"],
                "name": report["network_name"],
                "region": report["region"],
            }
            aggregates = store.aggregates(tx, [network["id"]], period)[str(network["id"])]
            content = schemas.Indicators().dump(self._content(network, period, aggregates))
            row = store.insert_report(
                tx,
                {
                    "network_id": report["network_id"],
                    "network_name": network.get("name"),
                    "region": network.get("region"),
                    "period_kind": period.kind,
                    "period_start": period.start,
                    "period_end": period.end,
                    "version": report["version"] + 1,
                    "content": content,
                    "aggregates": aggregates,
                    "generated_by": principal.person_id,
                    "correction_of": report["id"],
                    "correction_reason": data["reason"],
                },
            )
        return self._dump(row)

    @rpc
    def region_rollup(self, region, period):
        data = validated(schemas.ReportFilter(), {"region": region} if region else {})
        if "region" not in data:
            raise ValidationFailed("Kies een regio.", {"region": ["Dit veld is verplicht."]})
        period = period_of(period)
        principal = self._principal()
        if not can_read_region(principal, data["region"]):
            raise NotFound("Deze regio is niet zichtbaar.", {"region": ["Onbekende regio."]})
        reports = store.published_of_region(self.db, data["region"], period)
        merged = indicators.merge([(str(r["network_id"]), r["aggregates"]) for r in reports])
        merged["labels"]["network"] = {str(r["network_id"]): r["network_name"] for r in reports}
        raised = sorted(
            (s for r in reports for s in r["content"].get("signals", [])),
            key=lambda s: (s["raised_at"], s["title"]),
        )
        content = {
            "network_id": None,
            "network_name": data["region"],
            "region": data["region"],
            "period": period.as_dict(),
            "threshold": self.threshold,
            "indicators": indicators.published_only(
                indicators.present(merged, self.threshold),
                [(str(r["network_id"]), r["content"].get("indicators") or []) for r in reports],
            ),
            "signals": signals(raised),
            "networks": [
                {
                    "network_id": str(r["network_id"]),
                    "network_name": r["network_name"],
                    "report_id": str(r["id"]),
                    "version": r["version"],
                }
                for r in reports
            ],
        }
        return schemas.Indicators().dump(content)

    # -- report-back to IROJ --------------------------------------------------------------------

    @rpc
    def report_backs(self, filters=None):
        """What the bodies reported back to IROJ after each meeting, newest first: of one
        network (its coordinators and admins, or IROJ of its region) or of every network of
        an IROJ viewer's region. A network or region the actor may not read is not found."""
        data = validated(schemas.ReportBackFilter(), filters if filters is not None else {})
        principal = self._principal()
        if "network_id" in data:
            network = store.network(self.db, data["network_id"])
            region = network["region"] if network else None
            if not can_read_report_backs(principal, data["network_id"], region):
                raise no_network()
            if "region" in data and data["region"] != region:
                raise no_network()
            network_ids = [data["network_id"]]
        elif "region" in data:
            if not can_read_region(principal, data["region"]):
                raise NotFound("Deze regio is niet zichtbaar.", {"region": ["Onbekende regio."]})
            network_ids = [n["id"] for n in store.networks_of_region(self.db, data["region"])]
        else:
            network_ids = sorted(principal.managed_networks) + [
                n["id"]
                for region in sorted(principal.iroj_regions)
                for n in store.networks_of_region(self.db, region)
            ]
        rows = store.report_backs(self.db, network_ids, data["limit"])
        return [self._report_back(r) for r in rows]

    @staticmethod
    def _report_back(row: dict) -> dict:
        answers = row["answers"]
        return {
            "meeting_id": str(row["meeting_id"]),
            "network_id": str(row["network_id"]),
            "network_name": row["network_name"],
            "region": row["region"],
            "body_id": str(row["body_id"]),
            "body_kind": row["body_kind"],
            "body_name": row["body_name"],
            "held_on": row["held_on"].isoformat(),
            # Whoever holds no role any more is forgotten by name (purge_people).
            "reporter_name": row["reporter_name"],
            "recorded_at": row["recorded_at"].isoformat(),
            "decisions": row["decisions"],
            "signals": [{**s, "answer": answers.get(s["signal_id"])} for s in row["signals"]],
        }

    @rpc
    def answer_signal(self, signal_id, payload):
        """IROJ's answer to a signal a body reported back; it goes to the body's next agenda
        (meetings consumes signal_answered). One answer per signal: a second is refused
        (409) rather than versioned, since the first already sits on the body's agenda and
        IROJ's further word belongs in its own next exchange with the network."""
        signal_id = parse_id(signal_id, "signal_id")
        data = validated(schemas.SignalAnswerInput(), payload)
        principal = self._principal()
        with self.db.transaction() as tx:
            found = store.reported_signal(tx, signal_id)
            if found is None or not can_read_report_backs(
                principal, found["network_id"], found["region"]
            ):
                raise NotFound("Dit signaal bestaat niet.", {"signal_id": ["Onbekend signaal."]})
            if not can_answer_signal(principal, found["region"]):
                raise Forbidden("Alleen IROJ van de regio beantwoordt een signaal.")
            row = store.save_signal_answer(
                tx, found, signal_id, data["answer"], principal.person_id
            )
            if row is None:
                raise Conflict(
                    "IROJ heeft dit signaal al beantwoord.", {"signal_id": ["Al beantwoord."]}
                )
            tx.emit(
                "signal_answered",
                found["network_id"],
                {
                    "signal_id": str(signal_id),
                    "meeting_id": str(found["meeting_id"]),
                    "body_id": str(found["body_id"]),
                    "signal_title": found["signal"]["title"],
                    "answer": row["answer"],
                    "answered_on": row["answered_at"].date().isoformat(),
                },
            )
        return {
            "signal_id": str(row["signal_id"]),
            "meeting_id": str(row["meeting_id"]),
            "network_id": str(row["network_id"]),
            "answer": row["answer"],
            "answered_at": row["answered_at"].isoformat(),
        }

    # -- operations -----------------------------------------------------------------------------

    @timer(interval=3600)
    def people_retention(self):
        """Hourly: forget the names of people who hold no role any more."""
        with self.db.transaction() as tx:
            projections.purge_people(tx)

    @rpc
    def referral_count(self, network_id):
        network_id = parse_id(network_id, "network_id")
        row = self.db.fetchone(
            "SELECT referrals, last_event_at FROM referral_counts WHERE network_id = %s",
            (network_id,),
        )
        return schemas.ReferralCount().dump(
            {
                "network_id": network_id,
                "referrals": row["referrals"] if row else 0,
                "last_event_at": row["last_event_at"] if row else None,
            }
        )

    @rpc
    def rebuild_projections(self):
        with self.db.transaction() as tx:
            return {"events_replayed": projections.rebuild(tx, pause=eventlet.sleep)}
