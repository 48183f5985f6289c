"""Portal pages on the network's directory, in the network chosen for this session.

Coordinators (and network admins) list and add organisations, people and their roles, and
offers; a partner worker updates the free places, status and start date of their own
organisation's offer (also on "Mijn aanbod"); a referrer searches the offer of the whole
region. Network management and a partner's own profile are in network_pages. Forms are
checked with the same schemas as the JSON API; a mistake is shown next to its field and the
form keeps what was typed.
"""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from marshmallow import ValidationError

from verband_common.errors import Forbidden, VerbandError
from verband_common.labels import (
    MEMBERSHIP_ROLE_LABELS,
    OFFER_KIND_LABELS,
    OFFER_STATUS_LABELS,
    SECTOR_LABELS,
)
from verband_common.roles import (
    NETWORK_MANAGERS,
    NETWORK_ROLES,
    OWN_ORGANISATION_KEEPERS,
    ROLE_LABELS,
)
from verband_common.schemas import partners as p
from verband_gateway import auth, call, municipalities
from verband_gateway.api.schemas import (
    InvitationInput,
    MembershipInput,
    OfferInput,
    OfferQuery,
    OfferUpdate,
    OrganisationInput,
    RoleInput,
)
from verband_gateway.form_input import be_date, whole_number
from verband_gateway.portal import current_network_id

bp = Blueprint("pages", __name__)

LINK_STATUS_LABELS = {
    "pending": "Wacht op antwoord",
    "accepted": "Aanvaard",
    "refused": "Geweigerd",
}


def _network(guest: bool = False) -> tuple[str, dict, set[str]]:
    """The chosen network, the principal and their roles there; no choice yet: choose first.

    A guest of one meeting (no role but `guest`) chose the network only to reach the meetings
    she is invited to: the meeting pages say `guest=True` (the meetings service decides per
    meeting); every other page refuses her as it refuses a role without rights there."""
    who = auth.signed_in()
    network_id = current_network_id()
    if network_id is None:
        raise _ChooseNetwork()
    roles = auth.roles_in(who, network_id)
    if roles and not roles & NETWORK_ROLES and not guest:
        raise Forbidden(
            "Als gast zie je in dit netwerk alleen de vergaderingen waarop je bent uitgenodigd."
        )
    return network_id, who, roles


class _ChooseNetwork(Exception):
    pass


@bp.errorhandler(_ChooseNetwork)
def _choose(_exc):
    flash("Kies eerst het netwerk waarin je werkt.")
    return redirect(url_for("portal.choose_network", volgende=request.path))


def _field_errors(messages) -> dict[str, str]:
    """Dotted field messages (marshmallow's or the service's) as {form field: Dutch text}:
    "municipalities.2" belongs to the municipalities input, "contact.email" to contact_email."""
    flat: dict[str, str] = {}
    for key, value in (messages or {}).items():
        parts = key.split(".")
        name = "_".join(parts[:2]) if parts[0] == "contact" and len(parts) > 1 else parts[0]
        text = " ".join(value) if isinstance(value, list) else str(value)
        flat[name] = f"{flat[name]} {text}" if name in flat else text
    return flat


def _flatten(err: ValidationError) -> dict[str, str]:
    from verband_common.errors import flatten_messages

    return _field_errors(flatten_messages(err.messages))


def _unchosen(errors: dict, form: dict, messages: dict[str, str]) -> dict:
    """A select left on "Kies…" gets a plain request instead of the list of codes."""
    for name, message in messages.items():
        if name in errors and not form.get(name):
            errors[name] = message
    return errors


def _list(raw: str) -> list[str]:
    return [part.strip() for part in raw.replace(";", ",").split(",") if part.strip()]


def _may_edit(roles: set[str], who: dict) -> bool:
    return bool(roles.intersection(NETWORK_MANAGERS)) or auth.is_platform_admin(who)


# --- organisations -------------------------------------------------------------------------


@bp.route("/organisaties", methods=["GET", "POST"])
def organisations():
    network_id, who, roles = _network()
    editor = _may_edit(roles, who)
    form, errors, problem, status, exists = {}, {}, None, 200, False
    if request.method == "POST":
        if not editor:
            raise Forbidden("Alleen een coördinator of netwerkbeheerder voegt partners toe.")
        form = request.form.to_dict()
        errors, problem, exists = _add_organisation(network_id, form)
        if not errors and not problem:
            flash(f"{form['name']} is toegevoegd als partner.")
            return redirect(url_for("pages.organisations"))
        status = 409 if exists else 422
    rows, load_problem = _try(lambda: call("partners", "list_organisations", network_id))
    return render_template(
        "organisations.html",
        organisations=rows or [],
        editor=editor,
        form=form,
        errors=errors,
        problem=problem or load_problem,
        exists=exists,
        link_requests=(
            _try(lambda: call("partners", "list_link_requests", network_id))[0] or []
            if editor
            else []
        ),
        link_statuses=LINK_STATUS_LABELS,
        sectors=SECTOR_LABELS,
        membership_roles=MEMBERSHIP_ROLE_LABELS,
    ), status


def _add_organisation(network_id: str, form: dict) -> tuple[dict, str | None, bool]:
    """(field errors, problem, whether the organisation exists on the platform already: then
    the page offers to ask it for a link)."""
    places, unknown = municipalities.codes(form.get("municipalities", ""))
    organisation = {
        "name": form.get("name", "").strip(),
        "kbo": form.get("kbo", "").strip(),
        "sector": form.get("sector", ""),
        "municipalities": places,
        "contact": {
            k: v
            for k, v in (
                ("email", form.get("contact_email", "").strip()),
                ("phone", form.get("contact_phone", "").strip()),
            )
            if v
        },
    }
    membership = {
        "role": form.get("membership_role", ""),
        "starts_on": be_date(form.get("starts_on")) or "",
    }
    errors = {}
    try:
        organisation = OrganisationInput().load(organisation)
    except ValidationError as err:
        errors.update(_flatten(err))
    try:
        MembershipInput(exclude=("organisation_id",)).load(membership)
    except ValidationError as err:
        renamed = {"role": "membership_role"}
        errors.update({renamed.get(k, k): v for k, v in _flatten(err).items()})
    if errors:
        municipalities.explain(errors, unknown)
        return (
            _unchosen(
                errors, form, {"sector": "Kies een sector.", "membership_role": "Kies een rol."}
            ),
            None,
            False,
        )
    try:
        created = call(
            "partners",
            "create_organisation",
            {**OrganisationInput().dump(organisation), "network_id": network_id},
        )
        call(
            "partners",
            "add_membership",
            network_id,
            {**membership, "organisation_id": created["id"]},
        )
    except VerbandError as exc:
        return _field_errors(exc.fields), exc.message, exc.http_status == 409
    return {}, None, False


# --- people and roles ----------------------------------------------------------------------


@bp.route("/personen", methods=["GET", "POST"])
def people():
    network_id, who, roles = _network()
    editor = _may_edit(roles, who)
    form, errors, problem, status = {}, {}, None, 200
    if request.method == "POST":
        if not editor:
            raise Forbidden("Alleen een coördinator of netwerkbeheerder beheert personen.")
        form = request.form.to_dict()
        action = form.get("action")
        errors, problem = (
            _grant_role(network_id, form) if action == "role" else _invite(network_id, form)
        )
        if not errors and not problem:
            flash("Uitgenodigd." if action != "role" else "Opgeslagen.")
            return redirect(url_for("pages.people"))
        status = 422
    people_rows, load_problem = _try(lambda: call("partners", "list_people", network_id))
    organisations, invitations = [], []
    if editor:
        organisations, _ = _try(lambda: call("partners", "list_organisations", network_id))
        invitations, _ = _try(lambda: call("partners", "list_invitations", network_id))
    return render_template(
        "people.html",
        people=people_rows or [],
        organisations=organisations or [],
        invitations=invitations or [],
        trail="network_admin" in roles or bool(who.get("platform_admin")),
        editor=editor,
        form=form,
        errors=errors,
        problem=problem or load_problem,
        role_labels=ROLE_LABELS,
    ), status


def _invite(network_id: str, form: dict) -> tuple[dict, str | None]:
    from verband_gateway.api.identity import send_invitation_mail

    data = {"name": form.get("name", "").strip(), "email": form.get("email", "").strip()}
    if form.get("organisation_id"):
        data["organisation_id"] = form["organisation_id"]
    if form.get("role"):
        data["roles"] = [form["role"]]
    try:
        data = InvitationInput().load(data)
    except ValidationError as err:
        return _role_field(_flatten(err)), None
    try:
        sent = call("partners", "invite_person", network_id, InvitationInput().dump(data))
    except VerbandError as exc:
        return _role_field(_field_errors(exc.fields)), exc.message
    send_invitation_mail(sent)
    return {}, None


def _role_field(errors: dict) -> dict:
    # The invitation's roles are one choice on the form, named "role".
    if "roles" in errors:
        errors["role"] = errors.pop("roles")
    return errors


def _grant_role(network_id: str, form: dict) -> tuple[dict, str | None]:
    errors = {}
    if not form.get("person_id"):
        errors["person_id"] = "Kies een persoon."
    try:
        RoleInput().load({"role": form.get("role", "")})
    except ValidationError as err:
        errors.update(_flatten(err))
    if errors:
        return _unchosen(errors, form, {"role": "Kies een rol."}), None
    try:
        call("partners", "grant_role", network_id, form["person_id"], form["role"])
    except VerbandError as exc:
        return _field_errors(exc.fields), exc.message
    auth.forget_all()
    return {}, None


# --- identity audit trail --------------------------------------------------------------------

TRAIL_LABELS = {
    "invitation_sent": "Uitnodiging verstuurd",
    "invitation_accepted": "Uitnodiging aanvaard",
    "invitation_withdrawn": "Uitnodiging ingetrokken",
    "role_granted": "Rol toegekend",
    "role_revoked": "Rol ingetrokken",
    "password_changed": "Wachtwoord gewijzigd",
    "password_reset_requested": "Wachtwoordherstel gevraagd",
    "password_reset": "Wachtwoord hersteld",
    "signed_in": "Aangemeld",
    "sign_in_failed": "Mislukte aanmelding",
    "token_issued": "API-sleutel uitgegeven",
    "token_revoked": "API-sleutel ingetrokken",
}


@bp.get("/netwerk/spoor")
def identity_trail():
    """The network admin's view of the identity audit trail of the chosen network."""
    network_id, who, roles = _network()
    if "network_admin" not in roles and not who.get("platform_admin"):
        raise Forbidden("Alleen een netwerkbeheerder ziet het spoor van aanmeldingen en rollen.")
    query = {}
    before = request.args.get("voor", "")
    if before.isdigit() and 0 < len(before) < 19:
        query["before"] = int(before)
    events, problem = _try(lambda: call("partners", "identity_trail", network_id, query))
    people, _ = _try(lambda: call("partners", "list_people", network_id))
    names = {str(p["id"]): p["name"] for p in people or []}
    return render_template(
        "identity_trail.html",
        events=events or [],
        names=names,
        labels=TRAIL_LABELS,
        role_labels=ROLE_LABELS,
        problem=problem,
    )


# --- offer ---------------------------------------------------------------------------------


@bp.route("/aanbod", methods=["GET", "POST"])
def offers():
    network_id, who, roles = _network()
    editor = _may_edit(roles, who)
    form, errors, problem, status = {}, {}, None, 200
    if request.method == "POST":
        if not editor:
            raise Forbidden("Alleen een coördinator of netwerkbeheerder publiceert aanbod.")
        form = request.form.to_dict()
        errors, problem = _publish_offer(network_id, form)
        if not errors and not problem:
            flash(f"{form['title']} is gepubliceerd.")
            return redirect(url_for("pages.offers"))
        status = 422
    return _offers_page(
        network_id, who, roles, form=form, errors=errors, problem=problem, status=status
    )


@bp.get("/mijn-aanbod")
def own_offers():
    """A partner worker's own organisation's offer, to keep free places and start date current."""
    network_id, who, roles = _network()
    if not roles & OWN_ORGANISATION_KEEPERS or not who.get("organisation_id"):
        raise Forbidden("Deze pagina is voor medewerkers van een partnerorganisatie.")
    return _offers_page(network_id, who, roles, own_only=True)


def _offers_page(
    network_id,
    who,
    roles,
    *,
    own_only=False,
    form=None,
    errors=None,
    problem=None,
    place_form=None,
    place_errors=None,
    status=200,
):
    """The offer list (all of the network's, or the partner's own) with the update forms."""
    editor = _may_edit(roles, who)
    rows, load_problem = _try(lambda: call("partners", "list_offers", network_id, {}))
    own = str(who.get("organisation_id") or "")
    rows = rows or []
    if own_only:
        rows = [row for row in rows if str(row.get("organisation_id") or "") == own]
    organisations = []
    if editor and not own_only:
        organisations, _ = _try(lambda: call("partners", "list_organisations", network_id))
    return render_template(
        "offers.html",
        offers=rows,
        organisations=organisations or [],
        editor=editor,
        own_only=own_only,
        own_organisation=own,
        partner_worker=bool(roles & OWN_ORGANISATION_KEEPERS),
        form=form or {},
        errors=errors or {},
        place_form=place_form or {},
        place_errors=place_errors or {},
        problem=problem or load_problem,
        offer_kinds=OFFER_KIND_LABELS,
        statuses=OFFER_STATUS_LABELS,
    ), status


def _publish_offer(network_id: str, form: dict) -> tuple[dict, str | None]:
    places, unknown = municipalities.codes(form.get("municipalities", ""))
    data = {
        "organisation_id": form.get("organisation_id", ""),
        "title": form.get("title", "").strip(),
        "kind": form.get("kind", ""),
        "municipalities": places,
        "capacity": whole_number(form.get("capacity")),
        "free_places": whole_number(form.get("free_places")),
    }
    ages = (whole_number(form.get("age_min")), whole_number(form.get("age_max")))
    if ages != (None, None):
        data["target_ages"] = {
            "min": ages[0] or 0,
            "max": p.MAX_AGE if ages[1] is None else ages[1],
        }
    try:
        data = OfferInput().load(data)
    except ValidationError as err:
        errors = municipalities.explain(_flatten(err), unknown)
        if "target_ages" in errors:
            errors["age_min"] = errors.pop("target_ages")
        return _unchosen(
            errors,
            form,
            {"organisation_id": "Kies een organisatie.", "kind": "Kies een soort aanbod."},
        ), None
    try:
        call("partners", "publish_offer", network_id, OfferInput().dump(data))
    except VerbandError as exc:
        return _field_errors(exc.fields), exc.message
    return {}, None


@bp.post("/aanbod/<uuid:offer_id>/plaatsen")
def update_places(offer_id):
    """Free places, status and start date of an offer (a partner worker: their own).

    A mistake shows the list again with the message next to the offer's field."""
    network_id, who, roles = _network()
    form = request.form.to_dict()
    own_page = form.get("terug") == "mijn"
    data = {"free_places": whole_number(form.get("free_places")), "status": form.get("status", "")}
    if form.get("can_start_from", "").strip():
        data["can_start_from"] = be_date(form["can_start_from"])
    errors, problem, status = {}, None, 422
    try:
        data = OfferUpdate().load(data)
        call("partners", "update_offer", str(offer_id), OfferUpdate().dump(data))
    except ValidationError as err:
        errors, problem = _flatten(err), "Niet opgeslagen; zie het aanbod hieronder."
    except VerbandError as exc:
        errors, problem = _field_errors(exc.fields), "Niet opgeslagen: " + exc.message
        status = exc.http_status
    if errors or problem:
        return _offers_page(
            network_id,
            who,
            roles,
            own_only=own_page,
            problem=problem,
            place_form={str(offer_id): form},
            place_errors={str(offer_id): errors},
            status=status,
        )
    flash("De vrije plaatsen zijn bijgewerkt.")
    return redirect(url_for("pages.own_offers" if own_page else "pages.offers"), code=303)


@bp.get("/aanbod/zoeken")
def search_offer():
    """For referrers: the offer of every network in their region, filtered."""
    auth.signed_in()
    form = {k: v for k, v in request.args.items() if v != ""}
    errors, results, problem, searched = {}, [], None, bool(form)
    if searched:
        query = {k: v for k, v in form.items() if k in OfferQuery().fields}
        unknown = []
        if query.get("municipality"):
            # One municipality, by name, postcode or NIS code.
            (query["municipality"], *_), unknown = municipalities.codes(query["municipality"])
        try:
            filters = OfferQuery().load(query)
            results = call("partners", "search_region_offer", OfferQuery().dump(filters))
        except ValidationError as err:
            errors = municipalities.explain(_flatten(err), unknown, "municipality")
        except VerbandError as exc:
            problem = exc.message
    return render_template(
        "offer_search.html",
        form=form,
        errors=errors,
        results=results,
        problem=problem,
        searched=searched,
        offer_kinds=OFFER_KIND_LABELS,
    ), 422 if errors else 200


def _try(fetch):
    try:
        return fetch(), None
    except VerbandError as exc:
        return None, exc.message
