"""The network's offer catalogue as Open Referral HSDS 3.0: a page of services, each with its
organisation, service areas (municipalities) and, as attributes, capacity and free places.

HSDS 3.0 has no capacity object; capacity, free places, the offer kind and RTJ/NRTJ travel
as attributes with taxonomy terms of a `verband` taxonomy. Ids of nested records are derived
from the offer's id (UUID v5), so a second export gives the same ids.
"""

import uuid

from partners.domain.municipalities import MUNICIPALITIES, POSTCODES, name_of
from verband_common import kbo
from verband_common.schemas.partners import LANGUAGES, WAIT_BANDS

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


# -- the public catalogue (the guide as HSDS): built from the guide's public view alone -----


def _province(postcode: str) -> str:
    found = MUNICIPALITIES.get(POSTCODES.get(postcode, ""))
    return found.province if found else "Vlaanderen"


def public_service(view: dict) -> dict:
    """One offer of the public guide as an HSDS service. It reads only the guide's public
    view (guide.public_view), which holds no capacity, places, people or agreements; the
    wait travels as its band, in words."""
    sid = str(view["id"])
    ages = view["target_ages"]
    eligibility = f"Voor kinderen en jongeren van {ages['min']} tot {ages['max']} jaar."
    if view["situations"]:
        eligibility += " Voor: " + ", ".join(view["situations"]) + "."
    record = {
        "id": sid,
        "name": view["title"],
        "description": view["description"] or view["title"],
        "status": "active",
        "eligibility_description": eligibility,
        "minimum_age": ages["min"],
        "maximum_age": ages["max"],
        "wait_time": WAIT_BANDS[view["wait_band"]],
        "last_modified": view["updated_at"].isoformat(),
        "service_areas": [
            {
                "id": _id(sid, "area", m["nis"]),
                "service_id": sid,
                "name": m["name"],
                "description": f"Gemeente {m['name']} (NIS {m['nis']})",
                "extent": m["nis"],
                "extent_type": "text",
            }
            for m in view["municipalities"]
        ],
        "languages": [
            {
                "id": _id(sid, "language", code),
                "service_id": sid,
                "name": LANGUAGES[code],
                "code": code,
            }
            for code in view["languages"]
        ],
    }
    if view["referral"]:
        record["application_process"] = view["referral"]
    if view["cost"]:
        record["fees_description"] = view["cost"]
        record["cost_options"] = [
            {"id": _id(sid, "cost"), "service_id": sid, "amount_description": view["cost"]}
        ]
    if view["opening_hours"]:
        record["schedules"] = [
            {"id": _id(sid, "schedule"), "service_id": sid, "description": view["opening_hours"]}
        ]
    if view["contact_phone"]:
        record["phones"] = [
            {"id": _id(sid, "phone"), "service_id": sid, "number": view["contact_phone"]}
        ]
    if view["contact_email"]:
        record["email"] = view["contact_email"]
    if view["organisation_name"]:
        # Named by its name alone: the public catalogue carries no internal ids of partners.
        record["organization"] = {
            "id": _id("organisation", view["organisation_name"]),
            "name": view["organisation_name"],
            "description": view["organisation_name"],
        }
        record["organization_id"] = record["organization"]["id"]
    address = view["address"]
    if address:
        location_id = _id(sid, "location")
        record["service_at_locations"] = [
            {
                "id": _id(sid, "at", location_id),
                "service_id": sid,
                "location_id": location_id,
                "location": {
                    "id": location_id,
                    "location_type": "physical",
                    "name": view["organisation_name"] or view["title"],
                    "addresses": [
                        {
                            "id": _id(location_id, "address"),
                            "location_id": location_id,
                            "address_1": address["street"],
                            "city": address["city"],
                            "state_province": _province(address["postcode"]),
                            "postal_code": address["postcode"],
                            "country": "BE",
                            "address_type": "physical",
                        }
                    ],
                },
            }
        ]
    return record


def public_page(views: list[dict]) -> dict:
    contents = [public_service(v) for v in views]
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
