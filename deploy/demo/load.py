"""Loads demo data through the gateway's JSON API, so it goes the way real input goes.

The networks, regions and municipalities are those of the source documents (RTJ De Tafels
in Meetjesland and Deinze, 1G1P Asse-Meise-Vilvoorde, the Kerngroep RTJ of IROJ Limburg);
the families are invented. Running it twice adds nothing the second time.
"""

import argparse
import sys
import time

import requests

# NIS codes of the municipalities each network serves.
NETWORKS = [
    {
        "network": {"name": "RTJ De Tafels", "kind": "RTJ", "region": "Meetjesland en Deinze"},
        "offers": [
            {
                "title": "Gezinscoaching De Tafels",
                "kind": "family_coaching",
                "capacity": 24,
                "free_places": 3,
                "municipalities": ["43005", "43010", "43002", "44084", "44083"],
            },
            {
                "title": "Eerstelijnspsychologische zorg Meetjesland",
                "kind": "first_line_psychology",
                "capacity": 40,
                "free_places": 6,
                "municipalities": ["43005", "43010", "44085"],
                "warm_waiting_list": False,
            },
            {
                "title": "Opvoedingscursus Deinze",
                "kind": "parenting_course",
                "capacity": 12,
                "free_places": 12,
                "municipalities": ["44083"],
                "warm_waiting_list": False,
            },
        ],
    },
    {
        "network": {
            "name": "1G1P Asse-Meise-Vilvoorde",
            "kind": "1G1P",
            "region": "Asse-Meise-Vilvoorde",
        },
        "offers": [
            {
                "title": "Gezinscoaches 1G1P AMV",
                "kind": "family_coaching",
                "capacity": 30,
                "free_places": 0,
                "municipalities": ["23002", "23050", "23088"],
            },
            {
                "title": "Consult jeugdhulp Vilvoorde",
                "kind": "consultation",
                "capacity": 20,
                "free_places": 5,
                "municipalities": ["23088"],
                "warm_waiting_list": False,
            },
        ],
    },
    {
        "network": {"name": "Kerngroep RTJ Limburg", "kind": "kerngroep", "region": "Limburg"},
        "offers": [
            {
                "title": "Contextbegeleiding Limburg",
                "kind": "home_guidance",
                "capacity": 35,
                "free_places": 4,
                "municipalities": ["71022", "71016", "71053", "73083"],
            },
        ],
    },
]

FAMILIES = [
    (
        "some",
        "43005",
        "ocmw",
        "Mama zoekt hulp bij de opvoeding van twee drukke kinderen.",
        [("Sara", "2016-05-14"), ("Yusuf", "2019-09-02")],
        "Leen Van Damme",
    ),
    (
        "serious",
        "44083",
        "huis_van_het_kind",
        "Er zijn zorgen over de veiligheid thuis.",
        [("Noor", "2012-01-23")],
        "Karim El Amrani",
    ),
    (
        "none",
        "23088",
        "ocmw",
        "Vader wil ondersteuning nu zijn zoon niet meer naar school gaat.",
        [("Milan", "2010-11-30")],
        "Peter Janssens",
    ),
    (
        "some",
        "71022",
        "clb",
        "Jongere met angstklachten; ouders vragen begeleiding aan huis.",
        [("Lotte", "2009-03-08")],
        "Els Claes",
    ),
]


def post(session, base, path, body):
    response = session.post(base + path, json=body, timeout=15)
    if response.status_code not in (201, 409):
        raise RuntimeError(f"POST {path}: {response.status_code} {response.text}")
    return response


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gateway", default="http://localhost:8080")
    args = parser.parse_args(argv)
    base = args.gateway.rstrip("/")
    session = requests.Session()

    existing = {n["name"]: n for n in session.get(base + "/api/networks/", timeout=15).json()}
    for index, spec in enumerate(NETWORKS):
        name = spec["network"]["name"]
        if name in existing:
            print(f"demo: {name} is there already")
            continue
        network = post(session, base, "/api/networks/", spec["network"]).json()
        offers = [
            post(session, base, f"/api/networks/{network['id']}/offers", o).json()
            for o in spec["offers"]
        ]
        for concern, municipality, sector, question, children, carer in FAMILIES:
            offer = offers[0]
            if municipality not in offer["municipalities"]:
                continue
            referral = {
                "offer_id": offer["id"],
                "source_sector": sector,
                "municipality": municipality,
                "concern": concern,
                "question": question,
                "household": {
                    "carers": [{"name": carer}],
                    "children": [{"first_name": c, "birth_date": b} for c, b in children],
                },
                "consent": {
                    "given_by": carer,
                    "given_on": "2026-11-02",
                    "sharing": ["network_partners", "referrer_follow_up"],
                },
            }
            # cases learns of a new offer by event; give it a moment before referring.
            for _ in range(40):
                response = session.post(
                    f"{base}/api/networks/{network['id']}/referrals", json=referral, timeout=15
                )
                if response.status_code == 201:
                    break
                time.sleep(0.25)
            else:
                raise RuntimeError(f"referral not accepted: {response.status_code} {response.text}")
        print(f"demo: {name} with {len(offers)} offers ({index + 1}/{len(NETWORKS)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
