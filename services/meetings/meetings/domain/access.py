"""Who may do what, from the actor's roles per network (learned from partners' events) and
their seat in a body. Pure: the service loads both, these functions decide."""

from dataclasses import dataclass, field

from verband_common.roles import BODY_ORGANISERS as ORGANISERS

# Body seats that prepare and lead meetings (Afsprakenkader Kerngroep RTJ: the chair and
# the IROJ-ondersteuner prepare the meeting; the secretary keeps the agenda and minutes).
LEADERS = frozenset({"chair", "secretary"})


@dataclass(frozen=True)
class Principal:
    person_id: object | None
    # network id (str) -> roles held there
    roles: dict = field(default_factory=dict)

    def roles_in(self, network_id) -> frozenset:
        return frozenset(self.roles.get(str(network_id), ()))

    def in_network(self, network_id) -> bool:
        return bool(self.roles_in(network_id))


def seat_of(principal: Principal, members: list[dict]) -> dict | None:
    """The principal's seat in a body: as a person, or as the delegate of an organisation."""
    if principal.person_id is None:
        return None
    me = str(principal.person_id)
    for m in members:
        if m.get("active", True) and me in (str(m.get("person_id")), str(m.get("delegate_id"))):
            return m
    return None


def can_organise(principal: Principal, network_id) -> bool:
    return bool(principal.roles_in(network_id) & ORGANISERS)


def can_lead(principal: Principal, network_id, members: list[dict]) -> bool:
    seat = seat_of(principal, members)
    return seat is not None and seat["role"] in LEADERS


def is_secretary(principal: Principal, members: list[dict]) -> bool:
    seat = seat_of(principal, members)
    return seat is not None and seat["role"] == "secretary"


def can_see_documents(principal: Principal, network_id, members: list[dict], guest: bool) -> bool:
    """A meeting's documents: the body's members, the guests of that one meeting, and the
    network's organisers; no one else, though they may see the meeting itself."""
    return guest or can_organise(principal, network_id) or seat_of(principal, members) is not None


def can_manage_documents(principal: Principal, network_id, members: list[dict]) -> bool:
    """Who adds documents and invites guests: the body's chair or secretary, or an organiser."""
    return can_organise(principal, network_id) or can_lead(principal, network_id, members)
