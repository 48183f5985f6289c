"""Backup and restore, as a region's IT runs them (deploy/backup.sh, deploy/restore.sh, behind
`make backup` / `make restore FROM=...`): the databases of a running stack are dumped, checked
against their checksums, and restored into a fresh stack, where the same people sign in and
find the same cases through the API."""

import json
import pathlib
import subprocess

import pytest

from verband_testkit import SERVICES, Stack, service_container, wait_for
from verband_testkit.api import PASSWORD, create_team, expect, publish_offer, referral_input

ROOT = pathlib.Path(__file__).resolve().parents[2]


def run(script, *args, stack, check=True):
    env = {"PATH": "/usr/bin:/bin:/usr/local/bin"}
    env["PG_EXEC"] = f"docker exec -i {stack.database.container.get_wrapped_container().id}"
    return subprocess.run(
        [str(ROOT / "deploy" / script), *map(str, args)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=check,
    )


def cases_seen(stack, email) -> list:
    token = stack.login(email, PASSWORD)
    nid = next(iter(expect(stack.http("GET", "/api/networks/", token=token), 200)))["id"]
    cases = expect(stack.http("GET", f"/api/networks/{nid}/cases", token=token), 200)
    return sorted(cases, key=lambda c: c["id"])


@pytest.fixture(scope="module")
def fresh_stack():
    stack = Stack.start()
    try:
        yield stack
    finally:
        stack.stop()


def test_a_backup_restored_into_a_fresh_stack_has_the_same_cases(stack, fresh_stack, tmp_path):
    team = create_team(stack)
    offer = publish_offer(team, title="Gezinscoaching back-up", capacity=5, free_places=2)
    for _ in range(3):
        expect(
            team.http(
                "referrer",
                "POST",
                f"/api/networks/{team.id}/referrals",
                json=referral_input(offer["id"]),
            ),
            201,
        )
    coordinator = team.people["coordinator"]["email"]
    wait_for(lambda: len(cases_seen(stack, coordinator)) == 3, 60, what="three cases")
    before = cases_seen(stack, coordinator)

    backup = tmp_path / "backup"
    out = run("backup.sh", backup, stack=stack)
    assert "done" in out.stdout, out.stderr
    manifest = json.loads((backup / "manifest.json").read_text())
    assert [d["database"] for d in manifest["databases"]] == list(SERVICES)
    assert sorted(p.name for p in backup.iterdir()) == sorted(
        [f"{s}.dump" for s in SERVICES] + ["SHA256SUMS", "manifest.json"]
    )

    # A damaged file is refused before anything is touched.
    damaged = tmp_path / "damaged"
    damaged.mkdir()
    for f in backup.iterdir():
        (damaged / f.name).write_bytes(f.read_bytes())
    with (damaged / "cases.dump").open("ab") as f:
        f.write(b"\0")
    refused = run("restore.sh", damaged, stack=fresh_stack, check=False)
    assert refused.returncode != 0 and "nothing restored" in refused.stderr

    # Into the fresh stack: services stopped, databases replaced, services started again.
    with pytest.raises(AssertionError):
        fresh_stack.login(coordinator, PASSWORD)  # nobody of the first stack is known here
    for service in SERVICES:
        fresh_stack.services[service].stop()
    out = run("restore.sh", backup, stack=fresh_stack)
    assert out.stdout.count("restore: ") >= len(SERVICES), out.stderr
    for service in SERVICES:
        fresh_stack.services[service] = service_container(
            service, fresh_stack.network, **fresh_stack.service_env.get(service, {})
        ).start()
    fresh_stack.wait_healthy(120)

    assert cases_seen(fresh_stack, coordinator) == before
