"""nameko entrypoints of the meetings service: a thin adapter. Each RPC checks the actor
against the service's own projection of roles (partners' events), loads state, lets the
domain decide, and writes the outcome and its events in one transaction."""

import base64
import datetime as dt
import hashlib
from pathlib import Path

from nameko.timer import timer

from meetings import knowledge, mailing, overview, store, views
from meetings.domain import (
    access,
    agenda,
    ballots,
    cadence,
    decisions,
    documents,
    files,
    ical,
    minutes,
    report_back,
    rhythm,
    written,
)
from meetings.domain.holidays import belgian_holidays
from meetings.views import TZ, jsonable, localise
from verband_common.actor import Actor
from verband_common.consumer import event_consumer
from verband_common.correlation import CorrelationId
from verband_common.db import Database
from verband_common.errors import Conflict, Forbidden, NotFound, Unauthenticated, ValidationFailed
from verband_common.mailer import Mailer
from verband_common.metrics import Metrics
from verband_common.roles import MAIL_KEEPERS, newer_role_change
from verband_common.rpc import parse_id, rpc, validated
from verband_common.schemas import meetings as schemas

MIGRATIONS = Path(__file__).with_name("migrations")
# How far ahead a new body's cadence must yield at least one meeting.
CADENCE_CHECK_DAYS = 366
# Bodies whose agenda takes up the bottleneck cases flagged by the cases service.
BOTTLENECK_BODIES = ("kernteam", "case_table")
CALENDAR_DOMAIN = "verband.meetings"

NO_ROLE = "Je hebt hiervoor niet de nodige rol."


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _today() -> dt.date:
    return _now().astimezone(TZ).date()


def not_found(what: str, field: str):
    return NotFound(f"{what} bestaat niet.", {field: ["Onbekend."]})


def _holiday_check(starts_at: dt.datetime, field: str = "starts_at") -> None:
    day = starts_at.astimezone(TZ).date()
    name = belgian_holidays(day.year).get(day)
    if name:
        raise ValidationFailed(
            "Deze dag is een wettelijke feestdag. Vergadert het orgaan toch, bevestig dat dan.",
            {field: [f"{day.isoformat()} is {name}."]},
        )


# The library and vorming RPCs are a mixin of their own module; only the module is imported
# here, since `nameko run` takes every class with entrypoints in this module for a service.
class MeetingsService(knowledge.KnowledgeRpcs):
    name = "meetings"

    db = Database(MIGRATIONS)
    metrics = Metrics()
    correlation_id = CorrelationId()
    actor = Actor()
    mailer = Mailer(before_send=mailing.queue_due_agendas)

    # -- access --------------------------------------------------------------------------

    def _principal(self) -> access.Principal:
        if self.actor is None:
            raise Unauthenticated("Meld je aan om verder te gaan.")
        if self.actor.kind != "person":
            # API tokens are scoped by partners; meetings knows no token, so grants nothing.
            return access.Principal(person_id=None, roles={})
        return access.Principal(
            person_id=self.actor.id, roles=store.roles_of(self.db, self.actor.id)
        )

    def _network(self, p, network_id, works_in=False) -> str:
        """The network, for anyone let into its meetings; with `works_in`, only for those who
        work in or watch it (its library, vorming and people are not a guest's)."""
        network_id = parse_id(network_id, "network_id")
        allowed = p.works_in(network_id) if works_in else p.in_network(network_id)
        if not allowed:
            raise NotFound("Dit netwerk bestaat niet.", {"network_id": ["Onbekend netwerk."]})
        return network_id

    def _body(self, p, db, body_id, lock=False, guests=False) -> dict:
        """The body, for its members and the network's organisers; with `guests`, also for
        whoever is invited to one of its meetings (the name and seats of the table they
        join). Anyone else of the network learns nothing of it: not found."""
        body = store.get_body(db, parse_id(body_id, "body_id"), lock)
        missing = not_found("Dit orgaan", "body_id")
        if body is None or not p.in_network(body["network_id"]):
            raise missing
        if not access.sees_body(p, body["network_id"], store.members_of(db, body["id"])) and not (
            guests and self._guest_meetings(db, p, body["id"])
        ):
            raise missing
        return body

    def _meeting(self, p, db, meeting_id, lock=False) -> dict:
        """The meeting, for those who see its body and for the guests of this one meeting;
        every read and write of a meeting comes through here, so no one else learns that it
        exists (not found)."""
        meeting = store.get_meeting(db, parse_id(meeting_id, "meeting_id"), lock)
        missing = not_found("Deze vergadering", "meeting_id")
        if meeting is None or not p.in_network(meeting["network_id"]):
            raise missing
        members = store.members_of(db, meeting["body_id"])
        guest = p.person_id is not None and store.is_guest(db, meeting["id"], p.person_id)
        if not access.sees_meeting(p, meeting["network_id"], members, guest):
            raise missing
        return localise(meeting)

    @staticmethod
    def _guest_meetings(db, p, body_id) -> set:
        """The meetings of this body the actor is invited to as a guest."""
        if p.person_id is None:
            return set()
        return store.guest_meetings(db, body_id, p.person_id)

    @staticmethod
    def _members(db, body_id) -> list[dict]:
        return views.with_display_names(store.members_of(db, body_id))

    @staticmethod
    def _require(allowed: bool, message: str = NO_ROLE) -> None:
        if not allowed:
            raise Forbidden(message)

    def _require_leader(self, p, meeting_or_body, members) -> None:
        network_id = meeting_or_body["network_id"]
        self._require(
            access.can_lead(p, network_id, members),
            "Enkel de voorzitter of de secretaris van dit orgaan kan dit.",
        )

    # -- plumbing ------------------------------------------------------------------------

    @rpc
    def health(self):
        mail = self.db.fetchone(
            "SELECT count(*) FILTER (WHERE parked_at IS NULL) AS unsent,"
            " count(*) FILTER (WHERE parked_at IS NOT NULL) AS parked"
            " FROM mail_outbox WHERE sent_at IS NULL"
        )
        # Parked mails are a count for operators too; each network admin sees their own.
        return {
            "service": self.name,
            **self.db.health(),
            "mail_unsent": mail["unsent"],
            "mail_parked": mail["parked"],
        }

    @timer(interval=3600)
    def people_retention(self):
        """Hourly: forget the e-mail of whoever holds no role and no seat any more."""
        with self.db.transaction() as tx:
            store.forget_emails(tx)

    @rpc
    def parked_mails(self, network_id, limit=100):
        """Mails of the network that could not be sent and were set aside, newest first,
        with the reason: for the network admin, who can fix the cause (an address, a name)."""
        p = self._principal()
        network_id = self._network(p, network_id)
        self._require(
            bool(p.roles_in(network_id) & MAIL_KEEPERS),
            "Enkel de netwerkbeheerder ziet de tegengehouden e-mails.",
        )
        if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= 500:
            raise ValidationFailed("Ongeldige limiet.", {"limit": ["Tussen 1 en 500."]})
        return [jsonable(r) for r in store.parked_mails(self.db, network_id, limit)]

    @rpc
    def known_networks(self):
        rows = self.db.fetchall("SELECT id, name, kind, region FROM networks ORDER BY name")
        return [{**r, "id": str(r["id"])} for r in rows]

    # -- projections ---------------------------------------------------------------------

    @event_consumer("partners", "network_created")
    def on_network_created(self, event):
        with self.db.transaction() as tx:
            if tx.first_delivery(event):
                store.upsert_network(tx, event)

    @event_consumer("partners", "role_granted")
    def on_role_granted(self, event):
        with self.db.transaction() as tx:
            # Only if no later change of this role (a revoke) was applied already.
            if tx.first_delivery(event) and newer_role_change(tx, event, granted=True):
                store.grant_role(
                    tx,
                    event["network_id"],
                    event["person_id"],
                    event["role"],
                    event.get("person_name"),
                    event.get("person_email"),
                    event.get("organisation_id"),
                )

    @event_consumer("partners", "role_revoked")
    def on_role_revoked(self, event):
        with self.db.transaction() as tx:
            if tx.first_delivery(event) and newer_role_change(tx, event, granted=False):
                store.revoke_role(tx, event["network_id"], event["person_id"], event["role"])

    @event_consumer("cases", "bottleneck_flagged")
    def on_bottleneck_flagged(self, event):
        with self.db.transaction() as tx:
            if tx.first_delivery(event):
                store.save_bottleneck(tx, event)

    @event_consumer("reporting", "signal_answered")
    def on_signal_answered(self, event):
        """IROJ answered a signal of a body: the answer goes on the body's next open agenda,
        or waits until publish_agenda of its next meeting takes it."""
        with self.db.transaction() as tx:
            if not tx.first_delivery(event):
                return
            signal = store.signal_with_body(tx, event["signal_id"])
            if signal is None or str(signal["network_id"]) != str(event["network_id"]):
                return  # not a signal of this network: nothing of ours to answer
            if not store.save_iroj_answer(tx, signal, event):
                return  # this signal's answer is already here (answers are once, 409)
            meeting = store.next_open_agenda(tx, signal["body_id"], _now())
            if meeting is not None:
                answer = {**event, "signal_id": signal["id"], "signal_title": signal["title"]}
                store.insert_item(tx, meeting["id"], report_back.answer_item(answer))
                store.place_iroj_answers(tx, [signal["id"]], meeting["id"])

    # -- bodies --------------------------------------------------------------------------

    def _check_members(self, db, network_id, members: list[dict], prefix="members") -> None:
        people = [m.get("person_id") or m.get("delegate_id") for m in members]
        known = store.people_with_role(db, network_id, people)
        errors = {}
        for i, m in enumerate(members):
            field = "person_id" if m.get("person_id") else "delegate_id"
            if str(m.get(field)) not in known:
                errors[f"{prefix}.{i}.{field}"] = ["Deze persoon heeft geen rol in dit netwerk."]
        for role in ("chair", "secretary"):
            if sum(1 for m in members if m["role"] == role) > 1:
                errors[prefix] = [f"Een orgaan heeft hoogstens één {documents.ROLE_NL[role]}."]
        if errors:
            raise ValidationFailed("De samenstelling klopt niet.", errors)

    @staticmethod
    def _check_cadence(rule: dict) -> None:
        today = _today()
        cadence.series_dates(rule, today, today + dt.timedelta(days=CADENCE_CHECK_DAYS))

    @rpc
    def create_body(self, network_id, payload):
        p = self._principal()
        network_id = self._network(p, network_id)
        self._require(
            access.can_organise(p, network_id),
            "Enkel de coördinator, de netwerkbeheerder of het secretariaat richt organen op.",
        )
        data = validated(schemas.BodyInput(), payload)
        self._check_members(self.db, network_id, data["members"])
        self._check_cadence(data["cadence"])
        data["cadence"] = schemas.Cadence().dump(data["cadence"])
        with self.db.transaction() as tx:
            body = store.insert_body(tx, network_id, data)
            for m in data["members"]:
                store.insert_member(tx, body["id"], m)
            return views.body(body, self._members(tx, body["id"]))

    @rpc
    def update_body(self, body_id, payload):
        p = self._principal()
        data = validated(schemas.BodyUpdate(), payload)
        # A partial load leaves out the defaults of nested rules too (a cadence's time):
        # a rule that is replaced is replaced whole, with its defaults.
        data.update(
            validated(
                schemas.BodyRules(),
                {k: payload[k] for k in schemas.BodyRules.RULES if k in payload},
            )
        )
        if "cadence" in data:
            self._check_cadence(data["cadence"])
            data["cadence"] = schemas.Cadence().dump(data["cadence"])
        with self.db.transaction() as tx:
            body = self._body(p, tx, body_id, lock=True)
            self._require(access.can_organise(p, body["network_id"]))
            body = store.update_body(tx, body["id"], data)
            return views.body(body, self._members(tx, body["id"]))

    @rpc
    def get_body(self, body_id):
        p = self._principal()
        body = self._body(p, self.db, body_id, guests=True)
        return views.body(body, self._members(self.db, body["id"]))

    @rpc
    def list_bodies(self, network_id):
        """The bodies the actor sees: all for an organiser, else those they sit in or are
        invited to a meeting of."""
        p = self._principal()
        network_id = self._network(p, network_id)
        out = []
        for b in store.list_bodies(self.db, network_id):
            members = self._members(self.db, b["id"])
            if access.sees_body(p, network_id, members) or self._guest_meetings(
                self.db, p, b["id"]
            ):
                out.append(views.body(b, members))
        return out

    @rpc
    def add_member(self, body_id, payload):
        p = self._principal()
        data = validated(schemas.MemberInput(), payload)
        with self.db.transaction() as tx:
            body = self._body(p, tx, body_id, lock=True)
            self._require(access.can_organise(p, body["network_id"]))
            current = store.members_of(tx, body["id"])
            everyone = [*current, data]
            self._check_members(tx, body["network_id"], [data], prefix="member")
            for role in ("chair", "secretary"):
                if data["role"] == role and sum(1 for m in everyone if m["role"] == role) > 1:
                    raise ValidationFailed(
                        "Dit orgaan heeft die rol al toegekend.",
                        {"role": [f"Er is al een {documents.ROLE_NL[role]}."]},
                    )
            store.insert_member(tx, body["id"], data)
            return views.body(body, self._members(tx, body["id"]))

    @rpc
    def remove_member(self, body_id, member_id):
        p = self._principal()
        member_id = parse_id(member_id, "member_id")
        with self.db.transaction() as tx:
            body = self._body(p, tx, body_id, lock=True)
            self._require(access.can_organise(p, body["network_id"]))
            if not store.deactivate_member(tx, body["id"], member_id):
                raise not_found("Dit lid", "member_id")
            return views.body(body, self._members(tx, body["id"]))

    # -- meetings ------------------------------------------------------------------------

    def _emit_scheduled(self, tx, body, meeting_id, starts_at, ends_at, status):
        tx.emit(
            "meeting_scheduled",
            body["network_id"],
            {
                "meeting_id": str(meeting_id),
                "body_id": str(body["id"]),
                "body_kind": body["kind"],
                "starts_at": starts_at.isoformat(),
                "ends_at": ends_at.isoformat(),
                "status": status,
            },
        )

    def _require_planner(self, p, body, tx) -> None:
        self._require(
            access.can_organise(p, body["network_id"])
            or access.can_lead(p, body["network_id"], store.members_of(tx, body["id"])),
            "Enkel de coördinator, het secretariaat of de voorzitter plant vergaderingen.",
        )

    @staticmethod
    def _rhythm_gaps(tx, body, touched) -> list:
        """The gaps in the body's rhythm that a change reaching these days made or left."""
        return rhythm.gaps_around(body["kind"], store.meeting_days(tx, body["id"]), touched)

    @staticmethod
    def _with_warnings(summary: dict, body, gaps) -> dict:
        # The write stands (the network decides); the answer says which gap breaks which rule.
        today = _today()
        return {
            **summary,
            "rhythm_warnings": [rhythm.warning(body["kind"], g, today) for g in gaps],
        }

    @rpc
    def schedule_series(self, body_id, payload):
        """Plans the body's meetings from its cadence between `from` and `until`."""
        p = self._principal()
        data = validated(schemas.SeriesInput(), payload)
        with self.db.transaction() as tx:
            body = self._body(p, tx, body_id, lock=True)
            self._require_planner(p, body, tx)
            rule = schemas.Cadence().load(body["cadence"])
            start = max(data["starts_on"], _today())
            dates = cadence.series_dates(rule, start, data["until"])
            at = dt.time.fromisoformat(rule["time"])
            taken = store.meeting_starts(tx, body["id"])
            created = []
            for day in dates:
                starts_at = dt.datetime.combine(day, at, TZ)
                if starts_at in taken or starts_at <= _now():
                    continue
                ends_at = starts_at + dt.timedelta(minutes=rule["duration_minutes"])
                row = store.insert_meeting(tx, body, starts_at, ends_at, True, body["location"])
                self._emit_scheduled(tx, body, row["id"], starts_at, ends_at, "scheduled")
                created.append(row["id"])
            rows = [m for m in store.list_meetings(tx, body["id"]) if m["id"] in created]
            days = [m["starts_at"].astimezone(TZ).date() for m in rows]
            gaps = self._rhythm_gaps(tx, body, days)
            # Each gap is told once: on the new meeting that ends it or, where it runs to a
            # meeting planned before this series, on the new one that begins it.
            told = {}
            for gap in gaps:
                day = gap.until if gap.until in days else gap.since
                told.setdefault(day, []).append(gap)
            return [
                self._with_warnings(views.meeting_summary(m), body, told.pop(day, []))
                for m, day in zip(rows, days, strict=True)
            ]

    @rpc
    def schedule_meeting(self, body_id, payload):
        """One meeting outside the series (an extra one)."""
        p = self._principal()
        data = validated(schemas.MeetingInput(), payload)
        if data["starts_at"] <= _now():
            raise ValidationFailed(
                "Plan een vergadering in de toekomst.", {"starts_at": ["Dit tijdstip is voorbij."]}
            )
        if not data.get("on_holiday"):
            _holiday_check(data["starts_at"])
        with self.db.transaction() as tx:
            body = self._body(p, tx, body_id, lock=True)
            self._require_planner(p, body, tx)
            minutes_long = data.get("duration_minutes") or body["cadence"]["duration_minutes"]
            ends_at = data["starts_at"] + dt.timedelta(minutes=minutes_long)
            row = store.insert_meeting(
                tx,
                body,
                data["starts_at"],
                ends_at,
                False,
                data.get("location") or body["location"],
            )
            self._emit_scheduled(tx, body, row["id"], data["starts_at"], ends_at, "scheduled")
            gaps = self._rhythm_gaps(tx, body, [data["starts_at"].astimezone(TZ).date()])
            return self._with_warnings(
                views.meeting_summary(store.get_meeting(tx, row["id"])), body, gaps
            )

    def _open_meeting_for_change(self, p, tx, meeting_id):
        meeting = self._meeting(p, tx, meeting_id, lock=True)
        body = store.get_body(tx, meeting["body_id"])
        self._require_planner(p, body, tx)
        if meeting["status"] != "scheduled":
            state = "geannuleerd" if meeting["status"] == "cancelled" else "al gehouden"
            raise Conflict(
                f"Deze vergadering is {state}.", {"meeting_id": [f"Vergadering {state}."]}
            )
        return meeting, body

    @rpc
    def move_meeting(self, meeting_id, payload):
        p = self._principal()
        data = validated(schemas.MoveInput(), payload)
        if data["starts_at"] <= _now():
            raise ValidationFailed(
                "Verplaats een vergadering naar de toekomst.",
                {"starts_at": ["Dit tijdstip is voorbij."]},
            )
        if not data.get("on_holiday"):
            _holiday_check(data["starts_at"])
        with self.db.transaction() as tx:
            meeting, body = self._open_meeting_for_change(p, tx, meeting_id)
            ends_at = data["starts_at"] + (meeting["ends_at"] - meeting["starts_at"])
            store.bump_schedule(
                tx, meeting["id"], data["starts_at"], ends_at, "scheduled", data["reason"]
            )
            self._emit_scheduled(tx, body, meeting["id"], data["starts_at"], ends_at, "moved")
            gaps = self._rhythm_gaps(
                tx, body, [meeting["local_date"], data["starts_at"].astimezone(TZ).date()]
            )
            return self._with_warnings(
                views.meeting_summary(store.get_meeting(tx, meeting["id"])), body, gaps
            )

    @rpc
    def cancel_meeting(self, meeting_id, payload=None):
        p = self._principal()
        data = validated(schemas.CancelInput(), payload or {})
        with self.db.transaction() as tx:
            meeting, body = self._open_meeting_for_change(p, tx, meeting_id)
            store.bump_schedule(
                tx,
                meeting["id"],
                meeting["starts_at"],
                meeting["ends_at"],
                "cancelled",
                data["reason"],
            )
            self._emit_scheduled(
                tx, body, meeting["id"], meeting["starts_at"], meeting["ends_at"], "cancelled"
            )
            gaps = self._rhythm_gaps(tx, body, [meeting["local_date"]])
            return self._with_warnings(
                views.meeting_summary(store.get_meeting(tx, meeting["id"])), body, gaps
            )

    @rpc
    def list_meetings(self, body_id, filters=None):
        p = self._principal()
        data = validated(schemas.SeriesInput(partial=True), filters or {})
        body = self._body(p, self.db, body_id, guests=True)
        start = (
            dt.datetime.combine(data["starts_on"], dt.time(), TZ) if "starts_on" in data else None
        )
        end = (
            dt.datetime.combine(data["until"] + dt.timedelta(days=1), dt.time(), TZ)
            if "until" in data
            else None
        )
        rows = store.list_meetings(self.db, body["id"], start, end)
        if not access.sees_body(p, body["network_id"], store.members_of(self.db, body["id"])):
            # a guest: the meetings they are invited to, none of the body's others
            invited = self._guest_meetings(self.db, p, body["id"])
            rows = [m for m in rows if m["id"] in invited]
        return [views.meeting_summary(m) for m in rows]

    def _detail(self, db, meeting, body_actions=True):
        m = meeting
        return views.meeting_detail(
            m,
            store.items_of(db, m["id"]),
            store.attendance_of(db, m["id"]),
            store.decisions_of(db, m["id"]),
            store.actions_of_meeting(db, m["id"]),
            store.actions_of_body(db, m["body_id"], open_only=True) if body_actions else [],
            store.signals_of(db, m["id"]),
            store.get_minutes(db, m["id"]),
        )

    @rpc
    def get_meeting(self, meeting_id):
        p = self._principal()
        meeting = self._meeting(p, self.db, meeting_id)
        # The body's open actions come from its other meetings: not for a guest of this one.
        members = store.members_of(self.db, meeting["body_id"])
        return self._detail(self.db, meeting, access.sees_body(p, meeting["network_id"], members))

    # -- agenda --------------------------------------------------------------------------

    @rpc
    def propose_item(self, meeting_id, payload):
        """Any member of the body proposes an item to the secretary, before the deadline."""
        p = self._principal()
        data = validated(schemas.ItemInput(), payload)
        with self.db.transaction() as tx:
            meeting = self._meeting(p, tx, meeting_id, lock=True)
            body = store.get_body(tx, meeting["body_id"])
            members = store.members_of(tx, body["id"])
            self._require(
                access.seat_of(p, members) is not None,
                "Enkel leden van dit orgaan dienen agendapunten in.",
            )
            agenda.check_can_propose(meeting, body["agenda_deadline_days"], _now())
            item = store.insert_item(
                tx, meeting["id"], {**data, "kind": "proposal", "proposed_by": p.person_id}
            )
            return views.item(item)

    @rpc
    def order_agenda(self, meeting_id, payload):
        p = self._principal()
        data = validated(schemas.OrderInput(), payload)
        with self.db.transaction() as tx:
            meeting = self._meeting(p, tx, meeting_id, lock=True)
            self._require_leader(p, meeting, store.members_of(tx, meeting["body_id"]))
            if meeting["agenda_published_at"] is not None:
                raise Conflict(
                    "De agenda is al gepubliceerd.",
                    {"item_ids": ["De volgorde ligt vast na publicatie."]},
                )
            items = store.items_of(tx, meeting["id"])
            agenda.check_order([i["id"] for i in items], data["item_ids"])
            store.set_positions(tx, data["item_ids"])
            return [views.item(i) for i in store.items_of(tx, meeting["id"])]

    @rpc
    def publish_agenda(self, meeting_id):
        """Adds the standing items and publishes; members get it by e-mail on the body's
        mailing day (at once when that has already come)."""
        p = self._principal()
        with self.db.transaction() as tx:
            meeting = self._meeting(p, tx, meeting_id, lock=True)
            body = store.get_body(tx, meeting["body_id"])
            self._require_leader(p, meeting, store.members_of(tx, body["id"]))
            if meeting["status"] != "scheduled":
                raise Conflict(
                    "Deze vergadering is niet meer gepland.",
                    {"meeting_id": ["Geannuleerd of al gehouden."]},
                )
            if meeting["agenda_published_at"] is not None:
                raise Conflict(
                    "De agenda is al gepubliceerd.", {"meeting_id": ["Al gepubliceerd."]}
                )
            previous = store.previous_meeting(tx, meeting)
            if previous is not None:
                prev_minutes = store.get_minutes(tx, previous["id"])
                if prev_minutes is not None and prev_minutes["status"] == "approved":
                    previous = None
                else:
                    previous = localise(previous)
            bottlenecks = (
                store.open_bottlenecks(tx, body["network_id"])
                if body["kind"] in BOTTLENECK_BODIES
                else []
            )
            head, tail = agenda.standing_items(
                previous, store.actions_of_body(tx, body["id"], open_only=True), bottlenecks
            )
            # IROJ's answers that came while no agenda of the body was open.
            answers = store.waiting_iroj_answers(tx, body["id"])
            tail = [report_back.answer_item(a) for a in answers] + tail
            store.place_iroj_answers(tx, [a["signal_id"] for a in answers], meeting["id"])
            # Written procedures closed while no agenda of the body was open: ratified here.
            waiting = store.waiting_ratifications(tx, body["id"])
            tail = [self._ratification_item(tx, w) for w in waiting] + tail
            proposals = store.items_of(tx, meeting["id"])
            ordered = []
            for standing in head:
                ordered.append(store.insert_item(tx, meeting["id"], standing)["id"])
            ordered += [i["id"] for i in proposals]
            for standing in tail:
                ordered.append(store.insert_item(tx, meeting["id"], standing)["id"])
            store.set_positions(tx, ordered)
            if waiting:
                self._place_ratifications(tx, meeting["id"], {str(w["id"]) for w in waiting})
            if bottlenecks:
                store.take_bottlenecks(
                    tx,
                    body["network_id"],
                    [b["case_pseudonym"] for b in bottlenecks],
                    meeting["id"],
                )
            published_at = _now()
            store.set_meeting(tx, meeting["id"], agenda_published_at=published_at)
            items = store.items_of(tx, meeting["id"])
            tx.emit(
                "agenda_published",
                body["network_id"],
                {
                    "meeting_id": str(meeting["id"]),
                    "body_id": str(body["id"]),
                    "body_kind": body["kind"],
                    "published_at": published_at.isoformat(),
                    "item_kinds": [i["kind"] for i in items],
                    "case_pseudonyms": [b["case_pseudonym"] for b in bottlenecks],
                },
            )
            result = self._detail(tx, localise(store.get_meeting(tx, meeting["id"])))
        self.mailer.kick()
        return result

    @rpc
    def add_item_at_meeting(self, meeting_id, payload):
        """After publication: only at the meeting, with the meeting's recorded approval."""
        p = self._principal()
        data = validated(schemas.ItemAtMeetingInput(), payload)
        with self.db.transaction() as tx:
            meeting = self._meeting(p, tx, meeting_id, lock=True)
            self._require_leader(p, meeting, store.members_of(tx, meeting["body_id"]))
            agenda.check_can_add_at_meeting(meeting, data["approved_by_meeting"], _today())
            item = store.insert_item(
                tx,
                meeting["id"],
                {**data, "kind": "added_at_meeting", "proposed_by": p.person_id},
            )
            return views.item(item)

    # -- the meeting ---------------------------------------------------------------------

    def _meeting_in_session(self, p, tx, meeting_id):
        """A meeting whose day has come, not cancelled, its minutes not yet approved; the
        actor leads the body."""
        meeting = self._meeting(p, tx, meeting_id, lock=True)
        body = store.get_body(tx, meeting["body_id"])
        members = self._members(tx, body["id"])
        self._require_leader(p, meeting, members)
        if meeting["status"] == "cancelled":
            raise Conflict(
                "Deze vergadering is geannuleerd.",
                {"meeting_id": ["De vergadering is geannuleerd."]},
            )
        if meeting["local_date"] > _today():
            raise Conflict(
                "Deze vergadering heeft nog niet plaatsgevonden.",
                {"meeting_id": [f"Pas vanaf {meeting['local_date'].isoformat()}."]},
            )
        mins = store.get_minutes(tx, meeting["id"])
        if mins is not None and mins["status"] == "approved":
            raise Conflict(
                "Het verslag van deze vergadering is goedgekeurd en ligt vast.",
                {"minutes": ["Goedgekeurde verslagen liggen vast."]},
            )
        return meeting, body, members

    @rpc
    def record_attendance(self, meeting_id, payload):
        p = self._principal()
        data = validated(schemas.AttendanceInput(), payload)
        with self.db.transaction() as tx:
            meeting, body, members = self._meeting_in_session(p, tx, meeting_id)
            present = decisions.check_attendance(members, data["attendance"])
            reporter = data["iroj_reporter_member_id"]
            if reporter is not None and str(reporter) not in {str(m["id"]) for m in members}:
                raise ValidationFailed(
                    "Wie terugkoppelt aan IROJ, is lid van dit orgaan.",
                    {"iroj_reporter_member_id": ["Geen lid van dit orgaan."]},
                )
            quorum = decisions.quorum_reached(body["quorum"], members, present)
            store.save_attendance(tx, meeting["id"], present)
            store.set_meeting(tx, meeting["id"], quorum_reached=quorum, iroj_reporter_id=reporter)
            return self._detail(tx, localise(store.get_meeting(tx, meeting["id"])))

    @rpc
    def record_item(self, meeting_id, item_id, payload):
        """Notes, a decision and actions of one agenda item."""
        p = self._principal()
        item_id = parse_id(item_id, "item_id")
        data = validated(schemas.ItemOutcomeInput(), payload)
        with self.db.transaction() as tx:
            meeting, body, members = self._meeting_in_session(p, tx, meeting_id)
            item = next((i for i in store.items_of(tx, meeting["id"]) if i["id"] == item_id), None)
            if item is None:
                raise not_found("Dit agendapunt", "item_id")
            attendance = store.attendance_of(tx, meeting["id"])
            if not attendance:
                raise Conflict(
                    "Registreer eerst de aanwezigheid.",
                    {"attendance": ["Nog geen aanwezigheid geregistreerd."]},
                )
            outcome = None
            if data["decision"] is not None:
                report_back.check_for_iroj(data["decision"], item)
                outcome = decisions.decide(
                    body["decision_rule"],
                    members,
                    attendance,
                    bool(meeting["quorum_reached"]),
                    data["decision"],
                )
            decisions.check_actions(members, data["actions"], _today())
            if data["notes"] is not None:
                store.set_item_notes(tx, item["id"], data["notes"])
            envelope = {
                "meeting_id": str(meeting["id"]),
                "body_id": str(body["id"]),
                "body_kind": body["kind"],
            }
            if outcome is not None:
                self._record_decision(
                    tx,
                    meeting,
                    body,
                    item,
                    data["decision"]["text"],
                    outcome,
                    data["decision"]["for_iroj"],
                )
            by_id = {str(m["id"]): m for m in members}
            for a in data["actions"]:
                row = store.insert_action(tx, body["id"], meeting["id"], item["id"], a)
                tx.emit(
                    "action_assigned",
                    body["network_id"],
                    {
                        **envelope,
                        "action_id": str(row["id"]),
                        "owner_person_id": str(by_id[str(a["owner_member_id"])]["seat_person_id"]),
                        "due_on": a["due_on"].isoformat(),
                    },
                )
            return self._detail(tx, localise(store.get_meeting(tx, meeting["id"])))

    @staticmethod
    def _record_decision(tx, meeting, body, item, text, outcome, for_iroj) -> dict:
        """A decision of an agenda item and its event, in the caller's transaction."""
        case = item["ref"] if item["kind"] == "bottleneck_case" else None
        row = store.insert_decision(tx, meeting["id"], item["id"], text, outcome, case, for_iroj)
        tally = outcome["tally"] or {}
        tx.emit(
            "decision_taken",
            body["network_id"],
            {
                "meeting_id": str(meeting["id"]),
                "body_id": str(body["id"]),
                "body_kind": body["kind"],
                "decision_id": str(row["id"]),
                "item_id": str(item["id"]),
                "method": outcome["method"],
                "outcome": outcome["outcome"],
                "text": row["text"],
                "objections": len(outcome["objections"]),
                "votes_for": tally.get("for"),
                "votes_against": tally.get("against"),
                "abstentions": tally.get("abstain"),
                "case_pseudonym": case,
                "taken_on": _today().isoformat(),
            },
        )
        return row

    @rpc
    def close_meeting(self, meeting_id):
        """The meeting was held: attendance and the member reporting back to IROJ known."""
        p = self._principal()
        with self.db.transaction() as tx:
            meeting, body, members = self._meeting_in_session(p, tx, meeting_id)
            if meeting["status"] == "held":
                raise Conflict(
                    "Deze vergadering is al afgesloten.", {"meeting_id": ["Al afgesloten."]}
                )
            attendance = store.attendance_of(tx, meeting["id"])
            errors = {}
            if not attendance:
                errors["attendance"] = ["Registreer eerst de aanwezigheid."]
            if meeting["iroj_reporter_id"] is None:
                errors["iroj_reporter_member_id"] = [
                    "Duid per vergadering het lid aan dat terugkoppelt aan IROJ."
                ]
            if errors:
                raise ValidationFailed("De vergadering kan nog niet afgesloten worden.", errors)
            store.set_meeting(tx, meeting["id"], status="held", held_at=_now())
            counts = {
                s: sum(1 for v in attendance.values() if v == s) for s in decisions.ATTENDANCE
            }
            reporter = next((m for m in members if m["id"] == meeting["iroj_reporter_id"]), None)
            if reporter is None:  # the seat ended since attendance was recorded
                raise ValidationFailed(
                    "Wie terugkoppelt aan IROJ, is geen lid meer van dit orgaan.",
                    {"iroj_reporter_member_id": ["Duid een huidig lid aan."]},
                )
            tx.emit(
                "meeting_held",
                body["network_id"],
                {
                    "meeting_id": str(meeting["id"]),
                    "body_id": str(body["id"]),
                    "body_kind": body["kind"],
                    "held_on": meeting["local_date"].isoformat(),
                    **counts,
                    "quorum_reached": bool(meeting["quorum_reached"]),
                    "iroj_reporter_person_id": str(reporter["seat_person_id"]),
                },
            )
            # The report-back goes with the closing, in its transaction: closing the meeting
            # is the body's approval of what its member reports back to IROJ.
            tx.emit(
                "iroj_report_back_recorded",
                body["network_id"],
                {
                    "meeting_id": str(meeting["id"]),
                    "body_id": str(body["id"]),
                    "body_kind": body["kind"],
                    "body_name": body["name"],
                    "held_on": meeting["local_date"].isoformat(),
                    "reporter_person_id": str(reporter["seat_person_id"]),
                    "decisions": report_back.reported_decisions(
                        store.decisions_of(tx, meeting["id"])
                    ),
                    "signals": report_back.reported_signals(store.signals_of(tx, meeting["id"])),
                },
            )
            return self._detail(tx, localise(store.get_meeting(tx, meeting["id"])))

    # -- actions and signals -------------------------------------------------------------

    @rpc
    def list_actions(self, body_id, open_only=False):
        p = self._principal()
        body = self._body(p, self.db, body_id)
        return [
            views.action(a)
            for a in store.actions_of_body(self.db, body["id"], open_only=bool(open_only))
        ]

    @rpc
    def overview(self, network_id, limit=8):
        """The network's meetings at a glance, for any role in it: the coming meetings of the
        bodies the actor sees (all, for an organiser) and of those they are a guest of, how
        many actions of those bodies are open and overdue (the overdue ones listed), and the
        actor's own coming meetings and open actions."""
        p = self._principal()
        network_id = self._network(p, network_id)
        limit = validated(schemas.OverviewInput(), {"limit": limit})["limit"]
        now, today = _now(), _today()
        sees = (access.can_organise(p, network_id), p.person_id)
        seats = (
            set()
            if sees[0] or p.person_id is None
            else {str(b) for b in store.seat_bodies(self.db, network_id, p.person_id)}
        )

        def meeting(m):
            return {**views.meeting_summary(m), "body_kind": m["body_kind"]}

        mine = {"meetings": [], "actions": []}
        if p.person_id is not None:
            mine = {
                "meetings": [
                    meeting(m)
                    for m in overview.my_coming_meetings(
                        self.db, network_id, p.person_id, now, limit
                    )
                ],
                "actions": [
                    views.action(a)
                    for a in overview.my_open_actions(self.db, network_id, p.person_id, limit)
                ],
            }
        return {
            "network_id": str(network_id),
            "coming": [
                meeting(m) for m in overview.coming_meetings(self.db, network_id, now, limit, *sees)
            ],
            "actions": overview.action_counts(self.db, network_id, today, *sees),
            "overdue_actions": [
                views.action(a)
                for a in overview.overdue_actions(self.db, network_id, today, limit, *sees)
            ],
            "mine": mine,
            "out_of_rhythm": [
                b
                for b in self._out_of_rhythm(network_id, today)
                if sees[0] or b["body_id"] in seats
            ],
        }

    def _out_of_rhythm(self, network_id, today) -> list[dict]:
        """The network's bodies whose kind's rhythm is broken now, each with its worst gap."""
        since = today - dt.timedelta(days=max(r.max_days for r in rhythm.RHYTHMS.values()))
        rows = overview.rhythm_days(self.db, network_id, rhythm.RHYTHMS, since)
        bodies: dict = {}
        for row in rows:
            body = bodies.setdefault(row["body_id"], {**row, "days": []})
            if row["day"] is not None:
                body["days"].append(row["day"])
        out = []
        for body in bodies.values():
            gap = rhythm.out_of_rhythm(body["body_kind"], body["days"], today)
            if gap is not None:
                out.append(
                    jsonable(
                        {
                            "body_id": body["body_id"],
                            "body_name": body["body_name"],
                            "body_kind": body["body_kind"],
                            "since": gap.since,
                            "until": gap.until,
                            "days": gap.days,
                            "warning": rhythm.warning(body["body_kind"], gap, today),
                        }
                    )
                )
        return out

    @rpc
    def complete_action(self, action_id):
        p = self._principal()
        action_id = parse_id(action_id, "action_id")
        with self.db.transaction() as tx:
            action = store.get_action(tx, action_id, lock=True)
            if action is None or not p.in_network(action["network_id"]):
                raise not_found("Deze actie", "action_id")
            members = store.members_of(tx, action["body_id"])
            owner = p.person_id is not None and str(action["owner_person_id"]) == str(p.person_id)
            self._require(
                owner or access.can_lead(p, action["network_id"], members),
                "Enkel de eigenaar, de voorzitter of de secretaris sluit een actie af.",
            )
            if action["done_on"] is not None:
                raise Conflict("Deze actie is al afgerond.", {"action_id": ["Al afgerond."]})
            store.finish_action(tx, action["id"], _today())
            tx.emit(
                "action_done",
                action["network_id"],
                {
                    "action_id": str(action["id"]),
                    "body_id": str(action["body_id"]),
                    "done_on": _today().isoformat(),
                },
            )
            return views.action(store.get_action(tx, action["id"]))

    @rpc
    def raise_signal(self, meeting_id, payload):
        """A pain point or improvement proposal raised in a meeting, for IROJ."""
        p = self._principal()
        data = validated(schemas.SignalInput(), payload)
        with self.db.transaction() as tx:
            meeting = self._meeting(p, tx, meeting_id, lock=True)
            body = store.get_body(tx, meeting["body_id"])
            self._require(
                access.seat_of(p, store.members_of(tx, body["id"])) is not None,
                "Enkel leden van dit orgaan brengen signalen in.",
            )
            if meeting["status"] == "cancelled" or meeting["local_date"] > _today():
                raise Conflict(
                    "Signalen worden in een gehouden vergadering ingebracht.",
                    {"meeting_id": ["Deze vergadering vond (nog) niet plaats."]},
                )
            row = store.insert_signal(tx, meeting["id"], data, p.person_id)
            tx.emit(
                "signal_raised",
                body["network_id"],
                {
                    "meeting_id": str(meeting["id"]),
                    "body_id": str(body["id"]),
                    "body_kind": body["kind"],
                    "signal_id": str(row["id"]),
                    "kind": row["kind"],
                    "title": row["title"],
                    "description": row["description"],
                    "raised_on": _today().isoformat(),
                },
            )
            return jsonable(row)

    # -- minutes -------------------------------------------------------------------------

    def _minutes_context(self, p, tx, meeting_id, lock=True):
        meeting = self._meeting(p, tx, meeting_id, lock=lock)
        body = store.get_body(tx, meeting["body_id"])
        members = self._members(tx, body["id"])
        return meeting, body, members

    @rpc
    def update_minutes(self, meeting_id, payload):
        """The secretary drafts (or redrafts) the minutes; approved minutes are locked."""
        p = self._principal()
        data = validated(schemas.MinutesInput(), payload)
        with self.db.transaction() as tx:
            meeting, body, members = self._minutes_context(p, tx, meeting_id)
            self._require(
                access.is_secretary(p, members),
                "Enkel de secretaris van dit orgaan stelt het verslag op.",
            )
            current = store.get_minutes(tx, meeting["id"], lock=True)
            minutes.check_editable(current, meeting)
            items = {i["id"] for i in store.items_of(tx, meeting["id"])}
            unknown = {
                f"item_notes.{k}": ["Geen agendapunt van deze vergadering."]
                for k in data["item_notes"]
                if k not in items
            }
            if unknown:
                raise ValidationFailed("Het verslag verwijst naar onbekende agendapunten.", unknown)
            summary = (
                data["summary"]
                if data["summary"] is not None
                else (current["summary"] if current else None)
            )
            store.save_minutes(tx, meeting["id"], summary)
            for item_id, notes in data["item_notes"].items():
                store.set_item_notes(tx, item_id, notes)
            return jsonable(store.get_minutes(tx, meeting["id"]))

    def _minutes_pdf(self, db, meeting, body, members) -> bytes:
        reporter = next((m for m in members if m["id"] == meeting["iroj_reporter_id"]), None)
        meeting = {**meeting, "iroj_reporter_name": reporter["display_name"] if reporter else None}
        return documents.minutes_pdf(
            body,
            meeting,
            store.get_minutes(db, meeting["id"]),
            members,
            store.attendance_of(db, meeting["id"]),
            store.items_of(db, meeting["id"]),
            jsonable(store.decisions_of(db, meeting["id"])),
            store.actions_of_meeting(db, meeting["id"]),
            store.signals_of(db, meeting["id"]),
        )

    @rpc
    def send_minutes_draft(self, meeting_id):
        p = self._principal()
        with self.db.transaction() as tx:
            meeting, body, members = self._minutes_context(p, tx, meeting_id)
            self._require(
                access.is_secretary(p, members),
                "Enkel de secretaris van dit orgaan bezorgt het verslag.",
            )
            current = store.get_minutes(tx, meeting["id"], lock=True)
            minutes.check_editable(current, meeting)
            if current is None:
                raise Conflict(
                    "Er is nog geen verslag om te bezorgen.",
                    {"minutes": ["Stel eerst het verslag op."]},
                )
            pdf = self._minutes_pdf(tx, meeting, body, members)
            to = mailing.recipients(members)
            if to:
                subject, text = documents.minutes_mail(body, meeting)
                name = documents.pdf_name("ontwerpverslag", body, meeting["local_date"])
                store.queue_mail(
                    tx, meeting["network_id"], to, subject, text, [mailing.attachment(name, pdf)]
                )
            store.mark_minutes_sent(tx, meeting["id"])
            result = jsonable(store.get_minutes(tx, meeting["id"]))
        self.mailer.kick()
        return result

    @rpc
    def approve_minutes(self, meeting_id, payload):
        """Approves the minutes at the next meeting, records the amendments, locks them."""
        p = self._principal()
        data = validated(schemas.ApproveMinutesInput(), payload)
        with self.db.transaction() as tx:
            meeting, body, members = self._minutes_context(p, tx, meeting_id)
            self._require_leader(p, meeting, members)
            at = store.get_meeting(tx, data["in_meeting_id"])
            if at is None or str(at["network_id"]) != str(meeting["network_id"]):
                raise ValidationFailed(
                    "Onbekende vergadering.", {"in_meeting_id": ["Onbekende vergadering."]}
                )
            at = localise(at)
            current = store.get_minutes(tx, meeting["id"], lock=True)
            minutes.check_approvable(current, meeting, at)
            if at["local_date"] > _today():
                raise Conflict(
                    "De vergadering die goedkeurt, heeft nog niet plaatsgevonden.",
                    {"in_meeting_id": ["Deze vergadering vond nog niet plaats."]},
                )
            store.approve_minutes(tx, meeting["id"], at["id"], data["amendments"])
            tx.emit(
                "minutes_approved",
                body["network_id"],
                {
                    "meeting_id": str(meeting["id"]),
                    "body_id": str(body["id"]),
                    "body_kind": body["kind"],
                    "approved_in_meeting_id": str(at["id"]),
                    "approved_on": _today().isoformat(),
                    "amendments": len(data["amendments"]),
                },
            )
            return jsonable(store.get_minutes(tx, meeting["id"]))

    # -- documents and calendars ---------------------------------------------------------

    @rpc
    def agenda_pdf(self, meeting_id):
        p = self._principal()
        meeting = self._meeting(p, self.db, meeting_id)
        body = store.get_body(self.db, meeting["body_id"])
        items = store.items_of(self.db, meeting["id"])
        members = store.members_of(self.db, body["id"])
        guest = p.person_id is not None and store.is_guest(self.db, meeting["id"], p.person_id)
        # The uploaded documents are named only to those who may open them.
        files = (
            store.documents_of(self.db, meeting["id"])
            if access.sees_meeting(p, meeting["network_id"], members, guest)
            else []
        )
        items, loose = mailing.with_files(items, [views.document(f) for f in files])
        pdf = documents.agenda_pdf(body, meeting, items, loose)
        return {
            "filename": documents.pdf_name("agenda", body, meeting["local_date"]),
            "content_type": "application/pdf",
            "content_base64": base64.b64encode(pdf).decode("ascii"),
        }

    @rpc
    def minutes_pdf(self, meeting_id):
        p = self._principal()
        meeting = self._meeting(p, self.db, meeting_id)
        if store.get_minutes(self.db, meeting["id"]) is None:
            raise NotFound(
                "Er is nog geen verslag van deze vergadering.", {"minutes": ["Nog geen verslag."]}
            )
        body = store.get_body(self.db, meeting["body_id"])
        pdf = self._minutes_pdf(self.db, meeting, body, self._members(self.db, body["id"]))
        return {
            "filename": documents.pdf_name("verslag", body, meeting["local_date"]),
            "content_type": "application/pdf",
            "content_base64": base64.b64encode(pdf).decode("ascii"),
        }

    @staticmethod
    def _calendar_rows(meetings: list[dict]) -> list[dict]:
        return [{**m, "description": m["change_reason"]} for m in meetings]

    @rpc
    def body_calendar(self, body_id):
        p = self._principal()
        body = self._body(p, self.db, body_id)
        rows = self._calendar_rows(store.list_meetings(self.db, body["id"]))
        return {
            "filename": f"{documents.pdf_name('kalender', body, _today())[:-4]}.ics",
            "content_type": "text/calendar; charset=utf-8",
            "ics": ical.calendar(body["name"], rows, _now(), CALENDAR_DOMAIN),
        }

    @rpc
    def person_calendar(self, person_id=None):
        """The meetings of every body a person sits in; only the person themself reads it."""
        p = self._principal()
        if p.person_id is None:
            raise Forbidden(NO_ROLE)
        wanted = parse_id(person_id, "person_id") if person_id is not None else p.person_id
        if str(wanted) != str(p.person_id):
            raise Forbidden("Je kan enkel je eigen vergaderkalender opvragen.")
        rows = self._calendar_rows(store.meetings_of_person(self.db, p.person_id))
        return {
            "filename": "mijn-vergaderingen.ics",
            "content_type": "text/calendar; charset=utf-8",
            "ics": ical.calendar("Mijn vergaderingen", rows, _now(), CALENDAR_DOMAIN),
        }

    # -- documents and guests of a meeting -----------------------------------------------

    def _document_access(self, p, db, meeting_id, lock=False):
        """The meeting and whether the actor sees its documents (and may manage them)."""
        meeting = self._meeting(p, db, meeting_id, lock=lock)
        members = store.members_of(db, meeting["body_id"])
        guest = p.person_id is not None and store.is_guest(db, meeting["id"], p.person_id)
        sees = access.sees_meeting(p, meeting["network_id"], members, guest)
        manages = access.can_manage_documents(p, meeting["network_id"], members)
        return meeting, sees, manages

    def _documents(self, db, meeting_id) -> list[dict]:
        return [views.document(d) for d in store.documents_of(db, meeting_id)]

    @rpc
    def upload_document(self, meeting_id, payload):
        """A file for the meeting or one of its agenda items (chair, secretary or organiser),
        or a new version of one of its documents; the type is read from the bytes. The file
        travels base64 in the payload (at most MAX_DOCUMENT_BYTES)."""
        p = self._principal()
        data = validated(schemas.DocumentUpload(), payload)
        try:
            content = base64.b64decode(data["content_base64"], validate=True)
        except ValueError:
            raise files.refused("Geen geldige base64.") from None
        extension, content_type = files.sniff(content)
        filename = files.clean_name(data["filename"], extension)
        with self.db.transaction() as tx:
            meeting, _sees, manages = self._document_access(p, tx, meeting_id, lock=True)
            self._require(
                manages, "Enkel de voorzitter, de secretaris of het secretariaat voegt stukken toe."
            )
            if data["document_id"] is not None:
                document = store.get_document(tx, data["document_id"], lock=True)
                if document is None or document["meeting_id"] != meeting["id"]:
                    raise not_found("Dit stuk", "document_id")
            else:
                item_id = data["item_id"]
                if item_id is not None and item_id not in {
                    i["id"] for i in store.items_of(tx, meeting["id"])
                }:
                    raise not_found("Dit agendapunt", "item_id")
                document = store.insert_document(tx, meeting["id"], item_id)
            store.insert_version(
                tx,
                document["id"],
                {
                    "filename": filename,
                    "content_type": content_type,
                    "content": content,
                    "sha256": hashlib.sha256(content).hexdigest(),
                },
                p.person_id,
            )
            return next(
                d for d in self._documents(tx, meeting["id"]) if d["id"] == str(document["id"])
            )

    @rpc
    def list_documents(self, meeting_id):
        """The meeting's documents with every version (who and when), for those who see them."""
        p = self._principal()
        meeting, sees, _manages = self._document_access(p, self.db, meeting_id)
        self._require(sees, "Enkel de leden van het orgaan en de genodigden zien de stukken.")
        return self._documents(self.db, meeting["id"])

    @rpc
    def document_content(self, document_id, version=None):
        """One version (the newest by default) of a document, base64, to be downloaded.
        Whoever may not see the documents learns nothing of this one: not found."""
        p = self._principal()
        document_id = parse_id(document_id, "document_id")
        if version is not None and (
            not isinstance(version, int) or isinstance(version, bool) or not 1 <= version <= 10**6
        ):
            raise ValidationFailed("Ongeldige versie.", {"version": ["Een volgnummer vanaf 1."]})
        document = store.get_document(self.db, document_id)
        missing = not_found("Dit stuk", "document_id")
        if document is None:
            raise missing
        try:
            _meeting, sees, _manages = self._document_access(p, self.db, document["meeting_id"])
        except NotFound:
            raise missing from None
        row = store.version_content(self.db, document_id, version) if sees else None
        if row is None:
            raise missing
        return {
            "filename": row["filename"],
            "content_type": row["content_type"],
            "version": row["version"],
            "content_base64": base64.b64encode(bytes(row["content"])).decode("ascii"),
        }

    @rpc
    def list_guests(self, meeting_id):
        p = self._principal()
        meeting, sees, _manages = self._document_access(p, self.db, meeting_id)
        self._require(sees, "Enkel de leden van het orgaan en de genodigden zien de genodigden.")
        return [views.guest(g) for g in store.guests_of(self.db, meeting["id"])]

    @rpc
    def invite_guest(self, meeting_id, payload):
        """A person with a role in the network (local staff, an expert) invited to this one
        meeting: they see its documents, not those of the body's other meetings."""
        p = self._principal()
        data = validated(schemas.GuestInput(), payload)
        with self.db.transaction() as tx:
            meeting, _sees, manages = self._document_access(p, tx, meeting_id, lock=True)
            self._require(
                manages, "Enkel de voorzitter, de secretaris of het secretariaat nodigt gasten uit."
            )
            person = str(data["person_id"])
            if person not in store.people_with_role(tx, meeting["network_id"], [person]):
                raise ValidationFailed(
                    "Deze persoon kan niet uitgenodigd worden.",
                    {"person_id": ["Deze persoon heeft geen rol in dit netwerk."]},
                )
            members = store.members_of(tx, meeting["body_id"])
            if access.seat_of(access.Principal(person, {}), members) is not None:
                raise ValidationFailed(
                    "Deze persoon is al lid van het orgaan.",
                    {"person_id": ["Al lid van dit orgaan."]},
                )
            store.add_guest(tx, meeting["id"], person, p.person_id)
            return [views.guest(g) for g in store.guests_of(tx, meeting["id"])]

    @rpc
    def remove_guest(self, meeting_id, person_id):
        p = self._principal()
        person_id = parse_id(person_id, "person_id")
        with self.db.transaction() as tx:
            meeting, _sees, manages = self._document_access(p, tx, meeting_id, lock=True)
            self._require(
                manages, "Enkel de voorzitter, de secretaris of het secretariaat beheert gasten."
            )
            if not store.remove_guest(tx, meeting["id"], person_id):
                raise not_found("Deze genodigde", "person_id")
            return [views.guest(g) for g in store.guests_of(tx, meeting["id"])]

    @rpc
    def network_people(self, network_id):
        """Who can be invited as a guest: the people with a role in the network."""
        p = self._principal()
        network_id = self._network(p, network_id, works_in=True)
        return [
            {"id": str(r["id"]), "name": r["name"] or "(onbekend)"}
            for r in store.network_people(self.db, network_id)
        ]

    # -- members cast their own vote -----------------------------------------------------

    def _vote(self, p, tx, vote_id, lock=False) -> dict:
        """The vote, for whoever sees its meeting; anyone else learns nothing of it."""
        vote = store.get_vote(tx, parse_id(vote_id, "vote_id"), lock)
        missing = not_found("Deze stemming", "vote_id")
        if vote is None:
            raise missing
        try:
            self._meeting(p, tx, vote["meeting_id"], lock=lock)
        except NotFound:
            raise missing from None
        return vote

    def _vote_view(self, db, p, vote) -> dict:
        mine = None
        if p.person_id is not None:
            seat = access.seat_of(p, store.members_of(db, vote["body_id"]))
            mine = store.ballot_of(db, vote["id"], seat["id"]) if seat else None
        decision = store.get_decision(db, vote["decision_id"]) if vote["decision_id"] else None
        return views.vote(vote, store.ballot_count(db, vote["id"]), mine, decision)

    @rpc
    def open_vote(self, meeting_id, payload):
        """The chair or secretary puts a proposal on an agenda item to the vote, during the
        meeting, where the body decides by vote and the quorum is reached."""
        p = self._principal()
        data = validated(schemas.VoteOpenInput(), payload)
        with self.db.transaction() as tx:
            meeting, body, _members = self._meeting_in_session(p, tx, meeting_id)
            item = next(
                (i for i in store.items_of(tx, meeting["id"]) if i["id"] == data["item_id"]), None
            )
            if item is None:
                raise not_found("Dit agendapunt", "item_id")
            try:
                report_back.check_for_iroj({"for_iroj": data["for_iroj"]}, item)
            except ValidationFailed as refused:
                raise ValidationFailed(
                    refused.message, {"for_iroj": refused.fields["decision.for_iroj"]}
                ) from None
            ballots.check_can_open(
                body["decision_rule"],
                bool(meeting["quorum_reached"]),
                store.attendance_of(tx, meeting["id"]),
            )
            if store.open_vote_of_item(tx, item["id"]) is not None:
                raise Conflict(
                    "Over dit agendapunt loopt al een stemming.",
                    {"item_id": ["Er loopt al een stemming."]},
                )
            vote = store.insert_vote(tx, meeting["id"], item["id"], data, p.person_id)
            return self._vote_view(tx, p, store.get_vote(tx, vote["id"]))

    @rpc
    def cast_ballot(self, vote_id, payload):
        """A present member with a voting right votes for, against or abstains; until the vote
        closes they may change their ballot (one per member)."""
        p = self._principal()
        data = validated(schemas.BallotInput(), payload)
        with self.db.transaction() as tx:
            vote = self._vote(p, tx, vote_id, lock=True)
            seat = access.seat_of(p, store.members_of(tx, vote["body_id"]))
            ballots.check_can_cast(vote, seat, store.attendance_of(tx, vote["meeting_id"]))
            store.cast_ballot(tx, vote["id"], seat["id"], data["choice"])
            return self._vote_view(tx, p, vote)

    @rpc
    def close_vote(self, vote_id):
        """The chair or secretary closes the vote: the ballots are counted by the body's rule
        and the outcome recorded as the item's decision, in one transaction."""
        p = self._principal()
        with self.db.transaction() as tx:
            vote = self._vote(p, tx, vote_id, lock=True)
            meeting, body, members = self._meeting_in_session(p, tx, vote["meeting_id"])
            ballots.check_open(vote)
            item = next(i for i in store.items_of(tx, meeting["id"]) if i["id"] == vote["item_id"])
            outcome = ballots.outcome(
                body["decision_rule"],
                members,
                store.attendance_of(tx, meeting["id"]),
                bool(meeting["quorum_reached"]),
                vote,
                store.ballots_of(tx, vote["id"]),
            )
            row = self._record_decision(
                tx, meeting, body, item, vote["proposal"], outcome, vote["for_iroj"]
            )
            store.close_vote(tx, vote["id"], row["id"])
            return self._vote_view(tx, p, store.get_vote(tx, vote["id"]))

    @rpc
    def list_votes(self, meeting_id):
        """The meeting's votes: open and closed, how many ballots, the actor's own ballot and,
        once closed, the outcome. Ballots stay the members' own until the count."""
        p = self._principal()
        meeting = self._meeting(p, self.db, meeting_id)
        return [self._vote_view(self.db, p, v) for v in store.votes_of(self.db, meeting["id"])]

    # -- the written procedure between meetings ------------------------------------------

    def _written_procedure(self, p, db, procedure_id, lock=False) -> tuple[dict, dict, list]:
        """The procedure, its body and members, for whoever sees the body (404 otherwise)."""
        procedure = store.get_procedure(db, parse_id(procedure_id, "procedure_id"), lock)
        missing = not_found("Deze schriftelijke procedure", "procedure_id")
        if procedure is None:
            raise missing
        try:
            body = self._body(p, db, procedure["body_id"])
        except NotFound:
            raise missing from None
        return procedure, body, self._members(db, body["id"])

    def _written_procedure_view(self, db, p, procedure, members) -> dict:
        answers = store.answers_of(db, procedure["id"])
        seat = access.seat_of(p, members)
        mine = next((a for a in answers if seat and a["member_id"] == seat["id"]), None)
        return jsonable(
            {
                **{k: procedure[k] for k in ("id", "body_id", "title", "proposal", "deadline")},
                "started_at": procedure["started_at"],
                "closed_at": procedure["closed_at"],
                "status": "open" if procedure["closed_at"] is None else "closed",
                "outcome": procedure["outcome"],
                "rule": written.RULE,
                "voters": len(written.voters(members)),
                "answers": len(answers),
                "my_answer": mine["answer"] if mine else None,
                "objections": [
                    {"name": a["name"], "reason": a["reason"]}
                    for a in answers
                    if a["answer"] == "object"
                ],
                "on_agenda": procedure["ratified_in_item"] is not None,
            }
        )

    def _ratification_item(self, tx, procedure) -> dict:
        objections = [a for a in store.answers_of(tx, procedure["id"]) if a["answer"] == "object"]
        return written.ratification_item(procedure, objections)

    @staticmethod
    def _place_ratifications(tx, meeting_id, waiting: set) -> None:
        for item in store.items_of(tx, meeting_id):
            if item["kind"] == "written_procedure" and item["ref"] in waiting:
                store.place_ratification(tx, item["ref"], item["id"])

    def _close_procedure(self, tx, procedure, body, members) -> None:
        """Records the outcome, puts it on the body's next open agenda for ratification (or
        leaves it for the next agenda published) and tells the members, in one transaction."""
        outcome = written.outcome(store.answers_of(tx, procedure["id"]), members)
        procedure = {**procedure, "outcome": outcome}
        meeting = store.next_open_agenda(tx, body["id"], _now())
        item = (
            store.insert_item(tx, meeting["id"], self._ratification_item(tx, procedure))
            if meeting is not None
            else None
        )
        store.close_procedure(tx, procedure["id"], outcome, item["id"] if item else None)
        to = mailing.recipients(members)
        if to:
            subject, text = written.result_mail(body, procedure)
            store.queue_mail(tx, body["network_id"], to, subject, text)

    def _close_due_procedures(self) -> int:
        """Closes every open procedure whose deadline has passed; the number closed."""
        with self.db.transaction() as tx:
            due = store.due_procedures(tx, _now())
            for procedure in due:
                body = store.get_body(tx, procedure["body_id"])
                self._close_procedure(tx, procedure, body, self._members(tx, body["id"]))
        if due:
            self.mailer.kick()
        return len(due)

    @timer(interval=60)
    def close_written_procedures(self):
        """Every minute: the written procedures whose deadline passed are decided."""
        self._close_due_procedures()

    @rpc
    def start_written_procedure(self, body_id, payload):
        """The secretary or an organiser of the network (or the body's chair or secretary)
        puts an urgent proposal to the body's members in writing, with a deadline; the
        members are told by mail."""
        p = self._principal()
        data = validated(schemas.WrittenProcedureInput(), payload)
        written.check_deadline(data["deadline"], _now())
        with self.db.transaction() as tx:
            body = self._body(p, tx, body_id, lock=True)
            members = self._members(tx, body["id"])
            self._require(
                access.can_organise(p, body["network_id"])
                or access.can_lead(p, body["network_id"], members),
                "Enkel het secretariaat, de coördinator of de voorzitter start een"
                " schriftelijke procedure.",
            )
            if not written.voters(members):
                raise Conflict(
                    "Dit orgaan heeft geen stemgerechtigde leden.",
                    {"body_id": ["Geen leden met stemrecht."]},
                )
            procedure = store.insert_procedure(tx, body, data, p.person_id)
            to = mailing.recipients(members)
            if to:
                local = procedure["deadline"].astimezone(TZ)
                subject, text = written.start_mail(
                    body, procedure, local.strftime("%d/%m/%Y %H:%M")
                )
                store.queue_mail(tx, body["network_id"], to, subject, text)
            result = self._written_procedure_view(tx, p, procedure, members)
        self.mailer.kick()
        return result

    @rpc
    def answer_written_procedure(self, procedure_id, payload):
        """A member with a voting right agrees, or objects with a reason, before the
        deadline; they may change their answer until it closes. Once every member with a
        vote has answered, the procedure closes at once."""
        p = self._principal()
        data = validated(schemas.WrittenAnswerInput(), payload)
        written.check_reason(data["answer"], data["reason"])
        with self.db.transaction() as tx:
            procedure, body, members = self._written_procedure(p, tx, procedure_id, lock=True)
            seat = access.seat_of(p, members)
            written.check_can_answer(procedure, seat, _now())
            store.answer_procedure(tx, procedure["id"], seat["id"], data["answer"], data["reason"])
            if written.due(procedure, store.answers_of(tx, procedure["id"]), members, _now()):
                self._close_procedure(tx, procedure, body, members)
            procedure = store.get_procedure(tx, procedure["id"])
            result = self._written_procedure_view(tx, p, procedure, members)
        self.mailer.kick()
        return result

    @rpc
    def list_written_procedures(self, body_id):
        """The body's written procedures, newest first, for its members and organisers."""
        p = self._principal()
        self._close_due_procedures()  # a deadline passed since the timer last ran
        body = self._body(p, self.db, body_id)
        members = self._members(self.db, body["id"])
        return [
            self._written_procedure_view(self.db, p, w, members)
            for w in store.procedures_of(self.db, body["id"])
        ]

    @rpc
    def get_written_procedure(self, procedure_id):
        p = self._principal()
        self._close_due_procedures()
        procedure, _body, members = self._written_procedure(p, self.db, procedure_id)
        return self._written_procedure_view(self.db, p, procedure, members)
