"""Service tier: loads the shared fixtures of libs/verband_common/tests/kit/verband_servicekit.py
(one broker and one database per session, a fresh vhost and databases per test), and builds
the small world most partners tests act in: two networks in two regions, each with a partner
organisation and people in roles."""

import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

KIT = Path(__file__).resolve().parents[4] / "libs" / "verband_common" / "tests" / "kit"
if str(KIT) not in sys.path:
    sys.path.insert(0, str(KIT))


def pytest_configure(config):
    config.pluginmanager.import_plugin("verband_servicekit")


NETWORK_B = {
    "name": "Kerngroep RTJ Limburg",
    "kind": "kerngroep",
    "region": "Limburg",
    "municipalities": ["71072", "71016"],
}
ORGANISATION_B = {
    "name": "CAW Limburg",
    "kbo": "0412.134.786",
    "sector": "caw",
    "municipalities": ["71072"],
}


def join(verband, rpc, network_id, name, email, organisation_id=None, roles=()) -> dict:
    from verband_servicekit import join_network

    return join_network(verband, rpc, network_id, name, email, organisation_id, roles)


class World(SimpleNamespace):
    def rpc(self, actor):
        return self.verband.rpc(context_data={"actor": actor})

    def join(self, rpc, network_id, name, email, organisation_id=None, roles=()) -> dict:
        return join(self.verband, rpc, network_id, name, email, organisation_id, roles)


@pytest.fixture
def world(verband):
    """Network A (Vlaams-Brabant/Brussel) and B (Limburg), each with a kernpartner, a
    coordinator, a partner worker and a referrer (actor references in `world.<name>`)."""
    from verband_servicekit import NETWORK, ORGANISATION, admin_actor

    from partners.service import PartnersService

    container = verband.start(PartnersService)
    admin = admin_actor(verband)
    w = World(verband=verband, container=container, db=container.db_url, admin=admin)
    with verband.rpc(context_data={"actor": admin}) as rpc:
        for key, network, org in (("a", NETWORK, ORGANISATION), ("b", NETWORK_B, ORGANISATION_B)):
            made = rpc.partners.create_network(network)
            organisation = rpc.partners.create_organisation(org)
            rpc.partners.add_membership(
                made["id"],
                {
                    "organisation_id": organisation["id"],
                    "role": "kernpartner",
                    "starts_on": "2025-01-01",
                },
            )
            setattr(w, f"network_{key}", made["id"])
            setattr(w, f"org_{key}", organisation["id"])
            for role in ("coordinator", "partner_worker", "referrer"):
                person = join(
                    verband,
                    rpc,
                    made["id"],
                    f"{role} {key}",
                    f"{role}.{key}@verband.test",
                    organisation["id"],
                    [role],
                )
                setattr(w, f"{role}_{key}", person["actor"])
                setattr(w, f"{role}_{key}_id", person["person_id"])
    return w
