"""The portal's pages of the voices at the table: a meeting's votes ("Stemmingen"), where the
chair or secretary opens a vote on an agenda item and closes it and each member with a
voting right casts their own ballot (voor, tegen, onthouding), changeable until it closes;
and a body's written procedures ("Schriftelijke procedures"), where the secretariat puts an
urgent proposal to the members and each agrees or objects with a reason. The meetings
service decides who may do what; a refusal of the form is shown on it, in Dutch."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from marshmallow import ValidationError
from werkzeug.exceptions import Forbidden

from verband_common.errors import NotFound, VerbandError
from verband_common.labels import (
    DECISION_OUTCOME_LABELS,
    SIGNAL_KIND_LABELS,
    VOTE_CHOICE_LABELS,
    VOTE_STATUS_LABELS,
    WRITTEN_ANSWER_LABELS,
)
from verband_common.roles import BODY_ORGANISERS, REPORT_KEEPERS
from verband_common.schemas import meetings as m
from verband_gateway import call
from verband_gateway.form_input import be_moment
from verband_gateway.meeting_pages import (
    _body_of_network,
    _choose,
    _day_has_come,
    _invalid,
    _leads,
    _meeting_of_network,
    _refused,
    seat_of,
)
from verband_gateway.pages import _ChooseNetwork, _network

bp = Blueprint("voice_pages", __name__)
# No network chosen yet: choose first, as on the other meeting pages.
bp.register_error_handler(_ChooseNetwork, _choose)

OPEN_FIELDS = {"item_id", "proposal"}


def _same(parts) -> str:
    return parts[0]


def _open(meeting_id: str, form: dict) -> tuple[dict, str | None]:
    data = {"item_id": form.get("item_id", ""), "proposal": form.get("proposal", "")}
    try:
        loaded = m.VoteOpenInput().load(data)
    except ValidationError as err:
        return _invalid(err, _same, OPEN_FIELDS)
    try:
        call("meetings", "open_vote", meeting_id, m.VoteOpenInput().dump(loaded))
    except VerbandError as exc:
        return _refused(exc, _same, OPEN_FIELDS)
    return {}, None


def _cast(form: dict) -> tuple[dict, str | None]:
    try:
        loaded = m.BallotInput().load({"choice": form.get("choice", "")})
    except ValidationError:
        return {}, "Kies voor, tegen of onthouding."
    try:
        call("meetings", "cast_ballot", form.get("vote_id", ""), m.BallotInput().dump(loaded))
    except VerbandError as exc:
        return _refused(exc, _same, set())
    return {}, None


def _close(form: dict) -> tuple[dict, str | None]:
    try:
        call("meetings", "close_vote", form.get("vote_id", ""))
    except VerbandError as exc:
        return _refused(exc, _same, set())
    return {}, None


@bp.route("/vergaderingen/<uuid:meeting_id>/stemmingen", methods=["GET", "POST"])
def votes(meeting_id):
    network_id, who, _roles = _network()
    found, body = _meeting_of_network(network_id, meeting_id)
    form, errors, problem, status = {}, {}, None, 200
    if request.method == "POST":
        form = request.form.to_dict()
        action = form.get("action")
        if action == "open":
            errors, problem = _open(str(meeting_id), form)
            done = "De stemming is geopend."
        elif action == "cast":
            errors, problem = _cast(form)
            done = "Je stem is uitgebracht. Je kan hem wijzigen tot de stemming sluit."
        elif action == "close":
            errors, problem = _close(form)
            done = "De stemming is afgesloten en de beslissing is vastgelegd."
        else:
            errors, problem, done = {}, "Onbekende actie.", ""
        if not errors and not problem:
            flash(done)
            return redirect(url_for("voice_pages.votes", meeting_id=meeting_id), code=303)
        status = 422
    seat = seat_of(body, who)
    return render_template(
        "voices/votes.html",
        meeting=found,
        body=body,
        votes=call("meetings", "list_votes", str(meeting_id)) or [],
        items={str(i["id"]): i["title"] for i in found.get("agenda") or []},
        seat=seat,
        voter=bool(seat and seat.get("voting")),
        leader=_leads(body, who),
        by_vote=body.get("decision_rule", {}).get("method") == "vote",
        day_has_come=_day_has_come(found),
        choices=VOTE_CHOICE_LABELS,
        outcomes=DECISION_OUTCOME_LABELS,
        statuses=VOTE_STATUS_LABELS,
        form=form,
        errors=errors,
        problem=problem,
    ), status


# --- the written procedure between meetings --------------------------------------------------

START_FIELDS = {"title", "proposal", "deadline_on", "deadline_at"}
ANSWER_FIELDS = {"answer", "reason"}


def _start_rename(parts) -> str:
    return "deadline_on" if parts[0] == "deadline" else parts[0]


def _start(body_id: str, form: dict) -> tuple[dict, str | None]:
    data = {
        "title": form.get("title", ""),
        "proposal": form.get("proposal", ""),
        "deadline": be_moment(form.get("deadline_on", ""), form.get("deadline_at", "")),
    }
    data = {k: v for k, v in data.items() if v is not None}
    try:
        loaded = m.WrittenProcedureInput().load(data)
    except ValidationError as err:
        return _invalid(err, _start_rename, START_FIELDS)
    try:
        call("meetings", "start_written_procedure", body_id, m.WrittenProcedureInput().dump(loaded))
    except VerbandError as exc:
        return _refused(exc, _start_rename, START_FIELDS)
    return {}, None


def _answer(form: dict) -> tuple[dict, str | None]:
    data = {"answer": form.get("answer", ""), "reason": form.get("reason", "").strip() or None}
    try:
        loaded = m.WrittenAnswerInput().load(data)
    except ValidationError as err:
        return _invalid(err, _same, ANSWER_FIELDS)
    try:
        call(
            "meetings",
            "answer_written_procedure",
            form.get("procedure_id", ""),
            m.WrittenAnswerInput().dump(loaded),
        )
    except VerbandError as exc:
        return _refused(exc, _same, ANSWER_FIELDS)
    return {}, None


@bp.route("/organen/<uuid:body_id>/schriftelijke-procedures", methods=["GET", "POST"])
def written_procedures(body_id):
    network_id, who, roles = _network()
    body = _body_of_network(network_id, body_id)
    form, errors, problem, status = {}, {}, None, 200
    if request.method == "POST":
        form = request.form.to_dict()
        action = form.get("action")
        if action == "start":
            errors, problem = _start(str(body_id), form)
            done = "De schriftelijke procedure is gestart; de leden krijgen een e-mail."
        elif action == "answer":
            errors, problem = _answer(form)
            done = "Je antwoord is bewaard. Je kan het wijzigen tot de termijn verstrijkt."
        else:
            errors, problem, done = {}, "Onbekende actie.", ""
        if not errors and not problem:
            flash(done)
            return redirect(url_for("voice_pages.written_procedures", body_id=body_id), code=303)
        status = 422
    seat = seat_of(body, who)
    return render_template(
        "voices/written_procedures.html",
        body=body,
        procedures=call("meetings", "list_written_procedures", str(body_id)) or [],
        seat=seat,
        voter=bool(seat and seat.get("voting")),
        starter=_leads(body, who) or bool(roles & BODY_ORGANISERS),
        answers=WRITTEN_ANSWER_LABELS,
        outcomes=WRITTEN_OUTCOME_LABELS,
        statuses=VOTE_STATUS_LABELS,
        form=form,
        errors=errors,
        problem=problem,
    ), status


# A written procedure's outcome, as the rule says it (meetings.domain.written.RULE).
WRITTEN_OUTCOME_LABELS = {"adopted": "Aangenomen zonder bezwaar", "rejected": "Niet aangenomen"}


# --- the network's report-backs to IROJ ------------------------------------------------------

# The newest report-backs the page lists (the API pages further with `limit`).
REPORT_BACKS_SHOWN = 50


@bp.get("/terugkoppeling")
def report_backs():
    """What the network's bodies reported back to IROJ after each meeting, and IROJ's answers
    to their signals: for the network's coordinators and admins (the reporting service
    decides again who reads them)."""
    network_id, _who, roles = _network()
    if not roles & REPORT_KEEPERS:
        raise Forbidden("Enkel de coördinator en de netwerkbeheerder zien de terugkoppeling.")
    try:
        wanted = {"network_id": network_id, "limit": REPORT_BACKS_SHOWN}
        rows, problem = call("reporting", "report_backs", wanted), None
    except NotFound:
        # Reporting has not yet heard of the network (its events come): nothing reported yet.
        rows, problem = [], None
    except VerbandError as exc:
        rows, problem = [], exc.message
    return render_template(
        "voices/report_backs.html",
        report_backs=rows or [],
        problem=problem,
        signal_kinds=SIGNAL_KIND_LABELS,
    ), (503 if problem else 200)
