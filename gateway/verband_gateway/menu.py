"""The portal's main menu, grouped by task: families, the network, one's own organisation,
meetings, follow-up and administration. An entry shows only to whom the menu's flags (by
the roles in the chosen network, `network_pages.navigation`) name; a group without entries
is left out; the page being shown is marked (aria-current) so a person knows where she is.

One home for the menu: the header draws what this module builds."""

from flask import current_app, request, url_for

# (group, ((label, endpoint, flag), ...)); flag None: anyone signed in.
MENU = (
    (
        "Gezinnen",
        (
            ("Gezin aanmelden", "case_pages.refer", "cases"),
            ("Mijn aanmeldingen", "case_pages.my_referrals", "cases"),
            ("Wachtlijst", "case_pages.waiting_list", "case_work"),
            ("Caseload", "case_pages.caseload", "case_work"),
            ("Gezinnen zoeken", "case_pages.families", "families"),
            ("Toegangslogboek", "case_pages.audit_log", "audit"),
        ),
    ),
    (
        "Netwerk",
        (
            ("Partners", "pages.organisations", "network"),
            ("Personen", "pages.people", "network"),
            ("Aanbod", "pages.offers", "network"),
            ("Aanbod zoeken", "pages.search_offer", "network"),
            ("Werkgroepen", "pages.task_groups", "network"),
            ("Afspraken", "pages.agreements", "agreements"),
            ("Lacunes", "pages.gaps", "editor"),
            ("Kennisbank", "knowledge_pages.library", "knowledge"),
            ("Vorming", "knowledge_pages.trainings", "knowledge"),
        ),
    ),
    (
        "Mijn organisatie",
        (
            ("Profiel", "pages.own_organisation", "partner"),
            ("Mijn aanbod", "pages.own_offers", "partner"),
        ),
    ),
    (
        "Overleg",
        (
            ("Overlegorganen", "meeting_pages.bodies", "meetings"),
            ("Mijn vergaderingen", "meeting_pages.my_meetings", "my_meetings"),
            ("Mijn acties", "meeting_pages.my_actions", "meetings"),
        ),
    ),
    (
        "Opvolging",
        (
            ("Monitoring", "report_pages.dashboard", "reports"),
            ("Rapporten", "report_pages.reports", "reports"),
            ("IROJ", "report_pages.iroj", "iroj"),
            ("Terugkoppeling IROJ", "voice_pages.report_backs", "reports"),
        ),
    ),
    (
        "Beheer",
        (
            ("Instellingen", "pages.network_settings", "editor"),
            ("Import en export", "pages.import_csv", "editor"),
            ("API-sleutels", "pages.api_tokens", "tokens"),
            ("Koppelingsverzoeken", "pages.link_requests", "link_requests"),
        ),
    ),
)


def build(flags: dict) -> list[dict]:
    """The groups and entries for one reader: [{label, entries: [{label, href, current}]}]."""
    here = request.endpoint
    groups = []
    for label, entries in MENU:
        shown = [
            {"label": text, "href": url_for(endpoint), "current": endpoint == here}
            for text, endpoint, flag in entries
            if (flag is None or flags.get(flag)) and endpoint in current_app.view_functions
        ]
        if shown:
            groups.append({"label": label, "entries": shown})
    return groups
