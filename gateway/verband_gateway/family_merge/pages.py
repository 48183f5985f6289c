"""The families page's merge forms (the coordinator): "Samenvoegen" on a pair of likely
duplicate records, "Bevestigen" and "Ongedaan maken" on an open merge. Each is a POST with the
session's CSRF token; success returns to the families page with a notice, a mistake in the
form shows it again next to its field (422)."""

from flask import Blueprint, flash, redirect, render_template, request, url_for

from verband_common.errors import Forbidden, VerbandError
from verband_common.roles import CASE_COORDINATORS
from verband_common.schemas import cases as c
from verband_gateway import call
from verband_gateway.case_pages import _choose, _first, _submit
from verband_gateway.pages import _ChooseNetwork, _network

bp = Blueprint("family_merge_pages", __name__, template_folder="templates")
# No network chosen in the session yet: choose one first, as on the families page itself.
bp.errorhandler(_ChooseNetwork)(_choose)

NOT_YOURS = "Alleen de coördinator voegt dossiers van een gezin samen."


def _coordinator() -> str:
    network_id, _who, roles = _network()
    if not roles.intersection(CASE_COORDINATORS):
        raise Forbidden(NOT_YOURS)
    return network_id


@bp.post("/gezinnen/samenvoegen")
def propose():
    network_id = _coordinator()
    form = {k: request.form.get(k, "").strip() for k in ("family_ids", "keep_family_id", "reason")}
    # The pair the form was made for; the coordinator chose which record stays.
    pair = [f for f in form["family_ids"].split(",") if f][:2]
    keep = form["keep_family_id"]
    data = {
        "keep_family_id": keep,
        "merge_family_id": next((f for f in pair if f != keep), ""),
        "reason": form["reason"],
    }
    errors, problem, done = _submit(
        c.FamilyMergeInput(),
        data,
        _first,
        lambda p: call("cases", "propose_family_merge", network_id, p),
    )
    if done is not None:
        flash(
            "De dossiers zijn samengevoegd. Kijk het gezin na en bevestig de samenvoeging, "
            "of maak ze ongedaan."
        )
        return redirect(url_for("case_pages.families"), 303)
    return render_template(
        "family_merge/propose.html", form=form, pair=pair, errors=errors, problem=problem
    ), 422


def _decide(method: str, merge_id, notice: str):
    network_id = _coordinator()
    try:
        call("cases", method, str(merge_id), network_id)
        flash(notice)
    except VerbandError as exc:
        if exc.http_status in (401, 403):
            raise
        flash(exc.message)
    return redirect(url_for("case_pages.families"), 303)


@bp.post("/gezinnen/samenvoegingen/<uuid:merge_id>/bevestigen")
def confirm(merge_id):
    return _decide(
        "confirm_family_merge", merge_id, "De samenvoeging is bevestigd: ze is nu definitief."
    )


@bp.post("/gezinnen/samenvoegingen/<uuid:merge_id>/ongedaan-maken")
def undo(merge_id):
    return _decide(
        "undo_family_merge",
        merge_id,
        "De samenvoeging is ongedaan gemaakt: beide dossiers zijn weer zoals voordien.",
    )
