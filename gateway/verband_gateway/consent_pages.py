"""Portal pages on an organisation's consent and on API tokens, in the chosen network.

A coordinator or network admin whose new partner turns out to exist on the platform already
asks it for a link; the organisation's own admins (and the platform admin) accept or refuse
on "Koppelingsverzoeken". Anyone with a role issues API tokens within what they hold, sees
each one's expiry and state, and revokes them (the network admin: every token of the
network). The pages live on the `pages` blueprint and work as its pages do.
"""

import datetime as dt

from flask import flash, redirect, render_template, request, url_for
from marshmallow import ValidationError

from verband_common.dutch import BRUSSELS
from verband_common.errors import Forbidden, ValidationFailed, VerbandError
from verband_common.labels import MEMBERSHIP_ROLE_LABELS
from verband_common.roles import ROLE_LABELS, ROLES
from verband_gateway import auth, call
from verband_gateway.api.schemas import ApiTokenInput, LinkDecision, LinkRequestInput
from verband_gateway.form_input import be_date
from verband_gateway.pages import (
    LINK_STATUS_LABELS,
    _field_errors,
    _flatten,
    _may_edit,
    _network,
    _try,
    bp,
)

TOKEN_STATE_LABELS = {
    "active": "Geldig",
    "expired": "Verlopen",
    "revoked": "Ingetrokken",
    "issuer_lost_role": "Ongeldig: de uitgever heeft de rol niet meer",
}


# --- asking an organisation for a link -----------------------------------------------------


@bp.post("/organisaties/koppeling")
def request_link():
    """The network asks the organisation with this KBO number to become its partner."""
    network_id, who, roles = _network()
    if not _may_edit(roles, who):
        raise Forbidden("Alleen een coördinator of netwerkbeheerder vraagt een koppeling aan.")
    form = request.form.to_dict()
    data = {
        "kbo": form.get("kbo", "").strip(),
        "role": form.get("membership_role", ""),
        "starts_on": be_date(form.get("starts_on")) or "",
        "message": form.get("message", "").strip(),
    }
    try:
        data = LinkRequestInput().load(data)
        call("partners", "request_organisation_link", network_id, LinkRequestInput().dump(data))
    except ValidationError as err:
        flash("Het verzoek is niet verstuurd: " + "; ".join(_flatten(err).values()))
        return redirect(url_for("pages.organisations"), code=303)
    except VerbandError as exc:
        if exc.http_status in (401, 403, 404):
            raise
        flash("Het verzoek is niet verstuurd: " + exc.message)
        return redirect(url_for("pages.organisations"), code=303)
    flash("Het verzoek is verstuurd. De beheerders van de organisatie aanvaarden of weigeren.")
    return redirect(url_for("pages.organisations"), code=303)


# --- deciding as the organisation ----------------------------------------------------------


@bp.route("/koppelingsverzoeken", methods=["GET"])
def link_requests():
    """The requests to the organisations one is an admin of (the platform admin: all)."""
    who = auth.signed_in()
    rows, problem = _try(lambda: call("partners", "organisation_link_requests"))
    return render_template(
        "link_requests.html",
        requests=rows or [],
        problem=problem,
        statuses=LINK_STATUS_LABELS,
        membership_roles=MEMBERSHIP_ROLE_LABELS,
        admin=auth.is_platform_admin(who),
    )


@bp.post("/koppelingsverzoeken/<uuid:request_id>")
def decide_link(request_id):
    auth.signed_in()
    try:
        decision = LinkDecision().load({"decision": request.form.get("decision", "")})
    except ValidationError as err:
        raise ValidationFailed("Kies aanvaarden of weigeren.", _flatten(err)) from err
    try:
        decided = call(
            "partners", "decide_organisation_link", str(request_id), decision["decision"]
        )
    except VerbandError as exc:
        if exc.http_status != 409:
            raise
        flash(exc.message)
        return redirect(url_for("pages.link_requests"), code=303)
    verb = "aanvaard" if decided["status"] == "accepted" else "geweigerd"
    flash(f"Het verzoek van {decided['network_name']} is {verb}.")
    return redirect(url_for("pages.link_requests"), code=303)


# --- API tokens ----------------------------------------------------------------------------


def _issuable(roles: set[str], who: dict) -> dict:
    """The roles this person may put on a token here, as labels (the service checks again)."""
    if "network_admin" in roles or auth.is_platform_admin(who):
        allowed = ROLES
    else:
        allowed = [r for r in ROLES if r in roles]
    return {r: ROLE_LABELS[r] for r in allowed}


def _expires_at(raw: str):
    """ "Vervalt op" (a date) as the start of that day in Brussels; empty: the longest."""
    day = be_date(raw)
    if not day:
        return None
    try:
        date = dt.date.fromisoformat(day)
    except ValueError:
        return day  # the schema names the mistake
    return dt.datetime.combine(date, dt.time(0, 0), tzinfo=BRUSSELS).isoformat()


@bp.route("/api-sleutels", methods=["GET", "POST"])
def api_tokens():
    network_id, who, roles = _network()
    if not roles and not auth.is_platform_admin(who):
        raise Forbidden("Je hebt geen rol in dit netwerk.")
    form, errors, problem, issued, status = {}, {}, None, None, 200
    if request.method == "POST":
        form = request.form.to_dict()
        data = {"role": form.get("role", ""), "label": form.get("label", "").strip()}
        expires_at = _expires_at(form.get("expires_on", ""))
        if expires_at:
            data["expires_at"] = expires_at
        try:
            data = ApiTokenInput().load(data)
            issued = call(
                "partners",
                "issue_api_token",
                network_id,
                data["role"],
                data["label"],
                data["expires_at"].isoformat() if data.get("expires_at") else None,
            )
            form = {}
        except ValidationError as err:
            errors, status = _flatten(err), 422
        except VerbandError as exc:
            if exc.http_status in (401, 404):
                raise
            errors, problem, status = _field_errors(exc.fields), exc.message, exc.http_status
        if "expires_at" in errors:
            errors["expires_on"] = errors.pop("expires_at")
    rows, load_problem = _try(lambda: call("partners", "list_api_tokens", network_id))
    return render_template(
        "api_tokens.html",
        tokens=rows or [],
        issued=issued,
        form=form,
        errors=errors,
        problem=problem or load_problem,
        roles=_issuable(roles, who),
        role_labels=ROLE_LABELS,
        states=TOKEN_STATE_LABELS,
    ), status


@bp.post("/api-sleutels/<uuid:token_id>/intrekken")
def revoke_api_token(token_id):
    _network()
    call("partners", "revoke_api_token", str(token_id))
    auth.forget_all()
    flash("De API-sleutel is ingetrokken.")
    return redirect(url_for("pages.api_tokens"), code=303)
