"""Reporting to IROJ end to end: a network's quarterly report is generated from its events,
approved by its body and published; an IROJ viewer of the region reads and exports it, a
viewer of another region and anyone before publication see nothing; no export carries a
family's name, birth date or free text."""

import datetime as dt
import io
import re
import zipfile
import zlib

from openpyxl import load_workbook

from verband_testkit.api import (
    create_team,
    expect,
    poll,
    portal_session,
    publish_offer,
    refer_once_offer_known,
    referral_input,
    wait_referral_count,
)

FORMATS = ("csv", "xlsx", "pdf")
FAMILY = {
    "carer": "Griet Vanhoutte-Maes",
    "child": "Zita Vanhoutte",
    "question": "Moeder zoekt hulp bij de slaapproblemen van Zita sinds de verhuis.",
    "consent_by": "Griet Vanhoutte-Maes",
}


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def family_referral(offer_id) -> dict:
    today = dt.date.today()
    payload = referral_input(offer_id)
    payload["question"] = FAMILY["question"]
    payload["household"] = {
        "carers": [{"name": FAMILY["carer"]}],
        "children": [{"first_name": FAMILY["child"], "birth_date": birth_date(today).isoformat()}],
    }
    payload["consent"] = {**payload["consent"], "given_by": FAMILY["consent_by"]}
    return payload


def birth_date(today: dt.date) -> dt.date:
    return dt.date(today.year - 9, 2, 17)


def export_text(fmt: str, content: bytes) -> str:
    """Everything an export says, as text: the CSV itself, every XML part of the workbook,
    every (inflated) stream of the PDF."""
    if fmt == "csv":
        return content.decode("utf-8-sig")
    if fmt == "xlsx":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "\n".join(archive.read(name).decode("utf-8") for name in archive.namelist())
    parts = []
    for found in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S):
        try:
            parts.append(zlib.decompress(found.group(1)))
        except zlib.error:
            parts.append(found.group(1))
    return (content + b"\n".join(parts)).decode("latin-1")


def assert_no_family_data(fmt: str, content: bytes) -> None:
    text = export_text(fmt, content)
    today = dt.date.today()
    born = birth_date(today)
    forbidden = [
        FAMILY["carer"],
        FAMILY["child"],
        "Vanhoutte",
        "slaapproblemen",
        FAMILY["question"][:30],
        born.isoformat(),
        born.strftime("%d/%m/%Y"),
        born.strftime("%d.%m.%Y"),
    ]
    for word in forbidden:
        assert word not in text, f"{fmt} export holds {word!r}"


def publish_flow(team, period: dict) -> dict:
    """Generate, approve and publish the team's report over `period` as its coordinator."""
    draft = expect(
        team.http("coordinator", "POST", f"/api/networks/{team.id}/reports", json=period), 201
    )
    approved = expect(
        team.http(
            "coordinator",
            "POST",
            f"/api/reports/{draft['id']}/approval",
            json={"body_name": "Beleidsgroep", "decided_on": dt.date.today().isoformat()},
        ),
        200,
    )
    assert approved["status"] == "approved"
    return expect(team.http("coordinator", "POST", f"/api/reports/{draft['id']}/publication"), 200)


def test_a_report_goes_from_draft_to_iroj_of_its_region_only(stack):
    region = "Limburg"
    network = create_team(
        stack, roles=("coordinator", "network_admin", "referrer", "iroj_viewer"), region=region
    )
    # An IROJ viewer of the same region, named through another network of that region.
    neighbour = create_team(stack, roles=("coordinator", "iroj_viewer"), region=region)
    # An IROJ viewer of another region, whose region has a published report of its own.
    elsewhere = create_team(stack, roles=("coordinator", "iroj_viewer"), region="Antwerpen")

    offer = publish_offer(network)
    refer_once_offer_known(network, offer["id"])
    expect(
        network.http(
            "referrer",
            "POST",
            f"/api/networks/{network.id}/referrals",
            json=family_referral(offer["id"]),
        ),
        201,
    )
    wait_referral_count(network, 2)
    period = {"kind": "quarter", "start": quarter_start(dt.date.today()).isoformat()}

    # --- a draft: the network sees it, IROJ does not --------------------------------------
    draft = expect(
        network.http("coordinator", "POST", f"/api/networks/{network.id}/reports", json=period),
        201,
    )
    assert draft["status"] == "draft" and draft["version"] == 1
    referrals = next(i for i in draft["content"]["indicators"] if i["key"] == "referrals")
    # Two referrals: a small count, shown as "<5" and never as its number.
    assert referrals["display"] == "<5" and referrals["value"] is None

    # Bad input stores nothing: a month is no report period, a future approval date is refused.
    bad = network.http(
        "coordinator",
        "POST",
        f"/api/networks/{network.id}/reports",
        json={"kind": "month", "start": period["start"]},
    )
    assert bad.status_code == 422 and "kind" in bad.json()["error"]["fields"]
    bad = network.http(
        "coordinator",
        "POST",
        f"/api/reports/{draft['id']}/approval",
        json={"body_name": "Beleidsgroep", "decided_on": "2999-01-01"},
    )
    assert bad.status_code == 422 and "decided_on" in bad.json()["error"]["fields"]
    listed = expect(network.http("coordinator", "GET", f"/api/networks/{network.id}/reports"), 200)
    assert [(r["id"], r["status"]) for r in listed] == [(draft["id"], "draft")]

    # --- approved by the body, by a known person, on a date; then published ----------------
    approved = expect(
        network.http(
            "coordinator",
            "POST",
            f"/api/reports/{draft['id']}/approval",
            json={"body_name": "Beleidsgroep", "decided_on": dt.date.today().isoformat()},
        ),
        200,
    )
    assert approved["status"] == "approved"
    assert approved["approved_by_body"] == "Beleidsgroep"
    assert approved["approved_by"] == network.people["coordinator"]["name"]
    assert approved["approved_on"] == dt.date.today().isoformat()
    for viewer in (neighbour, network):
        hidden = viewer.http("iroj_viewer", "GET", f"/api/reports/{draft['id']}")
        assert hidden.status_code == 404, hidden.text
    published = expect(
        network.http("coordinator", "POST", f"/api/reports/{draft['id']}/publication"), 200
    )
    assert published["status"] == "published" and published["published_at"]

    # The other region publishes too, so its viewer is known to reporting and sees something.
    own = publish_flow(elsewhere, period)

    def reads(team, report_id):
        r = team.http("iroj_viewer", "GET", f"/api/reports/{report_id}")
        return r.json() if r.status_code == 200 else None

    # --- IROJ of the region reads and exports it -------------------------------------------
    seen = poll(lambda: reads(neighbour, draft["id"]), 30, what="IROJ of Limburg reading")
    assert seen["status"] == "published" and seen["network_id"] == network.id
    region_reports = expect(
        neighbour.http("iroj_viewer", "GET", "/api/reports", params={"region": region}), 200
    )
    assert draft["id"] in [r["id"] for r in region_reports]
    assert all(r["status"] == "published" and r["region"] == region for r in region_reports)
    rollup = expect(
        neighbour.http(
            "iroj_viewer", "GET", "/api/reporting/rollup", params={"region": region, **period}
        ),
        200,
    )
    assert rollup["region"] == region
    assert network.id in [str(n["network_id"]) for n in rollup["networks"] or []]

    exported = {}
    for fmt in FORMATS:
        r = neighbour.http("iroj_viewer", "GET", f"/api/reports/{draft['id']}/export.{fmt}")
        assert r.status_code == 200, (fmt, r.status_code, r.text[:300])
        assert "attachment" in r.headers["Content-Disposition"]
        exported[fmt] = r.content
    assert network.network["name"] in exported["csv"].decode("utf-8-sig")
    book = load_workbook(io.BytesIO(exported["xlsx"]))
    assert "Indicatoren" in book.sheetnames and "Definities" in book.sheetnames
    assert exported["pdf"].startswith(b"%PDF-")
    for fmt, content in exported.items():
        assert_no_family_data(fmt, content)
    # ... and the network's own exports of its report, too.
    for fmt in FORMATS:
        r = network.http("coordinator", "GET", f"/api/reports/{draft['id']}/export.{fmt}")
        assert r.status_code == 200
        assert_no_family_data(fmt, r.content)

    # --- IROJ of another region sees nothing of it -----------------------------------------
    poll(lambda: reads(elsewhere, own["id"]), 30, what="IROJ of Antwerpen reading its own")
    for path in (
        f"/api/reports/{draft['id']}",
        *(f"/api/reports/{draft['id']}/export.{fmt}" for fmt in FORMATS),
    ):
        r = elsewhere.http("iroj_viewer", "GET", path)
        assert r.status_code == 404, (path, r.status_code, r.text[:300])
    theirs = expect(elsewhere.http("iroj_viewer", "GET", "/api/reports"), 200)
    assert [r["id"] for r in theirs] == [own["id"]]
    r = elsewhere.http(
        "iroj_viewer", "GET", "/api/reporting/rollup", params={"region": region, **period}
    )
    assert r.status_code in (403, 404), r.text
    # Nor is a network's monitoring open to an IROJ viewer at all.
    r = neighbour.http(
        "iroj_viewer", "GET", f"/api/networks/{network.id}/indicators", params=period
    )
    assert r.status_code == 404

    # --- a correction is a new draft version; IROJ keeps the published one until then -----
    bad = network.http(
        "coordinator", "POST", f"/api/reports/{draft['id']}/corrections", json={"reason": ""}
    )
    assert bad.status_code == 422 and "reason" in bad.json()["error"]["fields"]
    correction = expect(
        network.http(
            "coordinator",
            "POST",
            f"/api/reports/{draft['id']}/corrections",
            json={"reason": "Een aanmelding van deze maand kwam laat binnen."},
        ),
        201,
    )
    assert correction["version"] == 2 and correction["status"] == "draft"
    assert str(correction["correction_of"]) == draft["id"]
    assert neighbour.http("iroj_viewer", "GET", f"/api/reports/{correction['id']}").status_code == (
        404
    )
    assert reads(neighbour, draft["id"])["status"] == "published"

    # --- the portal: IROJ's home lists it, the download works -------------------------------
    browser = portal_session(stack, neighbour.people["iroj_viewer"]["email"])
    home = browser.get(stack.base_url + "/iroj", timeout=30)
    assert home.status_code == 200, home.text[:500]
    assert network.network["name"] in home.text
    assert f"/rapporten/{draft['id']}/export.pdf" in home.text
    pdf = browser.get(stack.base_url + f"/rapporten/{draft['id']}/export.pdf", timeout=60)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert_no_family_data("pdf", pdf.content)
    other = portal_session(stack, elsewhere.people["iroj_viewer"]["email"])
    assert other.get(stack.base_url + f"/rapporten/{draft['id']}", timeout=30).status_code == 404
    assert network.network["name"] not in other.get(stack.base_url + "/iroj", timeout=30).text

    # --- the coordinator's portal: the dashboard with its charts, the correction approved and
    # published through the report page's forms -----------------------------------------------
    desk = portal_session(stack, network.people["coordinator"]["email"])
    dashboard = desk.get(stack.base_url + "/rapportering", timeout=60)
    assert dashboard.status_code == 200, dashboard.text[:500]
    assert 'role="img"' in dashboard.text and "<desc" in dashboard.text
    assert "Aanmeldingen" in dashboard.text
    page = desk.get(stack.base_url + f"/rapporten/{correction['id']}", timeout=30)
    assert page.status_code == 200 and 'value="approve"' in page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    refused = desk.post(
        stack.base_url + f"/rapporten/{correction['id']}",
        data={"csrf_token": token, "action": "approve", "body_name": "", "decided_on": ""},
        timeout=30,
    )
    assert refused.status_code == 422
    assert 'id="e-body_name"' in refused.text and 'id="e-decided_on"' in refused.text
    assert reads(network, correction["id"]) is None  # still a draft: not for IROJ
    approved = desk.post(
        stack.base_url + f"/rapporten/{correction['id']}",
        data={
            "csrf_token": token,
            "action": "approve",
            "body_name": "Beleidsgroep",
            "decided_on": dt.date.today().strftime("%d/%m/%Y"),
        },
        timeout=30,
    )
    assert approved.status_code == 200 and 'value="publish"' in approved.text, approved.text[:500]
    done = desk.post(
        stack.base_url + f"/rapporten/{correction['id']}",
        data={"csrf_token": token, "action": "publish"},
        timeout=30,
    )
    assert done.status_code == 200 and "IROJ van de regio kan het nu lezen" in done.text
    assert poll(lambda: reads(neighbour, correction["id"]), 30)["version"] == 2
    first = expect(network.http("coordinator", "GET", f"/api/reports/{draft['id']}"), 200)
    assert first["status"] == "superseded"
