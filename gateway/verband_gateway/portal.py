"""The portal's home pages, one per kind of work, in the network chosen for this session.

A referrer sees their referrals and how far each is, a way to refer a family and the
region's offer; a partner worker (family coach, case manager, first-line psychologist) their
caseload, their waiting lists, warm contacts due and their meetings and actions; a
coordinator or network admin a dashboard of the network (waiting-list health, the one-month
clock, bottleneck cases, meetings, actions, targets) with every management page; an IROJ
viewer goes to the IROJ page. Without a chosen network: the networks a person works in.

Every panel comes from one RPC that answers for the whole panel (no call per offer or per
body on the dashboard); a service that does not answer leaves its panel with a message and
the rest of the page standing.
"""

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from werkzeug.routing import BuildError

from verband_common.dutch import BRUSSELS
from verband_common.errors import VerbandError
from verband_common.labels import (
    BODY_KIND_LABELS,
    CASE_STATUS_LABELS,
    OFFER_KIND_LABELS,
    URGENCY_LABELS,
)
from verband_common.roles import CASE_WORKERS, GUEST, NETWORK_MANAGERS, ROLE_LABELS
from verband_gateway import auth, cached_call, call
from verband_gateway.signin import safe_next

bp = Blueprint("portal", __name__)

OPEN_CASE_STATUSES = ("received", "waiting", "started")
# The dashboard is for those who manage the network.
DASHBOARD_ROLES = NETWORK_MANAGERS
# Targets of the network (its settings) measured on the dashboard, by their code: additional
# family guidances are the trajectories started this calendar year.
TARGET_MEASURES = {
    "gezinsbegeleidingen": "started_this_year",
    "bijkomende_gezinsbegeleidingen": "started_this_year",
    "trajecten": "started_this_year",
}
HOME_LIST_LIMIT = 8
OWN_OFFER_LISTS = 3


def current_network_id() -> str | None:
    """The network chosen in this session, if the person still has a role in it."""
    chosen = session.get("network_id")
    who = auth.principal()
    if not chosen or who is None:
        return None
    if auth.roles_in(who, chosen) or auth.is_platform_admin(who):
        return chosen
    session.pop("network_id", None)
    return None


@bp.app_template_global("link_to")
def link_to(endpoint: str, **values) -> str | None:
    """The URL of a page, or None while that page does not exist in this gateway (pages of
    other areas land one by one; a missing one leaves its link out instead of breaking)."""
    if endpoint not in current_app.view_functions:
        return None
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None


def home_kind(roles: set[str]) -> str | None:
    """Which home a set of roles in a network gets; the widest work wins."""
    if roles.intersection(DASHBOARD_ROLES):
        return "dashboard"
    if roles.intersection(CASE_WORKERS):
        return "partner"
    if "referrer" in roles:
        return "referrer"
    if "secretary" in roles:
        return "member"
    if "iroj_viewer" in roles:
        return "iroj"
    if GUEST in roles:
        return "guest"
    return None


@bp.get("/")
def home():
    who = auth.signed_in()
    network_id = current_network_id()
    roles = auth.roles_in(who, network_id) if network_id else set()
    kind = home_kind(roles)
    if kind is None:
        return _networks_home(network_id)
    if kind == "iroj":
        target = link_to("report_pages.iroj")
        if target:
            return redirect(target)
    network = _membership(who, network_id)
    context = {
        "network": network,
        "roles": sorted(ROLE_LABELS.get(r, r) for r in roles),
        "several_networks": len(who.get("memberships") or []) > 1,
        "case_statuses": CASE_STATUS_LABELS,
        "urgencies": URGENCY_LABELS,
        "body_kinds": BODY_KIND_LABELS,
        "offer_kinds": OFFER_KIND_LABELS,
        "now_iso": dt.datetime.now(BRUSSELS).date().isoformat(),
    }
    if kind == "dashboard":
        return render_template("home_dashboard.html", **context, **_dashboard(network_id, roles))
    if kind == "partner":
        return render_template("home_partner.html", **context, **_partner(network_id, who))
    if kind == "referrer":
        return render_template("home_referrer.html", **context, **_referrer(network_id))
    if kind == "guest":
        return render_template("home_guest.html", **context, **_meetings(network_id))
    return render_template(
        "home_member.html", **context, iroj=kind == "iroj", **_meetings(network_id)
    )


def _membership(who: dict, network_id: str) -> dict:
    for m in who.get("memberships") or ():
        if str(m["network_id"]) == str(network_id):
            return {"id": str(network_id), "name": m.get("network_name"), "region": m.get("region")}
    return {"id": str(network_id), "name": None, "region": None}


def _panel(fetch, empty=None):
    """(answer, None) or (empty, the service's message): one panel's data."""
    try:
        answer = fetch()
    except VerbandError as exc:
        return empty, exc.message
    return (empty if answer is None else answer), None


# The panels of a home page are asked for at once, each from a thread of this pool (every
# thread keeps its own RPC proxy open, as the request threads do): the page then waits for
# the slowest service, not for the sum of them.
PANEL_THREADS = 32
_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _panel_pool() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:  # made in the serving process (gunicorn forks after import)
            _pool = ThreadPoolExecutor(PANEL_THREADS, thread_name_prefix="portal-panels")
        return _pool


def _panels(asks: dict) -> dict:
    """{panel: (service, method, args, empty)} -> {panel: (answer or empty, problem)}.

    The principal is resolved here first, so every call carries the request's actor and
    correlation id; the services check the actor as for any call."""
    auth.signed_in()
    rpc = current_app.extensions["rpc"]
    correlation_id, actor = g.get("correlation_id"), g.get("actor")
    futures = {
        key: _panel_pool().submit(
            rpc.call, service, method, *args, correlation_id=correlation_id, actor=actor
        )
        for key, (service, method, args, _) in asks.items()
    }
    return {key: _panel(futures[key].result, asks[key][3]) for key in asks}


def _meetings(network_id: str) -> dict:
    return _meetings_view(*_panel(lambda: call("meetings", "overview", network_id), {}))


def _meetings_view(overview: dict, problem: str | None) -> dict:
    mine = overview.get("mine") or {}
    return {
        "meetings": overview,
        "my_meetings": mine.get("meetings") or [],
        "my_actions": mine.get("actions") or [],
        "meetings_problem": problem,
    }


def _dashboard(network_id: str, roles: set[str]) -> dict:
    # Cases answers for its whole part of the page in one call (counts and, for the
    # coordinator, the one-month clocks); meetings at the same time. The network's targets
    # change rarely: partners' answer is kept a few seconds (readcache.py).
    settings, settings_problem = _panel(
        lambda: cached_call("partners", "get_network", network_id), {}
    )
    got = _panels(
        {
            "home": ("cases", "coordinator_home", (network_id,), {}),
            "meetings": ("meetings", "overview", (network_id,), {}),
        }
    )
    home, board_problem = got["home"]
    board = home.get("board") or {}
    # The cases themselves (ids, days, urgency; no names) only for whoever may open them;
    # cases answers them to the coordinator alone.
    clocks = (home.get("clocks") or {}) if "coordinator" in roles else {}
    targets = _targets((settings.get("settings") or {}).get("targets") or [], board)
    return {
        "board": board,
        "board_problem": board_problem,
        "clock_cases": sorted(
            [*(clocks.get("escalated") or []), *(clocks.get("warning") or [])],
            key=lambda c: -(c.get("days") or 0),
        )[:HOME_LIST_LIMIT],
        "clocks_problem": board_problem if "coordinator" in roles else None,
        "targets": targets,
        "targets_problem": settings_problem,
        "coordinator": "coordinator" in roles,
        **_meetings_view(*got["meetings"]),
    }


def _targets(targets: list[dict], board: dict) -> list[dict]:
    measured = board.get("trajectories") or {}
    rows = []
    for t in targets:
        measure = TARGET_MEASURES.get(t.get("code", ""))
        value = measured.get(measure) if measure else None
        goal = t.get("value") or 0
        rows.append(
            {
                "code": t.get("code"),
                "label": t.get("label") or t.get("code"),
                "goal": goal,
                "value": value,
                "percent": min(100, round(100 * value / goal))
                if value is not None and goal
                else None,
            }
        )
    return rows


def _partner(network_id: str, who: dict) -> dict:
    asks = {
        "cases": ("cases", "list_cases", (network_id, {}), []),
        "offers": ("partners", "list_offers", (network_id, {}), []),
        "meetings": ("meetings", "overview", (network_id,), {}),
    }
    if who.get("organisation_id"):
        asks["overdue"] = ("cases", "overdue_contacts", (network_id,), [])
    got = _panels(asks)
    cases, cases_problem = got["cases"]
    caseload = [c for c in cases if c.get("status") in OPEN_CASE_STATUSES]
    overdue, overdue_problem = got.get("overdue", ([], None))
    offers, offers_problem = got["offers"]
    own = str(who.get("organisation_id") or "")
    own_offers = [o for o in offers if own and str(o.get("organisation_id") or "") == own]
    own_offers = own_offers[:OWN_OFFER_LISTS]
    pages = _panels(
        {
            o["id"]: ("cases", "waiting_list", (o["id"], 5, 0, "Startpagina van de partner"), {})
            for o in own_offers
        }
    )
    lists = [
        {"offer": o, "page": pages[o["id"]][0], "problem": pages[o["id"]][1]} for o in own_offers
    ]
    return {
        "caseload": caseload[:20],
        "caseload_total": len(caseload),
        "cases_problem": cases_problem,
        "overdue": overdue[:HOME_LIST_LIMIT],
        "overdue_total": len(overdue),
        "overdue_problem": overdue_problem,
        "waiting_lists": lists,
        "offers_problem": offers_problem,
        **_meetings_view(*got["meetings"]),
    }


def _referrer(network_id: str) -> dict:
    got = _panels(
        {
            "cases": ("cases", "list_cases", (network_id, {}), []),
            "drafts": ("cases", "list_referral_drafts", (network_id,), []),
            "offers": ("partners", "search_region_offer", ({},), []),
        }
    )
    (cases, cases_problem), (drafts, drafts_problem) = got["cases"], got["drafts"]
    offers, offers_problem = got["offers"]
    offers = sorted(
        offers, key=lambda o: (o.get("status") != "active", -(o.get("free_places") or 0))
    )
    return {
        "referrals": cases[:20],
        "referrals_total": len(cases),
        "cases_problem": cases_problem,
        "drafts": drafts,
        "drafts_problem": drafts_problem,
        "region_offers": offers[:15],
        "region_offers_total": len(offers),
        "offers_problem": offers_problem,
    }


def _networks_home(current):
    """No network chosen (or none with a role): the networks, their offer and referrals."""
    try:
        networks = call("partners", "list_networks")
        for network in networks:
            network["offers"] = call("partners", "list_offers", network["id"], {})
            network["referrals"] = call("reporting", "referral_count", network["id"])["referrals"]
        problem = None
    except VerbandError as exc:
        networks, problem = [], exc.message
    return render_template(
        "home.html",
        networks=networks,
        problem=problem,
        offer_kinds=OFFER_KIND_LABELS,
        current=current,
    ), 503 if problem else 200


@bp.route("/netwerk", methods=["GET", "POST"])
def choose_network():
    """A person with roles in several networks works in one at a time, chosen here."""
    who = auth.signed_in()
    choices = [
        {**m, "role_labels": [ROLE_LABELS.get(r, r) for r in m.get("roles", [])]}
        for m in who.get("memberships") or []
    ]
    error = None
    target = request.values.get("volgende")
    if request.method == "POST":
        chosen = request.form.get("network_id", "")
        if any(str(m["network_id"]) == chosen for m in choices):
            session["network_id"] = chosen
            flash("Je werkt nu in " + _name_of(choices, chosen) + ".")
            return redirect(safe_next(target))
        error = "Kies een van je netwerken."
    return render_template(
        "network_choice.html",
        choices=choices,
        current=current_network_id(),
        error=error,
        target=target,
    ), 422 if error else 200


def _name_of(choices, network_id) -> str:
    for m in choices:
        if str(m["network_id"]) == network_id:
            return m.get("network_name") or "dit netwerk"
    return "dit netwerk"
