"""The network's volume agreement with the mandated bodies (OCJ/SDJ): how many families they
may bring in within the agreement's period, for faster access to the network's offer.

A triage decision that takes a family into help (onto a waiting list, or a start at once) of
a referral with a mandated body involved (`mandated_referral`: flagged so, or sent by one)
uses one of the agreed places. Within the volume it
follows the normal path; once every place of the period is used, the coordinator can still
take the family in, but only by an explicit override with a reason, which is recorded: the
agreement is followed up with the mandated body, and an override is what that talk is about.
"""

import datetime as dt
from dataclasses import dataclass

from verband_common.contracts.cases import mandated_referral

__all__ = ["mandated_referral"]

# The triage decisions that take a family into the network's help, so use an agreed place.
TAKES_A_PLACE = ("waiting_list", "start_now")
OVERRIDE_FIELD = "volume_override_reason"
OVERRIDE_NEEDED = (
    "Alle afgesproken plaatsen voor de gemandateerde voorziening zijn gebruikt. "
    "Geef de reden om het gezin toch op te nemen."
)


@dataclass(frozen=True)
class VolumeAgreement:
    id: str
    agreed_number: int
    starts_on: dt.date
    ends_on: dt.date | None
    status: str = "active"

    def in_force_on(self, day: dt.date) -> bool:
        return (
            self.status == "active"
            and self.starts_on <= day
            and (self.ends_on is None or day <= self.ends_on)
        )


@dataclass(frozen=True)
class Volume:
    """Where the agreement in force stands: `used` of `agreed` places in its period."""

    agreement_id: str
    agreed: int
    used: int
    starts_on: dt.date
    ends_on: dt.date | None

    @property
    def full(self) -> bool:
        return self.used >= self.agreed

    def as_dict(self) -> dict:
        return {
            "agreement_id": self.agreement_id,
            "agreed": self.agreed,
            "used": self.used,
            "starts_on": self.starts_on,
            "ends_on": self.ends_on,
            "full": self.full,
        }


def in_force(agreements: list[VolumeAgreement], day: dt.date) -> VolumeAgreement | None:
    """The agreement that governs `day`. Where two overlap (a renewal recorded before the old
    one was ended), the one that began last holds: it is the network's current word."""
    current = [a for a in agreements if a.in_force_on(day)]
    if not current:
        return None
    return max(current, key=lambda a: (a.starts_on, a.id))


def override_needed(mandated_body: bool, decision: str, volume: Volume | None) -> bool:
    """True when this decision goes beyond the agreed volume: a mandated body is involved,
    the decision uses a place, and every place of the agreement's period is used. Without
    an agreement in force there is no volume to keep, so the normal path holds."""
    return mandated_body and decision in TAKES_A_PLACE and volume is not None and volume.full


def volume_problems(
    mandated_body: bool, decision: dict, volume: Volume | None
) -> dict[str, list[str]]:
    """Field errors of a triage decision against the volume agreement (none within it)."""
    if not override_needed(mandated_body, decision["decision"], volume):
        return {}
    if (decision.get(OVERRIDE_FIELD) or "").strip():
        return {}
    return {OVERRIDE_FIELD: [OVERRIDE_NEEDED]}
