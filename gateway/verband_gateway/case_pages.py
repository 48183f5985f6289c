"""Portal pages on families' cases, in the network chosen for this session.

A referrer (or a partner, or the coordinator) refers a family and follows what happens; the
coordinator keeps the warm waiting lists and triages; a partner worker sees their caseload
and the warm contacts due; everyone with a role on a case works on its one plan. Every page
is a thin call to the cases service, which checks the actor against the case and writes
each read to its access log. Forms are checked with the cases service's own payload
schemas; a mistake is shown next to its field and the form keeps what was typed. Rows of a
household or a plan are added with a submit button, so nothing depends on JavaScript.
"""

import base64
import binascii
import datetime as dt

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from marshmallow import ValidationError

from verband_common.contracts.cases import CHOSEN_REMOVAL_REASONS
from verband_common.errors import Forbidden, NotFound, VerbandError, flatten_messages
from verband_common.labels import (
    AGE_BAND_LABELS,
    BOTTLENECK_REASON_LABELS,
    BRIDGING_KIND_LABELS,
    CASE_STATUS_LABELS,
    CLOSING_OUTCOME_LABELS,
    CONCERN_LABELS,
    CONTACT_CHANNEL_LABELS,
    FLOW_TO_LABELS,
    JOURNAL_KIND_LABELS,
    LIFE_DOMAIN_LABELS,
    OFFER_KIND_LABELS,
    PLAN_ACTION_STATUS_LABELS,
    REFER_TO_LABELS,
    REFERRAL_ANSWER_LABELS,
    REMOVAL_REASON_LABELS,
    SHARING_LABELS,
    SOURCE_SECTOR_LABELS,
    TRIAGE_DECISION_LABELS,
    URGENCY_LABELS,
)
from verband_common.roles import CASE_WORKERS, CONTACT_POINTS, PRIVACY_HANDLERS, REFERRERS
from verband_common.schemas import cases as c
from verband_gateway import cached_call, call, municipalities, spreadsheets
from verband_gateway.form_input import be_date
from verband_gateway.form_input import be_moment as moment
from verband_gateway.pages import _ChooseNetwork, _network, _try

bp = Blueprint("case_pages", __name__)

COORDINATOR = "coordinator"

# Statuses of a case, a waiting-list entry and a trajectory, as the case page shows them.
STATUS_LABELS = {
    **CASE_STATUS_LABELS,
    "waiting_list": "Op de wachtlijst",
    "removed": "Van de wachtlijst gehaald",
    "active": "Loopt",
    "paused": "Gepauzeerd",
}
# The reasons a person picks when taking a family off a list (the one rule is the contract's).
REMOVAL_CHOICES = {k: REMOVAL_REASON_LABELS[k] for k in CHOSEN_REMOVAL_REASONS}
ANSWER_LABELS = {
    "accepted": "Wij nemen het gezin op",
    "declined": "Wij nemen het gezin niet op",
}
CLOCK_LABELS = {
    "running": "loopt",
    "warning": "bijna een maand",
    "escalated": "richtlijn overschreden",
    "stopped": "opgenomen",
}
LABELS = {
    "concerns": CONCERN_LABELS,
    "urgencies": URGENCY_LABELS,
    "domains": LIFE_DOMAIN_LABELS,
    "sharing": SHARING_LABELS,
    "sources": SOURCE_SECTOR_LABELS,
    "statuses": STATUS_LABELS,
    "decisions": TRIAGE_DECISION_LABELS,
    "refer_to": REFER_TO_LABELS,
    "channels": CONTACT_CHANNEL_LABELS,
    "removals": REMOVAL_REASON_LABELS,
    "removal_choices": REMOVAL_CHOICES,
    "answers": ANSWER_LABELS,
    "answered": REFERRAL_ANSWER_LABELS,
    "action_statuses": PLAN_ACTION_STATUS_LABELS,
    "bridging_kinds": BRIDGING_KIND_LABELS,
    "outcomes": CLOSING_OUTCOME_LABELS,
    "flow_to": FLOW_TO_LABELS,
    "bottlenecks": BOTTLENECK_REASON_LABELS,
    "clock_states": CLOCK_LABELS,
    "age_bands": AGE_BAND_LABELS,
    "offer_kinds": OFFER_KIND_LABELS,
    "journal_kinds": JOURNAL_KIND_LABELS,
}

# A referral of a child the network knows joined that family's record.
ATTACHED = (
    "Dit gezin was al gekend in het netwerk: de aanmelding is bij zijn dossier gevoegd, "
    "met één plan en één aanspreekpunt."
)

# Rows shown at first; a "row erbij" button adds one, up to the maximum.
START_ROWS = {"carer": 1, "child": 2, "goal": 2, "action": 2, "review": 2}
MAX_ROWS = {"carer": 6, "child": 12, "goal": 12, "action": 10, "review": 6}
PAGE = 50
DUE_SOON_DAYS = 7


@bp.errorhandler(_ChooseNetwork)
def _choose(_exc):
    flash("Kies eerst het netwerk waarin je werkt.")
    return redirect(url_for("portal.choose_network", volgende=request.path))


@bp.app_context_processor
def case_labels():
    return {"case_labels": LABELS}


# --- helpers -------------------------------------------------------------------------------


def cases(method: str, *args):
    return call("cases", method, *args)


def _rows(form: dict, kind: str, used: int = 0) -> int:
    """How many rows of `kind` the form shows: as many as it had (or that hold data), plus
    one when its "add" button was pressed, minus one removed; within bounds."""
    try:
        count = int(form.get(f"{kind}_rows") or 0)
    except ValueError:
        count = 0
    count = max(count, used, START_ROWS[kind])
    if form.get("action") == f"add_{kind}":
        count += 1
    return max(1, min(count, MAX_ROWS[kind]))


def _errors(messages, rename) -> tuple[dict[str, str], list[str]]:
    """{dotted path: [text]} as {form field: text} by `rename(parts)`; messages that belong
    to no field of the form come apart, to show on top."""
    found: dict[str, str] = {}
    rest: list[str] = []
    for key, value in flatten_messages(messages or {}).items():
        name = rename(key.split("."))
        text = " ".join(value) if isinstance(value, list) else str(value)
        if name:
            found[name] = f"{found[name]} {text}" if name in found else text
        else:
            rest.append(text)
    return found, rest


def _problem(message: str | None, rest: list[str]) -> str | None:
    if rest:
        return " ".join([message or "Niet opgeslagen.", *rest])
    return message


def _submit(schema, data: dict, rename, send) -> tuple[dict, str | None, object]:
    """Check `data` with `schema`, then `send(dumped)`: (errors, problem, answer)."""
    try:
        loaded = schema.load(data)
    except ValidationError as err:
        errors, rest = _errors(err.messages, rename)
        return (
            errors,
            _problem("Niet opgeslagen; verbeter wat hieronder staat." if not rest else None, rest),
            None,
        )
    try:
        answer = send(schema.dump(loaded))
        # Success is an answer that is not None, even an empty one.
        return {}, None, answer if answer is not None else {}
    except VerbandError as exc:
        if exc.http_status in (401, 404) and not exc.fields:
            raise
        errors, rest = _errors(exc.fields, rename)
        return errors, _problem(exc.message, rest), None


def _first(parts):
    return parts[0]


def _offers(network_id) -> list[dict]:
    rows, _ = _try(lambda: call("partners", "list_offers", network_id, {}))
    return rows or []


def _people(network_id) -> list[dict]:
    rows, _ = _try(lambda: call("partners", "list_people", network_id))
    return rows or []


def _organisations(network_id) -> dict[str, str]:
    rows, _ = _try(lambda: call("partners", "list_organisations", network_id))
    return {str(o["id"]): o["name"] for o in rows or []}


def _may_refer(roles) -> bool:
    return bool(roles.intersection(REFERRERS))


def _works_with_families(roles) -> None:
    """A case and its plan are for those who work with families; oversight (IROJ) and the
    secretariat are refused here already, before the cases service refuses them too."""
    if not _may_refer(roles):
        raise Forbidden("Met je rol in dit netwerk open je geen dossiers van gezinnen.")


def _case_worker(roles) -> bool:
    return COORDINATOR in roles or bool(roles.intersection(CASE_WORKERS))


# --- referral ------------------------------------------------------------------------------


@bp.route("/gezin-aanmelden", methods=["GET", "POST"])
def refer():
    """The referral form: the household, the question, consent; drafts kept until sent."""
    network_id, who, roles = _network()
    if not _may_refer(roles):
        raise Forbidden("Met je rol in dit netwerk meld je geen gezinnen aan.")
    form, errors, problem, status, receipt = {}, {}, None, 200, None
    if request.method == "POST":
        form = _referral_form(request.form)
        action = form.get("action", "send")
        if action.startswith(("add_", "remove_")):
            form = _row_change(form, action)
        elif action == "draft":
            errors, problem, saved = _save_draft(network_id, form)
            if saved:
                flash("Het concept is bewaard. Je kan het later afwerken.")
                return redirect(url_for("case_pages.refer", concept=saved["id"]), code=303)
            status = 422
        else:
            errors, problem, receipt = _send_referral(network_id, form)
            municipalities.explain_one(errors, form.get("municipality", ""))
            if receipt is not None:
                flash("De aanmelding is verstuurd. Je volgt ze hier op.")
                if receipt.get("attached_to_family"):
                    flash(ATTACHED)
                if receipt.get("crisis_agreements") is not None:
                    flash(_crisis_text(receipt["crisis_agreements"]))
                return redirect(url_for("case_pages.my_referrals"), code=303)
            status = 422
    elif request.args.get("concept"):
        form = _draft_form(network_id, request.args["concept"])
    drafts, _ = _try(lambda: cases("list_referral_drafts", network_id))
    return _referral_page(network_id, form, errors, problem, drafts or []), status


def _referral_page(network_id, form, errors, problem, drafts):
    network, _ = _try(lambda: call("partners", "get_network", network_id))
    municipalities = _municipality_options((network or {}).get("municipalities") or [])
    offers = {"network": "Het netwerk beslist (een tafel of de coördinator kiest)"}
    for o in _offers(network_id):
        if o.get("status") == "active":
            offers[str(o["id"])] = o["title"]
    return render_template(
        "cases/refer.html",
        form=form,
        errors=errors,
        problem=problem,
        drafts=drafts,
        municipalities=municipalities,
        offers=offers,
        carer_rows=range(_rows(form, "carer", _used(form, "carer_name"))),
        child_rows=range(_rows(form, "child", _used(form, "child_first_name", "child_birth_date"))),
    )


def _municipality_options(codes: list[str]) -> dict[str, str]:
    """The network's municipalities to choose from, by name (the form sends the code)."""
    return {code: municipalities.name(code) for code in codes}


def _used(form: dict, *prefixes: str) -> int:
    """1 + the highest row index that holds data for one of `prefixes`."""
    last = -1
    for key, value in form.items():
        for prefix in prefixes:
            tail = key[len(prefix) + 1 :] if key.startswith(prefix + "_") else ""
            if tail.isdigit() and str(value).strip():
                last = max(last, int(tail))
    return last + 1


def _referral_form(raw) -> dict:
    form = raw.to_dict()
    for name in ("life_domains", "sharing", "offers"):
        form[name] = raw.getlist(name)
    return form


def _row_change(form: dict, action: str) -> dict:
    """ "remove_child_2": drop that row and move the later ones up."""
    kind, _, index = action.removeprefix("remove_").partition("_")
    if not action.startswith("remove_") or not index.isdigit():
        return form
    fields = {"carer": ("carer_name",), "child": ("child_first_name", "child_birth_date")}.get(kind)
    if not fields:
        return form
    n = _rows(form, kind, _used(form, *fields))
    for i in range(int(index), n):
        for name in fields:
            form[f"{name}_{i}"] = form.get(f"{name}_{i + 1}", "")
    form[f"{kind}_rows"] = str(max(1, n - 1))
    return form


def _referral_payload(form: dict) -> dict:
    """The referral as the cases service takes it, built from the form as typed (not yet
    checked: the schema names every mistake)."""
    carers = [
        {"name": form.get(f"carer_name_{i}", "").strip()}
        for i in range(_used(form, "carer_name"))
        if form.get(f"carer_name_{i}", "").strip()
    ]
    children = [
        {
            "first_name": form.get(f"child_first_name_{i}", "").strip(),
            "birth_date": be_date(form.get(f"child_birth_date_{i}")),
        }
        for i in range(_used(form, "child_first_name", "child_birth_date"))
        if form.get(f"child_first_name_{i}", "").strip()
        or form.get(f"child_birth_date_{i}", "").strip()
    ]
    chosen = [o for o in form.get("offers") or [] if o != "network"]
    payload = {
        "offer_id": chosen[0] if chosen else None,
        "requested_offer_ids": chosen,
        "source_sector": form.get("source_sector", ""),
        "municipality": municipalities.one(form.get("municipality", "")),
        "concern": form.get("concern", ""),
        "question": form.get("question", "").strip(),
        "household": {"carers": carers, "children": children},
        "contact": {
            key: form.get(f"contact_{key}", "").strip() or None
            for key in ("phone", "email", "address")
        },
        "mandated_body": form.get("mandated_body") == "yes",
        "life_domains": form.get("life_domains") or [],
        "urgency": form.get("urgency") or "normal",
    }
    if form.get("consent_given") == "yes":
        payload["consent"] = {
            "given_by": form.get("consent_given_by", "").strip(),
            "given_on": be_date(form.get("consent_given_on")),
            "sharing": form.get("sharing") or [],
        }
    return payload


def _referral_rename(form: dict):
    """Where the schema's or the service's message goes in the form."""
    carer_at = [
        i for i in range(_used(form, "carer_name")) if form.get(f"carer_name_{i}", "").strip()
    ]
    child_at = [
        i
        for i in range(_used(form, "child_first_name", "child_birth_date"))
        if form.get(f"child_first_name_{i}", "").strip()
        or form.get(f"child_birth_date_{i}", "").strip()
    ]

    def rename(parts):
        head = parts[0]
        if head == "household" and len(parts) >= 2:
            group = parts[1]
            if len(parts) >= 4 and parts[2].isdigit():
                n = int(parts[2])
                if group == "carers" and n < len(carer_at):
                    return f"carer_name_{carer_at[n]}"
                if group == "children" and n < len(child_at):
                    return f"child_{parts[3]}_{child_at[n]}"
            return {"carers": "carers", "children": "children"}.get(group, "carers")
        if head == "consent":
            if len(parts) >= 2 and parts[1] in ("given_by", "given_on", "sharing"):
                return f"consent_{parts[1]}"
            return "consent_given"
        if head == "contact" and len(parts) >= 2:
            return f"contact_{parts[1]}"
        if head in ("offer_id", "requested_offer_ids"):
            return "offers"
        if head in (
            "source_sector",
            "municipality",
            "concern",
            "question",
            "urgency",
            "life_domains",
            "mandated_body",
        ):
            return head
        return None

    return rename


def _send_referral(network_id, form) -> tuple[dict, str | None, dict | None]:
    payload = _referral_payload(form)
    rename = _referral_rename(form)
    errors: dict[str, str] = {}
    if "consent" not in payload:
        errors["consent_given"] = (
            "Zonder toestemming van het gezin kan je alleen een anonieme consultatie "
            "registreren (zie onderaan)."
        )
    try:
        loaded = c.ReferralInput().load({**payload, "consent": payload.get("consent") or {}})
    except ValidationError as err:
        found, rest = _errors(err.messages, rename)
        if "consent_given" in errors:
            found = {k: v for k, v in found.items() if not k.startswith("consent_")}
        errors = {**found, **errors}
        return errors, _problem("Niet verstuurd; verbeter wat hieronder staat.", rest), None
    if errors:
        return errors, "Niet verstuurd; verbeter wat hieronder staat.", None
    data = c.ReferralInput().dump(loaded)
    try:
        if form.get("draft_id"):
            # The draft becomes the referral: saved as sent, then submitted (and gone).
            cases("save_referral_draft", network_id, data, form["draft_id"])
            receipt = cases("submit_referral_draft", form["draft_id"])
        else:
            receipt = cases("receive_referral", network_id, data)
    except VerbandError as exc:
        if exc.http_status == 401:
            raise
        found, rest = _errors(exc.fields, rename)
        return found, _problem(exc.message, rest), None
    return {}, None, receipt


def _save_draft(network_id, form) -> tuple[dict, str | None, dict | None]:
    payload = _referral_payload(form)
    # A draft keeps what was typed, also a consent not yet complete.
    payload["consent_given"] = form.get("consent_given") == "yes"
    payload["draft_rows"] = {k: form.get(f"{k}_rows", "") for k in ("carer", "child")}
    try:
        saved = cases("save_referral_draft", network_id, payload, form.get("draft_id") or None)
    except VerbandError as exc:
        if exc.http_status == 401:
            raise
        return {}, exc.message, None
    return {}, None, saved


def _draft_form(network_id, draft_id) -> dict:
    drafts, _ = _try(lambda: cases("list_referral_drafts", network_id))
    draft = next((d for d in drafts or [] if str(d["id"]) == str(draft_id)), None)
    if draft is None:
        raise NotFound("Dit concept bestaat niet (meer).")
    # A draft is unchecked (also one saved over the API): take only what fits the form.
    p = _dict(draft.get("payload"))
    household = _dict(p.get("household"))
    form = {
        "draft_id": str(draft["id"]),
        "source_sector": p.get("source_sector") or "",
        "municipality": p.get("municipality") or "",
        "concern": p.get("concern") or "",
        "question": p.get("question") or "",
        "urgency": p.get("urgency") or "normal",
        "life_domains": _list_of(p.get("life_domains")),
        "mandated_body": "yes" if p.get("mandated_body") else "",
        "offers": _list_of(p.get("requested_offer_ids"))
        or ([str(p["offer_id"])] if p.get("offer_id") else ["network"]),
    }
    for key in ("phone", "email", "address"):
        form[f"contact_{key}"] = _dict(p.get("contact")).get(key) or ""
    for i, carer in enumerate(_list_of(household.get("carers"))[: MAX_ROWS["carer"]]):
        form[f"carer_name_{i}"] = _dict(carer).get("name") or ""
    for i, child in enumerate(_list_of(household.get("children"))[: MAX_ROWS["child"]]):
        form[f"child_first_name_{i}"] = _dict(child).get("first_name") or ""
        form[f"child_birth_date_{i}"] = _dict(child).get("birth_date") or ""
    consent = _dict(p.get("consent"))
    if consent or p.get("consent_given"):
        form["consent_given"] = "yes"
        form["consent_given_by"] = consent.get("given_by", "")
        form["consent_given_on"] = consent.get("given_on") or ""
        form["sharing"] = _list_of(consent.get("sharing"))
    return form


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def _list_of(value) -> list:
    return value if isinstance(value, list) else []


@bp.route("/consultatie", methods=["GET", "POST"])
def consultation():
    """An anonymous consultation: no names, birth dates or contact data, so no consent."""
    network_id, who, roles = _network()
    if not _may_refer(roles):
        raise Forbidden("Met je rol in dit netwerk registreer je geen consultaties.")
    form, errors, problem, status = {}, {}, None, 200
    if request.method == "POST":
        form = request.form.to_dict()
        form["age_bands"] = request.form.getlist("age_bands")
        form["life_domains"] = request.form.getlist("life_domains")
        data = {
            "municipality": municipalities.one(form.get("municipality", "")),
            "concern": form.get("concern", ""),
            "age_bands": form["age_bands"],
            "life_domains": form["life_domains"],
            "advice": form.get("advice", "").strip(),
        }
        errors, problem, done = _submit(
            c.ConsultationInput(),
            data,
            _first,
            lambda payload: cases("register_consultation", network_id, payload),
        )
        if done is not None:
            flash("De anonieme consultatie is geregistreerd.")
            return redirect(url_for("case_pages.consultation"), code=303)
        municipalities.explain_one(errors, form.get("municipality", ""))
        status = 422
    network, _ = _try(lambda: call("partners", "get_network", network_id))
    return render_template(
        "cases/consultation.html",
        form=form,
        errors=errors,
        problem=problem,
        municipalities=_municipality_options((network or {}).get("municipalities") or []),
    ), status


# --- the referrer's follow-up --------------------------------------------------------------


@bp.get("/mijn-aanmeldingen")
def my_referrals():
    """For each family the signed-in person referred: who starts which help, and when."""
    network_id, who, roles = _network()
    if not _may_refer(roles):
        raise Forbidden("Met je rol in dit netwerk meld je geen gezinnen aan.")
    rows, problem = _try(lambda: cases("list_cases", network_id, {"referred_by_me": True}))
    referrals = []
    for row in (rows or [])[:PAGE]:
        follow, trouble = _try(lambda row=row: cases("follow_up", row["id"]))
        referrals.append({"case": row, "follow": follow, "problem": trouble})
    return render_template(
        "cases/my_referrals.html",
        referrals=referrals,
        more=max(0, len(rows or []) - PAGE),
        problem=problem,
    )


# --- taking over a waiting list kept in a spreadsheet ---------------------------------------


@bp.route("/wachtlijst/importeren", methods=["GET", "POST"])
def import_waiting_list():
    """Two steps: the coordinator uploads the spreadsheet and sees every bad row (line,
    column, reason); only a clean file can be confirmed, and then all of it is imported or
    nothing. The confirm form carries the checked file, so what is imported is what was
    checked (and the service checks it again)."""
    network_id, _who, roles = _network()
    if COORDINATOR not in roles:
        raise Forbidden("Alleen de coördinator neemt een wachtlijst over.")
    offers = [
        o
        for o in _offers(network_id)
        if o.get("warm_waiting_list", True) and o.get("status", "active") == "active"
    ]
    page = {"offers": offers, "form": {}, "errors": {}, "problem": None, "report": None}
    page["file_b64"] = ""
    if request.method in ("GET", "HEAD"):
        page["form"] = {"aanbod": request.args.get("aanbod", "")}
        return render_template("cases/waiting_list_import.html", **page)
    form = page["form"] = request.form.to_dict()
    confirm = form.get("action") == "confirm"
    errors = page["errors"]
    if form.get("aanbod") not in {str(o["id"]) for o in offers}:
        errors["aanbod"] = "Kies het aanbod van deze wachtlijst."
    raw = _import_file(form, confirm, errors)
    consent = form.get("consent_confirmed") == "ja"
    if confirm and not consent and not errors:
        # Shown next to the box, with the checked file's report and its confirm form again.
        errors["consent_confirmed"] = c.CONSENT_NOT_CONFIRMED
        confirm = False
    report = None
    if not errors or set(errors) == {"consent_confirmed"}:
        try:
            rows = spreadsheets.with_nis_codes(
                spreadsheets.read_waiting_list(raw),
                lambda: call("partners", "list_municipalities"),
            )
            report = cases(
                "import_waiting_list", network_id, form["aanbod"], rows, not confirm, consent
            )
        except VerbandError as exc:
            named = {k: "; ".join(v) for k, v in exc.fields.items() if k in ("file", "offer_id")}
            if "offer_id" in named:
                named["aanbod"] = named.pop("offer_id")
            errors.update(named)
            page["problem"] = None if named else exc.message
    page["report"] = report
    if errors.get("consent_confirmed") and report and not report["problems"]:
        page["file_b64"] = base64.b64encode(raw).decode()
    if errors or page["problem"]:
        return render_template("cases/waiting_list_import.html", **page), 422
    if report["problems"]:
        return render_template("cases/waiting_list_import.html", **page), 422
    if confirm:
        count = report["imported"]
        flash(f"{count} {'gezin' if count == 1 else 'gezinnen'} van de wachtlijst overgenomen.")
        return redirect(url_for("case_pages.waiting_list", aanbod=form["aanbod"]), code=303)
    page["file_b64"] = base64.b64encode(raw).decode()
    return render_template("cases/waiting_list_import.html", **page)


def _import_file(form: dict, confirm: bool, errors: dict) -> bytes:
    """The uploaded spreadsheet (dry run), or the checked one the confirm form carries."""
    if confirm:
        try:
            return base64.b64decode(form.get("file_b64", ""), validate=True)
        except (binascii.Error, ValueError):
            errors["file"] = "Het gecontroleerde bestand ging verloren. Laad het opnieuw op."
            return b""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        errors["file"] = "Kies een CSV- of XLSX-bestand."
        return b""
    return upload.read(spreadsheets.MAX_FILE_BYTES + 1)


@bp.get("/wachtlijst/importeren/sjabloon.csv")
def waiting_list_template():
    """The column names a coordinator fills in (Excel in Belgium opens it as is)."""
    _network()
    return spreadsheets.template_response()


# --- the coordinator's waiting-list board --------------------------------------------------


@bp.get("/wachtlijst")
def waiting_list():
    """One offer's warm waiting list in priority order, with why, clocks and free places;
    for the coordinator also the referrals to triage, the one-month clocks and the warm
    contacts overdue."""
    network_id, who, roles = _network()
    if not _case_worker(roles):
        raise Forbidden("De wachtlijsten zijn voor de coördinator en de partners met aanbod.")
    coordinator = COORDINATOR in roles
    own = str(who.get("organisation_id") or "")
    # The network's offers change rarely: partners' answer is kept a few seconds
    # (readcache.py); cases answers for the rest of the board in one call.
    offers, _ = _try(lambda: cached_call("partners", "list_offers", network_id, {}))
    offers = [
        o
        for o in offers or []
        if o.get("warm_waiting_list", True)
        and (coordinator or str(o.get("organisation_id") or "") == own)
    ]
    chosen = request.args.get("aanbod") or (str(offers[0]["id"]) if offers else "")
    try:
        offset = max(0, int(request.args.get("van", "0")))
    except ValueError:
        offset = 0
    found, problem = _try(
        lambda: cases("waiting_board", network_id, chosen or None, PAGE, offset, "wachtlijstbord")
    )
    found = found or {}
    board, problem = found.get("board"), problem or found.get("board_problem")
    to_triage, returned = found.get("to_triage"), found.get("returned")
    clocks, overdue = found.get("clocks"), found.get("overdue")
    return render_template(
        "cases/waiting_list.html",
        offers=offers,
        chosen=chosen,
        board=board,
        problem=problem,
        coordinator=coordinator,
        to_triage=to_triage or [],
        returned=returned or [],
        clocks=clocks or {"warning": [], "escalated": []},
        overdue=overdue or [],
        page=PAGE,
        offset=offset,
        today=dt.date.today().isoformat(),
    )


# --- a partner's caseload ------------------------------------------------------------------


@bp.get("/caseload")
def caseload():
    """The cases a worker is involved in, and the warm contacts due on their lists."""
    network_id, who, roles = _network()
    if not _case_worker(roles):
        raise Forbidden("De caseload is voor wie met gezinnen werkt in dit netwerk.")
    rows, problem = _try(lambda: cases("list_cases", network_id, {}))
    overdue, _ = _try(lambda: cases("overdue_contacts", network_id))
    own = str(who.get("organisation_id") or "")
    due_soon = []
    horizon = (dt.date.today() + dt.timedelta(days=DUE_SOON_DAYS)).isoformat()
    overdue_ids = {str(o["entry_id"]) for o in overdue or []}
    for offer in _offers(network_id):
        if own and str(offer.get("organisation_id") or "") == own:
            page, _ = _try(
                lambda offer=offer: cases("waiting_list", offer["id"], PAGE, 0, "caseload")
            )
            for entry in (page or {}).get("entries") or []:
                if str(entry["entry_id"]) not in overdue_ids and entry["next_contact_due"] <= (
                    horizon
                ):
                    due_soon.append({**entry, "offer_title": offer["title"]})
    due_soon.sort(key=lambda e: e["next_contact_due"])
    return render_template(
        "cases/caseload.html",
        cases=rows or [],
        overdue=overdue or [],
        due_soon=due_soon,
        problem=problem,
        channels=CONTACT_CHANNEL_LABELS,
        today=dt.date.today().isoformat(),
    )


# --- one case ------------------------------------------------------------------------------

CASE_ACTIONS = (
    "warm_contact",
    "removal",
    "bridging",
    "start",
    "contact_point",
    "status",
    "closure",
    "reopening",
    "bottleneck",
    "answer",
    "journal",
)


@bp.get("/dossiers/<uuid:case_id>")
def case(case_id):
    network_id, who, roles = _network()
    _works_with_families(roles)
    return _case_page(network_id, roles, str(case_id))


def _case_page(
    network_id, roles, case_id, action=None, form=None, errors=None, problem=None, status=200
):
    found = cases("get_case", case_id, request.args.get("waarom") or "dossier bekijken")
    if str(found.get("network_id")) != str(network_id):
        # A case of another network the person also works in: open it from there.
        raise NotFound("Dit dossier hoort niet bij het gekozen netwerk.")
    people = _people(network_id)
    names = {str(p["id"]): p["name"] for p in people}
    offers = {str(o["id"]): o["title"] for o in _offers(network_id)}
    contact_points = {
        str(p["id"]): p["name"]
        for p in people
        if set(p.get("roles") or ()).intersection(CONTACT_POINTS)
    }
    trajectory = next(
        (t for t in found.get("trajectories") or [] if t.get("status") != "closed"), None
    )
    closed = [t for t in found.get("trajectories") or [] if t.get("status") == "closed"]
    # The journal is read as the case is (the same rule), and logged as its own read.
    journal = cases("journal", case_id, request.args.get("waarom") or "dossier bekijken")
    return render_template(
        "cases/case.html",
        journal=journal,
        case=found,
        coordinator=COORDINATOR in roles,
        names=names,
        offers=offers,
        organisations=_organisations(network_id),
        contact_points=contact_points,
        trajectory=trajectory,
        closed=closed,
        waiting=[e for e in found.get("waiting") or [] if e.get("status") == "waiting"],
        action=action,
        form=form or {},
        errors=errors or {},
        problem=problem,
        today=dt.date.today().isoformat(),
    ), status


@bp.post("/dossiers/<uuid:case_id>/<action>")
def case_action(case_id, action):
    """One change on a case from a form on its page; a mistake shows the page again with
    the message next to the field of that form."""
    if action not in CASE_ACTIONS:
        raise NotFound("Deze actie bestaat niet.")
    network_id, who, roles = _network()
    _works_with_families(roles)
    case_id = str(case_id)
    # Each form on the case page names its fields "<action>__<field>", so that ids stay
    # unique on the page; the caseload's and the board's short forms use bare names.
    typed = request.form.to_dict()
    prefix = action + "__"
    form = {k.removeprefix(prefix): v for k, v in typed.items()}
    schema, data, send, done = _case_change(case_id, action, form)
    errors, problem, answer = _submit(schema, data, _first, send)
    if answer is None:
        shown = {prefix + k.removeprefix(prefix): v for k, v in typed.items()}
        errors = {prefix + k: v for k, v in errors.items()}
        return _case_page(network_id, roles, case_id, action, shown, errors, problem, status=422)
    flash(done(answer))
    back = form.get("terug")
    if back == "caseload":
        return redirect(url_for("case_pages.caseload"), code=303)
    if back == "wachtlijst" and form.get("aanbod"):
        return redirect(url_for("case_pages.waiting_list", aanbod=form["aanbod"]), code=303)
    return redirect(url_for("case_pages.case", case_id=case_id), code=303)


def _case_change(case_id, action, form):
    """(schema, data as typed, send(payload), flash text(answer)) of one case action."""
    text = form.get
    if action == "warm_contact":
        entry = text("entry_id", "")
        return (
            c.WarmContactInput(),
            {
                "contact_on": be_date(text("contact_on")),
                "channel": text("channel", ""),
                "note": text("note", "").strip(),
            },
            lambda p: cases("log_warm_contact", _id(entry, "entry_id"), p),
            lambda a: (
                "Het warm contact is bewaard. Volgend contact ten laatste op "
                + _be(a.get("next_contact_due"))
                + "."
            ),
        )
    if action == "removal":
        entry = text("entry_id", "")
        return (
            c.RemovalInput(),
            {"reason": text("reason") or None, "note": text("note", "").strip()},
            lambda p: cases("remove_from_waiting_list", _id(entry, "entry_id"), p),
            lambda a: "Het gezin staat niet meer op deze wachtlijst.",
        )
    if action == "bridging":
        data = {
            "kind": text("kind", ""),
            "organisation_id": text("organisation_id") or None,
            "starts_on": be_date(text("starts_on")),
            "note": text("note", "").strip(),
        }
        return (
            c.BridgingInput(),
            data,
            lambda p: cases("record_bridging", case_id, p),
            lambda a: "De overbrugging is bewaard.",
        )
    if action == "start":
        data = {
            "case_manager_id": text("case_manager_id") or None,
            "offer_id": text("offer_id") or None,
        }
        if text("started_on", "").strip():
            data["started_on"] = be_date(text("started_on"))
        return (
            c.TrajectoryInput(),
            data,
            lambda p: cases("start_trajectory", case_id, p),
            lambda a: "Het traject is gestart.",
        )
    trajectory = text("trajectory_id", "")
    if action == "contact_point":
        return (
            c.ContactPointInput(),
            {"case_manager_id": text("case_manager_id") or None, "reason": text("reason", "")},
            lambda p: cases("change_contact_point", _id(trajectory, "trajectory_id"), p),
            lambda a: "Het gezin heeft een nieuw aanspreekpunt.",
        )
    if action == "status":
        return (
            c.TrajectoryStatusInput(),
            {"status": text("status", ""), "reason": text("reason", "")},
            lambda p: cases("set_trajectory_status", _id(trajectory, "trajectory_id"), p),
            lambda a: (
                "Het traject "
                + ("loopt weer." if a.get("status") == "active" else "is gepauzeerd.")
            ),
        )
    if action == "closure":
        data = {
            "outcome": text("outcome", ""),
            "flow_to": text("flow_to") or None,
            "note": text("note", "").strip(),
        }
        if text("closed_on", "").strip():
            data["closed_on"] = be_date(text("closed_on"))
        return (
            c.ClosingInput(),
            data,
            lambda p: cases("close_trajectory", _id(trajectory, "trajectory_id"), p),
            lambda a: "Het traject is afgesloten.",
        )
    if action == "reopening":
        return (
            c.ReopeningInput(),
            {"reason": text("reason", "")},
            lambda p: cases("reopen_trajectory", _id(trajectory, "trajectory_id"), p),
            lambda a: "Het traject is heropend.",
        )
    if action == "answer":
        data = {
            "offer_id": text("offer_id") or None,
            "answer": text("answer", ""),
            "reason": text("reason", "").strip(),
        }
        if text("starts_on", "").strip():
            data["starts_on"] = be_date(text("starts_on"))
        return (
            c.ReferralAnswerInput(),
            data,
            lambda p: cases("answer_referral", case_id, p),
            lambda a: (
                "Jullie antwoord is bewaard: het gezin start op "
                + _be(a["answer"].get("starts_on"))
                + "."
                if a["answer"].get("answer") == "accepted"
                else "Jullie antwoord is bewaard: de coördinator ziet het gezin terug."
            ),
        )
    if action == "journal":
        return (
            c.JournalEntryInput(),
            {
                "occurred_at": moment(text("occurred_at", ""), text("time", "")),
                "kind": text("kind", ""),
                "text": text("text", "").strip(),
                "corrects_id": text("corrects_id") or None,
            },
            lambda p: cases("add_journal_entry", case_id, p),
            lambda a: "De regel staat in het logboek.",
        )
    # bottleneck
    return (
        c.BottleneckInput(),
        {"reason_category": text("reason_category", ""), "note": text("note", "").strip()},
        lambda p: cases("flag_bottleneck", case_id, p),
        lambda a: "Het dossier staat als knelpunt op de agenda van de volgende tafel.",
    )


def _id(raw: str, name: str) -> str:
    """An id from a hidden field; a missing one is a mistake of the page, named as such."""
    if not raw:
        raise _MissingChoice(name)
    return raw


class _MissingChoice(VerbandError):
    code = "validation_failed"
    http_status = 422

    def __init__(self, name):
        super().__init__("Kies eerst waarop dit slaat.", {name: ["Kies er een."]})


def _be(value) -> str:
    if not value:
        return ""
    try:
        return dt.date.fromisoformat(str(value)[:10]).strftime("%d/%m/%Y")
    except ValueError:
        return str(value)


def _crisis_text(agreements) -> str:
    """What an urgent and dangerous situation asks: the crisis point's agreements."""
    names = "; ".join(
        a.get("title") or ", ".join(str(p) for p in a.get("parties") or []) or "afspraak"
        for a in agreements
    )
    if not names:
        return (
            "Dringend en gevaarlijk: de coördinator is verwittigd. Er is geen lopende afspraak "
            "met een crisismeldpunt vastgelegd; bel het crisismeldpunt van de regio."
        )
    return (
        "Dringend en gevaarlijk: de coördinator is verwittigd. Volg de afspraken met het "
        "crisismeldpunt: " + names + "."
    )


# --- the plan ------------------------------------------------------------------------------


@bp.route("/dossiers/<uuid:case_id>/plan", methods=["GET", "POST"])
def plan(case_id):
    """The family's one plan: goals in their words, actions with a partner and a due date,
    the family's own part, review dates; every version kept with who changed what."""
    network_id, who, roles = _network()
    _works_with_families(roles)
    case_id = str(case_id)
    form, errors, problem, status = {}, {}, None, 200
    current, load_problem = None, None
    try:
        current = cases("get_plan", case_id, None)
    except NotFound as exc:
        if exc.fields.get("version") is None:
            raise
    if request.method == "POST":
        form = request.form.to_dict()
        if form.get("action", "save").startswith("add_"):
            pass
        else:
            data, rename = _plan_data(form)
            errors, problem, saved = _submit(
                c.PlanInput(), data, rename, lambda p: cases("update_plan", case_id, p)
            )
            if saved is not None:
                flash(f"Versie {saved['version']} van het plan is bewaard.")
                return redirect(url_for("case_pages.plan", case_id=case_id), code=303)
            status = 422
    elif current:
        form = _plan_form(current)
    else:
        form = {"based_on_version": "0"}
    history, _ = _try(lambda: cases("plan_history", case_id))
    shown = None
    if request.args.get("versie", "").isdigit():
        shown, load_problem = _try(lambda: cases("get_plan", case_id, int(request.args["versie"])))
    people = {str(p["id"]): p["name"] for p in _people(network_id)}
    goals = _plan_rows(form)
    return render_template(
        "cases/plan.html",
        case_id=case_id,
        current=current,
        form=form,
        errors=errors,
        problem=problem or load_problem,
        goals=goals,
        reviews=range(_rows(form, "review", _used(form, "review"))),
        organisations=_organisations(network_id),
        history=list(reversed(history or [])),
        people=people,
        shown=shown,
    ), status


def _plan_form(version: dict) -> dict:
    p = version.get("plan") or {}
    form = {
        "based_on_version": str(version["version"]),
        "family_part": p.get("family_part", ""),
    }
    for g, goal in enumerate(p.get("goals") or []):
        form[f"goal_{g}_text"] = goal.get("text", "")
        for a, action in enumerate(goal.get("actions") or []):
            form[f"goal_{g}_action_{a}_text"] = action.get("text", "")
            form[f"goal_{g}_action_{a}_org"] = str(action.get("responsible_organisation_id", ""))
            form[f"goal_{g}_action_{a}_due"] = action.get("due_on", "")
            form[f"goal_{g}_action_{a}_status"] = action.get("status", "planned")
    for i, day in enumerate(p.get("review_dates") or []):
        form[f"review_{i}"] = day
    return form


def _goal_used(form: dict) -> int:
    last = -1
    for key, value in form.items():
        parts = key.split("_")
        if parts[0] == "goal" and len(parts) > 1 and parts[1].isdigit() and str(value).strip():
            last = max(last, int(parts[1]))
    return last + 1


def _action_used(form: dict, g: int) -> int:
    last = -1
    prefix = f"goal_{g}_action_"
    for key, value in form.items():
        if key.startswith(prefix) and str(value).strip():
            index = key[len(prefix) :].split("_")[0]
            if index.isdigit():
                last = max(last, int(index))
    return last + 1


def _plan_rows(form: dict) -> list[dict]:
    """The goal rows to show, each with its action rows (one more where asked for)."""
    goals = _rows(form, "goal", _goal_used(form))
    rows = []
    for g in range(goals):
        try:
            count = int(form.get(f"goal_{g}_action_rows") or 0)
        except ValueError:
            count = 0
        count = max(count, _action_used(form, g), START_ROWS["action"])
        if form.get("action") == f"add_action_{g}":
            count += 1
        rows.append({"index": g, "actions": range(min(count, MAX_ROWS["action"]))})
    return rows


def _plan_data(form: dict):
    """The plan as typed, and where each message goes: empty rows are left out, so the
    schema's positions are mapped back to the rows on the page."""
    goals, goal_at, action_at = [], [], {}
    for g in range(_goal_used(form)):
        text = form.get(f"goal_{g}_text", "").strip()
        actions, positions = [], []
        for a in range(_action_used(form, g)):
            parts = [
                form.get(f"goal_{g}_action_{a}_{k}", "").strip() for k in ("text", "org", "due")
            ]
            if not any(parts):
                continue
            actions.append(
                {
                    "text": parts[0],
                    "responsible_organisation_id": parts[1] or None,
                    "due_on": be_date(parts[2]),
                    "status": form.get(f"goal_{g}_action_{a}_status") or "planned",
                }
            )
            positions.append(a)
        if not text and not actions:
            continue
        action_at[len(goals)] = positions
        goal_at.append(g)
        goals.append({"text": text, "actions": actions})
    reviews = [
        be_date(form.get(f"review_{i}"))
        for i in range(_used(form, "review"))
        if form.get(f"review_{i}", "").strip()
    ]
    review_at = [i for i in range(_used(form, "review")) if form.get(f"review_{i}", "").strip()]
    try:
        based_on = int(form.get("based_on_version") or 0)
    except ValueError:
        based_on = 0
    data = {
        "goals": goals,
        "family_part": form.get("family_part", "").strip(),
        "review_dates": reviews,
        "based_on_version": based_on,
    }
    names = {
        "text": "text",
        "responsible_organisation_id": "org",
        "due_on": "due",
        "status": "status",
    }

    def rename(parts):
        head = parts[0]
        if head == "goals":
            if len(parts) >= 3 and parts[1].isdigit() and int(parts[1]) < len(goal_at):
                n = int(parts[1])
                g = goal_at[n]
                if parts[2] == "text":
                    return f"goal_{g}_text"
                if parts[2] == "actions" and len(parts) >= 5 and parts[3].isdigit():
                    m = int(parts[3])
                    at = action_at.get(n, [])
                    if m < len(at):
                        return f"goal_{g}_action_{at[m]}_{names.get(parts[4], 'text')}"
                return f"goal_{g}_text"
            return "goals"
        if head == "review_dates":
            if len(parts) >= 2 and parts[1].isdigit() and int(parts[1]) < len(review_at):
                return f"review_{review_at[int(parts[1])]}"
            return "reviews"
        if head in ("family_part", "based_on_version"):
            return head
        return None

    return data, rename


# --- the access log ------------------------------------------------------------------------


@bp.get("/toegangslogboek")
def audit_log():
    """Who read or changed which case, when and why (the network admin)."""
    network_id, who, roles = _network()
    if "network_admin" not in roles:
        raise Forbidden("Alleen de netwerkbeheerder doorzoekt het toegangslogboek.")
    form = {k: v for k, v in request.args.items() if v.strip()}
    query = {k: form[k] for k in ("case_id", "actor", "action") if k in form}
    for name in ("since", "until"):
        if name in form:
            query[name] = be_date(form[name])
    errors, rows, problem = {}, [], None
    try:
        query = c.AuditFilters().load(query)
        rows = cases("search_audit_log", network_id, c.AuditFilters().dump(query))
    except ValidationError as err:
        errors, _ = _errors(err.messages, _first)
    except VerbandError as exc:
        problem = exc.message
    people = {f"person:{p['id']}": p["name"] for p in _people(network_id)}
    return render_template(
        "cases/audit_log.html",
        form=form,
        errors=errors,
        rows=rows,
        people=people,
        problem=problem,
    ), 422 if errors else 200


# --- privacy requests ----------------------------------------------------------------------


@bp.route("/dossiers/<uuid:case_id>/privacy", methods=["GET", "POST"])
def privacy(case_id):
    """A family's privacy requests (the network admin or the coordinator): the export of
    everything held (access request), a legal hold, and erasure unless a hold applies."""
    network_id, who, roles = _network()
    if not roles.intersection(PRIVACY_HANDLERS):
        raise Forbidden("Alleen de netwerkbeheerder of de coördinator behandelt privacyverzoeken.")
    case_id = str(case_id)
    form, errors, problem, status = {}, {}, None, 200
    if request.method == "POST":
        form = request.form.to_dict()
        action = form.get("action")
        if action == "legal_hold":
            errors, problem, done = _submit(
                c.LegalHoldInput(),
                {"on": form.get("on") == "yes", "reason": form.get("hold_reason", "")},
                lambda parts: {"reason": "hold_reason"}.get(parts[0], parts[0]),
                lambda p: cases("set_legal_hold", case_id, p),
            )
            message = "De wettelijke bewaarplicht is " + (
                "ingesteld." if form.get("on") == "yes" else "opgeheven."
            )
        else:
            if form.get("confirm") != "yes":
                errors["confirm"] = "Bevestig dat de gegevens van dit gezin gewist mogen worden."
            errors_, problem, done = (
                _submit(
                    c.ErasureInput(),
                    {"reason": form.get("erase_reason", "")},
                    lambda parts: {"reason": "erase_reason", "legal_hold": "confirm"}.get(
                        parts[0], parts[0]
                    ),
                    lambda p: cases("erase_family", case_id, p),
                )
                if not errors
                else ({}, "Niet gewist; verbeter wat hieronder staat.", None)
            )
            errors = {**errors_, **errors}
            message = "De persoonsgegevens van dit gezin zijn gewist."
        if done is not None:
            flash(message)
            return redirect(url_for("case_pages.privacy", case_id=case_id), code=303)
        status = 422
    return render_template(
        "cases/privacy.html",
        case_id=case_id,
        form=form,
        errors=errors,
        problem=problem,
        # The export opens the whole case: offered to whoever the access rule names (the
        # cases service decides again on the case itself).
        reads_case=COORDINATOR in roles,
    ), status


@bp.get("/dossiers/<uuid:case_id>/export.json")
def export(case_id):
    """Everything this platform holds about the family, as one JSON file (access request);
    the service writes the export to the access log."""
    network_id, who, roles = _network()
    if not roles.intersection(PRIVACY_HANDLERS):
        raise Forbidden("Alleen de netwerkbeheerder of de coördinator behandelt privacyverzoeken.")
    found = cases("export_family", str(case_id))
    response = jsonify(found)
    response.headers["Content-Disposition"] = f'attachment; filename="dossier-{case_id}.json"'
    return response


# --- one family, one record: search and likely duplicates (the coordinator) ------------------


@bp.route("/gezinnen", methods=["GET", "POST"])
def families():
    """The coordinator finds a family's record (always saying why: the access log keeps it)
    and checks the records that are likely one family. A POST, so that the names searched
    for stay out of addresses and server logs."""
    network_id, who, roles = _network()
    if COORDINATOR not in roles:
        raise Forbidden("Alleen de coördinator zoekt gezinnen.")
    form, errors, problem, found = {}, {}, None, None
    if request.method == "POST":
        form = {k: v.strip() for k, v in request.form.items() if k != "csrf_token"}
        data = {
            "name": form.get("name") or None,
            "birth_date": be_date(form.get("birth_date")),
            "municipality": form.get("municipality") or None,
            "purpose": form.get("purpose", ""),
        }
        errors, problem, found = _submit(
            c.FamilySearchInput(),
            {k: v for k, v in data.items() if v is not None},
            _first,
            lambda p: cases("search_families", network_id, p),
        )
    duplicates, failed = _try(lambda: cases("likely_duplicates", network_id))
    merges, _ = _try(lambda: cases("family_merges", network_id))
    network, _ = _try(lambda: call("partners", "get_network", network_id))
    return render_template(
        "cases/families.html",
        municipalities=_municipality_options((network or {}).get("municipalities") or []),
        form=form,
        errors=errors,
        problem=problem or failed,
        found=found,
        duplicates=duplicates or [],
        merges=merges or [],
    ), 422 if errors else 200
