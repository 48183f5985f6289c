"""Charts of the reporting pages as inline SVG, drawn on the server, each with its text
alternative.

No script and no chart library: a figure is plain SVG markup with a <title> and a <desc>
that say in words what it shows (every value, "<5" where a count is suppressed), so a
screen reader user gets the same facts as a sighted one; the pages also show the figures in
a table. A suppressed value is never drawn as a bar or a point: its size would give away
what the suppression hides.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from markupsafe import Markup, escape

from verband_common.dutch import number_text

INK = "#1a1a1a"
BAR = "#1d4e89"  # 8.6:1 on white
TARGET = "#7a4b00"  # 6.9:1 on white
GRID = "#c8c8c8"
MUTED = "#555555"  # 7.5:1 on white

_ids = itertools.count(1)


@dataclass(frozen=True)
class Point:
    """One value of a chart: its label, its number (None when suppressed or unknown) and the
    text to show for it ("12", "45 %", "<5")."""

    label: str
    value: float | None
    display: str


def _id(prefix: str) -> str:
    return f"{prefix}-{next(_ids)}"


def _text(x, y, text, anchor="start", size=12, fill=INK, weight=None) -> str:
    bold = f' font-weight="{weight}"' if weight else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
        f'fill="{fill}"{bold}>{escape(text)}</text>'
    )


def _figure(kind: str, title: str, summary: str, width: int, height: int, body: list[str]):
    tid, did = _id(f"{kind}-t"), _id(f"{kind}-d")
    # Safe: every text drawn went through escape(); the rest is numbers and fixed markup.
    return Markup(  # noqa: S704
        f'<svg class="chart chart-{kind}" role="img" aria-labelledby="{tid} {did}" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif">'
        f'<title id="{tid}">{escape(title)}</title><desc id="{did}">{escape(summary)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def _listing(points: list[Point]) -> str:
    return "; ".join(f"{p.label}: {p.display}" for p in points)


def _nice_top(highest: float) -> float:
    """A round upper bound for an axis (1, 2, 2.5, 5 or 10 times a power of ten)."""
    if highest <= 0:
        return 1.0
    power = 10 ** (len(str(int(highest))) - 1) if highest >= 1 else 0.1
    while power > highest:
        power /= 10
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= highest:
            return step * power
    return 10 * power


def bars(title: str, points: list[Point], unit_label: str = "") -> Markup:
    """Horizontal bars, one per category (e.g. per municipality); a suppressed category is
    listed with "<5" and no bar."""
    label_w, bar_w, row_h, top = 170, 300, 26, 10
    width = label_w + bar_w + 70
    height = top + row_h * max(len(points), 1) + 10
    known = [p.value for p in points if p.value is not None]
    scale_top = _nice_top(max(known)) if known else 1.0
    body = []
    for i, p in enumerate(points):
        y = top + i * row_h
        body.append(_text(label_w - 8, y + 17, _short(p.label, 24), "end"))
        if p.value is not None and p.value > 0:
            length = max(1.0, bar_w * p.value / scale_top)
            body.append(
                f'<rect x="{label_w}" y="{y + 4}" width="{length:.1f}" height="{row_h - 8}" '
                f'fill="{BAR}"/>'
            )
            body.append(_text(label_w + length + 6, y + 17, p.display))
        else:
            body.append(_text(label_w + 6, y + 17, p.display, fill=MUTED))
    if not points:
        body.append(_text(label_w, top + 17, "Geen gegevens", fill=MUTED))
    unit = f" ({unit_label})" if unit_label else ""
    summary = f"Staafdiagram{unit}. " + (_listing(points) if points else "Geen gegevens.")
    return _figure("bars", title, summary, width, height, body)


def trend(title: str, points: list[Point], unit_label: str = "") -> Markup:
    """A line over the periods; a suppressed or missing period breaks the line (and is
    marked "<5" on the axis), so no value can be read off for it."""
    left, right, top, bottom = 48, 16, 14, 44
    inner_w, inner_h = 420, 160
    width, height = left + inner_w + right, top + inner_h + bottom
    known = [p.value for p in points if p.value is not None]
    scale_top = _nice_top(max(known)) if known else 1.0
    body = []
    for fraction in (0, 0.5, 1):
        y = top + inner_h * (1 - fraction)
        body.append(
            f'<line x1="{left}" x2="{left + inner_w}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        body.append(_text(left - 6, y + 4, _axis_number(scale_top * fraction), "end", 11, MUTED))
    step = inner_w / max(len(points) - 1, 1)
    # About 56 units per axis label: with many periods (12 months) only every n-th is written
    # under the axis (the last always); the text alternative names them all.
    every = max(1, -(-56 // int(step))) if len(points) > 1 else 1
    segments: list[list[tuple[float, float]]] = [[]]
    for i, p in enumerate(points):
        x = left + (i * step if len(points) > 1 else inner_w / 2)
        if (len(points) - 1 - i) % every == 0:
            body.append(_text(x, top + inner_h + 18, _short(p.label, 12), "middle", 11))
        if p.value is None:
            body.append(_text(x, top + inner_h + 34, p.display, "middle", 11, MUTED))
            segments.append([])
            continue
        y = top + inner_h * (1 - p.value / scale_top)
        segments[-1].append((x, y))
        body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{BAR}"/>')
    for segment in segments:
        if len(segment) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in segment)
            body.append(
                f'<polyline points="{path}" fill="none" stroke="{BAR}" stroke-width="2.5"/>'
            )
    if points and points[-1].value is not None:
        x, y = segments[-1][-1]
        body.append(_text(x, y - 8, points[-1].display, "middle", 12, INK, "600"))
    unit = f" ({unit_label})" if unit_label else ""
    summary = f"Verloop{unit} per periode. " + (_listing(points) if points else "Geen gegevens.")
    return _figure("trend", title, summary, width, height, body)


def progress(title: str, value: float | None, display: str, target: float) -> Markup:
    """How far a count has come towards its target (e.g. 200 additional family guidances)."""
    width, height, bar_w, left = 480, 64, 440, 20
    body = [
        f'<rect x="{left}" y="10" width="{bar_w}" height="22" fill="#ffffff" '
        f'stroke="{INK}" stroke-width="1"/>'
    ]
    if value is not None and target > 0:
        share = min(value / target, 1.0)
        if share > 0:
            body.append(
                f'<rect x="{left}" y="10" width="{bar_w * share:.1f}" height="22" fill="{BAR}"/>'
            )
        words = f"{display} van {_axis_number(target)} ({_percent(value / target)})"
    else:
        words = f"{display} van {_axis_number(target)}"
    body.append(_text(left, 52, words, size=13, weight="600"))
    body.append(_text(left + bar_w, 52, f"doel {_axis_number(target)}", "end", 12, TARGET))
    summary = f"Voortgang naar het doel: {words}."
    return _figure("progress", title, summary, width, height, body)


def _short(text: str, limit: int) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _axis_number(value: float) -> str:
    return number_text(round(float(value), 1))


def _percent(share: float) -> str:
    return f"{share * 100:.0f} %"
