"""The public offer guide (aanbodgids): what a resident may read about an offer, and how
long one waits for it now, as a band.

The wait band is the only thing the guide says about places and waiting: free places, the
number of families waiting and capacity stay inside the service.
"""

import datetime as dt

from partners.domain.municipalities import name_of
from verband_common.schemas.partners import PUBLIC_OFFER_FIELDS

# A month and three months, in days, as residents count them.
MONTH = 31
THREE_MONTHS = 92


def band_for(days: int) -> str:
    if days <= MONTH:
        return "up_to_1_month"
    if days <= THREE_MONTHS:
        return "1_to_3_months"
    return "over_3_months"


def wait_band(
    free_places: int,
    open_entries: int,
    waiting_since: dt.date | None,
    can_start_from: dt.date | None,
    today: dt.date,
) -> str:
    """How long one waits now. Someone already waiting sets it: the next family waits at
    least as long as the longest wait so far. With nobody waiting, a free place means no
    wait; a full offer with a known start date waits until then; else we do not know."""
    if open_entries:
        if waiting_since is None:
            return "unknown"
        return band_for((today - waiting_since).days)
    if free_places > 0:
        return "none"
    if can_start_from is not None and can_start_from > today:
        return band_for((can_start_from - today).days)
    return "unknown"


def public_view(row: dict, today: dt.date) -> dict:
    """One active offer as the guide shows it: the public fields, the provider's name, the
    municipalities by name and the wait band. Built field by field, so that whatever else
    the row holds (places, waiting counts, network, agreements) cannot slip through."""
    view = {field: row[field] for field in PUBLIC_OFFER_FIELDS}
    view["organisation_name"] = row["organisation_name"]
    view["municipalities"] = [{"nis": nis, "name": name_of(nis)} for nis in row["municipalities"]]
    view["wait_band"] = wait_band(
        row["free_places"],
        row["open_entries"],
        row["waiting_since"],
        row["can_start_from"],
        today,
    )
    return view
