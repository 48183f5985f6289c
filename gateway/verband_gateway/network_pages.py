"""Portal pages for running a network and for a partner's own profile, in the chosen network.

Coordinators (and network admins) keep the network's settings, its agreements with the
mandated bodies and crisis points, its task groups, see the gaps in its offer and import
organisations or offer from CSV. A partner worker keeps the profile of their own
organisation current. The pages live on the `pages` blueprint and work as its pages do:
forms checked with the service's schemas, a mistake next to its field, the input kept.
"""

import base64
import binascii

from flask import (
    Response,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    stream_with_context,
    url_for,
)
from marshmallow import ValidationError

from verband_common import dutch
from verband_common.errors import Forbidden, NotFound, VerbandError, flatten_messages
from verband_common.labels import (
    AGREEMENT_KIND_LABELS,
    AGREEMENT_STATUS_LABELS,
    OFFER_KIND_LABELS,
    SECTOR_LABELS,
    THEME_LABELS,
)
from verband_common.roles import (
    AGREEMENT_READERS,
    CASE_AUDITORS,
    CASE_COORDINATORS,
    MAIL_KEEPERS,
    NETWORK_MANAGERS,
    NETWORK_ROLES,
    OWN_ORGANISATION_KEEPERS,
    REFERRERS,
    REPORT_KEEPERS,
    WAITING_LIST_READERS,
)
from verband_common.schemas import partners as p
from verband_common.waiting import DEFAULT_WEIGHTS_REASONING
from verband_gateway import auth, call, menu, municipalities
from verband_gateway.api.schemas import (
    AgreementInput,
    FollowUpInput,
    NetworkSettingsUpdate,
    OrganisationUpdate,
    TaskGroupInput,
)
from verband_gateway.form_input import be_date, whole_number
from verband_gateway.pages import (
    _list,
    _may_edit,
    _network,
    _try,
    _unchosen,
    bp,
)

WEIGHT_LABELS = {
    "waiting_days": "Gewicht van de wachttijd (per dag)",
    "concern": "Gewicht van de ernst van de zorgen",
    "multiproblem": "Gewicht van meervoudige problematiek",
}
AGREEMENT_KINDS = AGREEMENT_KIND_LABELS
AGREEMENT_STATUSES = AGREEMENT_STATUS_LABELS
THEMES = THEME_LABELS
IMPORT_KINDS = {"organisations": "Partnerorganisaties", "offer": "Hulpaanbod"}
IMPORT_COLUMNS = {
    "organisations": "naam; kbo; sector; rol; start (verplicht); gemeenten; email; telefoon; "
    "adres; profiel; einde",
    "offer": "titel; kbo; soort; gemeenten; capaciteit; vrije_plaatsen (verplicht); rtj; "
    "leeftijd_min; leeftijd_max; situaties; start_vanaf; status; warme_wachtlijst; "
    "beschrijving",
}
MAX_CSV_BYTES = 2 * 1024 * 1024
EXTRA_TARGET_ROWS = 2


@bp.app_context_processor
def navigation():
    """What the menu shows: by the roles in the chosen network, without resolving anyone
    just for the menu (pages that did not resolve the principal show no menu)."""
    who = g.get("principal")
    if not who:
        return {"nav": None, "menu": []}
    network_id = session.get("network_id")
    roles = auth.roles_in(who, network_id) if network_id else set()
    editor = bool(roles.intersection(NETWORK_MANAGERS)) or auth.is_platform_admin(who)
    flags = {
        "editor": editor,
        "agreements": editor or bool(roles.intersection(AGREEMENT_READERS)),
        "partner": bool(roles & OWN_ORGANISATION_KEEPERS) and bool(who.get("organisation_id")),
        # Families' cases: refer (any role but oversight and secretariat), the waiting
        # lists and caseload (coordinator and workers), the access log (network admin).
        "cases": bool(roles & REFERRERS),
        "case_work": bool(roles.intersection(WAITING_LIST_READERS)),
        "audit": bool(roles & CASE_AUDITORS),
        # Finding a family's record and its likely duplicates (the coordinator).
        "families": bool(roles & CASE_COORDINATORS),
        # Monitoring and reports of the network; IROJ's home for a viewer of any region.
        "reports": bool(roles & REPORT_KEEPERS),
        "iroj": any("iroj_viewer" in (m.get("roles") or ()) for m in who.get("memberships") or ()),
        # The network's partners, people and offer: for whoever works in or watches it (and
        # before a network is chosen); a guest of one meeting sees none of them.
        "network": not roles or bool(roles & NETWORK_ROLES),
        # Any role in the network may sit in one of its bodies (meetings checks the seat).
        "meetings": bool(roles & NETWORK_ROLES),
        # A guest's own meetings: those she is invited to (meetings decides per meeting).
        "my_meetings": bool(roles),
        # The network's library and vorming: read by any role (meetings keeps them).
        "knowledge": bool(roles & NETWORK_ROLES),
        # Which network this session works in, shown on every page.
        "network_name": next(
            (
                m.get("network_name")
                for m in who.get("memberships") or ()
                if roles and str(m["network_id"]) == str(network_id)
            ),
            None,
        ),
        # One's API keys for this network: whoever works in or watches it.
        "tokens": bool(roles & NETWORK_ROLES),
        # Organisations asking to be linked: for their admins and the platform admin.
        "link_requests": bool(who.get("administers")) or auth.is_platform_admin(who),
    }
    return {"nav": flags, "menu": menu.build(flags)}


# --- helpers -------------------------------------------------------------------------------


def _editor_only(roles, who, message: str) -> None:
    if not _may_edit(roles, who):
        raise Forbidden(message)


def _named(messages, rename, known) -> tuple[dict[str, str], list[str]]:
    """Service or schema messages ({dotted path: [text]}) as {form field: text}, by
    `rename(parts) -> form field`; those for a field the form has not, apart (shown on top)."""
    errors: dict[str, str] = {}
    rest: list[str] = []
    for key, value in flatten_messages(messages or {}).items():
        name = rename(key.split("."))
        text = " ".join(value) if isinstance(value, list) else str(value)
        if name in known:
            errors[name] = f"{errors[name]} {text}" if name in errors else text
        else:
            rest.append(text)
    return errors, rest


def _problem(message: str | None, rest: list[str]) -> str | None:
    if rest:
        return " ".join([message or "Niet opgeslagen.", *rest])
    return message


def _decimal(raw):
    """A decimal number typed the Belgian way ("1,5") or with a dot; else the text itself."""
    if raw is None or str(raw).strip() == "":
        return None
    text = str(raw).strip().replace(" ", "")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return str(raw)


def _options(rows, label=lambda row: row["name"]) -> dict[str, str]:
    return {str(row["id"]): label(row) for row in rows or []}


# --- network settings ----------------------------------------------------------------------


@bp.route("/netwerk/instellingen", methods=["GET", "POST"])
def network_settings():
    network_id, who, roles = _network()
    _editor_only(roles, who, "Alleen een coördinator of netwerkbeheerder wijzigt de instellingen.")
    network, problem = _try(lambda: call("partners", "get_network", network_id))
    errors, status = {}, 200
    if request.method == "POST":
        form = request.form.to_dict()
        errors, problem = _update_settings(network_id, form)
        if not errors and not problem:
            flash("De instellingen van het netwerk zijn opgeslagen.")
            return redirect(url_for("pages.network_settings"))
        status = 422
    else:
        form = _settings_form(network or {})
    # The network admin also sees the e-mails that could not be sent (and why).
    parked, parked_problem = None, None
    if roles & MAIL_KEEPERS:
        parked, parked_problem = _try(lambda: call("meetings", "parked_mails", network_id))
    return render_template(
        "network_settings.html",
        parked_mails=parked,
        parked_problem=parked_problem,
        network=network or {},
        form=form,
        target_rows=_target_rows(form),
        errors=errors,
        problem=problem,
        weights=WEIGHT_LABELS,
        weights_reasoning=DEFAULT_WEIGHTS_REASONING,
        hsds_url=url_for("exchange.HsdsExport", network_id=network_id),
    ), status


def _settings_form(network: dict) -> dict:
    settings = network.get("settings") or {}
    weights = {**p.DEFAULT_SETTINGS["waiting_weights"], **(settings.get("waiting_weights") or {})}
    form = {f"weight_{k}": dutch.number_text(v) for k, v in weights.items()}
    for name in ("warm_contact_interval_days", "pickup_guideline_days"):
        form[name] = str(settings.get(name, p.DEFAULT_SETTINGS[name]))
    form["municipalities"] = municipalities.names(network.get("municipalities"))
    for i, target in enumerate(settings.get("targets") or []):
        form[f"target_code_{i}"] = target.get("code", "")
        form[f"target_label_{i}"] = target.get("label", "")
        form[f"target_value_{i}"] = str(target.get("value", ""))
    return form


def _target_indexes(form: dict) -> list[int]:
    found = set()
    for key in form:
        if key.startswith("target_"):
            tail = key.rsplit("_", 1)[-1]
            if tail.isdigit() and int(tail) < 100:
                found.add(int(tail))
    return sorted(found)


def _target_rows(form: dict) -> list[int]:
    """The target rows to show: those filled in, and a few empty ones to add to."""
    used = _target_indexes(form)
    last = max(used) + 1 if used else 0
    return list(range(last + EXTRA_TARGET_ROWS))


def _update_settings(network_id: str, form: dict) -> tuple[dict, str | None]:
    targets, positions = [], []
    for i in _target_indexes(form):
        code, label, value = (
            form.get(f"target_{part}_{i}", "").strip() for part in ("code", "label", "value")
        )
        if not (code or label or value):
            continue
        targets.append(
            {"code": code, "label": label, "value": whole_number(value), "period": "year"}
        )
        positions.append(i)
    places, unknown = municipalities.codes(form.get("municipalities", ""))
    data = {
        "municipalities": places,
        "waiting_weights": {k: _decimal(form.get(f"weight_{k}")) for k in WEIGHT_LABELS},
        "warm_contact_interval_days": whole_number(form.get("warm_contact_interval_days")),
        "pickup_guideline_days": whole_number(form.get("pickup_guideline_days")),
        "targets": targets,
    }
    known = {
        "municipalities",
        "warm_contact_interval_days",
        "pickup_guideline_days",
        "targets",
        *(f"weight_{k}" for k in WEIGHT_LABELS),
        *(f"target_{part}_{i}" for i in positions for part in ("code", "label", "value")),
    }

    def rename(parts):
        if parts[0] == "waiting_weights" and len(parts) > 1:
            return f"weight_{parts[1]}"
        if parts[0] == "targets" and len(parts) > 2 and parts[1].isdigit():
            n = int(parts[1])
            return f"target_{parts[2]}_{positions[n] if n < len(positions) else n}"
        return parts[0]

    try:
        data = NetworkSettingsUpdate().load(data)
    except ValidationError as err:
        errors, rest = _named(err.messages, rename, known)
        municipalities.explain(errors, unknown)
        return errors, _problem("Niet opgeslagen." if rest else None, rest)
    try:
        call("partners", "update_network_settings", network_id, NetworkSettingsUpdate().dump(data))
    except VerbandError as exc:
        errors, rest = _named(exc.fields, rename, known)
        return errors, _problem(exc.message, rest)
    return {}, None


# --- agreements ----------------------------------------------------------------------------


def _agreement_reader(roles, who) -> bool:
    return _may_edit(roles, who) or bool(roles.intersection(AGREEMENT_READERS))


@bp.route("/afspraken", methods=["GET", "POST"])
def agreements():
    network_id, who, roles = _network()
    if not _agreement_reader(roles, who):
        raise Forbidden("De afspraken zijn voor coördinatoren, casemanagers en IROJ-lezers.")
    editor = _may_edit(roles, who)
    form, errors, problem, status = {}, {}, None, 200
    organisations = []
    if editor:
        organisations, _ = _try(lambda: call("partners", "list_organisations", network_id))
    if request.method == "POST":
        if not editor:
            raise Forbidden("Alleen een coördinator of netwerkbeheerder legt afspraken vast.")
        form = request.form.to_dict()
        form["party_organisations"] = request.form.getlist("party_organisations")
        errors, problem = _record_agreement(network_id, form, organisations or [])
        if not errors and not problem:
            flash(f"De afspraak {form['title']} is vastgelegd.")
            return redirect(url_for("pages.agreements"))
        status = 422
    rows, load_problem = _try(lambda: call("partners", "list_agreements", network_id))
    rows = sorted(rows or [], key=lambda a: (not a.get("follow_up_due"), a.get("title", "")))
    return render_template(
        "agreements.html",
        agreements=rows,
        organisations=_options(organisations),
        editor=editor,
        form=form,
        errors=errors,
        problem=problem or load_problem,
        kinds=AGREEMENT_KINDS,
        statuses=AGREEMENT_STATUSES,
    ), status


AGREEMENT_FIELDS = (
    "title",
    "kind",
    "parties",
    "starts_on",
    "ends_on",
    "agreed_number",
    "used_number",
    "unit",
    "status",
    "notes",
    "next_follow_up_on",
)


def _record_agreement(network_id: str, form: dict, organisations: list) -> tuple[dict, str | None]:
    names = _options(organisations)
    parties = [
        {"organisation_id": oid, "name": names.get(oid, oid)}
        for oid in form.get("party_organisations") or []
    ]
    parties += [{"name": name} for name in _list(form.get("party_names", ""))]
    data = {
        "title": form.get("title", "").strip(),
        "kind": form.get("kind", ""),
        "parties": parties,
        "starts_on": be_date(form.get("starts_on")),
        "ends_on": be_date(form.get("ends_on")),
        "agreed_number": whole_number(form.get("agreed_number")),
        "used_number": whole_number(form.get("used_number")) or 0,
        "unit": form.get("unit", "").strip() or "gezinnen",
        "status": form.get("status") or "active",
        "notes": form.get("notes", "").strip(),
        "next_follow_up_on": be_date(form.get("next_follow_up_on")),
    }

    def rename(parts):
        return "party_names" if parts[0] == "parties" else parts[0]

    known = {*AGREEMENT_FIELDS, "party_names"} - {"parties"}
    try:
        data = AgreementInput().load(data)
    except ValidationError as err:
        errors, rest = _named(err.messages, rename, known)
        errors = _unchosen(errors, form, {"kind": "Kies een soort afspraak."})
        return errors, _problem("Niet opgeslagen." if rest else None, rest)
    try:
        call("partners", "record_agreement", network_id, AgreementInput().dump(data))
    except VerbandError as exc:
        errors, rest = _named(exc.fields, rename, known)
        return errors, _problem(exc.message, rest)
    return {}, None


@bp.route("/afspraken/<uuid:agreement_id>/opvolging", methods=["GET", "POST"])
def agreement_follow_up(agreement_id):
    network_id, who, roles = _network()
    if not _agreement_reader(roles, who):
        raise Forbidden("De afspraken zijn voor coördinatoren, casemanagers en IROJ-lezers.")
    editor = _may_edit(roles, who)
    agreement = next(
        (
            a
            for a in call("partners", "list_agreements", network_id)
            if str(a["id"]) == str(agreement_id)
        ),
        None,
    )
    if agreement is None:
        raise NotFound("Deze afspraak bestaat niet in dit netwerk.")
    form, errors, problem, status = {}, {}, None, 200
    if request.method == "POST":
        if not editor:
            raise Forbidden("Alleen een coördinator of netwerkbeheerder volgt afspraken op.")
        form = request.form.to_dict()
        errors, problem = _add_follow_up(str(agreement_id), form)
        if not errors and not problem:
            flash(f"De opvolging van {agreement['title']} is bewaard.")
            return redirect(url_for("pages.agreements"))
        status = 422
    return render_template(
        "agreement_follow_up.html",
        agreement=agreement,
        editor=editor,
        form=form,
        errors=errors,
        problem=problem,
        kinds=AGREEMENT_KINDS,
        statuses=AGREEMENT_STATUSES,
    ), status


def _add_follow_up(agreement_id: str, form: dict) -> tuple[dict, str | None]:
    data = {
        "held_on": be_date(form.get("held_on")),
        "notes": form.get("notes", "").strip(),
        "next_follow_up_on": be_date(form.get("next_follow_up_on")),
    }
    if form.get("used_number", "").strip():
        data["used_number"] = whole_number(form["used_number"])
    known = {"held_on", "notes", "used_number", "next_follow_up_on"}

    def rename(parts):
        return parts[0]

    try:
        data = FollowUpInput().load(data)
    except ValidationError as err:
        errors, rest = _named(err.messages, rename, known)
        return errors, _problem("Niet opgeslagen." if rest else None, rest)
    try:
        call("partners", "add_agreement_follow_up", agreement_id, FollowUpInput().dump(data))
    except VerbandError as exc:
        errors, rest = _named(exc.fields, rename, known)
        return errors, _problem(exc.message, rest)
    return {}, None


# --- task groups ---------------------------------------------------------------------------


@bp.route("/werkgroepen", methods=["GET", "POST"])
def task_groups():
    network_id, who, roles = _network()
    editor = _may_edit(roles, who)
    form, errors, problem, status = {}, {}, None, 200
    if request.method == "POST":
        if not editor:
            raise Forbidden("Alleen een coördinator of netwerkbeheerder richt werkgroepen op.")
        form = request.form.to_dict()
        form["members"] = request.form.getlist("members")
        form["organisations"] = request.form.getlist("organisations")
        errors, problem = _create_task_group(network_id, form)
        if not errors and not problem:
            flash(f"De werkgroep {form['name']} is opgericht.")
            return redirect(url_for("pages.task_groups"))
        status = 422
    rows, load_problem = _try(lambda: call("partners", "list_task_groups", network_id))
    people, _ = _try(lambda: call("partners", "list_people", network_id))
    organisations, _ = _try(lambda: call("partners", "list_organisations", network_id))
    return render_template(
        "task_groups.html",
        task_groups=rows or [],
        people=_options(people),
        organisations=_options(organisations),
        editor=editor,
        form=form,
        errors=errors,
        problem=problem or load_problem,
        themes=THEMES,
    ), status


def _create_task_group(network_id: str, form: dict) -> tuple[dict, str | None]:
    data = {
        "name": form.get("name", "").strip(),
        "theme": form.get("theme", ""),
        "mandate": form.get("mandate", "").strip(),
        "members": form.get("members") or [],
        "organisations": form.get("organisations") or [],
    }
    known = {"name", "theme", "mandate", "members", "organisations"}

    def rename(parts):
        return parts[0]

    try:
        data = TaskGroupInput().load(data)
    except ValidationError as err:
        errors, rest = _named(err.messages, rename, known)
        errors = _unchosen(errors, form, {"theme": "Kies een thema."})
        return errors, _problem("Niet opgeslagen." if rest else None, rest)
    try:
        call("partners", "create_task_group", network_id, TaskGroupInput().dump(data))
    except VerbandError as exc:
        errors, rest = _named(exc.fields, rename, known)
        return errors, _problem(exc.message, rest)
    return {}, None


# --- gaps ----------------------------------------------------------------------------------


@bp.get("/lacunes")
def gaps():
    network_id, who, roles = _network()
    _editor_only(roles, who, "De lacunes zijn voor de coördinator en de netwerkbeheerder.")
    found, problem = _try(lambda: call("partners", "gaps", network_id))
    found = found or {"uncovered": [], "full_with_waiting": []}
    by_municipality: dict[tuple[str, str], list[str]] = {}
    for gap in found.get("uncovered") or []:
        key = (gap.get("municipality_name") or gap["municipality"], gap["municipality"])
        by_municipality.setdefault(key, []).append(OFFER_KIND_LABELS.get(gap["kind"], gap["kind"]))
    return render_template(
        "gaps.html",
        uncovered=sorted(by_municipality.items()),
        full=found.get("full_with_waiting") or [],
        problem=problem,
    )


# --- a partner's own organisation ----------------------------------------------------------


@bp.get("/mijn-organisatie")
def own_organisation():
    who = _network()[1]
    if not who.get("organisation_id"):
        raise NotFound("Je bent niet aan een partnerorganisatie verbonden.")
    return redirect(url_for("pages.organisation_profile", organisation_id=who["organisation_id"]))


@bp.route("/organisaties/<uuid:organisation_id>", methods=["GET", "POST"])
def organisation_profile(organisation_id):
    """The profile, contact data and municipalities of an organisation: kept by its own
    partner workers, or by a coordinator."""
    network_id, who, roles = _network()
    oid = str(organisation_id)
    own = bool(roles & OWN_ORGANISATION_KEEPERS) and str(who.get("organisation_id") or "") == oid
    if not (own or _may_edit(roles, who)):
        raise Forbidden("Je kan alleen het profiel van je eigen organisatie bijwerken.")
    organisation = call("partners", "get_organisation", oid)
    form, errors, problem, status = {}, {}, None, 200
    if request.method == "POST":
        form = request.form.to_dict()
        errors, problem = _update_organisation(oid, form)
        if not errors and not problem:
            flash("Het profiel van " + organisation["name"] + " is bijgewerkt.")
            return redirect(url_for("pages.organisation_profile", organisation_id=oid))
        status = 422
    else:
        contact = organisation.get("contact") or {}
        form = {
            "profile": organisation.get("profile") or "",
            "contact_email": contact.get("email") or "",
            "contact_phone": contact.get("phone") or "",
            "contact_address": contact.get("address") or "",
            "municipalities": municipalities.names(organisation.get("municipalities")),
        }
    return render_template(
        "organisation_profile.html",
        organisation=organisation,
        sectors=SECTOR_LABELS,
        form=form,
        errors=errors,
        problem=problem,
    ), status


def _update_organisation(organisation_id: str, form: dict) -> tuple[dict, str | None]:
    places, unknown = municipalities.codes(form.get("municipalities", ""))
    data = {
        "profile": form.get("profile", "").strip(),
        "contact": {
            key: form.get(f"contact_{key}", "").strip() or None
            for key in ("email", "phone", "address")
        },
        "municipalities": places,
    }
    known = {"profile", "contact_email", "contact_phone", "contact_address", "municipalities"}

    def rename(parts):
        if parts[0] == "contact" and len(parts) > 1:
            return f"contact_{parts[1]}"
        return parts[0]

    try:
        data = OrganisationUpdate().load(data)
    except ValidationError as err:
        errors, rest = _named(err.messages, rename, known)
        municipalities.explain(errors, unknown)
        return errors, _problem("Niet opgeslagen." if rest else None, rest)
    try:
        call("partners", "update_organisation", organisation_id, OrganisationUpdate().dump(data))
    except VerbandError as exc:
        errors, rest = _named(exc.fields, rename, known)
        return errors, _problem(exc.message, rest)
    return {}, None


# --- import and export ---------------------------------------------------------------------


@bp.route("/import", methods=["GET", "POST"])
def import_csv():
    """CSV in two steps: a dry run lists every bad row; only a clean file can be confirmed,
    and the service then imports all of it or nothing.

    Checking and importing a large file takes a while: once the file itself is readable,
    the answer is streamed, so the page says it is busy at once (no JavaScript needed) and
    shows the outcome when the service has answered."""
    network_id, who, roles = _network()
    _editor_only(roles, who, "Alleen een coördinator of netwerkbeheerder importeert gegevens.")
    page = {
        "form": {},
        "errors": {},
        "problem": None,
        "report": None,
        "csv_b64": "",
        "kinds": IMPORT_KINDS,
        "columns": IMPORT_COLUMNS,
        "hsds_url": url_for("exchange.HsdsExport", network_id=network_id),
    }
    if request.method in ("GET", "HEAD"):
        return render_template("import.html", **page)
    form = page["form"] = request.form.to_dict()
    confirm = form.get("action") == "confirm"
    text, errors = _csv_from(form, confirm)
    if form.get("kind") not in IMPORT_KINDS:
        errors["kind"] = "Kies wat je importeert."
    checked = None
    if not errors:
        try:
            checked = p.ImportRequest().load(
                {"kind": form.get("kind", ""), "csv_text": text, "dry_run": not confirm}
            )
        except ValidationError as err:
            errors, rest = _named(
                err.messages,
                lambda parts: {"csv_text": "file"}.get(parts[0], parts[0]),
                {"kind", "file"},
            )
            errors = _unchosen(errors, form, {"kind": "Kies wat je importeert."})
            page["problem"] = _problem(None, rest)
    if errors or page["problem"]:
        page["errors"] = errors
        return render_template("import.html", **page), 422
    return Response(
        stream_with_context(_import_streamed(network_id, checked, text, confirm, page)),
        mimetype="text/html",
    )


BUSY_MARK = "<!-- verband:resultaat -->"
# Browsers start drawing a streamed page once a first block has arrived.
FIRST_BLOCK = 1024


def _import_streamed(network_id: str, checked: dict, text: str, confirm: bool, page: dict):
    busy = render_template("import.html", **page, busy=True, confirm=confirm)
    head, _, _ = busy.partition(BUSY_MARK)
    yield head + "<!--" + " " * max(0, FIRST_BLOCK - len(head)) + "-->\n"
    report = None
    try:
        report = call("partners", "import_csv", network_id, checked["kind"], text, not confirm)
    except VerbandError as exc:
        errors, rest = _named(
            exc.fields,
            lambda parts: {"csv_text": "file", "_body": "file"}.get(parts[0], parts[0]),
            {"kind", "file"},
        )
        page["errors"], page["problem"] = errors, _problem(exc.message, rest)
    page["report"] = report
    if report is not None and confirm and not report.get("errors"):
        page["imported"] = {
            "count": report.get("created", 0),
            "url": url_for(
                "pages.organisations" if checked["kind"] == "organisations" else "pages.offers"
            ),
            "label": IMPORT_KINDS[checked["kind"]].lower(),
        }
    if report is not None and not confirm and not report.get("errors"):
        page["csv_b64"] = base64.b64encode(text.encode()).decode()
    done = render_template("import.html", **page, busy=False, confirm=confirm)
    _, _, tail = done.partition(BUSY_MARK)
    # The busy notice goes once the result is there; a stylesheet, since the page's CSP
    # allows no inline style.
    done_css = url_for("static", filename="import-done.css")
    yield f'<link rel="stylesheet" href="{done_css}">\n' + tail


def _csv_from(form: dict, confirm: bool) -> tuple[str, dict]:
    """The CSV text: the uploaded file (dry run), or the checked file carried by the
    confirm form."""
    if confirm:
        try:
            raw = base64.b64decode(form.get("csv_b64", ""), validate=True)
        except (binascii.Error, ValueError):
            return "", {"file": "Het gecontroleerde bestand ging verloren. Laad het opnieuw op."}
    else:
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            return "", {"file": "Kies een CSV-bestand."}
        raw = upload.read(MAX_CSV_BYTES + 1)
    if len(raw) > MAX_CSV_BYTES:
        return "", {"file": "Het bestand is te groot (hoogstens 2 MB)."}
    if not raw.strip():
        return "", {"file": "Het bestand is leeg."}
    try:
        # utf-8-sig: spreadsheets often start a UTF-8 export with a byte-order mark.
        return raw.decode("utf-8-sig"), {}
    except UnicodeDecodeError:
        return "", {"file": "Het bestand is geen UTF-8. Bewaar het als ‘CSV UTF-8’."}
