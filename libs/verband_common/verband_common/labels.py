"""The Dutch name of every code a person meets: one home, read by the portal's pages, the
exports and every "Kies een van: ..." message of the schemas.

Plain dicts, code -> label, and no imports of the vocabularies themselves (the schemas build
their messages from here at import time). A test holds each dict to its vocabulary, so a
code added to a vocabulary without a label fails there, not on a page.
"""

from verband_common.roles import ROLE_LABELS

# -- partners ----------------------------------------------------------------------------------
SECTOR_LABELS = {
    "ocmw": "OCMW / Sociaal Huis",
    "huis_van_het_kind": "Huis van het Kind",
    "caw": "CAW",
    "cgg": "CGG",
    "clb": "CLB",
    "kind_en_gezin": "Kind en Gezin",
    "ckg": "CKG",
    "ota": "OTA (contextbegeleiding)",
    "bjb": "Bijzondere jeugdbijstand",
    "mandated_body": "Gemandateerde voorziening (OCJ/SDJ)",
    "crisis_point": "Crisismeldpunt",
    "first_line_psychology": "Eerstelijnspsychologie",
    "local_government": "Lokaal bestuur",
    "other": "Andere",
}
OFFER_KIND_LABELS = {
    "family_coaching": "Gezinscoaching",
    "first_line_psychology": "Eerstelijnspsychologische zorg",
    "parenting_course": "Opvoedingscursus",
    "group_offer": "Groepsaanbod",
    "consultation": "Consult",
    "home_guidance": "Contextbegeleiding",
    "other": "Ander aanbod",
}
MEMBERSHIP_ROLE_LABELS = {
    "kernpartner": "Kernpartner",
    "contractant": "Contractant",
    "partner": "Partner",
    "observer": "Waarnemer",
}
OFFER_STATUS_LABELS = {"active": "Actief", "paused": "Gepauzeerd", "ended": "Stopgezet"}

# -- meetings ----------------------------------------------------------------------------------
BODY_KIND_LABELS = {
    "kernteam": "Kernteam",
    "beleidsgroep": "Beleidsgroep",
    "inhoudelijke_ondersteuningsgroep": "Inhoudelijke ondersteuningsgroep",
    "netwerkforum": "Netwerkforum",
    "kerngroep": "Kerngroep RTJ",
    "task_group": "Werkgroep",
    "case_table": "Casustafel",
}
SIGNAL_KIND_LABELS = {"pain_point": "Knelpunt", "improvement_proposal": "Verbetervoorstel"}
# Whom a body member sits for when not for a care organisation (schemas.meetings.REPRESENTS).
REPRESENTS_LABELS = {
    "clients": "Vertegenwoordiger van de cliënten",
    "experience_experts": "Ervaringsdeskundige",
    "sector": "Afgevaardigde van een sector",
}

# -- cases -------------------------------------------------------------------------------------
CASE_STATUS_LABELS = {
    "received": "Aangemeld, wacht op triage",
    "waiting": "Op de wachtlijst",
    "started": "Hulp gestart",
    "referred_on": "Doorverwezen",
    "declined": "Niet ingegaan",
    "left_list": "Van de wachtlijst gehaald",
    "closed": "Afgesloten",
    "returned": "Teruggewezen naar de coördinator",
}
CONCERN_LABELS = {"none": "Geen zorgen", "some": "Enige zorgen", "serious": "Ernstige zorgen"}
URGENCY_LABELS = {
    "normal": "Gewoon",
    "urgent": "Dringend",
    "urgent_dangerous": "Dringend en gevaarlijk",
}
LIFE_DOMAIN_LABELS = {
    "housing": "Wonen",
    "income": "Inkomen",
    "health": "Gezondheid",
    "mental_health": "Psychisch welzijn",
    "parenting": "Opvoeding",
    "school": "School",
    "work": "Werk",
    "social_network": "Sociaal netwerk",
    "safety": "Veiligheid",
    "addiction": "Verslaving",
    "justice": "Justitie",
    "administration": "Administratie",
}
SHARING_LABELS = {
    "network_partners": "Delen met de partners van het netwerk die het gezin helpen",
    "referrer_follow_up": "De aanmelder volgt op wie welke hulp start",
    "mandated_body": "Delen met de gemandateerde voorziening (OCJ/SDJ)",
}
# Who referred: the partners' sectors, a partner of the network or the coordinator.
SOURCE_SECTOR_LABELS = {
    **SECTOR_LABELS,
    "partner": "Partner van het netwerk",
    "coordinator": "Coördinator",
}
TRIAGE_DECISION_LABELS = {
    "waiting_list": "Op de wachtlijst van een of meer aanbieders",
    "start_now": "Meteen starten",
    "refer_on": "Doorverwijzen",
    "decline": "Niet ingaan op de vraag",
}
REFER_TO_LABELS = {
    "non_direct_access": "Niet-rechtstreeks toegankelijke jeugdhulp",
    "crisis_point": "Het crisismeldpunt",
    "other_service": "Een andere dienst",
}
CONTACT_CHANNEL_LABELS = {
    "phone": "Telefoon",
    "home_visit": "Huisbezoek",
    "visit": "Bezoek",
    "video": "Videogesprek",
    "mail": "Mail of brief",
    "message": "Bericht",
    "meeting": "Overleg",
}
REMOVAL_REASON_LABELS = {
    "started_here": "Hulp gestart bij dit aanbod",
    "started_elsewhere": "Hulp gestart bij een ander aanbod",
    "no_longer_needed": "Niet meer nodig",
    "unreachable": "Gezin niet bereikbaar",
    "moved_away": "Verhuisd",
    "referred_on": "Doorverwezen",
    "declined_by_family": "Het gezin ziet af van de hulp",
    "declined_by_provider": "De aanbieder neemt het gezin niet op",
    # Set by the cases service when a family's data is erased; nobody chooses it in a form.
    "erased": "Gegevens gewist op verzoek",
    "other": "Andere reden",
}
BRIDGING_KIND_LABELS = {
    "flanking_offer": "Flankerend aanbod",
    "consultation": "Consult",
    "group_offer": "Groepsaanbod",
    "first_line_psychology": "Eerstelijnspsychologische zorg",
    "other": "Andere overbrugging",
}
CLOSING_OUTCOME_LABELS = {
    "goals_reached": "Doelen bereikt",
    "flow_through": "Doorstroom naar andere hulp",
    "outflow": "Uitstroom",
    "dropped_out": "Afgehaakt",
    "moved_away": "Verhuisd",
}
FLOW_TO_LABELS = {
    "rtj": "Rechtstreeks toegankelijke jeugdhulp",
    "nrtj": "Niet-rechtstreeks toegankelijke jeugdhulp",
    "mandated_body": "Gemandateerde voorziening (OCJ/SDJ)",
    "first_line": "Eerstelijnshulp",
    "other_network": "Een ander netwerk",
    "other": "Elders",
}
BOTTLENECK_REASON_LABELS = {
    "no_suitable_offer": "Geen passend aanbod",
    "waiting_too_long": "Wacht te lang",
    "no_capacity": "Geen plaats",
    "cooperation_stuck": "De samenwerking loopt vast",
    "family_unreachable": "Gezin niet bereikbaar",
    "mandated_body_access": "Toegang tot de gemandateerde voorziening",
    "crisis": "Crisis",
    "other": "Andere reden",
}
AGE_BAND_LABELS = {b: f"{b} jaar" for b in ("0-2", "3-5", "6-11", "12-17", "18-24")}
# The receiving organisation's answer to a referral, as it was given (closed loop).
REFERRAL_ANSWER_LABELS = {"accepted": "Aanvaard", "declined": "Teruggewezen"}
PLAN_ACTION_STATUS_LABELS = {
    "planned": "Gepland",
    "running": "Loopt",
    "done": "Gedaan",
    "dropped": "Geschrapt",
}
# What a line of the case journal records (the family's workers' contacts and notes).
JOURNAL_KIND_LABELS = {
    "phone_call": "Telefoongesprek",
    "home_visit": "Huisbezoek",
    "meeting": "Overleg",
    "message": "Bericht",
    "note": "Notitie",
}
NOTIFICATION_KIND_LABELS = {
    "crisis_referral": "Crisisaanmelding",
    "new_referral": "Nieuwe aanmelding",
    "referral_triaged": "Aanmelding getrieerd",
    "help_started": "Hulp gestart",
    "referral_answered": "Antwoord op een aanmelding",
    "referral_declined": "Aanmelding teruggewezen",
    "waiting_list_added": "Nieuw op de wachtlijst",
    "warm_contact_due": "Warm contact nodig",
    "pickup_guideline_due": "Termijn van een maand",
    "plan_action_due": "Actie uit het gezinsplan",
    "bottleneck_decision": "Beslissing over een knelpuntdossier",
}
# How a meeting decided on a proposal (meetings' decision_taken), also by members' own votes.
DECISION_OUTCOME_LABELS = {"adopted": "Aangenomen", "rejected": "Verworpen"}
MAIL_PREFERENCE_LABELS = {
    "immediately": "Meteen een e-mail per melding",
    "daily": "Eén e-mail per dag met een overzicht",
    "off": "Geen e-mail, alleen in Verband",
}
# Meetings: the network's library of procedures and working agreements (schemas.knowledge).
PROCEDURE_KIND_LABELS = {
    "procedure": "Procedure",
    "werkafspraak": "Werkafspraak",
    "sjabloon": "Sjabloon",
    "richtlijn": "Richtlijn",
}
PROCEDURE_STATUS_LABELS = {
    "concept": "Concept",
    "vastgesteld": "Vastgesteld",
    "vervallen": "Vervallen",
}

# Meetings: seats in a body, attendance, a member's vote, the minutes' course.
SEAT_LABELS = {
    "chair": "Voorzitter",
    "secretary": "Secretaris",
    "member": "Lid",
    "adviser": "Adviseur",
}
ATTENDANCE_LABELS = {"present": "Aanwezig", "excused": "Verontschuldigd", "absent": "Afwezig"}
VOTE_CHOICE_LABELS = {"for": "Voor", "against": "Tegen", "abstain": "Onthouding"}
VOTE_STATUS_LABELS = {"open": "Loopt", "closed": "Afgesloten"}
WRITTEN_ANSWER_LABELS = {"agree": "Akkoord", "object": "Bezwaar"}
MINUTES_STATUS_LABELS = {
    "draft": "Ontwerp",
    "sent": "Ontwerp bezorgd aan de leden",
    "approved": "Goedgekeurd en vergrendeld",
}

# Partners: the network's agreements and the themes its gaps are filed under.
AGREEMENT_KIND_LABELS = {
    "mandated_body": "Volumeafspraak met de gemandateerde voorziening (OCJ/SDJ)",
    "crisis_point": "Afspraak met het crisismeldpunt",
}
AGREEMENT_STATUS_LABELS = {"draft": "Ontwerp", "active": "Lopend", "ended": "Afgelopen"}
THEME_LABELS = {
    "diversity": "Diversiteit",
    "poverty": "Kansarmoede",
    "participation": "Participatie",
    "mental_health": "Mentaal welzijn",
    "other": "Ander thema",
}

# Every dict above, for `labels_of`: a vocabulary is known by its exact set of codes.
_ALL = (
    ROLE_LABELS,
    SECTOR_LABELS,
    OFFER_KIND_LABELS,
    MEMBERSHIP_ROLE_LABELS,
    OFFER_STATUS_LABELS,
    BODY_KIND_LABELS,
    SIGNAL_KIND_LABELS,
    REPRESENTS_LABELS,
    CASE_STATUS_LABELS,
    CONCERN_LABELS,
    URGENCY_LABELS,
    LIFE_DOMAIN_LABELS,
    SHARING_LABELS,
    SOURCE_SECTOR_LABELS,
    TRIAGE_DECISION_LABELS,
    REFER_TO_LABELS,
    CONTACT_CHANNEL_LABELS,
    REMOVAL_REASON_LABELS,
    BRIDGING_KIND_LABELS,
    CLOSING_OUTCOME_LABELS,
    FLOW_TO_LABELS,
    BOTTLENECK_REASON_LABELS,
    AGE_BAND_LABELS,
    REFERRAL_ANSWER_LABELS,
    PLAN_ACTION_STATUS_LABELS,
    SEAT_LABELS,
    ATTENDANCE_LABELS,
    VOTE_CHOICE_LABELS,
    VOTE_STATUS_LABELS,
    WRITTEN_ANSWER_LABELS,
    MINUTES_STATUS_LABELS,
    AGREEMENT_KIND_LABELS,
    AGREEMENT_STATUS_LABELS,
    THEME_LABELS,
    JOURNAL_KIND_LABELS,
    NOTIFICATION_KIND_LABELS,
    MAIL_PREFERENCE_LABELS,
    DECISION_OUTCOME_LABELS,
    PROCEDURE_KIND_LABELS,
    PROCEDURE_STATUS_LABELS,
)
_BY_CODES = {frozenset(labels): labels for labels in _ALL}


def labels_of(choices) -> dict[str, str]:
    """The Dutch labels of a vocabulary, found by its codes (or of the part of one that a
    field offers, such as the removal reasons a person may choose); a choice without a
    vocabulary here (a number, a name that is its own label) is shown as it is."""
    codes = frozenset(choices)
    found = _BY_CODES.get(codes)
    if found is not None:
        return found
    for known, names in _BY_CODES.items():
        if codes and codes <= known:
            return {c: names[c] for c in choices}
    return {c: str(c) for c in choices}
