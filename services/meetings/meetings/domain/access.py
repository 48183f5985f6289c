"""Who may do what, from the actor's roles per network (learned from partners' events) and
their seat in a body. Pure: the service loads both, these functions decide."""

from dataclasses import dataclass, field

from verband_common.roles import BODY_ORGANISERS as ORGANISERS
from verband_common.roles import MEETING_ROLES, NETWORK_ROLES

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
        """Let into the network's meetings at all (a guest too); each body and meeting then
        decides who sees it."""
        return bool(self.roles_in(network_id) & MEETING_ROLES)

    def works_in(self, network_id) -> bool:
        """Works in or watches the network: its library, vorming and people. Not a guest."""
        return bool(self.roles_in(network_id) & NETWORK_ROLES)


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


def sees_body(principal: Principal, network_id, members: list[dict]) -> bool:
    """A body's meetings, agendas, minutes, actions and calendar: its members and the
    network's organisers. Anyone else of the network learns nothing of them (not found), a
    role in the network is no seat at the table."""
    return can_organise(principal, network_id) or seat_of(principal, members) is not None


def sees_meeting(principal: Principal, network_id, members: list[dict], guest: bool) -> bool:
    """One meeting (its agenda, documents, minutes, guests): those who see the body, and the
    guests invited to that one meeting; a guest sees nothing of the body's other meetings."""
    return guest or sees_body(principal, network_id, members)


def can_manage_documents(principal: Principal, network_id, members: list[dict]) -> bool:
    """Who adds documents and invites guests: the body's chair or secretary, or an organiser."""
    return can_organise(principal, network_id) or can_lead(principal, network_id, members)
