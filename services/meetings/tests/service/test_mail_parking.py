"""One mail never holds the mail queue up: a mail that cannot be composed is parked at once,
one the server refuses is tried again later and then parked, the mails behind them go out
meanwhile, and the network admin sees what was parked and why."""

import pytest
from meetings_support import Person, World, role_granted
from nameko.testing.services import entrypoint_waiter
from verband_servicekit import until_calls, wait_until

from verband_common.errors import Forbidden, NotFound

pytestmark = pytest.mark.service


def with_admin(w: World) -> Person:
    admin = Person("Nele Admin", w.network, ("network_admin",))
    with entrypoint_waiter(w.meetings, "on_role_granted", callback=until_calls(1), timeout=20):
        w.verband.publish(
            "partners", role_granted(w.network, admin.id, "network_admin", admin.name, admin.email)
        )
    return admin


def queue(w: World, subject: str, recipients: list[str], network=None) -> int:
    [row] = w.verband.sql(
        w.meetings.db_url,
        "INSERT INTO mail_outbox (network_id, recipients, subject, body)"
        " VALUES (%s, %s, %s, 'Beste, ...') RETURNING id",
        (network or w.network, recipients, subject),
    )
    return row["id"]


def state(w: World, mail_id: int) -> dict:
    [row] = w.verband.sql(
        w.meetings.db_url,
        "SELECT sent_at, attempts, parked_at, last_error, next_attempt_at"
        " FROM mail_outbox WHERE id = %s",
        (mail_id,),
    )
    return row


def test_a_poisoned_mail_is_parked_and_the_next_mail_goes_out(verband, mailbox):
    w = World(verband, mailbox)
    admin = with_admin(w)
    # A header with a line break (a body named so) cannot be composed; before, it made the
    # sender raise on every round, and every later mail of every network waited behind it.
    poisoned = queue(w, "Agenda Kernteam\nBcc: iedereen@example.org", [w.chair.email])
    body = w.create_body(mail_days_before=3)
    today = w.meeting_soon(body, 2)
    with w.rpc(w.chair) as rpc:
        rpc.meetings.publish_agenda(today["id"])

    wait_until(lambda: len(mailbox.messages()) == 1, what="the agenda mail, after the poison")
    [mail] = mailbox.messages()
    assert mail["Subject"].startswith("Agenda Beleidsgroep")
    assert "iedereen@example.org" not in mail["X-Envelope-To"]
    parked = state(w, poisoned)
    assert parked["sent_at"] is None and parked["parked_at"] is not None
    assert "kan niet opgemaakt worden" in parked["last_error"]
    assert parked["attempts"] == 1
    with w.rpc() as rpc:  # the count operators see
        assert rpc.meetings.health()["mail_parked"] == 1

    with w.rpc(admin) as rpc:
        [shown] = rpc.meetings.parked_mails(str(w.network))
    assert shown["id"] == poisoned
    assert shown["subject"].startswith("Agenda Kernteam")
    assert shown["recipients"] == [w.chair.email]
    assert "kan niet opgemaakt worden" in shown["last_error"]
    assert shown["parked_at"]

    # Only the network's admin sees them; another network's people not even the network.
    with w.rpc(w.coordinator) as rpc, pytest.raises(Forbidden):
        rpc.meetings.parked_mails(str(w.network))
    with w.rpc(w.stranger) as rpc, pytest.raises(NotFound):
        rpc.meetings.parked_mails(str(w.network))


def test_a_refused_mail_is_retried_with_backoff_then_parked_while_others_go(verband, mailbox):
    w = World(verband, mailbox, MAIL_RETRY_SECONDS=0.5, MAIL_MAX_ATTEMPTS=3)
    admin = with_admin(w)
    refused = queue(w, "Uitnodiging", ["refused.mailbox@verband.test"])
    fine = queue(w, "Verslag", [w.secretary.email])
    wait_until(lambda: mailbox.to(w.secretary.email), what="the mail behind the refused one")
    first = state(w, refused)
    assert first["sent_at"] is None and first["parked_at"] is None
    assert first["attempts"] >= 1 and "SMTPRecipientsRefused" in first["last_error"]
    assert first["next_attempt_at"] is not None
    assert state(w, fine)["sent_at"] is not None

    later = queue(w, "Actiepunten", [w.coordinator.email])
    wait_until(lambda: mailbox.to(w.coordinator.email), what="a later mail")
    wait_until(lambda: state(w, refused)["parked_at"] is not None, what="parked", timeout=20)
    parked = state(w, refused)
    assert parked["attempts"] == 3 and "na 3 pogingen" in parked["last_error"]
    assert state(w, later)["sent_at"] is not None
    with w.rpc(admin) as rpc:
        assert [m["id"] for m in rpc.meetings.parked_mails(str(w.network))] == [refused]
