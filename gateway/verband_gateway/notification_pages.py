"""The portal's notifications: the page "Meldingen" (the inbox, mark read, the mail
preference), and on every page the unread count in the header and a banner while a crisis
notification is unread, so a coordinator is warned on whatever page she is.

The header's data is one RPC (partners.unread_count), made at most once per request and only
for a person already signed in on that request; a page never fails for its header.
"""

import logging
import re

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from marshmallow import ValidationError

from verband_common.errors import VerbandError
from verband_common.labels import MAIL_PREFERENCE_LABELS, NOTIFICATION_KIND_LABELS
from verband_common.schemas import partners as p
from verband_gateway import auth, call
from verband_gateway.pages import _flatten, _try

log = logging.getLogger(__name__)

bp = Blueprint("notification_pages", __name__)

PAGE_SIZE = 30
# Where "Bekijk" may lead after marking read: a page of this portal (a notification's link),
# never an address elsewhere.
OWN_PAGE = re.compile(r"/[a-z0-9/-]*(#[a-z0-9-]+)?")


@bp.app_context_processor
def header_notifications():
    """The unread count and the unread crisis notification for the header (or nothing)."""
    return {"notices": _header()}


def _header() -> dict | None:
    if "notices" in g:
        return g.notices
    g.notices = None
    who = g.get("principal")
    if who and who.get("person_id"):
        try:
            g.notices = p.UnreadCount().load(call("partners", "unread_count"))
        except (VerbandError, ValidationError, TypeError) as exc:
            # The page itself still shows: only its header lacks the count.
            log.warning("no notification count for the header", extra={"error": repr(exc)})
    return g.notices


@bp.get("/meldingen")
def inbox():
    auth.signed_in()
    before = request.args.get("voor") or None
    try:
        query = p.NotificationQuery().load({"limit": PAGE_SIZE, "before": before})
    except ValidationError:
        return redirect(url_for("notification_pages.inbox"), code=303)
    page, problem = _try(
        lambda: call(
            "partners",
            "my_notifications",
            query["limit"],
            query["before"].isoformat() if query["before"] else None,
        )
    )
    preference, _ = _try(lambda: call("partners", "notification_preferences"))
    rows = (page or {}).get("notifications", [])
    return render_template(
        "notifications.html",
        notifications=rows,
        unread=(page or {}).get("unread", 0),
        problem=problem,
        kinds=NOTIFICATION_KIND_LABELS,
        preferences=MAIL_PREFERENCE_LABELS,
        preference=(preference or {}).get("mail"),
        older=rows[-1]["created_at"] if len(rows) == PAGE_SIZE else None,
    )


@bp.post("/meldingen/gelezen")
def mark_read():
    auth.signed_in()
    form = request.form
    data = {"ids": form.getlist("id"), "all": form.get("alle") == "1"}
    try:
        data = p.MarkRead().load(data)
    except ValidationError as err:
        flash("Niets gemarkeerd: " + "; ".join(_flatten(err).values()))
        return redirect(url_for("notification_pages.inbox"), code=303)
    marked = call("partners", "mark_notifications_read", p.MarkRead().dump(data))
    flash(
        "Gemarkeerd als gelezen." if marked["marked"] else "Er was niets ongelezen om te markeren."
    )
    target = request.form.get("naar")
    if target and OWN_PAGE.fullmatch(target) and not target.startswith("//"):
        return redirect(target, code=303)
    return redirect(url_for("notification_pages.inbox"), code=303)


@bp.post("/meldingen/voorkeur")
def set_preference():
    auth.signed_in()
    try:
        data = p.NotificationPreferences().load({"mail": request.form.get("mail", "")})
    except ValidationError as err:
        flash("Niet opgeslagen: " + "; ".join(_flatten(err).values()))
        return redirect(url_for("notification_pages.inbox"), code=303)
    call("partners", "set_notification_preferences", data)
    flash("Je voorkeur is opgeslagen.")
    return redirect(url_for("notification_pages.inbox"), code=303)
