"""iCalendar (RFC 5545) feeds of meetings: one per body, one per person.

Written by hand: the format is small, and it keeps the runtime free of another dependency.
Times are given in UTC (no VTIMEZONE needed); cancelled meetings stay in the feed with
STATUS:CANCELLED and a higher SEQUENCE, so calendars remove them instead of keeping them.
"""

import datetime as dt

PRODID = "-//Verband//Vergaderingen//NL"


def escape(value: str) -> str:
    """TEXT escaping of RFC 5545 section 3.3.11."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Lines of at most 75 octets, continued with CRLF and a space (section 3.1)."""
    out, current = [], b""
    for ch in line:
        encoded = ch.encode("utf-8")
        limit = 75 if not out else 74  # a continuation line starts with one space
        if len(current) + len(encoded) > limit:
            out.append(current.decode("utf-8"))
            current = b""
        current += encoded
    out.append(current.decode("utf-8"))
    return "\r\n ".join(out)


def _utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(name: str, meetings: list[dict], now: dt.datetime, domain: str) -> str:
    """`meetings`: dicts with id, body_name, starts_at, ends_at, status, sequence, location,
    description. Returns the feed as text with CRLF line endings."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
    ]
    for m in meetings:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{m['id']}@{domain}",
            f"DTSTAMP:{_utc(now)}",
            f"DTSTART:{_utc(m['starts_at'])}",
            f"DTEND:{_utc(m['ends_at'])}",
            f"SUMMARY:{escape(m['body_name'])}",
            f"SEQUENCE:{int(m.get('sequence', 0))}",
            f"STATUS:{'CANCELLED' if m['status'] == 'cancelled' else 'CONFIRMED'}",
        ]
        if m.get("location"):
            lines.append(f"LOCATION:{escape(m['location'])}")
        if m.get("description"):
            lines.append(f"DESCRIPTION:{escape(m['description'])}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
