"""Loads demo data through the gateway's JSON API, signed in, the way real input goes.

The networks, regions and municipalities are those of the source documents (RTJ De Tafels
in Meetjesland and Deinze, 1G1P Asse-Meise-Vilvoorde, the Kerngroep RTJ of IROJ Limburg),
plus one invented network in West-Vlaanderen. Organisations, people, enterprise numbers
(KBO, with valid check digits, computed here), offers, agreements and families are invented.

Who does what, as in real life: the platform admin (VERBAND_ADMIN_EMAIL / _PASSWORD, as
`make demo-data` bootstrapped it) creates each network and its kernpartner and invites its
network admin; the network admin signs in, adds the partner organisations and invites the
people with their roles, and adds offer, agreements and task groups; the network's referrer
signs in and refers the families. Each invited person accepts from their invitation mail and
chooses the demo password (demo only: the loader reads the mails the gateway wrote, through
GET /api/test/mails, which exists only in demo and test stacks).

Idempotent: every object is looked up first (network by name, organisation by KBO number,
person by e-mail, offer by title, agreement by title, task group by name; referrals by the
network's referral count), so a second run adds nothing and fails on nothing. Any other
answer than the expected one stops the run with the HTTP status and the error body.

Demo only: every person gets the one password printed at the end.
"""

import argparse
import datetime as dt
import json
import os
import re
import shlex
import subprocess
import sys
import time

import casework
import requests

DEMO_PASSWORD = "demo-verband-2026!"  # noqa: S105 - the demo data's, printed at the end
# docker-compose.yml's demo-only defaults for the partners service's platform admin.
COMPOSE_ADMIN_EMAIL = "admin@verband.demo"
COMPOSE_ADMIN_PASSWORD = "demo-only-verband-beheer-2026"  # noqa: S105 - public demo default

TODAY = dt.date.today()
YEAR_START = dt.date(TODAY.year, 1, 1).isoformat()
YEAR_END = dt.date(TODAY.year, 12, 31).isoformat()
CONSENT_ON = (TODAY - dt.timedelta(days=10)).isoformat()
FOLLOW_UP_ON = (TODAY + dt.timedelta(days=21)).isoformat()


def kbo(first_eight: int) -> str:
    """A Belgian enterprise number: eight digits and their check, 97 - (the eight mod 97)."""
    return f"{first_eight:08d}{97 - first_eight % 97:02d}"


def kbo_number(network_index: int, org_index: int) -> str:
    # Invented: 0790.0N0.0xx; any likeness to a real enterprise number is chance.
    return kbo(7_900_000 + network_index * 100 + org_index)


# NIS codes (services/partners/partners/data/municipalities.csv, after the 2025 mergers).
MEETJESLAND = {
    "44084": "Aalter",
    "43002": "Assenede",
    "43005": "Eeklo",
    "43007": "Kaprijke",
    "44085": "Lievegem",
    "43010": "Maldegem",
    "43014": "Sint-Laureins",
    "43018": "Zelzate",
}
# Regio Deinze: the source names opvoedingspunten in Deinze, De Pinte, Nazareth and Nevele;
# Nevele is part of Deinze since 2019, De Pinte and Nazareth are Nazareth-De Pinte since 2025.
DEINZE = {"44083": "Deinze", "44086": "Nazareth-De Pinte"}
AMV = {"23002": "Asse", "23050": "Meise", "23088": "Vilvoorde"}
LIMBURG = {
    "71016": "Genk",
    "71072": "Hasselt",  # Hasselt and Kortessem since 2025 (was 71022)
    "71053": "Sint-Truiden",
    "71004": "Beringen",
    "72020": "Lommel",
    "73107": "Maasmechelen",
    "73111": "Tongeren-Borgloon",
}
WESTHOEK = {
    "33011": "Ieper",
    "33021": "Poperinge",
    "33029": "Wervik",
    "33037": "Zonnebeke",
    "33039": "Heuvelland",
    "32003": "Diksmuide",
    "38025": "Veurne",
}


def org(key, name, sector, role, municipalities, profile=""):
    return {
        "key": key,
        "name": name,
        "sector": sector,
        "role": role,
        "municipalities": list(municipalities),
        "profile": profile,
    }


def offer(org_key, title, kind, capacity, free, municipalities, **extra):
    return {
        "org": org_key,
        "title": title,
        "kind": kind,
        "capacity": capacity,
        "free_places": free,
        "municipalities": list(municipalities),
        **extra,
    }


def public(street, postcode, city, hours, phone, languages, cost, referral) -> dict:
    """What the public offer guide shows of an offer. Addresses and numbers are invented."""
    return {
        "address": {"street": street, "postcode": postcode, "city": city},
        "opening_hours": hours,
        "contact_phone": phone,
        "languages": languages,
        "cost": cost,
        "referral": referral,
    }


def agreements(mandated: list[str], crisis_point: str, agreed: int) -> list[dict]:
    """The two agreements every network has: a volume agreement with the mandated bodies
    (OCJ/SDJ) for faster access, and the arrangement with the crisis point."""
    return [
        {
            "title": f"Volumeafspraak OCJ/SDJ {TODAY.year}",
            "kind": "mandated_body",
            "parties": [{"name": n} for n in mandated] + [{"org": "kern"}],
            "starts_on": YEAR_START,
            "ends_on": YEAR_END,
            "agreed_number": agreed,
            "unit": "gezinnen",
            "notes": "Snellere toegang tot het aanbod voor gezinnen die de gemandateerde "
            "voorzieningen aanmelden; opvolging elk kwartaal op het kernteam.",
            "next_follow_up_on": FOLLOW_UP_ON,
        },
        {
            "title": "Afspraken met het crisismeldpunt",
            "kind": "crisis_point",
            "parties": [{"name": crisis_point}, {"org": "kern"}],
            "starts_on": YEAR_START,
            "agreed_number": 6,
            "unit": "crisisinterventies",
            "notes": "Dringende en gevaarlijke situaties gaan meteen naar het crisismeldpunt; "
            "het netwerk neemt het gezin na de crisisinterventie binnen de week op.",
            "next_follow_up_on": FOLLOW_UP_ON,
        },
    ]


def family(offer_title, concern, municipality, sector, question, children, carer, **extra):
    return {
        "offer": offer_title,
        "concern": concern,
        "municipality": municipality,
        "sector": sector,
        "question": question,
        "children": children,
        "carer": casework.fictive(carer),
        **extra,
    }


NETWORKS = [
    {
        "domain": "detafels.demo",
        "network": {
            "name": "RTJ De Tafels",
            "kind": "RTJ",
            "region": "Oost-Vlaanderen",
            "municipalities": [*MEETJESLAND, *DEINZE],
            "settings": {
                "pickup_guideline_days": 30,
                "warm_contact_interval_days": 14,
                "targets": [
                    {"code": "gezinsbegeleidingen", "label": "Gezinsbegeleidingen", "value": 120}
                ],
            },
        },
        "organisations": [
            org(
                "kern",
                "Ankerpunt Meetjesland vzw",
                "ota",
                "kernpartner",
                [*MEETJESLAND, *DEINZE],
                "Kernpartner van De Tafels: coördinatie, gezinscoaches, contextbegeleiding.",
            ),
            org("ocmw", "OCMW Eeklo - Sociaal Huis", "ocmw", "partner", ["43005"]),
            org("hvk", "Huis van het Kind Deinze", "huis_van_het_kind", "partner", DEINZE),
            org("caw", "CAW Leie en Meetjes", "caw", "contractant", [*MEETJESLAND, *DEINZE]),
            org("cgg", "CGG Waterland", "cgg", "contractant", MEETJESLAND),
            org("clb", "CLB Schelde-Leie", "clb", "partner", [*MEETJESLAND, *DEINZE]),
            org(
                "kg", "Kind en Gezin regioteam Meetjesland", "kind_en_gezin", "partner", MEETJESLAND
            ),
            org("ckg", "CKG De Notelaar", "ckg", "contractant", [*MEETJESLAND, *DEINZE]),
        ],
        "people": {
            "network_admin": ("Griet Van Hecke", "kern"),
            "coordinator": ("Tom De Smet", "kern"),
            "case_manager": ("Sofie Van de Velde", "caw"),
            "family_coach": ("Jonas Verstraete", "kern"),
            "first_line_psychologist": ("Leen Claeys", "cgg"),
            "referrer": ("Fatima Benali", "ocmw"),
            "partner_worker": ("Pieter Martens", "ckg"),
            "secretary": ("Ilse De Wilde", "kern"),
            "iroj_viewer": ("Koen Goethals", None),
        },
        "offers": [
            offer(
                "ckg",
                "Opvoedingscursus 'Samen groot worden'",
                "parenting_course",
                12,
                12,
                [*MEETJESLAND, *DEINZE],
                warm_waiting_list=False,
                target_ages={"min": 0, "max": 12},
                description="Opgroeicursus voor ouders; de hele regio rekruteert mee.",
                **public(
                    "Molenstraat 5",
                    "9900",
                    "Eeklo",
                    "Acht avonden, telkens op dinsdag van 19 tot 21 uur.",
                    "09 000 20 20",
                    ["nl"],
                    "5 euro voor de hele reeks; gratis met een UiTPAS met kansentarief.",
                    "Schrijf je zelf in, telefonisch of via het Huis van het Kind.",
                ),
            ),
            offer(
                "kern",
                "Gezinscoaching De Tafels",
                "family_coaching",
                24,
                0,
                [*MEETJESLAND, *DEINZE],
                target_ages={"min": 0, "max": 18},
                situations=["opvoedingsvragen", "multiproblem"],
                flanking=["Opvoedingscursus 'Samen groot worden'"],
                description="Een gezinscoach als één aanspreekpunt; warme wachtlijst.",
                **public(
                    "Stationsplein 10",
                    "9900",
                    "Eeklo",
                    "Bereikbaar elke werkdag van 9 tot 16 uur; huisbezoeken in overleg.",
                    "09 000 10 10",
                    ["nl", "fr", "ar"],
                    "Gratis",
                    "Je belt zelf, of je huisarts, het CLB, Kind en Gezin of het OCMW meldt"
                    " je aan met je akkoord.",
                ),
            ),
            offer(
                "cgg",
                "Eerstelijnspsychologische zorg Meetjesland",
                "first_line_psychology",
                40,
                6,
                MEETJESLAND,
                warm_waiting_list=False,
                target_ages={"min": 12, "max": 24},
            ),
            offer(
                "hvk",
                "Praatgroep voor ouders",
                "group_offer",
                10,
                4,
                DEINZE,
                warm_waiting_list=False,
                situations=["kansarmoede"],
            ),
            offer("kern", "Contextbegeleiding Deinze", "home_guidance", 10, 1, DEINZE),
        ],
        "agreements": agreements(
            ["OCJ Oost-Vlaanderen", "SDJ Gent"],
            "Crisismeldpunt minderjarigen Oost-Vlaanderen",
            10,
        ),
        "task_groups": [
            {
                "name": "Taakgroep kansarmoede",
                "theme": "poverty",
                "mandate": "Drempels voor gezinnen in armoede opsporen en wegwerken, met de "
                "OCMW's en de Huizen van het Kind van de regio.",
                "members": ["coordinator", "referrer", "family_coach"],
                "organisations": ["ocmw", "hvk", "caw"],
            },
            {
                "name": "Taakgroep diversiteit",
                "theme": "diversity",
                "mandate": "Het aanbod toegankelijk maken voor gezinnen van elke "
                "achtergrond; vorming voor de partners.",
                "members": ["coordinator", "case_manager"],
                "organisations": ["kern", "clb"],
            },
        ],
        "families": [
            family(
                "Gezinscoaching De Tafels",
                "some",
                "43005",
                "ocmw",
                "Mama zoekt hulp bij de opvoeding van twee drukke kinderen.",
                [("Sara", "2016-05-14"), ("Yusuf", "2019-09-02")],
                "Leen Van Damme",
            ),
            family(
                "Gezinscoaching De Tafels",
                "serious",
                "44083",
                "huis_van_het_kind",
                "Er zijn zorgen over de veiligheid thuis.",
                [("Noor", "2012-01-23")],
                "Karim El Amrani",
                life_domains=["safety", "parenting", "housing"],
            ),
        ],
    },
    {
        "domain": "amv.demo",
        "network": {
            "name": "1G1P Asse-Meise-Vilvoorde",
            "kind": "1G1P",
            "region": "Vlaams-Brabant/Brussel",
            "municipalities": [*AMV],
            # Warm waiting list: the longest waiting and most worrying first, with specific
            # attention to multiproblem families; at least 200 additional family guidances.
            "settings": {
                "waiting_weights": {"waiting_days": 1.0, "concern": 5.0, "multiproblem": 3.0},
                "pickup_guideline_days": 30,
                "warm_contact_interval_days": 14,
                "targets": [
                    {
                        "code": "bijkomende_gezinsbegeleidingen",
                        "label": "Bijkomende gezinsbegeleidingen (opvolging)",
                        "value": 200,
                    }
                ],
            },
        },
        "organisations": [
            org(
                "kern",
                "Thuisbegeleiding De Brug vzw",
                "ota",
                "kernpartner",
                AMV,
                "Kernpartner en werkgever van de gezinscoaches van 1G1P AMV.",
            ),
            org("ocmw", "Sociaal Huis Vilvoorde", "ocmw", "partner", ["23088"]),
            org("hvk", "Huis van het Kind Meise", "huis_van_het_kind", "partner", ["23050"]),
            org("caw", "CAW Zennestreek", "caw", "contractant", AMV),
            org("cgg", "CGG De Brabantse Linde", "cgg", "contractant", AMV),
            org("kg", "Kind en Gezin regioteam Noordrand", "kind_en_gezin", "partner", AMV),
            org("bjb", "Contextbegeleiding Horizon", "bjb", "contractant", AMV),
            org("clb", "CLB Noordrand", "clb", "partner", AMV),
        ],
        "people": {
            "network_admin": ("Hilde Peeters", "kern"),
            "coordinator": ("Wouter Vermeulen", "kern"),
            "case_manager": ("Nadia Bouzid", "caw"),
            "family_coach": ("Eva Wouters", "kern"),
            "first_line_psychologist": ("Bram Jacobs", "cgg"),
            "referrer": ("Lies Van den Broeck", "ocmw"),
            "partner_worker": ("Dries Mertens", "bjb"),
            "secretary": ("Katrien Maes", "kern"),
            "iroj_viewer": ("Johan Willems", None),
        },
        "offers": [
            offer(
                "kern",
                "Gezinscoaches 1G1P AMV",
                "family_coaching",
                30,
                0,
                AMV,
                situations=["multiproblem", "verontrusting"],
                can_start_from=(TODAY + dt.timedelta(days=45)).isoformat(),
                description="Warm wachttijdbeheer: wie het langst wacht en wie het meest "
                "verontrust is eerst; contact houden zolang het gezin wacht.",
            ),
            offer(
                "cgg",
                "Eerstelijnspsychologische functie AMV",
                "first_line_psychology",
                25,
                3,
                AMV,
                warm_waiting_list=False,
                target_ages={"min": 6, "max": 24},
            ),
            offer(
                "caw",
                "Consult jeugdhulp Vilvoorde",
                "consultation",
                20,
                5,
                ["23088"],
                warm_waiting_list=False,
            ),
            offer(
                "hvk",
                "Groepsaanbod 'Sterke ouders'",
                "group_offer",
                12,
                6,
                AMV,
                warm_waiting_list=False,
            ),
            offer("bjb", "Contextbegeleiding Horizon", "home_guidance", 15, 2, AMV),
        ],
        "agreements": agreements(
            ["OCJ Vlaams-Brabant", "SDJ Halle-Vilvoorde"],
            "Crisismeldpunt minderjarigen Vlaams-Brabant en Brussel",
            20,
        ),
        "task_groups": [
            {
                "name": "Werkgroep kansarmoede en diversiteit",
                "theme": "poverty",
                "mandate": "Gezinnen in armoede en gezinnen met een migratieachtergrond "
                "vinden de weg naar het aanbod; signalen naar de beleidsgroep.",
                "members": ["coordinator", "referrer", "case_manager"],
                "organisations": ["ocmw", "caw", "hvk"],
            }
        ],
        "families": [
            family(
                "Gezinscoaches 1G1P AMV",
                "none",
                "23088",
                "ocmw",
                "Vader wil ondersteuning nu zijn zoon niet meer naar school gaat.",
                [("Milan", "2010-11-30")],
                "Peter Janssens",
                life_domains=["school"],
            ),
            family(
                "Gezinscoaches 1G1P AMV",
                "serious",
                "23002",
                "ocmw",
                "Gezin met schulden en een dreigende uithuiszetting; mama heeft psychische "
                "klachten.",
                [("Amir", "2015-06-17"), ("Lina", "2020-02-11")],
                "Samira Haddou",
                life_domains=["housing", "income", "mental_health"],
            ),
        ],
    },
    {
        "domain": "rtjlimburg.demo",
        "network": {
            "name": "Kerngroep RTJ Limburg",
            "kind": "kerngroep",
            "region": "Limburg",
            "municipalities": [*LIMBURG],
        },
        "organisations": [
            org(
                "kern",
                "Regionaal Steunpunt RTJ Limburg vzw",
                "other",
                "kernpartner",
                LIMBURG,
                "Ondersteunt de kerngroep RTJ van IROJ Limburg.",
            ),
            org("ocmw", "Sociaal Huis Genk", "ocmw", "partner", ["71016"]),
            org("hvk", "Huis van het Kind Hasselt", "huis_van_het_kind", "partner", ["71072"]),
            org("caw", "CAW Maasland", "caw", "contractant", LIMBURG),
            org("cgg", "CGG Heidebloem", "cgg", "contractant", LIMBURG),
            org("clb", "CLB Mijnstreek", "clb", "partner", ["71016", "73107"]),
            org("ota", "Contextbegeleiding Het Anker", "ota", "contractant", LIMBURG),
            org("ckg", "CKG De Zonnebloem", "ckg", "partner", ["71016", "71072"]),
        ],
        "people": {
            "network_admin": ("Marleen Vanderhoven", "kern"),
            "coordinator": ("Rudi Schepers", "kern"),
            "case_manager": ("Ayse Yilmaz", "caw"),
            "family_coach": ("Stijn Bollen", "ota"),
            "first_line_psychologist": ("Annelies Thijs", "cgg"),
            "referrer": ("Giuseppe Russo", "ocmw"),
            "partner_worker": ("Veerle Nijs", "ckg"),
            "secretary": ("Hanne Vrancken", "kern"),
            "iroj_viewer": ("Luc Reynders", None),
        },
        "offers": [
            offer(
                "ota",
                "Contextbegeleiding Limburg",
                "home_guidance",
                35,
                4,
                ["71016", "71072", "71053", "73107"],
            ),
            offer(
                "ota",
                "Gezinscoaching Genk-Hasselt",
                "family_coaching",
                20,
                2,
                ["71016", "71072"],
                situations=["multiproblem"],
            ),
            offer(
                "cgg",
                "Eerstelijnspsychologische zorg jongeren Limburg",
                "first_line_psychology",
                30,
                5,
                LIMBURG,
                warm_waiting_list=False,
                target_ages={"min": 12, "max": 24},
            ),
            offer(
                "ckg",
                "Opvoedingsondersteuning in groep",
                "parenting_course",
                14,
                8,
                ["71016", "71072"],
                warm_waiting_list=False,
            ),
        ],
        "agreements": agreements(
            ["OCJ Limburg", "SDJ Hasselt"], "Crisismeldpunt minderjarigen Limburg", 15
        ),
        "task_groups": [
            {
                "name": "Taakgroep diversiteit",
                "theme": "diversity",
                "mandate": "Eenvormige monitoring van bereik naar achtergrond; pijnpunten en "
                "verbetervoorstellen naar IROJ Limburg.",
                "members": ["coordinator", "secretary", "case_manager"],
                "organisations": ["kern", "ocmw", "clb"],
            }
        ],
        "families": [
            family(
                "Contextbegeleiding Limburg",
                "some",
                "71072",
                "clb",
                "Jongere met angstklachten; ouders vragen begeleiding aan huis.",
                [("Lotte", "2009-03-08")],
                "Els Claes",
                life_domains=["mental_health"],
            ),
            family(
                "Gezinscoaching Genk-Hasselt",
                "serious",
                "71016",
                "ocmw",
                "Alleenstaande moeder met drie kinderen, werkloos, vraagt hulp bij opvoeding "
                "en administratie.",
                [("Elif", "2013-10-05"), ("Mert", "2016-01-19"), ("Zeynep", "2021-07-30")],
                "Hatice Demir",
                life_domains=["income", "parenting", "administration"],
            ),
        ],
    },
    {
        # Fictitious: no such network exists; it shows a fourth region (West-Vlaanderen).
        "domain": "westhoek.demo",
        "network": {
            "name": "RTJ Westhoekse Brug",
            "kind": "RTJ",
            "region": "West-Vlaanderen",
            "municipalities": [*WESTHOEK],
        },
        "organisations": [
            org(
                "kern",
                "Gezinsondersteuning IJzervallei vzw",
                "ota",
                "kernpartner",
                WESTHOEK,
                "Kernpartner (fictief netwerk): coördinatie en gezinscoaches.",
            ),
            org("ocmw", "Sociaal Huis Ieper", "ocmw", "partner", ["33011"]),
            org("hvk", "Huis van het Kind Poperinge", "huis_van_het_kind", "partner", ["33021"]),
            org("caw", "CAW Westhoek-Kust", "caw", "contractant", WESTHOEK),
            org("cgg", "CGG De Polder", "cgg", "contractant", WESTHOEK),
            org("clb", "CLB IJzerland", "clb", "partner", WESTHOEK),
            org("kg", "Kind en Gezin regioteam Westhoek", "kind_en_gezin", "partner", WESTHOEK),
            org("ckg", "CKG 't Hofje", "ckg", "contractant", WESTHOEK),
        ],
        "people": {
            "network_admin": ("Sarah Vandamme", "kern"),
            "coordinator": ("Frederik Deconinck", "kern"),
            "case_manager": ("Lieselot Decock", "caw"),
            "family_coach": ("Jens Vanhoutte", "kern"),
            "first_line_psychologist": ("Charlotte Lefevere", "cgg"),
            "referrer": ("Nathalie Dewitte", "ocmw"),
            "partner_worker": ("Kristof Dewulf", "ckg"),
            "secretary": ("Evelien Ghesquiere", "kern"),
            "iroj_viewer": ("Geert Vanneste", None),
        },
        "offers": [
            offer(
                "kern",
                "Gezinscoaching Westhoek",
                "family_coaching",
                18,
                1,
                WESTHOEK,
                situations=["opvoedingsvragen", "multiproblem"],
            ),
            offer(
                "cgg",
                "Eerstelijnspsychologische zorg Westhoek",
                "first_line_psychology",
                20,
                4,
                WESTHOEK,
                warm_waiting_list=False,
            ),
            offer(
                "ckg",
                "Opvoedingscursus 'Puber in huis'",
                "parenting_course",
                12,
                9,
                WESTHOEK,
                warm_waiting_list=False,
                target_ages={"min": 11, "max": 18},
            ),
            offer(
                "hvk",
                "Lotgenotengroep jonge ouders",
                "group_offer",
                8,
                3,
                ["33021", "33011"],
                warm_waiting_list=False,
            ),
        ],
        "agreements": agreements(
            ["OCJ West-Vlaanderen", "SDJ Ieper"], "Crisismeldpunt minderjarigen West-Vlaanderen", 8
        ),
        "task_groups": [
            {
                "name": "Taakgroep kansarmoede Westhoek",
                "theme": "poverty",
                "mandate": "Gezinnen in (verdoken) armoede op het platteland bereiken, samen "
                "met de Sociale Huizen.",
                "members": ["coordinator", "referrer"],
                "organisations": ["ocmw", "hvk"],
            }
        ],
        "families": [
            family(
                "Gezinscoaching Westhoek",
                "some",
                "33011",
                "ocmw",
                "Alleenstaande vader vraagt hulp bij de opvoeding van zijn dochter.",
                [("Emma", "2017-04-21")],
                "Bart Vandenberghe",
                life_domains=["parenting"],
            ),
        ],
    },
]

ROLE_ORDER = (
    "network_admin",
    "coordinator",
    "case_manager",
    "family_coach",
    "first_line_psychologist",
    "referrer",
    "partner_worker",
    "secretary",
    "iroj_viewer",
)


def email_of(role: str, domain: str) -> str:
    return f"{role.replace('_', '-')}@{domain}"


# -- HTTP ---------------------------------------------------------------------------------


class DemoError(Exception):
    """A call answered otherwise than expected; the message says which and how."""


def _body(response: requests.Response) -> str:
    try:
        return json.dumps(response.json(), ensure_ascii=False, indent=2)[:3000]
    except ValueError:
        return response.text[:3000]


class Client:
    """The gateway, as one signed-in person (a session of its own, a bearer token)."""

    def __init__(self, base: str, who: str = "nobody"):
        self.base = base
        self.who = who
        self.http = requests.Session()

    def request(self, method: str, path: str, expect=(200,), **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", 30)
        try:
            response = self.http.request(method, self.base + path, **kwargs)
        except requests.RequestException as exc:
            raise DemoError(f"{method} {path} (as {self.who}): no answer: {exc}") from None
        if response.status_code not in expect:
            raise DemoError(
                f"{method} {path} (as {self.who}): HTTP {response.status_code}\n{_body(response)}"
            )
        return response

    def get(self, path: str, **kwargs):
        return self.request("GET", path, **kwargs).json()

    def post(self, path: str, body: dict, expect=(201,)):
        return self.request("POST", path, expect=expect, json=body)

    def sign_in(self, email: str, password: str, required: bool = True) -> dict | None:
        """Sign in; the login answer. A refused sign-in is None when not `required`."""
        response = self.request(
            "POST",
            "/api/auth/login",
            expect=(200, 401),
            json={"email": email, "password": password},
        )
        if response.status_code == 401:
            if not required:
                return None
            raise DemoError(
                f"POST /api/auth/login as {email}: HTTP 401\n{_body(response)}\n"
                "(the platform admin is the one `make demo-data` bootstrapped, from "
                "VERBAND_ADMIN_EMAIL / VERBAND_ADMIN_PASSWORD; pass --admin-email / "
                "--admin-password)"
            )
        answer = response.json()
        self.who = email
        self.http.headers["Authorization"] = f"Bearer {answer['token']}"
        return answer


def roles_of(principal: dict, network_id: str) -> set[str]:
    for membership in principal.get("memberships") or ():
        if str(membership["network_id"]) == network_id:
            return set(membership["roles"])
    return set()


def wait_for_gateway(base: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    last = None
    while time.monotonic() < deadline:
        try:
            response = requests.get(base + "/health", timeout=5)
            if response.status_code == 200:
                return
            last = f"HTTP {response.status_code}\n{_body(response)}"
        except requests.RequestException as exc:
            last = str(exc)
        time.sleep(1)
    raise DemoError(f"GET /health: the gateway at {base} is not healthy: {last}")


# -- loading ------------------------------------------------------------------------------


class Loader:
    def __init__(
        self, base: str, admin_email: str, admin_password: str, password: str, history=None
    ):
        self.base = base
        # Demo only: runs SQL in the cases database to give the families a past (or None).
        self.history = history
        self.admin_email = admin_email
        self.admin_password = admin_password
        self.password = password
        self.admin = Client(base)
        self.accounts: list[tuple[str, str, str, str]] = []
        self.summary: list[str] = []

    def run(self) -> None:
        self.admin.sign_in(self.admin_email, self.admin_password)
        known = {m["nis"]: m["name"] for m in self.admin.get("/api/municipalities")}
        networks = {n["name"]: n for n in self.admin.get("/api/networks/")}
        for index, spec in enumerate(NETWORKS, start=1):
            unknown = [c for c in spec["network"]["municipalities"] if c not in known]
            if unknown:
                raise DemoError(f"{spec['network']['name']}: unknown NIS codes {unknown}")
            self.load_network(index, spec, networks.get(spec["network"]["name"]))

    def load_network(self, index: int, spec: dict, network: dict | None) -> None:
        name = spec["network"]["name"]
        created = {"network": 0}
        if network is None:
            network = self.admin.post("/api/networks/", spec["network"]).json()
            created["network"] = 1
        network_id = network["id"]
        orgs_spec = {o["key"]: o for o in spec["organisations"]}
        kbos = {o["key"]: kbo_number(index, i) for i, o in enumerate(spec["organisations"])}
        people = {
            role: (email_of(role, spec["domain"]), person_name, org_key)
            for role, (person_name, org_key) in spec["people"].items()
        }

        # The platform admin: the kernpartner and the network admin, if they cannot sign
        # in yet. (A platform admin sees no network's directory, so the test is the sign-in.)
        manager = Client(self.base)
        admin_email = people["network_admin"][0]
        answer = manager.sign_in(admin_email, self.password, required=False)
        if answer is None or "network_admin" not in roles_of(answer["principal"], network_id):
            self.first_network_admin(network_id, orgs_spec["kern"], kbos["kern"], people)
            manager.sign_in(admin_email, self.password)

        # The network admin: the rest of the directory.
        org_ids, new_orgs = self.organisations(manager, network_id, spec, kbos)
        person_ids, new_people = self.people(manager, network_id, people, org_ids)
        offer_ids, new_offers = self.offers(manager, network_id, spec, org_ids)
        new_agreements = self.agreements(manager, network_id, spec, org_ids)
        new_groups = self.task_groups(manager, network_id, spec, org_ids, person_ids)

        # The referrer: the families; the invented ones go on to every stage.
        referrer = Client(self.base)
        referrer.sign_in(people["referrer"][0], self.password)
        coaching = next(o for o in spec["offers"] if o["kind"] == "family_coaching")
        families = spec["families"] + casework.stage_families(
            spec, coaching["title"], spec["families"][0]["municipality"], "ocmw"
        )
        referred, referred_now = self.referrals(referrer, network_id, spec, offer_ids, families)
        new_referrals = len(referred_now)
        signed = {}
        for role in ("coordinator", "secretary", "family_coach"):
            signed[role] = Client(self.base)
            signed[role].sign_in(people[role][0], self.password)
        ids = {"people": person_ids, "organisations": org_ids}
        past = casework.casework(signed["coordinator"], referrer, network_id, referred_now, ids)
        drafts = casework.draft(
            referrer, network_id, offer_ids[coaching["title"]], families[0]["municipality"]
        )
        bodies = casework.meetings(
            signed["coordinator"],
            signed["secretary"],
            signed["family_coach"],
            network_id,
            name,
            person_ids,
        )
        reports = casework.quarterly_report(signed["coordinator"], network_id, f"Kernteam {name}")
        if past and self.history is not None:
            self.history(casework.history_sql(past))
        elif past:
            print(f"demo: {name}: no --cases-psql, so the families have no past", flush=True)

        for role in ROLE_ORDER:
            email, person_name, org_key = people[role]
            organisation = orgs_spec[org_key]["name"] if org_key else "-"
            self.accounts.append((email, role, name, organisation))
        n_muni = len(spec["network"]["municipalities"])
        self.summary.append(
            f"{name} ({spec['network']['region']}, {n_muni} gemeenten)"
            f"{' created' if created['network'] else ''}: "
            f"{len(org_ids)} organisations ({new_orgs} new), "
            f"{len(person_ids)} people ({new_people} new), "
            f"{len(offer_ids)} offers ({new_offers} new), "
            f"{len(spec['agreements'])} agreements ({new_agreements} new), "
            f"{len(spec['task_groups'])} task groups ({new_groups} new), "
            f"{referred} referrals ({new_referrals} new, {len(past)} taken to a stage), "
            f"{drafts} new draft, {bodies} new kernteam with meetings, "
            f"{reports} new published quarterly report"
        )
        print(f"demo: {self.summary[-1]}", flush=True)

    def first_network_admin(self, network_id, kern: dict, kern_kbo: str, people: dict) -> None:
        """As the platform admin: the kernpartner, its membership, the network admin."""
        # Registered for the network, which keeps it while it alone uses it.
        response = self.admin.post(
            "/api/organisations",
            {**organisation_body(kern, kern_kbo), "network_id": network_id},
            expect=(201, 409),
        )
        if response.status_code == 409:
            raise DemoError(
                f"the kernpartner {kern['name']} (KBO {kern_kbo}) exists, but its network "
                f"admin {people['network_admin'][0]} cannot sign in with the demo password: "
                "an earlier run stopped half-way, or the data was changed by hand. Start "
                "from empty: make down VOLUMES=1 && make up"
            )
        kern_id = response.json()["id"]
        self.admin.post(
            f"/api/networks/{network_id}/memberships",
            {"organisation_id": kern_id, "role": kern["role"], "starts_on": YEAR_START},
            expect=(201, 409),
        )
        email, person_name, _ = people["network_admin"]
        self.admin.post(
            f"/api/networks/{network_id}/invitations",
            {
                "name": person_name,
                "email": email,
                "organisation_id": kern_id,
                "roles": ["network_admin"],
            },
        )
        principal = self.accept(email)
        # The kernpartner's own admin: answers other networks' link requests for it.
        self.admin.post(
            f"/api/organisations/{kern_id}/admins",
            {"person_id": principal["person_id"]},
            expect=(200,),
        )

    def accept(self, email: str) -> dict:
        """Accept the invitation mailed to `email` as the new person, with the demo password.

        Demo only: the gateway writes its mails to files (MAIL_DIR) and lets the platform
        admin read them (GET /api/test/mails); in a real deployment the person opens the mail.
        """
        deadline = time.monotonic() + 30
        token = None
        while token is None:
            for mail in self.admin.get("/api/test/mails", params={"to": email}):
                found = re.search(r"/uitnodiging#(\S+)", mail["body"])
                if found:
                    token = found.group(1)
                    break
            else:
                if time.monotonic() > deadline:
                    raise DemoError(f"no invitation mail to {email} after 30 s")
                time.sleep(0.3)
        response = Client(self.base).request(
            "POST",
            "/api/invitations/accept-new",
            expect=(201, 409),
            json={"token": token, "password": self.password},
        )
        if response.status_code == 409:
            raise DemoError(
                f"{email} exists but cannot sign in with the demo password; "
                "start from empty: make down VOLUMES=1 && make up"
            )
        return response.json()["principal"]

    def organisations(self, manager, network_id, spec, kbos) -> tuple[dict, int]:
        listed = manager.get(f"/api/networks/{network_id}/organisations")
        by_kbo = {o["kbo"]: o for o in listed}
        ids, new = {}, 0
        for o in spec["organisations"]:
            found = by_kbo.get(kbos[o["key"]])
            if found is None:
                found = manager.post(
                    "/api/organisations",
                    {**organisation_body(o, kbos[o["key"]]), "network_id": network_id},
                )
                found = found.json()
                new += 1
            ids[o["key"]] = found["id"]
            membership = found.get("membership")
            if membership is None or (
                membership.get("ends_on") and membership["ends_on"] < TODAY.isoformat()
            ):
                manager.post(
                    f"/api/networks/{network_id}/memberships",
                    {"organisation_id": found["id"], "role": o["role"], "starts_on": YEAR_START},
                )
        return ids, new

    def people(self, manager, network_id, people, org_ids) -> tuple[dict, int]:
        listed = {p["email"].lower(): p for p in manager.get(f"/api/networks/{network_id}/people")}
        ids, new = {}, 0
        for role in ROLE_ORDER:
            email, person_name, org_key = people[role]
            found = listed.get(email)
            if found is None:
                manager.post(
                    f"/api/networks/{network_id}/invitations",
                    {
                        "name": person_name,
                        "email": email,
                        "organisation_id": org_ids[org_key] if org_key else None,
                        "roles": [role],
                    },
                )
                principal = self.accept(email)
                found = {"id": principal["person_id"], "roles": [role]}
                new += 1
            if role not in (found.get("roles") or []):
                manager.post(
                    f"/api/networks/{network_id}/people/{found['id']}/roles",
                    {"role": role},
                    expect=(200,),
                )
            ids[role] = found["id"]
        return ids, new

    def offers(self, manager, network_id, spec, org_ids) -> tuple[dict, int]:
        listed = {o["title"]: o for o in manager.get(f"/api/networks/{network_id}/offers")}
        ids, new = {}, 0
        for o in spec["offers"]:
            found = listed.get(o["title"])
            if found is None:
                body = {k: v for k, v in o.items() if k not in ("org", "flanking")}
                body["organisation_id"] = org_ids[o["org"]]
                body["flanking_offer_ids"] = [ids[t] for t in o.get("flanking", [])]
                found = manager.post(f"/api/networks/{network_id}/offers", body).json()
                new += 1
            ids[o["title"]] = found["id"]
        return ids, new

    def agreements(self, manager, network_id, spec, org_ids) -> int:
        path = f"/api/networks/{network_id}/agreements"
        titles = {a["title"] for a in manager.get(path)}
        new = 0
        for a in spec["agreements"]:
            if a["title"] in titles:
                continue
            parties = [
                {"name": spec_org(spec, p["org"])["name"], "organisation_id": org_ids[p["org"]]}
                if "org" in p
                else p
                for p in a["parties"]
            ]
            manager.post(path, {**a, "parties": parties})
            new += 1
        return new

    def task_groups(self, manager, network_id, spec, org_ids, person_ids) -> int:
        path = f"/api/networks/{network_id}/task-groups"
        names = {t["name"] for t in manager.get(path)}
        new = 0
        for t in spec["task_groups"]:
            if t["name"] in names:
                continue
            body = {
                **t,
                "members": [person_ids[role] for role in t["members"]],
                "organisations": [org_ids[k] for k in t["organisations"]],
            }
            manager.post(path, body)
            new += 1
        return new

    def referrals(self, referrer, network_id, spec, offer_ids, families) -> tuple[int, list]:
        """Refer the network's families not referred yet.

        cases keeps no list a referrer could look them up in, so the count is the network's
        referral count (reporting, from cases' events): the families are referred in order,
        and the first `count` of them are there already."""
        counted = self.referral_count(referrer, network_id)
        created = []
        for f in families[counted:]:
            body = {
                "offer_id": offer_ids[f["offer"]],
                "source_sector": f["sector"],
                "municipality": f["municipality"],
                "concern": f["concern"],
                "question": f["question"],
                "household": {
                    "carers": [{"name": f["carer"]}],
                    "children": [{"first_name": c, "birth_date": b} for c, b in f["children"]],
                },
                "consent": {
                    "given_by": f["carer"],
                    "given_on": CONSENT_ON,
                    "sharing": ["network_partners", "referrer_follow_up"],
                },
                "life_domains": f.get("life_domains", []),
            }
            created.append((f, self.refer(referrer, network_id, body)))
        new = max(0, len(families) - counted)
        if new:
            # Until reporting has counted them, a second run would refer them again.
            deadline = time.monotonic() + 60
            while self.referral_count(referrer, network_id) < len(families):
                if time.monotonic() > deadline:
                    raise DemoError(
                        f"{spec['network']['name']}: reporting counted "
                        f"{self.referral_count(referrer, network_id)} of {len(families)} "
                        "referrals after 60 s (GET .../indicators/referrals); is the "
                        "reporting service consuming cases' events?"
                    )
                time.sleep(0.5)
        return max(counted, len(families)), created

    @staticmethod
    def referral_count(referrer, network_id) -> int:
        return referrer.get(f"/api/networks/{network_id}/indicators/referrals")["referrals"]

    @staticmethod
    def refer(referrer, network_id, body) -> dict:
        # cases learns of the network, the offer and the referrer's role from partners'
        # events, a moment after they were made: 404/403/422 until then.
        path = f"/api/networks/{network_id}/referrals"
        deadline = time.monotonic() + 45
        while True:
            response = referrer.request("POST", path, expect=(201, 403, 404, 422), json=body)
            if response.status_code == 201:
                return response.json()
            if time.monotonic() > deadline:
                raise DemoError(
                    f"POST {path} (as {referrer.who}): HTTP {response.status_code} "
                    f"(still after 45 s)\n{_body(response)}"
                )
            time.sleep(0.5)


def spec_org(spec: dict, key: str) -> dict:
    return next(o for o in spec["organisations"] if o["key"] == key)


def organisation_body(o: dict, number: str) -> dict:
    slug = "".join(ch for ch in o["name"].lower() if ch.isalnum())[:30]
    return {
        "name": o["name"],
        "kbo": number,
        "sector": o["sector"],
        "municipalities": o["municipalities"],
        "contact": {"email": f"info@{slug}.demo", "phone": None, "address": None},
        "profile": o["profile"],
    }


def print_accounts(loader: Loader) -> None:
    print()
    print(f"Demo accounts (demo only), every one with the password: {loader.password}")
    widths = [max(len(row[i]) for row in loader.accounts) for i in range(3)]
    header = ("e-mail", "role", "network", "organisation")
    widths = [max(w, len(h)) for w, h in zip(widths, header, strict=False)]
    line = "  {:<{}}  {:<{}}  {:<{}}  {}"
    print(line.format(header[0], widths[0], header[1], widths[1], header[2], widths[2], header[3]))
    for email, role, network, organisation in loader.accounts:
        print(line.format(email, widths[0], role, widths[1], network, widths[2], organisation))
    shown = (
        loader.admin_password
        if loader.admin_password == COMPOSE_ADMIN_PASSWORD
        else "as set in VERBAND_ADMIN_PASSWORD"
    )
    print(f"  platform admin: {loader.admin_email} (password: {shown})")


def psql_runner(command: str):
    """SQL text -> run by `command` (e.g. psql in the database container), or DemoError."""

    def run(sql: str) -> None:
        done = subprocess.run(  # noqa: S603 - the operator's own command line
            shlex.split(command), input=sql, text=True, capture_output=True, check=False
        )
        if done.returncode != 0:
            raise DemoError(f"{command}: exit {done.returncode}\n{done.stderr[-2000:]}")

    return run


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gateway", default="http://localhost:8080")
    parser.add_argument(
        "--admin-email", default=os.environ.get("VERBAND_ADMIN_EMAIL") or COMPOSE_ADMIN_EMAIL
    )
    parser.add_argument(
        "--admin-password",
        default=os.environ.get("VERBAND_ADMIN_PASSWORD") or COMPOSE_ADMIN_PASSWORD,
    )
    parser.add_argument(
        "--password",
        default=os.environ.get("VERBAND_DEMO_PASSWORD") or DEMO_PASSWORD,
        help="the one password of every demo person (at least 12 characters)",
    )
    parser.add_argument(
        "--cases-psql",
        default=os.environ.get("VERBAND_DEMO_CASES_PSQL") or "",
        help="demo only: a command that runs SQL read from stdin in the cases database "
        "(make up passes one through docker compose), to give the demo families a past",
    )
    args = parser.parse_args(argv)
    base = args.gateway.rstrip("/")
    history = psql_runner(args.cases_psql) if args.cases_psql else None
    loader = Loader(base, args.admin_email, args.admin_password, args.password, history)
    try:
        wait_for_gateway(base)
        loader.run()
    except DemoError as exc:
        print(f"demo: FAILED: {exc}", file=sys.stderr)
        return 1
    print_accounts(loader)
    return 0


if __name__ == "__main__":
    sys.exit(main())
