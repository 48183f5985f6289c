"""Age bands, pseudonyms and child fingerprints: what may leave the service about a family."""

import datetime as dt
import hashlib
import hmac

# Bands used in every event and report; wide enough that a band never identifies a child.
AGE_BANDS = ((0, 2, "0-2"), (3, 5, "3-5"), (6, 11, "6-11"), (12, 17, "12-17"), (18, 24, "18-24"))


def age_on(birth_date: dt.date, day: dt.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def age_band(birth_date: dt.date, day: dt.date) -> str:
    age = age_on(birth_date, day)
    for low, high, label in AGE_BANDS:
        if low <= age <= high:
            return label
    raise ValueError(f"age {age} is outside youth care")


def pseudonym(network_key: bytes, family_id) -> str:
    """A stable pseudonym of a family within one network (keyed hash, 128 bits, hex).

    Without the network's key the pseudonym cannot be linked to the family, and the same
    family gets unrelated pseudonyms in two networks.
    """
    return hmac.new(network_key, str(family_id).encode(), hashlib.sha256).hexdigest()[:32]


def child_key(network_key: bytes, first_name: str, birth_date: dt.date) -> str:
    """A keyed fingerprint of a child (first name and birth date), to find the same child on
    several waiting lists without comparing names in the clear. Case and spacing of the name
    do not count: referrers type names differently."""
    normal = " ".join(first_name.casefold().split())
    message = f"child:{normal}:{birth_date.isoformat()}".encode()
    return hmac.new(network_key, message, hashlib.sha256).hexdigest()[:32]
