"""The life of a report: draft -> approved (by the body the network names, who and when
recorded) -> published to IROJ. A correction after publication is a new draft version with
its reason; when that version is published the one it corrects becomes superseded, and is
kept."""

DRAFT, APPROVED, PUBLISHED, SUPERSEDED = "draft", "approved", "published", "superseded"

STEPS = {
    "approve": ({DRAFT}, APPROVED, "Alleen een ontwerp kan worden goedgekeurd."),
    "publish": ({APPROVED}, PUBLISHED, "Alleen een goedgekeurd rapport kan worden gepubliceerd."),
}


class StepRefused(Exception):
    pass


def next_status(status: str, step: str) -> str:
    allowed, to, message = STEPS[step]
    if status not in allowed:
        raise StepRefused(message)
    return to


def may_regenerate(versions: list[dict]) -> bool:
    """A draft may be generated again; once a version is approved or published, a change
    goes through a correction."""
    return all(v["status"] == DRAFT for v in versions)


def may_correct(report: dict, versions: list[dict]) -> str | None:
    """Why `report` cannot be corrected now, or None."""
    if report["status"] != PUBLISHED:
        return "Alleen een gepubliceerd rapport kan worden gecorrigeerd."
    newest = max(v["version"] for v in versions)
    if newest != report["version"]:
        return "Er is al een nieuwere versie van dit rapport in voorbereiding."
    return None


def overlapping(period, published: list) -> object | None:
    """A period already published to IROJ that overlaps `period` without being it (a year
    and one of its quarters), or None.

    IROJ reads a network's year either by quarter or as a year, never both: a year's figure
    minus three published quarters gives back the fourth, also where that quarter's report
    hid it as "<5". A correction of the same period is no overlap (it supersedes)."""
    for other in published:
        same = other.kind == period.kind and other.start == period.start
        if not same and other.start <= period.end and period.start <= other.end:
            return other
    return None
