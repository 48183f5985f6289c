"""Who is told what, when cases reports something: pure rules, no database.

`notices(event_type, event, facts)` answers the notices an event gives, each for an
audience that the service resolves against its directory:
- ("coordinators",): every coordinator of the event's network;
- ("person", person_id): one person (the referrer);
- ("workers", organisation_id): the case workers of one organisation in the network.

A notice says what happened and links to the case page, where the cases service's access
rule decides what the reader sees: it never names a family (the events carry no name). The
referrer's notices link to her follow-up instead: the case page itself is for the family's
workers, and would only refuse her.
"""

from dataclasses import dataclass

from verband_common.labels import DECISION_OUTCOME_LABELS, TRIAGE_DECISION_LABELS
from verband_common.notifications import (
    DEFAULT_MAIL_PREFERENCE,
    MAIL_PREFERENCES,
    URGENT_KINDS,
)

COORDINATORS = ("coordinators",)


@dataclass(frozen=True)
class Notice:
    audience: tuple
    kind: str
    title: str
    body: str
    link: str

    @property
    def urgent(self) -> bool:
        return self.kind in URGENT_KINDS


def case_link(referral_id) -> str:
    return f"/dossiers/{referral_id}"


def follow_up_link(referral_id) -> str:
    """The referral's panel on the referrer's follow-up page."""
    return f"/mijn-aanmeldingen#aanmelding-{referral_id}"


def notices(event_type: str, event: dict, facts: dict) -> list[Notice]:
    """The notices of one cases event. `facts`: what the directory adds, `network_name` and,
    for a waiting-list entry or a warm contact due, `offer_title` and `organisation_id` of the
    offer."""
    network = facts.get("network_name") or "je netwerk"
    referral = event.get("referral_id")
    link = case_link(referral) if referral else "/"
    follow_up = follow_up_link(referral) if referral else "/mijn-aanmeldingen"
    referrer = event.get("referrer_id")
    told: list[Notice] = []
    if event_type == "crisis_alert_raised":
        told.append(
            Notice(
                COORDINATORS,
                "crisis_referral",
                f"Nieuwe crisisaanmelding in {network}",
                "Er werd een dringende en gevaarlijke situatie aangemeld. Handel meteen, volgens"
                " de afspraken met het crisismeldpunt.",
                link,
            )
        )
    elif event_type == "referral_received":
        # A crisis referral is told once, by its crisis alert.
        if not event.get("crisis_alert"):
            told.append(
                Notice(
                    COORDINATORS,
                    "new_referral",
                    f"Nieuwe aanmelding in {network}",
                    "Er kwam een nieuwe aanmelding binnen die op triage wacht.",
                    link,
                )
            )
    elif event_type == "referral_triaged" and referrer:
        decision = TRIAGE_DECISION_LABELS.get(event["decision"], event["decision"])
        told.append(
            Notice(
                ("person", str(referrer)),
                "referral_triaged",
                f"Je aanmelding in {network} is getrieerd",
                f"Beslissing: {decision}.",
                follow_up,
            )
        )
    elif event_type == "trajectory_started" and referrer:
        again = event.get("reopened")
        told.append(
            Notice(
                ("person", str(referrer)),
                "help_started",
                f"De hulp voor je aanmelding in {network} is "
                + ("opnieuw gestart" if again else "gestart"),
                f"Startdatum: {_date(event['started_on'])}.",
                follow_up,
            )
        )
    elif event_type == "referral_answered":
        accepted = event["answer"] == "accepted"
        if referrer:
            told.append(
                Notice(
                    ("person", str(referrer)),
                    "referral_answered",
                    f"Antwoord op je aanmelding in {network}",
                    (
                        "Een aanbieder aanvaardde de aanmelding"
                        + (
                            f", met start op {_date(event['starts_on'])}."
                            if event["starts_on"]
                            else "."
                        )
                    )
                    if accepted
                    else "Een aanbieder wees de aanmelding terug.",
                    follow_up,
                )
            )
        if not accepted:
            told.append(
                Notice(
                    COORDINATORS,
                    "referral_declined",
                    f"Aanmelding teruggewezen in {network}",
                    "Een aanbieder wees een aanmelding terug; bekijk of het gezin verder"
                    " geholpen is.",
                    link,
                )
            )
    elif event_type == "waiting_list_entry_added" and facts.get("organisation_id"):
        offer = facts.get("offer_title") or "jullie aanbod"
        told.append(
            Notice(
                ("workers", str(facts["organisation_id"])),
                "waiting_list_added",
                f"Nieuw op de wachtlijst van {offer}",
                f"Een gezin werd in {network} op de wachtlijst van {offer} gezet.",
                link,
            )
        )
    else:
        told += _timed(event_type, event, facts, network, link)
    return told


# -- notices that time passing raises (issue 14): cases' sweep says what is due and when -----
# Told to those who can act on it: the offer's workers call the waiting family, the
# coordinators pick up the referral, the responsible partner does its plan action.


def _timed(event_type: str, event: dict, facts: dict, network: str, link: str) -> list[Notice]:
    passed = event.get("stage") == "passed"
    due = _date(event.get("due_on"))
    if event_type == "warm_contact_due" and facts.get("organisation_id"):
        offer = facts.get("offer_title") or "jullie aanbod"
        return [
            Notice(
                ("workers", str(facts["organisation_id"])),
                "warm_contact_due",
                (f"Warm contact te laat: {offer}" if passed else f"Warm contact nodig: {offer}"),
                f"Een gezin op de wachtlijst van {offer} in {network} "
                + (
                    f"had tegen {due} opnieuw warm contact moeten krijgen."
                    if passed
                    else f"verwacht tegen {due} opnieuw warm contact."
                ),
                link,
            )
        ]
    if event_type == "pickup_guideline_due":
        received = _date(event.get("received_on"))
        return [
            Notice(
                COORDINATORS,
                "pickup_guideline_due",
                (
                    f"Aanmelding over de termijn van een maand in {network}"
                    if passed
                    else f"Aanmelding nadert de termijn van een maand in {network}"
                ),
                f"Een aanmelding van {received} is nog niet opgepakt; de richttermijn "
                + (
                    f"liep af op {due}. Bespreek ze zo nodig als knelpuntdossier."
                    if passed
                    else f"loopt af op {due}."
                ),
                link,
            )
        ]
    if event_type == "plan_action_due":
        return [
            Notice(
                ("workers", str(event["organisation_id"])),
                "plan_action_due",
                (
                    "Actie uit een gezinsplan over tijd"
                    if passed
                    else "Actie uit een gezinsplan binnenkort af"
                ),
                f"Een actie uit een gezinsplan in {network} waarvoor jullie organisatie"
                " verantwoordelijk is, "
                + (f"moest af zijn op {due}." if passed else f"moet af zijn tegen {due}."),
                link,
            )
        ]
    if event_type == "bottleneck_decision_reached":
        outcome = DECISION_OUTCOME_LABELS.get(event.get("outcome"), "Genomen").lower()
        person = event.get("contact_point_id")
        return [
            Notice(
                ("person", str(person)) if person else COORDINATORS,
                "bottleneck_decision",
                f"Beslissing over een knelpuntdossier in {network}",
                (
                    "Over een knelpuntdossier waarvan je het aanspreekpunt bent,"
                    if person
                    else "Over een knelpuntdossier dat nog geen aanspreekpunt heeft,"
                )
                + f" besliste het overleg op {_date(event.get('taken_on'))} (voorstel"
                f" {outcome}). Lees de beslissing in het dossier.",
                link,
            )
        ]
    return []


def mail_now(kind: str, preference: str | None) -> bool:
    """Whether a notice of `kind` is mailed at once to a person with this preference. Urgent
    kinds always are; "daily" ones wait for the day's overview; "off" gets no mail."""
    if kind in URGENT_KINDS:
        return True
    chosen = preference if preference in MAIL_PREFERENCES else DEFAULT_MAIL_PREFERENCE
    return chosen == "immediately"


def in_digest(kind: str, preference: str | None) -> bool:
    """Whether a notice waits for the person's daily overview mail instead."""
    return kind not in URGENT_KINDS and preference == "daily"


# A daily overview goes out once the oldest notice in it has waited this long: at most one
# overview a day, and no notice waits much longer than a day for its mail.
DIGEST_HOURS = 24


def digest_text(notices: list[dict], portal_url: str) -> tuple[str, str]:
    """Subject and body of a daily overview: each notice's title and link, oldest first."""
    base = portal_url.rstrip("/")
    lines = [f"- {n['title']}: {base}{n['link']}" for n in notices]
    count = len(notices)
    subject = f"[Verband] Overzicht: {count} {'melding' if count == 1 else 'meldingen'}"
    body = (
        "Dit gebeurde sinds je vorige overzicht:\n\n"
        + "\n".join(lines)
        + f"\n\nAlle meldingen: {base}/meldingen\n\n"
        "Je krijgt dit overzicht eens per dag omdat je dat zo koos. Kies in Verband onder"
        " Meldingen hoe je ze wilt krijgen."
    )
    return subject, body


def mail_text(notice_title: str, notice_body: str, portal_url: str, link: str) -> tuple[str, str]:
    """Subject and body of a notification mail: the notice and the way into the portal."""
    url = portal_url.rstrip("/") + link
    body = (
        f"{notice_title}\n\n{notice_body}\n\nBekijk het in Verband: {url}\n\n"
        "Je krijgt deze e-mail omdat je meldingen van Verband ontvangt. Kies in Verband onder"
        " Meldingen hoe je ze wilt krijgen."
    )
    return f"[Verband] {notice_title}", body


def _date(iso: str | None) -> str:
    if not iso:
        return ""
    year, month, day = str(iso)[:10].split("-")
    return f"{day}/{month}/{year}"
