"""Who may see and do what in reporting. Pure: the service loads the actor's roles (its
projection of partners' role events) and the networks' regions; these functions decide.

- coordinators and network admins of a network read its indicators and every report of it,
  and generate, approve, publish and correct them;
- an IROJ viewer (the `iroj_viewer` role in any network of a region) reads the published
  reports of every network of that region and the region's roll-up, and nothing else;
- the report-backs of a network's meetings are read by its coordinators and admins and by
  the IROJ viewers of its region; only those IROJ viewers answer the signals in them;
- anyone else with a role in the network is refused; without a role, the network's
  reports do not exist for them.
"""

from dataclasses import dataclass, field

from verband_common.roles import IROJ_VIEWER as IROJ
from verband_common.roles import NETWORK_ROLES
from verband_common.roles import REPORT_KEEPERS as MANAGERS

VISIBLE_TO_IROJ = frozenset({"published"})


@dataclass(frozen=True)
class Principal:
    person_id: str | None
    roles: dict = field(default_factory=dict)  # network id (str) -> frozenset of roles
    regions: dict = field(default_factory=dict)  # network id (str) -> region

    def roles_in(self, network_id) -> frozenset:
        return frozenset(self.roles.get(str(network_id), ()))

    def in_network(self, network_id) -> bool:
        # A guest of one meeting is no one of the network for its reports.
        return bool(self.roles_in(network_id) & NETWORK_ROLES)

    def manages(self, network_id) -> bool:
        return bool(self.roles_in(network_id) & MANAGERS)

    @property
    def iroj_regions(self) -> frozenset:
        return frozenset(
            self.regions[n]
            for n, roles in self.roles.items()
            if IROJ in roles and n in self.regions
        )

    @property
    def managed_networks(self) -> frozenset:
        return frozenset(n for n, roles in self.roles.items() if roles & MANAGERS)


def can_read_report(p: Principal, report: dict) -> bool:
    if p.manages(report["network_id"]):
        return True
    return report["status"] in VISIBLE_TO_IROJ and report["region"] in p.iroj_regions


def can_read_region(p: Principal, region: str) -> bool:
    return region in p.iroj_regions


def can_read_report_backs(p: Principal, network_id, region: str | None) -> bool:
    return p.manages(network_id) or (region is not None and region in p.iroj_regions)


def can_answer_signal(p: Principal, region: str | None) -> bool:
    """IROJ answers as IROJ: the network's own managers read the answer, they do not write it."""
    return region is not None and region in p.iroj_regions
