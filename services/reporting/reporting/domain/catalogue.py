"""The indicator catalogue: the same indicators, defined the same way, for every network.

Each definition says what is counted (numerator), of what (denominator), and which events
fall in a period (period rule). The texts are what the portal and the PDF report show.
"""

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Definition:
    key: str
    title: str
    definition: str
    numerator: str
    denominator: str | None
    period_rule: str
    unit: str  # count | share | days
    breakdowns: tuple = field(default_factory=tuple)
    statistic: str | None = None  # days: median | p90 | max
    # Counts of families are suppressed when small; counts of meetings and actions are not.
    families: bool = True

    def as_dict(self) -> dict:
        out = asdict(self)
        out.pop("statistic")
        out.pop("families")
        out["breakdowns"] = list(self.breakdowns)
        return out


MONTHLY = ("month",)
DEFINITIONS = (
    Definition(
        "referrals",
        "Aanmeldingen",
        "Het aantal aanmeldingen van gezinnen bij het netwerk, naar sector van de verwijzer,"
        " gemeente van het gezin, soort aanbod en zorgniveau.",
        "Aanmeldingen met ontvangstdatum in de periode.",
        None,
        "Telt op de ontvangstdatum van de aanmelding.",
        "count",
        ("source_sector", "municipality", "offer_kind", "concern", "month"),
    ),
    Definition(
        "answered_within_month",
        "Binnen de maand beantwoord",
        "Het aandeel aanmeldingen dat binnen één kalendermaand na ontvangst een eerste"
        " antwoord kreeg (de triage: wachtlijst, meteen starten, doorverwijzen of niet"
        " opnemen). Richtlijn: één maand.",
        "Aanmeldingen uit de periode met een eerste triage uiterlijk op dezelfde dag een"
        " maand na ontvangst.",
        "Aanmeldingen met ontvangstdatum in de periode.",
        "Telt op de ontvangstdatum; een later antwoord telt mee voor de periode van de"
        " aanmelding (een te laat bericht wijzigt die periode en vraagt een correctie).",
        "share",
    ),
    Definition(
        "days_to_first_answer_median",
        "Dagen tot eerste antwoord (mediaan)",
        "De mediaan van het aantal kalenderdagen tussen ontvangst van een aanmelding en de"
        " eerste triage. Bij een even aantal het gemiddelde van de twee middelste.",
        "Kalenderdagen van ontvangst tot eerste triage, per aanmelding.",
        "Aanmeldingen met een eerste triage in de periode.",
        "Telt op de datum van de eerste triage.",
        "days",
        statistic="median",
    ),
    Definition(
        "days_to_first_answer_p90",
        "Dagen tot eerste antwoord (90e percentiel)",
        "Het aantal dagen waarbinnen 90 % van de aanmeldingen een eerste antwoord kreeg"
        " (kleinste waarde waaronder of waarop minstens 90 % valt).",
        "Kalenderdagen van ontvangst tot eerste triage, per aanmelding.",
        "Aanmeldingen met een eerste triage in de periode.",
        "Telt op de datum van de eerste triage.",
        "days",
        statistic="p90",
    ),
    Definition(
        "waiting_list_size",
        "Wachtlijst op het einde van de periode",
        "Het aantal inschrijvingen op de warme wachtlijst op de laatste dag van de periode.",
        "Inschrijvingen ingeschreven op of voor de laatste dag en nog niet uitgeschreven op"
        " die dag.",
        None,
        "Toestand op de laatste dag van de periode.",
        "count",
        ("offer_kind", "municipality", "concern"),
    ),
    Definition(
        "waiting_days_median",
        "Wachttijd op het einde van de periode (mediaan)",
        "De mediaan van het aantal dagen dat de wachtenden op de laatste dag van de periode"
        " al wachten (sinds de datum van hun vraag).",
        "Dagen van de wachtdatum tot de laatste dag van de periode, per inschrijving.",
        "Inschrijvingen op de wachtlijst op de laatste dag van de periode.",
        "Toestand op de laatste dag van de periode.",
        "days",
        statistic="median",
    ),
    Definition(
        "waiting_days_p90",
        "Wachttijd op het einde van de periode (90e percentiel)",
        "Het aantal dagen waaronder of waarop 90 % van de wachtenden op de laatste dag van"
        " de periode wacht.",
        "Dagen van de wachtdatum tot de laatste dag van de periode, per inschrijving.",
        "Inschrijvingen op de wachtlijst op de laatste dag van de periode.",
        "Toestand op de laatste dag van de periode.",
        "days",
        statistic="p90",
    ),
    Definition(
        "waiting_days_longest",
        "Langste wachttijd op het einde van de periode",
        "Het hoogste aantal dagen dat een wachtende op de laatste dag van de periode wacht.",
        "Dagen van de wachtdatum tot de laatste dag van de periode, per inschrijving.",
        "Inschrijvingen op de wachtlijst op de laatste dag van de periode.",
        "Toestand op de laatste dag van de periode.",
        "days",
        statistic="max",
    ),
    Definition(
        "warm_contacts_on_time",
        "Warme contacten op tijd",
        "Het aandeel wachtenden dat op de laatste dag van de periode niet op een warm"
        " contact wacht dat over tijd is: hun laatste contact vraagt het volgende pas op of"
        " na die dag, of ze staan nog geen contacttermijn (instelling van het netwerk,"
        " standaard 14 dagen) ingeschreven.",
        "Wachtenden met een warm contact dat niet over tijd is.",
        "Inschrijvingen op de wachtlijst op de laatste dag van de periode.",
        "Toestand op de laatste dag van de periode.",
        "share",
    ),
    Definition(
        "trajectories_started",
        "Gestarte trajecten",
        "Het aantal trajecten dat startte, ook heropende trajecten.",
        "Trajectstarts met startdatum in de periode.",
        None,
        "Telt op de startdatum.",
        "count",
        ("offer_kind", "month"),
    ),
    Definition(
        "trajectories_active",
        "Lopende trajecten",
        "Het aantal trajecten dat op de laatste dag van de periode loopt.",
        "Trajecten gestart op of voor de laatste dag en niet afgesloten op of voor die dag.",
        None,
        "Toestand op de laatste dag van de periode.",
        "count",
        ("offer_kind",),
    ),
    Definition(
        "trajectories_closed",
        "Afgesloten trajecten",
        "Het aantal afgesloten trajecten, naar uitkomst (doelen bereikt, doorstroom,"
        " uitstroom, afgehaakt, verhuisd).",
        "Trajecten met afsluitdatum in de periode.",
        None,
        "Telt op de afsluitdatum.",
        "count",
        ("outcome", "month"),
    ),
    Definition(
        "family_guidances",
        "Bijkomende gezinsbegeleidingen tegenover de doelstelling",
        "Het aantal nieuwe trajecten (niet heropend) van 1 januari tot de laatste dag van de"
        " periode, tegenover de jaardoelstelling van het netwerk (doelstelling met code"
        " family_guidances, bijvoorbeeld 200).",
        "Nieuwe trajecten met startdatum van 1 januari tot de laatste dag van de periode.",
        "De jaardoelstelling van het netwerk.",
        "Telt cumulatief in het kalenderjaar van de periode.",
        "count",
    ),
    Definition(
        "multiproblem_share",
        "Aandeel multiprobleemgezinnen",
        "Het aandeel getrieerde aanmeldingen waarvoor bij de eerste triage twee of meer"
        " aanbodsvormen nodig zijn: de vraag raakt meerdere levensdomeinen.",
        "Eerste triages met twee of meer aanbodsvormen.",
        "Eerste triages in de periode.",
        "Telt op de datum van de eerste triage.",
        "share",
    ),
    Definition(
        "concern_share",
        "Aandeel ernstige zorg",
        "Het aandeel aanmeldingen waarbij de verwijzer een ernstige zorg aangeeft.",
        "Aanmeldingen met zorgniveau 'ernstig' en ontvangstdatum in de periode.",
        "Aanmeldingen met ontvangstdatum in de periode.",
        "Telt op de ontvangstdatum.",
        "share",
    ),
    Definition(
        "bottlenecks_raised",
        "Knelpuntdossiers aangemeld",
        "Het aantal dossiers dat als knelpunt werd aangemeld voor gezamenlijk overleg, naar reden.",
        "Knelpuntmeldingen met datum in de periode.",
        None,
        "Telt op de datum van de melding.",
        "count",
        ("reason", "month"),
    ),
    Definition(
        "bottlenecks_resolved",
        "Knelpuntdossiers besproken met beslissing",
        "Het aantal beslissingen dat een overlegorgaan over een knelpuntdossier nam.",
        "Aangenomen beslissingen over een knelpuntdossier met datum in de periode.",
        None,
        "Telt op de datum van de beslissing.",
        "count",
        ("month",),
    ),
    Definition(
        "agreements_used",
        "Volumeafspraken benut",
        "Aanmeldingen door de partijen van een volumeafspraak (mandaatorganen OCJ/SDJ,"
        " crisismeldpunt) tegenover het afgesproken aantal van de afspraken die in de"
        " periode lopen.",
        "Aanmeldingen met als bron een mandaatorgaan of het crisismeldpunt, in de periode.",
        "Het afgesproken aantal van de actieve afspraken die de periode raken.",
        "Telt op de ontvangstdatum; een afspraak telt als ze de periode raakt.",
        "share",
        ("kind",),
    ),
    Definition(
        "meetings_held",
        "Vergaderingen gehouden volgens ritme",
        "Het aandeel geplande vergaderingen (volgens het ritme van elk orgaan, niet"
        " geannuleerd) dat ook gehouden werd.",
        "Gehouden vergaderingen met datum in de periode.",
        "Niet-geannuleerde geplande vergaderingen met datum in de periode.",
        "Telt op de datum van de vergadering.",
        "share",
        ("body_kind",),
        families=False,
    ),
    Definition(
        "minutes_on_time",
        "Verslagen tijdig goedgekeurd",
        "Het aandeel verslagen dat op de volgende vergadering van hetzelfde orgaan werd"
        " goedgekeurd.",
        "Verslagen goedgekeurd op of voor de volgende gehouden vergadering van het orgaan.",
        "Vergaderingen gehouden in de periode waarvan het orgaan voor het einde van de"
        " periode opnieuw vergaderde.",
        "Telt op de datum van de vergadering waarover het verslag gaat.",
        "share",
        families=False,
    ),
    Definition(
        "actions_overdue",
        "Acties over tijd",
        "Het aantal acties uit vergaderingen waarvan de termijn op de laatste dag van de"
        " periode verstreken is zonder dat ze afgerond zijn.",
        "Acties met een termijn voor de laatste dag, niet afgerond op die dag.",
        None,
        "Toestand op de laatste dag van de periode.",
        "count",
        ("body_kind",),
        families=False,
    ),
    Definition(
        "signals_raised",
        "Signalen",
        "Het aantal signalen (knelpunten en verbetervoorstellen) dat een overlegorgaan"
        " voor IROJ opnam.",
        "Signalen met datum in de periode.",
        None,
        "Telt op de datum van het signaal.",
        "count",
        ("kind", "month"),
        families=False,
    ),
)

BY_KEY = {d.key: d for d in DEFINITIONS}
KEYS = tuple(BY_KEY)


def catalogue() -> list[dict]:
    return [d.as_dict() for d in DEFINITIONS]
