"""Portal pages of the network's governance bodies, in the network chosen for this session.

Every member of the network sees its bodies, their members and series; an organiser of
the network (coordinator, network admin, secretariat) sets up a body and its members; a
member of a body proposes agenda items before the deadline, follows "my meetings" and
closes "my actions";
the chair or secretary plans, moves and cancels meetings, orders and publishes the agenda,
records attendance, decisions, actions and signals; the secretary drafts and sends the
minutes, which the meeting after approves. Forms are checked with the meetings service's own
schemas; a mistake is shown next to its field and the form keeps what was typed. The meetings
service checks every actor again (seat, role, network) and its refusals are shown the same
way. A body or meeting of another network than the chosen one is not found here.
"""

import datetime as dt

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from marshmallow import ValidationError

from verband_common import dutch
from verband_common.dutch import BRUSSELS, MONTHS, WEEKDAYS
from verband_common.errors import Forbidden, NotFound, Unauthenticated, VerbandError
from verband_common.labels import (
    ATTENDANCE_LABELS,
    BODY_KIND_LABELS,
    MINUTES_STATUS_LABELS,
    REPRESENTS_LABELS,
    SEAT_LABELS,
    SIGNAL_KIND_LABELS,
    VOTE_CHOICE_LABELS,
)
from verband_common.roles import BODY_ORGANISERS
from verband_common.schemas import meetings as m
from verband_gateway import call
from verband_gateway.api.meetings import document_download, read_upload
from verband_gateway.form_input import be_date, be_moment
from verband_gateway.network_pages import _named, _problem
from verband_gateway.pages import _ChooseNetwork, _network, _try

bp = Blueprint("meeting_pages", __name__)

# Network roles that set up bodies and plan their meetings (the meetings service's organisers).
LEADERS = {"chair", "secretary"}

SEATS = SEAT_LABELS
ATTENDANCE = ATTENDANCE_LABELS
MEETING_STATUSES = {"scheduled": "Gepland", "cancelled": "Geannuleerd", "held": "Gehouden"}
MINUTES_STATUSES = MINUTES_STATUS_LABELS
ITEM_KINDS = {
    "proposal": "Voorstel van een lid",
    "previous_minutes": "Vast punt",
    "open_actions": "Vast punt",
    "bottleneck_case": "Vast punt: knelpuntdossier",
    "iroj_report": "Vast punt",
    "iroj_answer": "Vast punt: antwoord van IROJ",
    "added_at_meeting": "Toegevoegd op de vergadering",
}
DECISION_METHODS = {"consensus": "Consensus", "vote": "Stemming"}
MAJORITIES = {"simple": "Gewone meerderheid", "two_thirds": "Twee derde"}
CADENCE_KINDS = {
    "every_days": "Om de zoveel dagen",
    "monthly": "Maandelijks, in fasen",
    "yearly": "Vaste maanden per jaar",
    "custom": "Op gekozen data",
}
CHOICES = VOTE_CHOICE_LABELS
QUORUM_KINDS = {
    "none": "Geen quorum",
    "majority": "Meerderheid van de stemgerechtigden aanwezig",
    "minimum": "Minstens {count} stemgerechtigden aanwezig",
}
# Short, so the choice fits a phone's width; the body's page says it in full.
QUORUM_CHOICES = {
    "none": "Geen quorum",
    "majority": "Meerderheid aanwezig",
    "minimum": "Een minimum aanwezig",
}
WEEKS = {1: "eerste", 2: "tweede", 3: "derde", 4: "vierde", -1: "laatste"}
DOCUMENT_ROWS = 3
PHASE_ROWS = 2
MEMBER_KINDS = {"person": "Een persoon", "organisation": "Een organisatie met een afgevaardigde"}
OBJECTION_ROWS = 2
ACTION_ROWS = 2
ACCESS_ERRORS = (Forbidden, NotFound, Unauthenticated)


@bp.errorhandler(_ChooseNetwork)
def _choose(_exc):
    flash("Kies eerst het netwerk waarin je werkt.")
    return redirect(url_for("portal.choose_network", volgende=request.path))


# --- Belgian times and Dutch rules in templates ------------------------------------------------


@bp.app_template_filter("ritme")
def cadence_text(rule) -> str:
    """A body's cadence in plain Dutch."""
    rule = rule or {}
    kind = rule.get("kind")
    at = f" om {rule['time']}" if rule.get("time") else ""
    day = WEEKDAYS[rule["weekday"]] if isinstance(rule.get("weekday"), int) else None
    if kind == "every_days":
        text = f"Minstens om de {rule.get('days')} dagen"
        return text + (f", op {day}" if day else "") + at
    on = f"op de {WEEKS.get(rule.get('week'), '')} {day} van de maand" if day else ""
    if kind == "monthly":
        steps = []
        for phase in rule.get("phases") or [{"every_months": 1}]:
            every = phase.get("every_months", 1)
            step = "maandelijks" if every == 1 else f"om de {every} maanden"
            if phase.get("until"):
                step += f" tot {dutch.date_text(phase['until'])}"
            steps.append(step)
        return (", daarna ".join(steps)).capitalize() + (f", {on}" if on else "") + at
    if kind == "yearly":
        months = [MONTHS[n - 1] for n in rule.get("months") or [] if 1 <= n <= 12]
        return f"Elk jaar in {' en '.join(months)}" + (f", {on}" if on else "") + at
    if kind == "custom":
        return f"Op {len(rule.get('dates') or [])} vaste data" + at
    return "Geen vast ritme"


@bp.app_template_filter("quorum")
def quorum_text(rule) -> str:
    rule = rule or {}
    return QUORUM_KINDS.get(rule.get("kind"), "Meerderheid").format(count=rule.get("count"))


# --- who sits where ----------------------------------------------------------------------------


def seat_of(body: dict, who: dict) -> dict | None:
    """The principal's seat in the body: as a person, or as an organisation's delegate."""
    me = str(who.get("person_id") or "")
    if not me:
        return None
    for member in body.get("members") or []:
        if me in (str(member.get("person_id")), str(member.get("delegate_id"))):
            return member
    return None


def _leads(body: dict, who: dict) -> bool:
    seat = seat_of(body, who)
    return seat is not None and seat["role"] in LEADERS


def _is_secretary(body: dict, who: dict) -> bool:
    seat = seat_of(body, who)
    return seat is not None and seat["role"] == "secretary"


def _body_of_network(network_id: str, body_id) -> dict:
    body = call("meetings", "get_body", str(body_id))
    if str(body.get("network_id")) != str(network_id):
        raise NotFound("Dit orgaan bestaat niet in dit netwerk.")
    return body


def _meeting_of_network(network_id: str, meeting_id) -> tuple[dict, dict]:
    meeting = call("meetings", "get_meeting", str(meeting_id))
    if str(meeting.get("network_id")) != str(network_id):
        raise NotFound("Deze vergadering bestaat niet in dit netwerk.")
    return meeting, _body_of_network(network_id, meeting["body_id"])


def _members_by_id(body: dict) -> dict[str, dict]:
    return {str(member["id"]): member for member in body.get("members") or []}


def _deadline(meeting: dict, body: dict) -> dt.date | None:
    local = dutch.moment(meeting.get("starts_at"))
    if local is None:
        return None
    return local.date() - dt.timedelta(days=int(body.get("agenda_deadline_days") or 0))


def _refused(exc: VerbandError, rename, known) -> tuple[dict, str | None]:
    """A refusal of the service shown on the form; a wrong actor or an unknown object is
    not a mistake in the form: that answer is the page (403, 404, sign in)."""
    if isinstance(exc, ACCESS_ERRORS):
        raise exc
    errors, rest = _named(exc.fields, rename, known)
    return errors, _problem(exc.message, rest)


def _invalid(err: ValidationError, rename, known) -> tuple[dict, str | None]:
    errors, rest = _named(err.messages, rename, known)
    return errors, _problem("Niet opgeslagen." if rest else None, rest)


def _first(parts):
    return parts[0]


# --- bodies ------------------------------------------------------------------------------------


@bp.route("/organen", methods=["GET", "POST"])
def bodies():
    """The network's bodies; an organiser (coordinator, network admin, secretariat) sets up a
    new one with its rules; its members are added on the body's page."""
    network_id, who, roles = _network(guest=True)
    organiser = bool(roles & BODY_ORGANISERS)
    form, errors, problem, status = {}, {}, None, 200
    if request.method == "POST":
        if not organiser:
            raise Forbidden(
                "Enkel de coördinator, de netwerkbeheerder of het secretariaat richt organen op."
            )
        form = request.form.to_dict()
        form["cadence_months"] = request.form.getlist("cadence_months")
        created, errors, problem = _create_body(network_id, form)
        if created is not None:
            flash(f"{created['name']} is opgericht. Voeg nu de leden toe.")
            return redirect(url_for("meeting_pages.body", body_id=created["id"]))
        status = 422
    rows, load_problem = _try(lambda: call("meetings", "list_bodies", network_id))
    rows = sorted(rows or [], key=lambda b: (b.get("kind") != "kernteam", b.get("name", "")))
    return render_template(
        "meetings/bodies.html",
        bodies=[{**b, "seat": seat_of(b, who)} for b in rows],
        organiser=organiser,
        form=form,
        errors=errors,
        problem=problem or load_problem,
        kinds=BODY_KIND_LABELS,
        seats=SEATS,
        cadence_kinds=CADENCE_KINDS,
        weekdays={str(i): name for i, name in enumerate(WEEKDAYS[:5])},
        weeks={str(k): f"de {v}" for k, v in WEEKS.items()},
        months={str(i + 1): name for i, name in enumerate(MONTHS)},
        quorum_kinds=QUORUM_CHOICES,
        methods=DECISION_METHODS,
        majorities=MAJORITIES,
        phase_rows=range(PHASE_ROWS),
    ), status


def _whole(raw):
    """A whole number from a form, or the text itself (the schema names the mistake)."""
    if raw is None or str(raw).strip() == "":
        return None
    try:
        return int(str(raw).strip())
    except ValueError:
        return str(raw)


def _cadence(form: dict) -> dict:
    kind = form.get("cadence_kind", "")
    rule: dict = {"kind": kind}
    wanted = {
        "every_days": ("days", "weekday"),
        "monthly": ("week", "weekday"),
        "yearly": ("week", "weekday", "months"),
        "custom": ("dates",),
    }.get(kind, ())
    for name in wanted:
        if name == "months":
            rule["months"] = [_whole(v) for v in form.get("cadence_months") or []]
        elif name == "dates":
            raw = form.get("cadence_dates", "").replace(",", " ").replace(";", " ").split()
            rule["dates"] = [be_date(v) for v in raw]
        else:
            value = _whole(form.get(f"cadence_{name}"))
            if value is not None:
                rule[name] = value
    if kind == "monthly":
        phases = []
        for i in range(PHASE_ROWS):
            every = _whole(form.get(f"phase_every-{i}"))
            until = be_date(form.get(f"phase_until-{i}"))
            if every is not None or until:
                phases.append({"every_months": every, "until": until})
        if phases:
            rule["phases"] = phases
    if form.get("cadence_time", "").strip():
        rule["time"] = form["cadence_time"].strip()
    duration = _whole(form.get("cadence_duration"))
    if duration is not None:
        rule["duration_minutes"] = duration
    return rule


CADENCE_FIELDS = {
    "kind": "cadence_kind",
    "days": "cadence_days",
    "weekday": "cadence_weekday",
    "week": "cadence_week",
    "months": "cadence_months",
    "dates": "cadence_dates",
    "time": "cadence_time",
    "duration_minutes": "cadence_duration",
}
BODY_FIELDS = {
    "name",
    "kind",
    "mandate",
    "location",
    "agenda_deadline_days",
    "mail_days_before",
    "quorum_kind",
    "quorum_count",
    "decision_method",
    "decision_majority",
    *CADENCE_FIELDS.values(),
    *(f"phase_{f}-{i}" for f in ("every", "until") for i in range(PHASE_ROWS)),
}


def _body_rename(parts):
    head = parts[0]
    if head == "cadence":
        if len(parts) == 1:
            return "cadence_kind"
        if parts[1] == "phases":
            if len(parts) > 3 and parts[2].isdigit():
                return f"phase_{'until' if parts[3] == 'until' else 'every'}-{parts[2]}"
            return "phase_every-0"
        return CADENCE_FIELDS.get(parts[1], "cadence_kind")
    if head == "quorum":
        return "quorum_count" if len(parts) > 1 and parts[1] == "count" else "quorum_kind"
    if head == "decision_rule":
        return (
            "decision_majority"
            if len(parts) > 1 and parts[1] == "majority"
            else ("decision_method")
        )
    return head


def _create_body(network_id: str, form: dict) -> tuple[dict | None, dict, str | None]:
    quorum: dict = {"kind": form.get("quorum_kind", "")}
    if _whole(form.get("quorum_count")) is not None:
        quorum["count"] = _whole(form.get("quorum_count"))
    data = {
        "name": form.get("name", "").strip(),
        "kind": form.get("kind", ""),
        "mandate": form.get("mandate", "").strip() or None,
        "location": form.get("location", "").strip() or None,
        "cadence": _cadence(form),
        "quorum": quorum,
        "decision_rule": {
            "method": form.get("decision_method", ""),
            "majority": form.get("decision_majority") or "simple",
        },
        "agenda_deadline_days": _whole(form.get("agenda_deadline_days")),
        "mail_days_before": _whole(form.get("mail_days_before")),
    }
    data = {k: v for k, v in data.items() if v is not None}
    try:
        loaded = m.BodyInput().load(data)
    except ValidationError as err:
        errors, problem = _invalid(err, _body_rename, BODY_FIELDS)
        chosen = {
            "kind": "Kies de soort orgaan.",
            "cadence_kind": "Kies een vergaderritme.",
            "quorum_kind": "Kies een quorumregel.",
            "decision_method": "Kies consensus of stemming.",
        }
        for name, text in chosen.items():
            if name in errors and not form.get(name):
                errors[name] = text
        return None, errors, problem
    try:
        created = call("meetings", "create_body", network_id, m.BodyInput().dump(loaded))
    except VerbandError as exc:
        errors, problem = _refused(exc, _body_rename, BODY_FIELDS)
        return None, errors, problem
    return created, {}, None


@bp.route("/organen/<uuid:body_id>", methods=["GET", "POST"])
def body(body_id):
    """A body's members and its series; its chair or secretary (or an organiser of the
    network) plans the series or a single meeting and moves or cancels one; an organiser
    adds and removes members."""
    network_id, who, roles = _network(guest=True)
    found = _body_of_network(network_id, body_id)
    organiser = bool(roles & BODY_ORGANISERS)
    planner = _leads(found, who) or organiser
    people, organisations = {}, {}
    if organiser:
        rows, _ = _try(lambda: call("partners", "list_people", network_id))
        people = {str(r["id"]): r["name"] for r in rows or []}
        rows, _ = _try(lambda: call("partners", "list_organisations", network_id))
        organisations = {str(r["id"]): r["name"] for r in rows or []}
    form, errors, problem, status = {}, {}, None, 200
    chosen = request.values.get("wijzig", "")
    if request.method == "POST":
        form = request.form.to_dict()
        action = form.get("action")
        chosen = form.get("meeting_id", "")
        if action == "series":
            errors, problem = _plan_series(str(body_id), form)
            done = "De vergaderreeks is gepland."
        elif action == "move":
            errors, problem = _move(network_id, str(body_id), chosen, form)
            done = "De vergadering is verplaatst."
        elif action == "cancel":
            errors, problem = _cancel(network_id, str(body_id), chosen, form)
            done = "De vergadering is geannuleerd."
        elif action == "meeting":
            errors, problem = _schedule_one(str(body_id), form)
            done = "De vergadering is gepland."
        elif action in ("add_member", "remove_member"):
            if not organiser:
                raise Forbidden(
                    "Enkel de coördinator, de netwerkbeheerder of het secretariaat beheert de"
                    " leden."
                )
            if action == "add_member":
                errors, problem = _add_member(str(body_id), form, organisations)
                done = "Het lid is toegevoegd."
            else:
                errors, problem = _remove_member(str(body_id), found, form)
                done = "Het lid is uit het orgaan verwijderd."
        else:
            errors, problem, done = {}, "Onbekende actie.", ""
        if not errors and not problem:
            flash(done)
            for warning in g.get("rhythm_warnings", ()):
                flash(warning)
            return redirect(url_for("meeting_pages.body", body_id=body_id))
        status = 422
    today = dt.datetime.now(BRUSSELS).date()
    since = (today - dt.timedelta(days=31)).isoformat()
    meetings, load_problem = _try(
        lambda: call("meetings", "list_meetings", str(body_id), {"from": since})
    )
    meetings = meetings or []
    selected = next((x for x in meetings if str(x["id"]) == chosen), None)
    return render_template(
        "meetings/body.html",
        body=found,
        seat=seat_of(found, who),
        planner=planner,
        organiser=organiser,
        people=people,
        organisations=organisations,
        member_kinds=MEMBER_KINDS,
        represents=REPRESENTS_LABELS,
        meetings=meetings,
        selected=selected,
        form=form,
        errors=errors,
        problem=problem or load_problem,
        kinds=BODY_KIND_LABELS,
        seats=SEATS,
        statuses=MEETING_STATUSES,
        today=today.isoformat(),
    ), status


def _heard(answer) -> None:
    """Keeps the rhythm warnings of a plan, move or cancel answer (one meeting, or a series'
    list), for the page to show after the action: the write stood, the network decides."""
    rows = answer if isinstance(answer, list) else [answer]
    g.rhythm_warnings = [w for row in rows for w in (row or {}).get("rhythm_warnings") or []]


def _plan_series(body_id: str, form: dict) -> tuple[dict, str | None]:
    data = {"from": be_date(form.get("series_from")), "until": be_date(form.get("series_until"))}
    data = {k: v for k, v in data.items() if v is not None}

    def rename(parts):
        return {"from": "series_from", "starts_on": "series_from", "until": "series_until"}.get(
            parts[0], parts[0]
        )

    known = {"series_from", "series_until"}
    try:
        loaded = m.SeriesInput().load(data)
    except ValidationError as err:
        return _invalid(err, rename, known)
    try:
        _heard(call("meetings", "schedule_series", body_id, m.SeriesInput().dump(loaded)))
    except VerbandError as exc:
        return _refused(exc, rename, known)
    return {}, None


def _schedule_one(body_id: str, form: dict) -> tuple[dict, str | None]:
    data = {
        "starts_at": be_moment(form.get("one_on", ""), form.get("one_at", "")),
        "duration_minutes": _whole(form.get("one_duration")),
        "location": form.get("one_location", "").strip() or None,
        "on_holiday": form.get("one_on_holiday") == "ja",
    }
    data = {k: v for k, v in data.items() if v is not None}
    fields = {
        "starts_at": "one_on",
        "duration_minutes": "one_duration",
        "location": "one_location",
        "on_holiday": "one_on",
    }

    def rename(parts):
        return fields.get(parts[0], parts[0])

    known = {"one_on", "one_at", "one_duration", "one_location"}
    try:
        loaded = m.MeetingInput().load(data)
    except ValidationError as err:
        return _invalid(err, rename, known)
    try:
        _heard(call("meetings", "schedule_meeting", body_id, m.MeetingInput().dump(loaded)))
    except VerbandError as exc:
        return _refused(exc, rename, known)
    return {}, None


def _add_member(body_id: str, form: dict, organisations: dict) -> tuple[dict, str | None]:
    """A person, or an organisation of the network with its delegate."""
    data: dict = {"role": form.get("member_role", ""), "voting": form.get("member_voting") == "ja"}
    if form.get("member_kind") == "organisation":
        chosen = form.get("member_organisation", "")
        if chosen:
            data["organisation_id"] = chosen
            if chosen in organisations:
                data["organisation_name"] = organisations[chosen]
        if form.get("member_delegate"):
            data["delegate_id"] = form["member_delegate"]
    elif form.get("member_person"):
        data["person_id"] = form["member_person"]
    if form.get("member_represents"):
        data["represents"] = form["member_represents"]
    fields = {
        "represents": "member_represents",
        "person_id": "member_person",
        "organisation_id": "member_organisation",
        "organisation_name": "member_organisation",
        "delegate_id": "member_delegate",
        "role": "member_role",
        "voting": "member_role",
    }

    def rename(parts):
        if parts[0] == "member" and len(parts) > 2:
            return fields.get(parts[2], "member_person")
        return fields.get(parts[0], parts[0])

    known = {
        "member_person",
        "member_organisation",
        "member_delegate",
        "member_role",
        "member_represents",
    }
    try:
        loaded = m.MemberInput().load(data)
    except ValidationError as err:
        errors, problem = _invalid(err, rename, known)
        if "member_role" in errors and not form.get("member_role"):
            errors["member_role"] = "Kies een rol."
        return errors, problem
    try:
        call("meetings", "add_member", body_id, m.MemberInput().dump(loaded))
    except VerbandError as exc:
        return _refused(exc, rename, known)
    return {}, None


def _remove_member(body_id: str, body: dict, form: dict) -> tuple[dict, str | None]:
    member_id = form.get("member_id", "")
    if member_id not in _members_by_id(body):
        raise NotFound("Dit lid zetelt niet in dit orgaan.")
    try:
        call("meetings", "remove_member", body_id, member_id)
    except VerbandError as exc:
        return _refused(exc, _first, set())
    return {}, None


def _meeting_of_body(network_id: str, body_id: str, meeting_id: str) -> None:
    """The meeting named by a form is one of this body (else: not found)."""
    if not meeting_id:
        raise NotFound("Kies de vergadering die je wijzigt.")
    meeting = call("meetings", "get_meeting", meeting_id)
    if str(meeting.get("body_id")) != body_id or str(meeting.get("network_id")) != network_id:
        raise NotFound("Deze vergadering hoort niet bij dit orgaan.")


def _move(network_id: str, body_id: str, meeting_id: str, form: dict) -> tuple[dict, str | None]:
    _meeting_of_body(network_id, body_id, meeting_id)
    data = {
        "starts_at": be_moment(form.get("move_on", ""), form.get("move_at", "")),
        "reason": form.get("move_reason", "").strip() or None,
        "on_holiday": form.get("move_on_holiday") == "ja",
    }
    data = {k: v for k, v in data.items() if v is not None}

    def rename(parts):
        return {"starts_at": "move_on", "reason": "move_reason", "on_holiday": "move_on"}.get(
            parts[0], parts[0]
        )

    known = {"move_on", "move_at", "move_reason"}
    try:
        loaded = m.MoveInput().load(data)
    except ValidationError as err:
        return _invalid(err, rename, known)
    try:
        _heard(call("meetings", "move_meeting", meeting_id, m.MoveInput().dump(loaded)))
    except VerbandError as exc:
        return _refused(exc, rename, known)
    return {}, None


def _cancel(network_id: str, body_id: str, meeting_id: str, form: dict) -> tuple[dict, str | None]:
    _meeting_of_body(network_id, body_id, meeting_id)
    data = {"reason": form.get("cancel_reason", "").strip() or None}

    def rename(parts):
        return {"reason": "cancel_reason"}.get(parts[0], parts[0])

    known = {"cancel_reason"}
    try:
        loaded = m.CancelInput().load({k: v for k, v in data.items() if v is not None})
    except ValidationError as err:
        return _invalid(err, rename, known)
    try:
        _heard(call("meetings", "cancel_meeting", meeting_id, m.CancelInput().dump(loaded)))
    except VerbandError as exc:
        return _refused(exc, rename, known)
    return {}, None


# --- the meeting -------------------------------------------------------------------------------


@bp.route("/vergaderingen/<uuid:meeting_id>", methods=["GET", "POST"])
def meeting(meeting_id):
    """The meeting: its agenda, attendance and quorum, per item notes, a decision and
    actions, the IROJ reporter, signals; the chair or secretary records, any member of the
    body raises a signal."""
    network_id, who, roles = _network(guest=True)
    found, body_ = _meeting_of_network(network_id, meeting_id)
    form, errors, problem, status = {}, {}, None, 200
    active = ""
    if request.method == "POST":
        form = request.form.to_dict()
        action = form.get("action")
        mid = str(meeting_id)
        if action == "attendance":
            errors, problem = _attendance(mid, body_, form)
            done = "De aanwezigheid is geregistreerd."
        elif action == "item":
            active = form.get("item_id", "")
            errors, problem = _record_item(mid, found, body_, active, form)
            done = "Het agendapunt is bijgewerkt."
        elif action == "signal":
            errors, problem = _signal(mid, form)
            done = "Het signaal is doorgegeven aan IROJ."
        elif action == "close":
            errors, problem = _close(mid)
            done = "De vergadering is afgesloten."
        else:
            errors, problem, done = {}, "Onbekende actie.", ""
        if not errors and not problem:
            flash(done)
            return redirect(url_for("meeting_pages.meeting", meeting_id=meeting_id))
        status = 422
    members = _members_by_id(body_)
    presence = {str(p["member_id"]): p["status"] for p in found.get("attendance") or []}
    decisions = {str(d["item_id"]): d for d in found.get("decisions") or []}
    actions_of: dict[str, list] = {}
    for a in found.get("actions") or []:
        actions_of.setdefault(str(a.get("item_id")), []).append(a)
    files_by_item, meeting_files = _files_by_item(str(meeting_id))
    return render_template(
        "meetings/meeting.html",
        files_by_item=files_by_item,
        meeting_files=meeting_files,
        meeting=found,
        body=body_,
        seat=seat_of(body_, who),
        leader=_leads(body_, who),
        members=members,
        owners={k: v["name"] for k, v in members.items()},
        voters={k: v for k, v in members.items() if v.get("voting")},
        presence=presence,
        decisions=decisions,
        actions_of=actions_of,
        active=active,
        form=form,
        errors=errors,
        problem=problem,
        attendance=ATTENDANCE,
        statuses=MEETING_STATUSES,
        item_kinds=ITEM_KINDS,
        signal_kinds=SIGNAL_KIND_LABELS,
        methods=DECISION_METHODS,
        choices=CHOICES,
        minutes_statuses=MINUTES_STATUSES,
        objection_rows=range(OBJECTION_ROWS),
        action_rows=range(ACTION_ROWS),
        day_has_come=_day_has_come(found),
    ), status


def _day_has_come(meeting: dict) -> bool:
    local = dutch.moment(meeting.get("starts_at"))
    return local is not None and local.date() <= dt.datetime.now(BRUSSELS).date()


def _attendance(meeting_id: str, body: dict, form: dict) -> tuple[dict, str | None]:
    members = list(_members_by_id(body))
    rows = [
        {"member_id": member_id, "status": form.get(f"presence-{member_id}", "")}
        for member_id in members
    ]
    data = {
        "attendance": rows,
        "iroj_reporter_member_id": form.get("iroj_reporter") or None,
    }

    def rename(parts):
        if parts[0] == "attendance" and len(parts) > 1 and parts[1].isdigit():
            n = int(parts[1])
            return f"presence-{members[n]}" if n < len(members) else "attendance"
        return {"iroj_reporter_member_id": "iroj_reporter"}.get(parts[0], parts[0])

    known = {*(f"presence-{k}" for k in members), "iroj_reporter", "attendance"}
    try:
        loaded = m.AttendanceInput().load(data)
    except ValidationError as err:
        errors, problem = _invalid(err, rename, known)
        for key in list(errors):
            if key.startswith("presence-") and not form.get(key):
                errors[key] = "Kies aanwezig, verontschuldigd of afwezig."
        return errors, problem
    try:
        call("meetings", "record_attendance", meeting_id, m.AttendanceInput().dump(loaded))
    except VerbandError as exc:
        return _refused(exc, rename, known)
    return {}, None


def _record_item(
    meeting_id: str, meeting: dict, body: dict, item_id: str, form: dict
) -> tuple[dict, str | None]:
    if not any(str(i["id"]) == item_id for i in meeting.get("agenda") or []):
        raise NotFound("Dit agendapunt staat niet op de agenda van deze vergadering.")
    key = item_id
    members = _members_by_id(body)
    data: dict = {}
    notes = form.get(f"notes-{key}", "").strip()
    if notes:
        data["notes"] = notes
    method = form.get(f"method-{key}", "")
    text = form.get(f"decision-{key}", "").strip()
    objections, objection_rows = [], []
    votes, vote_members = [], []
    if method or text:
        if method == "consensus":
            for i in range(OBJECTION_ROWS):
                who = form.get(f"objection_member-{key}-{i}", "")
                said = form.get(f"objection_text-{key}-{i}", "").strip()
                if who or said:
                    objections.append({"member_id": who, "text": said})
                    objection_rows.append(i)
        elif method == "vote":
            for member_id in members:
                choice = form.get(f"vote-{key}-{member_id}", "")
                if choice:
                    votes.append({"member_id": member_id, "choice": choice})
                    vote_members.append(member_id)
        data["decision"] = {
            "method": method,
            "text": text,
            "objections": objections,
            "votes": votes,
            "for_iroj": form.get(f"for_iroj-{key}") == "yes",
        }
    actions, action_rows = [], []
    for i in range(ACTION_ROWS):
        title = form.get(f"action_title-{key}-{i}", "").strip()
        owner = form.get(f"action_owner-{key}-{i}", "")
        due = form.get(f"action_due-{key}-{i}", "").strip()
        if title or owner or due:
            row = {"title": title, "due_on": be_date(due)}
            if owner:
                row["owner_member_id"] = owner
            actions.append({k: v for k, v in row.items() if v is not None})
            action_rows.append(i)
    data["actions"] = actions

    def rename(parts):
        if parts[0] == "decision" and len(parts) > 1:
            if parts[1] == "method":
                return f"method-{key}"
            if parts[1] == "text":
                return f"decision-{key}"
            if parts[1] == "for_iroj":
                return f"for_iroj-{key}"
            if parts[1] == "objections" and len(parts) > 3 and parts[2].isdigit():
                n = int(parts[2])
                row = objection_rows[n] if n < len(objection_rows) else n
                field = "objection_member" if parts[3] == "member_id" else "objection_text"
                return f"{field}-{key}-{row}"
            if parts[1] == "votes" and len(parts) > 2 and parts[2].isdigit():
                n = int(parts[2])
                # A vote of a member without voting right has no field on the page: its
                # refusal is shown at the decision.
                if n < len(vote_members) and members[vote_members[n]].get("voting"):
                    return f"vote-{key}-{vote_members[n]}"
            return f"decision-{key}"
        if parts[0] == "decision":
            return f"decision-{key}"
        if parts[0] == "actions" and len(parts) > 2 and parts[1].isdigit():
            n = int(parts[1])
            row = action_rows[n] if n < len(action_rows) else n
            field = {"owner_member_id": "action_owner", "due_on": "action_due"}.get(
                parts[2], "action_title"
            )
            return f"{field}-{key}-{row}"
        if parts[0] == "notes":
            return f"notes-{key}"
        return parts[0]

    known = {
        f"notes-{key}",
        f"method-{key}",
        f"decision-{key}",
        f"for_iroj-{key}",
        *(f"{f}-{key}-{i}" for f in ("objection_member", "objection_text") for i in objection_rows),
        *(f"vote-{key}-{v}" for v in vote_members),
        *(
            f"{f}-{key}-{i}"
            for f in ("action_title", "action_owner", "action_due")
            for i in action_rows
        ),
    }
    if not notes and "decision" not in data and not actions:
        return {f"notes-{key}": "Vul notities, een beslissing of een actie in."}, None
    try:
        loaded = m.ItemOutcomeInput().load(data)
    except ValidationError as err:
        errors, problem = _invalid(err, rename, known)
        if f"method-{key}" in errors and not method:
            errors[f"method-{key}"] = "Kies consensus of stemming."
        for i in action_rows:
            if f"action_owner-{key}-{i}" in errors and not form.get(f"action_owner-{key}-{i}"):
                errors[f"action_owner-{key}-{i}"] = "Kies wie de actie opneemt."
        return errors, problem
    try:
        call("meetings", "record_item", meeting_id, item_id, m.ItemOutcomeInput().dump(loaded))
    except VerbandError as exc:
        return _refused(exc, rename, known)
    return {}, None


def _signal(meeting_id: str, form: dict) -> tuple[dict, str | None]:
    data = {
        "kind": form.get("signal_kind", ""),
        "title": form.get("signal_title", "").strip(),
        "description": form.get("signal_description", "").strip() or None,
    }

    def rename(parts):
        return f"signal_{parts[0]}"

    known = {"signal_kind", "signal_title", "signal_description"}
    try:
        loaded = m.SignalInput().load(data)
    except ValidationError as err:
        errors, problem = _invalid(err, rename, known)
        if "signal_kind" in errors and not data["kind"]:
            errors["signal_kind"] = "Kies knelpunt of verbetervoorstel."
        return errors, problem
    try:
        call("meetings", "raise_signal", meeting_id, m.SignalInput().dump(loaded))
    except VerbandError as exc:
        return _refused(exc, rename, known)
    return {}, None


def _close(meeting_id: str) -> tuple[dict, str | None]:
    def rename(parts):
        return {"iroj_reporter_member_id": "iroj_reporter"}.get(parts[0], parts[0])

    try:
        call("meetings", "close_meeting", meeting_id)
    except VerbandError as exc:
        return _refused(exc, rename, {"iroj_reporter"})
    return {}, None


# --- the agenda --------------------------------------------------------------------------------


@bp.route("/vergaderingen/<uuid:meeting_id>/agenda", methods=["GET", "POST"])
def agenda(meeting_id):
    """The secretary's (or chair's) agenda builder: order the proposals, publish with the
    standing items; after publication an item is added only at the meeting, with the
    meeting's recorded approval."""
    network_id, who, roles = _network(guest=True)
    found, body_ = _meeting_of_network(network_id, meeting_id)
    form, errors, problem, status = {}, {}, None, 200
    if request.method == "POST":
        form = request.form.to_dict()
        action = form.get("action")
        mid = str(meeting_id)
        if action == "order":
            errors, problem = _order(mid, found, form)
            done = "De volgorde van de agenda is bewaard."
        elif action == "publish":
            errors, problem = _publish(mid)
            done = "De agenda is gepubliceerd; de leden krijgen hem op tijd per e-mail."
        elif action == "add":
            errors, problem = _add_at_meeting(mid, form)
            done = "Het punt is met de goedkeuring van de vergadering toegevoegd."
        else:
            errors, problem, done = {}, "Onbekende actie.", ""
        if not errors and not problem:
            flash(done)
            return redirect(url_for("meeting_pages.agenda", meeting_id=meeting_id))
        status = 422
    return render_template(
        "meetings/agenda.html",
        files_by_item=_files_by_item(str(meeting_id))[0],
        meeting=found,
        body=body_,
        leader=_leads(body_, who),
        seat=seat_of(body_, who),
        deadline=_deadline(found, body_),
        form=form,
        errors=errors,
        problem=problem,
        item_kinds=ITEM_KINDS,
        statuses=MEETING_STATUSES,
    ), status


def _order(meeting_id: str, meeting: dict, form: dict) -> tuple[dict, str | None]:
    items = meeting.get("agenda") or []
    errors, ranked = {}, []
    for item in items:
        raw = form.get(f"position-{item['id']}", "").strip()
        try:
            ranked.append((int(raw), item["position"], str(item["id"])))
        except ValueError:
            errors[f"position-{item['id']}"] = "Geef een volgnummer (1, 2, 3…)."
    if errors:
        return errors, None
    data = {"item_ids": [item_id for _, _, item_id in sorted(ranked)]}
    try:
        loaded = m.OrderInput().load(data)
        call("meetings", "order_agenda", meeting_id, m.OrderInput().dump(loaded))
    except ValidationError as err:
        return _invalid(err, _first, set())
    except VerbandError as exc:
        return _refused(exc, _first, set())
    return {}, None


def _publish(meeting_id: str) -> tuple[dict, str | None]:
    try:
        call("meetings", "publish_agenda", meeting_id)
    except VerbandError as exc:
        return _refused(exc, _first, set())
    return {}, None


def _item_data(form: dict, prefix: str = "") -> tuple[dict, list[int]]:
    documents, rows = [], []
    for i in range(DOCUMENT_ROWS):
        name = form.get(f"{prefix}doc_name-{i}", "").strip()
        url = form.get(f"{prefix}doc_url-{i}", "").strip()
        if name or url:
            documents.append({"name": name, **({"url": url} if url else {})})
            rows.append(i)
    data = {
        "title": form.get(f"{prefix}title", "").strip(),
        "explanation": form.get(f"{prefix}explanation", "").strip() or None,
        "decision_asked": form.get(f"{prefix}decision_asked", "").strip() or None,
        "documents": documents,
    }
    return data, rows


def _item_rename(prefix: str, rows: list[int]):
    def rename(parts):
        if parts[0] == "documents" and len(parts) > 2 and parts[1].isdigit():
            n = int(parts[1])
            row = rows[n] if n < len(rows) else n
            return f"{prefix}doc_{'url' if parts[2] == 'url' else 'name'}-{row}"
        return prefix + parts[0]

    return rename


def _item_fields(prefix: str, rows: list[int]) -> set[str]:
    return {
        *(prefix + f for f in ("title", "explanation", "decision_asked")),
        *(f"{prefix}doc_{f}-{i}" for f in ("name", "url") for i in rows),
    }


def _add_at_meeting(meeting_id: str, form: dict) -> tuple[dict, str | None]:
    data, rows = _item_data(form, "add_")
    data["approved_by_meeting"] = form.get("add_approved_by_meeting") == "ja"
    base = _item_rename("add_", rows)

    def rename(parts):
        if parts[0] in ("approved_by_meeting", "meeting_id"):
            return "add_approved_by_meeting"
        return base(parts)

    known = {*_item_fields("add_", rows), "add_approved_by_meeting"}
    try:
        loaded = m.ItemAtMeetingInput().load(data)
    except ValidationError as err:
        return _invalid(err, rename, known)
    try:
        call("meetings", "add_item_at_meeting", meeting_id, m.ItemAtMeetingInput().dump(loaded))
    except VerbandError as exc:
        return _refused(exc, rename, known)
    return {}, None


@bp.route("/vergaderingen/<uuid:meeting_id>/punt-voorstellen", methods=["GET", "POST"])
def propose_item(meeting_id):
    """A member of the body proposes an item to the secretary, before the agenda deadline."""
    network_id, who, roles = _network(guest=True)
    found, body_ = _meeting_of_network(network_id, meeting_id)
    form, errors, problem, status = {}, {}, None, 200
    if request.method == "POST":
        form = request.form.to_dict()
        data, rows = _item_data(form)
        rename = _item_rename("", rows)
        known = _item_fields("", rows)
        try:
            loaded = m.ItemInput().load(data)
        except ValidationError as err:
            errors, problem = _invalid(err, rename, known)
        else:
            try:
                call("meetings", "propose_item", str(meeting_id), m.ItemInput().dump(loaded))
            except VerbandError as exc:
                errors, problem = _refused(exc, rename, known)
        if not errors and not problem:
            flash(f"Je voorstel ‘{data['title']}’ is bezorgd aan de secretaris.")
            return redirect(url_for("meeting_pages.meeting", meeting_id=meeting_id))
        status = 422
    deadline = _deadline(found, body_)
    today = dt.datetime.now(BRUSSELS).date()
    return render_template(
        "meetings/propose.html",
        meeting=found,
        body=body_,
        seat=seat_of(body_, who),
        deadline=deadline,
        open_for_proposals=(
            found.get("status") == "scheduled"
            and not found.get("agenda_published_at")
            and deadline is not None
            and today <= deadline
        ),
        document_rows=range(DOCUMENT_ROWS),
        form=form,
        errors=errors,
        problem=problem,
    ), status


# --- minutes -----------------------------------------------------------------------------------


@bp.route("/vergaderingen/<uuid:meeting_id>/verslag", methods=["GET", "POST"])
def minutes(meeting_id):
    """The minutes: drafted by the secretary from the meeting, sent as a draft, approved at
    a next meeting with the amendments, then locked."""
    network_id, who, roles = _network(guest=True)
    found, body_ = _meeting_of_network(network_id, meeting_id)
    form, errors, problem, status = {}, {}, None, 200
    if request.method == "POST":
        form = request.form.to_dict()
        action = form.get("action")
        mid = str(meeting_id)
        if action == "save":
            errors, problem = _save_minutes(mid, found, form)
            done = "Het ontwerpverslag is bewaard."
        elif action == "send":
            errors, problem = _send_minutes(mid)
            done = "Het ontwerpverslag is aan de leden bezorgd."
        elif action == "approve":
            errors, problem = _approve_minutes(network_id, mid, found, form)
            done = "Het verslag is goedgekeurd en ligt nu vast."
        else:
            errors, problem, done = {}, "Onbekende actie.", ""
        if not errors and not problem:
            flash(done)
            return redirect(url_for("meeting_pages.minutes", meeting_id=meeting_id))
        status = 422
    record = found.get("minutes")
    if request.method in ("GET", "HEAD"):
        form = {"summary": (record or {}).get("summary") or ""}
        for item in found.get("agenda") or []:
            form[f"notes-{item['id']}"] = item.get("notes") or ""
    later, _ = _try(
        lambda: call(
            "meetings",
            "list_meetings",
            str(found["body_id"]),
            {"from": dutch.moment(found["starts_at"]).date().isoformat()},
        )
    )
    later = [
        x for x in later or [] if str(x["id"]) != str(meeting_id) and x["status"] != "cancelled"
    ]
    return render_template(
        "meetings/minutes.html",
        meeting=found,
        body=body_,
        record=record,
        secretary=_is_secretary(body_, who),
        leader=_leads(body_, who),
        locked=bool(record and record.get("status") == "approved"),
        later={
            str(x["id"]): f"{_day(x['starts_at'])} om {dutch.time_text(x['starts_at'])}"
            for x in later
        },
        form=form,
        errors=errors,
        problem=problem,
        minutes_statuses=MINUTES_STATUSES,
        item_kinds=ITEM_KINDS,
    ), status


def _day(value) -> str:
    return f"{dutch.weekday_text(value)} {dutch.date_text(value)}"


def _save_minutes(meeting_id: str, meeting: dict, form: dict) -> tuple[dict, str | None]:
    items = [str(i["id"]) for i in meeting.get("agenda") or []]
    data = {
        "summary": form.get("summary", "").strip() or None,
        "item_notes": {
            item_id: form.get(f"notes-{item_id}", "").strip()
            for item_id in items
            if form.get(f"notes-{item_id}", "").strip()
        },
    }

    def rename(parts):
        if parts[0] == "item_notes" and len(parts) > 1:
            return f"notes-{parts[1]}"
        return {"minutes": "summary", "meeting_id": "summary"}.get(parts[0], parts[0])

    known = {"summary", *(f"notes-{i}" for i in items)}
    try:
        loaded = m.MinutesInput().load({k: v for k, v in data.items() if v is not None})
    except ValidationError as err:
        return _invalid(err, rename, known)
    try:
        call("meetings", "update_minutes", meeting_id, m.MinutesInput().dump(loaded))
    except VerbandError as exc:
        return _refused(exc, rename, known)
    return {}, None


def _send_minutes(meeting_id: str) -> tuple[dict, str | None]:
    try:
        call("meetings", "send_minutes_draft", meeting_id)
    except VerbandError as exc:
        return _refused(exc, _first, set())
    return {}, None


def _approve_minutes(
    network_id: str, meeting_id: str, meeting: dict, form: dict
) -> tuple[dict, str | None]:
    amendments = [line.strip() for line in form.get("amendments", "").splitlines() if line.strip()]
    data = {"in_meeting_id": form.get("in_meeting_id", ""), "amendments": amendments}

    def rename(parts):
        if parts[0] == "amendments":
            return "amendments"
        return {"minutes": "in_meeting_id", "meeting_id": "in_meeting_id"}.get(parts[0], parts[0])

    known = {"in_meeting_id", "amendments"}
    try:
        loaded = m.ApproveMinutesInput().load(data)
    except ValidationError as err:
        errors, problem = _invalid(err, rename, known)
        if "in_meeting_id" in errors and not data["in_meeting_id"]:
            errors["in_meeting_id"] = "Kies de vergadering die het verslag goedkeurt."
        return errors, problem
    try:
        call("meetings", "approve_minutes", meeting_id, m.ApproveMinutesInput().dump(loaded))
    except VerbandError as exc:
        return _refused(exc, rename, known)
    return {}, None


# --- for every member --------------------------------------------------------------------------


def _my_seats(network_id: str, who: dict) -> tuple[list[tuple[dict, dict]], str | None]:
    """(body, my seat) for every body of the network I sit in."""
    rows, problem = _try(lambda: call("meetings", "list_bodies", network_id))
    mine = []
    for b in rows or []:
        seat = seat_of(b, who)
        if seat is not None and str(b.get("network_id")) == str(network_id):
            mine.append((b, seat))
    return mine, problem


@bp.get("/mijn-vergaderingen")
def my_meetings():
    network_id, who, roles = _network(guest=True)
    seats, problem = _my_seats(network_id, who)
    today = dt.datetime.now(BRUSSELS).date().isoformat()
    upcoming = []
    for b, seat in seats:
        found, failed = _try(
            lambda b=b: call("meetings", "list_meetings", str(b["id"]), {"from": today})
        )
        problem = problem or failed
        for x in found or []:
            upcoming.append({**x, "body": b, "seat": seat})
    upcoming.sort(key=lambda x: x["starts_at"])
    return render_template(
        "meetings/my_meetings.html",
        meetings=upcoming,
        seats=seats,
        seat_labels=SEATS,
        statuses=MEETING_STATUSES,
        problem=problem,
    )


def _my_open_actions(network_id: str, who: dict) -> tuple[list[dict], str | None]:
    seats, problem = _my_seats(network_id, who)
    mine = []
    for b, seat in seats:
        found, failed = _try(lambda b=b: call("meetings", "list_actions", str(b["id"]), True))
        problem = problem or failed
        for a in found or []:
            if str(a.get("owner_member_id")) == str(seat["id"]) and not a.get("done_on"):
                mine.append({**a, "body": b})
    mine.sort(key=lambda a: (a["due_on"], a["title"]))
    return mine, problem


@bp.route("/mijn-acties", methods=["GET", "POST"])
def my_actions():
    """The open actions the signed-in person owns, in every body of the network; the owner
    marks one done."""
    network_id, who, roles = _network(guest=True)
    problem, status = None, 200
    if request.method == "POST":
        action_id = request.form.get("action_id", "")
        mine, _ = _my_open_actions(network_id, who)
        chosen = next((a for a in mine if str(a["id"]) == action_id), None)
        if chosen is None:
            raise NotFound("Deze actie staat niet open op jouw naam in dit netwerk.")
        try:
            call("meetings", "complete_action", action_id)
        except ACCESS_ERRORS:
            raise
        except VerbandError as exc:
            problem = exc.message
            status = 422
        else:
            flash(f"De actie ‘{chosen['title']}’ is afgerond.")
            return redirect(url_for("meeting_pages.my_actions"))
    actions, load_problem = _my_open_actions(network_id, who)
    today = dt.datetime.now(BRUSSELS).date().isoformat()
    return render_template(
        "meetings/my_actions.html",
        actions=actions,
        today=today,
        problem=problem or load_problem,
    ), status


# --- documents and guests ----------------------------------------------------------------------


def _visible_documents(meeting_id: str) -> list[dict] | None:
    """The meeting's documents if the principal sees them (members, guests, organisers), else
    None: the page then says nothing of them."""
    try:
        return call("meetings", "list_documents", meeting_id) or []
    except (Forbidden, NotFound):
        return None


def _files_by_item(meeting_id: str) -> tuple[dict[str, list], list]:
    """The documents the principal sees, per agenda item, and those of the meeting itself."""
    by_item: dict[str, list] = {}
    loose = []
    for f in _visible_documents(meeting_id) or []:
        if f.get("item_id"):
            by_item.setdefault(str(f["item_id"]), []).append(f)
        else:
            loose.append(f)
    return by_item, loose


def _manages(body: dict, who: dict, roles: set[str]) -> bool:
    return _leads(body, who) or bool(set(roles) & BODY_ORGANISERS)


@bp.route("/vergaderingen/<uuid:meeting_id>/stukken", methods=["GET", "POST"])
def documents(meeting_id):
    """The meeting's documents (every version, who and when) and its guests; the chair, the
    secretary or an organiser adds documents and new versions and invites guests. Only the
    body's members, the meeting's guests and the organisers see this page (403 for others)."""
    network_id, who, roles = _network(guest=True)
    found, body_ = _meeting_of_network(network_id, meeting_id)
    mid = str(meeting_id)
    files = call("meetings", "list_documents", mid) or []
    manager = _manages(body_, who, roles)
    form, errors, problem, status = {}, {}, None, 200
    if request.method == "POST":
        form = request.form.to_dict()
        action = form.get("action")
        if action == "upload":
            errors, problem = _upload(mid, with_item=True)
            done = "Het stuk is toegevoegd."
        elif action == "version":
            errors, problem = _upload(mid, with_item=False)
            done = "De nieuwe versie is toegevoegd; de vorige blijven bewaard."
        elif action == "invite":
            errors, problem = _invite(mid, form)
            done = "De genodigde ziet nu de agenda en de stukken van deze vergadering."
        elif action == "uninvite":
            errors, problem = _uninvite(mid, form)
            done = "De uitnodiging is ingetrokken."
        else:
            errors, problem, done = {}, "Onbekende actie.", ""
        if not errors and not problem:
            flash(done)
            return redirect(url_for("meeting_pages.documents", meeting_id=meeting_id))
        status = 422
    guests = call("meetings", "list_guests", mid) or []
    invited = {str(g["person_id"]) for g in guests}
    seated = {str(m.get("person_id") or m.get("delegate_id")) for m in body_.get("members") or []}
    people = {}
    if manager:
        people = {
            str(p["id"]): p["name"]
            for p in call("meetings", "network_people", network_id) or []
            if str(p["id"]) not in invited | seated
        }
    items = {str(i["id"]): f"{i['position']}. {i['title']}" for i in found.get("agenda") or []}
    return render_template(
        "meetings/documents.html",
        meeting=found,
        body=body_,
        files=files,
        items=items,
        guests=guests,
        people=people,
        manager=manager,
        form=form,
        errors=errors,
        problem=problem,
        max_mib=m.MAX_DOCUMENT_BYTES // (1024 * 1024),
        accept=",".join(f".{ext}" for ext in m.DOCUMENT_TYPES),
    ), status


def _upload(meeting_id: str, with_item: bool) -> tuple[dict, str | None]:
    """A new document (with its agenda item) or a new version of one; what the service
    refuses of a new version is shown on top, as the page has one such form per document."""
    known = {"file", "item_id"} if with_item else set()

    def rename(parts):
        return parts[0] if parts[0] in ("file", "item_id") else "file"

    item = request.form.get("item_id", "").strip()
    try:
        payload = read_upload(
            request.files, {"item_id": item} if with_item and item else {}, with_item
        )
        if not with_item:
            payload["document_id"] = request.form.get("document_id", "")
        call("meetings", "upload_document", meeting_id, payload)
    except VerbandError as exc:
        return _refused(exc, rename, known)
    return {}, None


def _invite(meeting_id: str, form: dict) -> tuple[dict, str | None]:
    data = {"person_id": form.get("person_id", "")}
    try:
        loaded = m.GuestInput().load(data)
        call("meetings", "invite_guest", meeting_id, m.GuestInput().dump(loaded))
    except ValidationError as err:
        return _invalid(err, _first, {"person_id"})
    except VerbandError as exc:
        return _refused(exc, _first, {"person_id"})
    return {}, None


def _uninvite(meeting_id: str, form: dict) -> tuple[dict, str | None]:
    try:
        call("meetings", "remove_guest", meeting_id, form.get("person_id", ""))
    except VerbandError as exc:
        return _refused(exc, _first, set())
    return {}, None


@bp.route("/vergaderingen/<uuid:meeting_id>/stukken/<uuid:document_id>")
def document_file(meeting_id, document_id):
    """A document to download (the newest version, or ?versie=N), as the JSON API serves it:
    an attachment, the type read from its bytes, nosniff."""
    network_id, _who, _roles = _network(guest=True)
    _meeting_of_network(network_id, meeting_id)
    raw = request.args.get("versie", "")
    version = int(raw) if raw.isdigit() and 1 <= int(raw) <= 10**6 else None
    if raw and version is None:
        raise NotFound("Deze versie bestaat niet.")
    args = (str(document_id),) + ((version,) if version else ())
    return document_download(call("meetings", "document_content", *args))
