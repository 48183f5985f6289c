"""PDFs of an agenda and of minutes (fpdf2, pure Python) and the texts of the e-mails.

fpdf2's built-in fonts cover Latin-1, which holds Dutch (é, ë, ï, ...); typographic
characters outside it are mapped to their plain forms rather than failing a document.
"""

import datetime as dt

from fpdf import FPDF

from verband_common.labels import (
    ATTENDANCE_LABELS,
    REPRESENTS_LABELS,
    SEAT_LABELS,
    SIGNAL_KIND_LABELS,
    VOTE_CHOICE_LABELS,
)

_PLAIN = str.maketrans(
    {"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "...", "€": "EUR"}
)

# In the running text of a document, so in lower case.
ATTENDANCE_NL = {code: label.lower() for code, label in ATTENDANCE_LABELS.items()}
ROLE_NL = {code: label.lower() for code, label in SEAT_LABELS.items()}
CHOICE_NL = {code: label.lower() for code, label in VOTE_CHOICE_LABELS.items()}
STATUS_NL = {"draft": "ONTWERP", "sent": "ONTWERP (bezorgd)", "approved": "GOEDGEKEURD"}


def latin1(text) -> str:
    return str(text or "").translate(_PLAIN).encode("latin-1", "replace").decode("latin-1")


def _when(meeting: dict) -> str:
    local = meeting["local_starts_at"]
    return local.strftime("%d/%m/%Y om %H:%M")


class _Doc(FPDF):
    def __init__(self, title: str):
        super().__init__(format="A4")
        self.set_title(latin1(title))
        self.set_creator("Verband")
        self.set_auto_page_break(True, margin=15)
        self.add_page()

    def heading(self, text: str, size: int = 16):
        self.set_font("Helvetica", "B", size)
        self.multi_cell(0, size * 0.5, latin1(text), new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def para(self, text: str, style: str = "", size: int = 11):
        self.set_font("Helvetica", style, size)
        self.multi_cell(0, 5.5, latin1(text), new_x="LMARGIN", new_y="NEXT")


def agenda_pdf(
    body: dict, meeting: dict, items: list[dict], meeting_files: list[dict] = ()
) -> bytes:
    """`items` may carry `files` (uploaded documents, by name) besides their linked
    `documents`; `meeting_files` are the documents of the meeting as a whole."""
    doc = _Doc(f"Agenda {body['name']}")
    doc.heading(f"Agenda - {body['name']}")
    doc.para(
        f"Vergadering van {_when(meeting)}"
        + (f", {meeting['location']}" if meeting.get("location") else "")
    )
    doc.ln(4)
    for n, item in enumerate(items, start=1):
        doc.para(f"{n}. {item['title']}", "B")
        if item.get("explanation"):
            doc.para(item["explanation"])
        if item.get("decision_asked"):
            doc.para(f"Gevraagde beslissing: {item['decision_asked']}", "I")
        for d in item.get("documents") or []:
            doc.para(f"Stuk: {d['name']}" + (f" ({d['url']})" if d.get("url") else ""))
        for f in item.get("files") or []:
            doc.para(f"Stuk: {file_label(f)}")
        doc.ln(2)
    if meeting_files:
        doc.para("Stukken bij de vergadering", "B")
        for f in meeting_files:
            doc.para(f"- {file_label(f)}")
    return bytes(doc.output())


def file_label(document: dict) -> str:
    """An uploaded document as the agenda names it: its name and, once replaced, its version."""
    count = len(document.get("versions") or [])
    return document["name"] + (f" (versie {count})" if count > 1 else "")


def minutes_pdf(
    body: dict,
    meeting: dict,
    minutes: dict | None,
    members: list[dict],
    attendance: dict[str, str],
    items: list[dict],
    decisions: list[dict],
    actions: list[dict],
    signals: list[dict],
) -> bytes:
    status = STATUS_NL[minutes["status"]] if minutes else STATUS_NL["draft"]
    doc = _Doc(f"Verslag {body['name']}")
    doc.heading(f"Verslag - {body['name']}")
    doc.para(f"Vergadering van {_when(meeting)} - {status}", "B")
    doc.ln(2)
    doc.para("Aanwezigheid", "B")
    for m in members:
        state = ATTENDANCE_NL.get(attendance.get(str(m["id"])), "niet geregistreerd")
        vote = "" if m["voting"] else ", zonder stemrecht"
        sits_for = REPRESENTS_LABELS.get(m.get("represents"))
        sits_for = f", {sits_for.lower()}" if sits_for else ""
        doc.para(f"- {m['display_name']} ({ROLE_NL[m['role']]}{sits_for}{vote}): {state}")
    quorum = meeting.get("quorum_reached")
    doc.para(f"Quorum bereikt: {'ja' if quorum else 'nee'}")
    if meeting.get("iroj_reporter_name"):
        doc.para(f"Terugkoppeling aan IROJ: {meeting['iroj_reporter_name']}")
    if minutes and minutes.get("summary"):
        doc.ln(2)
        doc.para(minutes["summary"])
    names = {str(m["id"]): m["display_name"] for m in members}
    for n, item in enumerate(items, start=1):
        doc.ln(3)
        doc.para(f"{n}. {item['title']}", "B")
        if item.get("notes"):
            doc.para(item["notes"])
        for d in (d for d in decisions if str(d["item_id"]) == str(item["id"])):
            how = "consensus" if d["method"] == "consensus" else "stemming"
            result = "aangenomen" if d["outcome"] == "adopted" else "verworpen"
            doc.para(f"Beslissing ({how}, {result}): {d['text']}", "I")
            for o in d.get("objections") or []:
                doc.para(f"  Bezwaar van {names.get(o['member_id'], '?')}: {o['text']}")
            if d.get("tally"):
                t = d["tally"]
                doc.para(
                    f"  Stemmen: {t['for']} voor, {t['against']} tegen, {t['abstain']} onthoudingen"
                )
        for a in (a for a in actions if str(a.get("item_id")) == str(item["id"])):
            doc.para(f"Actie: {a['title']} - {a['owner_name']}, tegen {a['due_on'].isoformat()}")
    if signals:
        doc.ln(3)
        doc.para("Signalen aan IROJ", "B")
        for s in signals:
            kind = SIGNAL_KIND_LABELS.get(s["kind"], s["kind"])
            doc.para(
                f"- {kind}: {s['title']}"
                + (f" - {s['description']}" if s.get("description") else "")
            )
    if minutes and minutes.get("amendments"):
        doc.ln(3)
        doc.para("Wijzigingen bij goedkeuring", "B")
        for a in minutes["amendments"]:
            doc.para(f"- {a}")
    return bytes(doc.output())


def agenda_mail(
    body: dict, meeting: dict, items: list[dict], file_names: list[str] = (), link: str = ""
) -> tuple[str, str]:
    """The agenda's mail; uploaded documents are named and linked (the portal's page of the
    meeting), never attached: whoever opens them signs in, so access is checked each time."""
    subject = f"Agenda {body['name']} - {_when(meeting)}"
    lines = [
        "Beste,",
        "",
        f"Hierbij de agenda van de vergadering van {body['name']} op {_when(meeting)}"
        + (f" ({meeting['location']})." if meeting.get("location") else "."),
        "",
    ]
    lines += [f"{n}. {i['title']}" for n, i in enumerate(items, start=1)]
    lines += ["", "De agenda zit in de bijlage."]
    if file_names:
        lines += ["", "Stukken (open ze in het portaal, na aanmelding):"]
        lines += [f"- {name}" for name in file_names]
        if link:
            lines += ["", link]
    lines += [
        "",
        "Met vriendelijke groeten,",
        "Het secretariaat",
    ]
    return subject, "\n".join(lines)


def minutes_mail(body: dict, meeting: dict) -> tuple[str, str]:
    subject = f"Ontwerpverslag {body['name']} - {_when(meeting)}"
    text = (
        "Beste,\n\n"
        f"Hierbij het ontwerpverslag van de vergadering van {body['name']} op {_when(meeting)}.\n"
        "Het wordt ter goedkeuring voorgelegd op de volgende vergadering; opmerkingen zijn"
        " welkom bij het secretariaat.\n\nMet vriendelijke groeten,\nHet secretariaat"
    )
    return subject, text


def pdf_name(kind: str, body: dict, day: dt.date) -> str:
    safe = "".join(c if c.isalnum() else "-" for c in body["name"].lower()).strip("-")
    return f"{kind}-{safe}-{day.isoformat()}.pdf"
