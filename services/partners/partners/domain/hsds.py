"""The network's offer catalogue as Open Referral HSDS 3.0: a page of services, each with its
organisation, service areas (municipalities) and, as attributes, capacity and free places.

HSDS 3.0 has no capacity object; capacity, free places, the offer kind and RTJ/NRTJ travel
as attributes with taxonomy terms of a `verband` taxonomy. Ids of nested records are derived
from the offer's id (UUID v5), so a second export gives the same ids.
"""

import uuid

from partners.domain import kbo
from partners.domain.municipalities import name_of

NAMESPACE = uuid.UUID("6f1e3a52-5f0c-4f47-9a0e-6b9b8d1c2a10")
TAXONOMY = "verband"
# HSDS statuses: active, inactive, defunct, temporarily closed.
STATUS = {"active": "active", "paused": "temporarily closed", "ended": "inactive"}
TERMS = {
    "capacity": "Capaciteit: het aantal plaatsen van het aanbod.",
    "free_places": "Vrije plaatsen op dit moment.",
    "offer_kind": "Soort aanbod (Verband-code).",
    "access": "RTJ (rechtstreeks toegankelijk) of NRTJ.",
    "warm_waiting_list": "Het aanbod houdt een warme wachtlijst bij.",
}


def _id(*parts) -> str:
    return str(uuid.uuid5(NAMESPACE, ":".join(str(p) for p in parts)))


def _attribute(offer_id, code: str, value) -> dict:
    return {
        "id": _id(offer_id, "attribute", code),
        "link_id": str(offer_id),
        "link_type": "service",
        "link_entity": "service",
        "taxonomy_term_id": _id("term", code),
        "value": str(value),
        "taxonomy_term": {
            "id": _id("term", code),
            "code": code,
            "name": code,
            "description": TERMS[code],
            "taxonomy": TAXONOMY,
        },
    }


def organisation(org: dict) -> dict:
    record = {
        "id": str(org["id"]),
        "name": org["name"],
        "description": org.get("profile") or org["name"],
        "organization_identifiers": [
            {
                "id": _id(org["id"], "kbo"),
                "organization_id": str(org["id"]),
                "identifier_scheme": "BE-BCE_KBO",
                "identifier_type": "ondernemingsnummer",
                "identifier": kbo.formatted(org["kbo"]),
            }
        ],
    }
    email = (org.get("contact") or {}).get("email")
    if email:
        record["email"] = email
    return record


def service(offer: dict, org: dict | None) -> dict:
    """One offer as an HSDS service (`org` None: an offer from before organisations were
    recorded, exported without one)."""
    ages = offer["target_ages"]
    eligibility = f"Voor kinderen en jongeren van {ages['min']} tot {ages['max']} jaar."
    if offer["situations"]:
        eligibility += " Situaties: " + ", ".join(offer["situations"]) + "."
    wait = f"{offer['free_places']} van {offer['capacity']} plaatsen vrij."
    if offer.get("can_start_from"):
        wait += f" Start mogelijk vanaf {offer['can_start_from'].isoformat()}."
    record = {
        "id": str(offer["id"]),
        "name": offer["title"],
        "description": offer.get("description") or offer["title"],
        "status": STATUS[offer["status"]],
        "eligibility_description": eligibility,
        "minimum_age": ages["min"],
        "maximum_age": ages["max"],
        "wait_time": wait,
        "last_modified": offer["updated_at"].isoformat(),
        "service_areas": [
            {
                "id": _id(offer["id"], "area", nis),
                "service_id": str(offer["id"]),
                "name": name_of(nis),
                "description": f"Gemeente {name_of(nis)} (NIS {nis})",
                "extent": nis,
                "extent_type": "text",
            }
            for nis in offer["municipalities"]
        ],
        "attributes": [
            _attribute(offer["id"], "capacity", offer["capacity"]),
            _attribute(offer["id"], "free_places", offer["free_places"]),
            _attribute(offer["id"], "offer_kind", offer["kind"]),
            _attribute(offer["id"], "access", offer["rtj"]),
            _attribute(offer["id"], "warm_waiting_list", str(offer["warm_waiting_list"]).lower()),
        ],
    }
    if org is not None:
        record["organization_id"] = str(org["id"])
        record["organization"] = organisation(org)
    return record


def catalogue(offers: list[dict], organisations: dict) -> dict:
    """One HSDS page holding every service (`organisations`: id -> organisation)."""
    contents = [service(o, organisations.get(o["organisation_id"])) for o in offers]
    return {
        "total_items": len(contents),
        "total_pages": 1,
        "page_number": 1,
        "size": len(contents),
        "first_page": True,
        "last_page": True,
        "empty": not contents,
        "contents": contents,
    }
