"""The portal's pages on the network's own knowledge, in the network chosen for this
session: "Kennisbank" (the library: search, one procedure with its versions, a form for the
coordinators) and "Vorming" (search, one vorming, register and unregister oneself).

Forms are checked with the same schemas as the JSON API; a mistake is shown next to its
field and the form keeps what was typed. The meetings service decides who may do what."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from marshmallow import ValidationError

from verband_common.errors import Forbidden, ValidationFailed, VerbandError
from verband_common.labels import PROCEDURE_KIND_LABELS, PROCEDURE_STATUS_LABELS
from verband_common.roles import KNOWLEDGE_KEEPERS
from verband_common.schemas import knowledge as k
from verband_common.schemas.meetings import DOCUMENT_TYPES, MAX_DOCUMENT_BYTES
from verband_gateway import call
from verband_gateway.api.meetings import document_download, read_upload
from verband_gateway.form_input import be_date, be_moment, whole_number
from verband_gateway.meeting_pages import _first, _invalid, _refused
from verband_gateway.pages import _ChooseNetwork, _network, _try

bp = Blueprint("knowledge_pages", __name__, template_folder="templates")

KEEPERS_ONLY = "Enkel een coördinator of netwerkbeheerder beheert de kennisbank en de vorming."
WHEN_LABELS = {"upcoming": "Komende", "past": "Voorbije"}
PROCEDURE_FIELDS = ("title", "kind", "summary", "owner_id", "review_on", "status")
TRAINING_FIELDS = (
    "title",
    "description",
    "starts_on",
    "starts_time",
    "place",
    "capacity",
    "deadline_on",
    "deadline_time",
)
# The schema's fields as the training form names them (a moment is a day and an hour).
TRAINING_RENAME = {"starts_at": "starts_on", "registration_deadline": "deadline_on"}


@bp.errorhandler(_ChooseNetwork)
def _choose(_exc):
    flash("Kies eerst het netwerk waarin je werkt.")
    return redirect(url_for("portal.choose_network", volgende=request.path))


@bp.context_processor
def labels():
    return {
        "kinds": PROCEDURE_KIND_LABELS,
        "statuses": PROCEDURE_STATUS_LABELS,
        "whens": WHEN_LABELS,
        "accept": ",".join(f".{ext}" for ext in DOCUMENT_TYPES),
        "max_mib": MAX_DOCUMENT_BYTES // (1024 * 1024),
    }


def _search(schema, raw: dict) -> tuple[dict, dict]:
    """The search form as the RPC's query, or the mistakes by field (the list then shows
    everything instead)."""
    query = {key: value.strip() for key, value in raw.items() if value and value.strip()}
    try:
        return schema.dump(schema.load(query)), {}
    except ValidationError as err:
        return {}, {key: " ".join(v) for key, v in err.messages.items()}


# --- the library -----------------------------------------------------------------------------


@bp.route("/kennis", methods=["GET", "POST"])
def library():
    network_id, _who, roles = _network()
    keeper = bool(roles & KNOWLEDGE_KEEPERS)
    form, errors, problem, status = {}, {}, None, 200
    if request.method == "POST":
        if not keeper:
            raise Forbidden(KEEPERS_ONLY)
        form = {name: request.form.get(name, "") for name in PROCEDURE_FIELDS}
        made, errors, problem = _add_procedure(network_id, form)
        if made:
            flash(f"{made['title']} staat in de kennisbank.")
            return redirect(url_for("knowledge_pages.procedure", procedure_id=made["id"]), 303)
        status = 422
    search = {
        "q": request.args.get("q", ""),
        "kind": request.args.get("soort", ""),
        # Not "status": the add form below has a field of that name (one id per page).
        "status": request.args.get("toestand", ""),
        "overdue": "true" if request.args.get("herziening") == "voorbij" else "",
    }
    query, search_errors = _search(k.ProcedureQuery(), search)
    found, load_problem = _try(lambda: call("meetings", "search_procedures", network_id, query))
    people = _try(lambda: call("meetings", "network_people", network_id))[0] or [] if keeper else []
    return render_template(
        "knowledge/library.html",
        procedures=found or [],
        search=search,
        searched=bool(query),
        search_errors=search_errors,
        keeper=keeper,
        people={p["id"]: p["name"] for p in people},
        form=form,
        errors=errors,
        problem=problem or load_problem,
    ), status


def _add_procedure(network_id: str, form: dict) -> tuple[dict | None, dict, str | None]:
    data = {
        **{name: form[name].strip() for name in ("title", "kind", "owner_id", "status")},
        "summary": form["summary"].strip(),
        "review_on": be_date(form["review_on"]),
    }
    data = {key: value for key, value in data.items() if value not in ("", None)}
    try:
        loaded = k.ProcedureInput().load(data)
        return (
            call("meetings", "create_procedure", network_id, k.ProcedureInput().dump(loaded)),
            {},
            None,
        )
    except ValidationError as err:
        return None, *_invalid(err, _first, set(PROCEDURE_FIELDS))
    except VerbandError as exc:
        return None, *_refused(exc, _first, set(PROCEDURE_FIELDS))


@bp.route("/kennis/<uuid:procedure_id>", methods=["GET", "POST"])
def procedure(procedure_id):
    network_id, who, roles = _network()
    keeper = bool(roles & KNOWLEDGE_KEEPERS)
    errors, problem, status = {}, None, 200
    form = {}
    if request.method == "POST":
        action = request.form.get("action")
        if action == "version":
            errors, problem = _add_version(network_id, str(procedure_id))
            done = "De nieuwe versie is toegevoegd."
        elif action == "update":
            form = {name: request.form.get(name, "") for name in ("status", "review_on")}
            errors, problem = _update(network_id, str(procedure_id), form)
            done = "De procedure is bijgewerkt."
        else:
            errors, problem = {}, "Onbekende actie."
        if not errors and not problem:
            flash(done)
            return redirect(url_for("knowledge_pages.procedure", procedure_id=procedure_id), 303)
        status = 422
    found = call("meetings", "get_procedure", network_id, str(procedure_id))
    owner = str(found["owner_id"]) == str(who.get("person_id"))
    return render_template(
        "knowledge/procedure.html",
        procedure=found,
        keeper=keeper,
        may_add_version=keeper or owner,
        form=form,
        errors=errors,
        problem=problem,
    ), status


def _add_version(network_id: str, procedure_id: str) -> tuple[dict, str | None]:
    try:
        payload = read_upload(request.files, {}, with_item=False)
        call("meetings", "add_procedure_version", network_id, procedure_id, payload)
    except VerbandError as exc:
        return _refused(exc, _first, {"file"})
    return {}, None


def _update(network_id: str, procedure_id: str, form: dict) -> tuple[dict, str | None]:
    data = {"status": form["status"].strip(), "review_on": be_date(form["review_on"])}
    try:
        loaded = k.ProcedureUpdate().load(data)
        call(
            "meetings",
            "update_procedure",
            network_id,
            procedure_id,
            k.ProcedureUpdate().dump(loaded),
        )
    except ValidationError as err:
        return _invalid(err, _first, {"status", "review_on"})
    except VerbandError as exc:
        return _refused(exc, _first, {"status", "review_on"})
    return {}, None


@bp.get("/kennis/<uuid:procedure_id>/bestand")
def procedure_file(procedure_id):
    network_id, _who, _roles = _network()
    raw = request.args.get("versie", "")
    version = int(raw) if raw.isdigit() and len(raw) <= 7 else None
    args = (network_id, str(procedure_id)) + ((version,) if version else ())
    return document_download(call("meetings", "procedure_file", *args))


# --- vorming ----------------------------------------------------------------------------------


@bp.route("/vorming", methods=["GET", "POST"])
def trainings():
    network_id, _who, roles = _network()
    keeper = bool(roles & KNOWLEDGE_KEEPERS)
    form, errors, problem, status = {}, {}, None, 200
    if request.method == "POST":
        if not keeper:
            raise Forbidden(KEEPERS_ONLY)
        form = {name: request.form.get(name, "") for name in TRAINING_FIELDS}
        made, errors, problem = _add_training(network_id, form)
        if made:
            flash(f"De vorming {made['title']} is gepland.")
            return redirect(url_for("knowledge_pages.training", training_id=made["id"]), 303)
        status = 422
    search = {"q": request.args.get("q", ""), "when": request.args.get("wanneer", "upcoming")}
    query, search_errors = _search(k.TrainingQuery(), search)
    found, load_problem = _try(lambda: call("meetings", "search_trainings", network_id, query))
    return render_template(
        "knowledge/trainings.html",
        trainings=found or [],
        search=search,
        search_errors=search_errors,
        keeper=keeper,
        form=form,
        errors=errors,
        problem=problem or load_problem,
    ), status


def _training_rename(parts):
    return TRAINING_RENAME.get(parts[0], parts[0])


def _add_training(network_id: str, form: dict) -> tuple[dict | None, dict, str | None]:
    data = {
        "title": form["title"].strip(),
        "description": form["description"].strip(),
        "place": form["place"].strip(),
        "capacity": whole_number(form["capacity"]),
        "starts_at": be_moment(form["starts_on"], form["starts_time"]),
        "registration_deadline": be_moment(form["deadline_on"], form["deadline_time"] or "23:59"),
    }
    data = {key: value for key, value in data.items() if value not in ("", None)}
    known = set(TRAINING_FIELDS)
    try:
        loaded = k.TrainingInput().load(data)
        return (
            call("meetings", "create_training", network_id, k.TrainingInput().dump(loaded)),
            {},
            None,
        )
    except ValidationError as err:
        return None, *_invalid(err, _training_rename, known)
    except VerbandError as exc:
        return None, *_refused(exc, _training_rename, known)


@bp.route("/vorming/<uuid:training_id>", methods=["GET", "POST"])
def training(training_id):
    network_id, _who, _roles = _network()
    problem, status = None, 200
    if request.method == "POST":
        action = request.form.get("action")
        method = {"register": "register_for_training", "unregister": "unregister_from_training"}
        try:
            if action not in method:
                raise ValidationFailed("Onbekende actie.", {"action": ["Onbekend."]})
            call("meetings", method[action], network_id, str(training_id))
        except VerbandError as exc:
            _errors, problem = _refused(exc, _first, set())
            status = 409 if exc.http_status == 409 else 422
        else:
            flash("Je bent ingeschreven." if action == "register" else "Je bent uitgeschreven.")
            return redirect(url_for("knowledge_pages.training", training_id=training_id), 303)
    found = call("meetings", "get_training", network_id, str(training_id))
    return render_template("knowledge/training.html", training=found, problem=problem), status
