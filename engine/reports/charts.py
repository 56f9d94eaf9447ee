"""Small inline SVG charts for the HTML report: no scripts, no fonts to fetch, no network.

Each function returns an ``<svg>`` element as text; every value written into it is a
number formatted here or text escaped here, so the markup is safe to embed as is.
"""

from __future__ import annotations

from html import escape

from engine.evaluation.results import ItemResult

COLOURS = {
    "pass": "#2e7d4f",
    "fail": "#c62828",
    "missing": "#f2a93b",
    "error": "#8e24aa",
    "not_applicable": "#b0b7bf",
}
_STACK = ("pass", "fail", "missing", "error", "not_applicable")


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def status_bar(counts: dict[str, int], width: int = 320, height: int = 18) -> str:
    """One horizontal bar split by status, for a group of items."""
    total = sum(counts.get(status, 0) for status in _STACK) or 1
    x = 0.0
    parts = []
    for status in _STACK:
        count = counts.get(status, 0)
        if not count:
            continue
        w = width * count / total
        parts.append(
            f'<rect class="seg {status}" x="{_n(x)}" y="0" width="{_n(w)}" height="{height}" '
            f'fill="{COLOURS[status]}"><title>{status}: {count}</title></rect>'
        )
        if w >= 14:
            parts.append(
                f'<text x="{_n(x + w / 2)}" y="{height - 5}" text-anchor="middle" '
                f'font-size="11" fill="#fff">{count}</text>'
            )
        x += w
    return (
        f'<svg class="status-bar" width="{width}" height="{height}" viewBox="0 0 {width} '
        f'{height}" role="img" xmlns="http://www.w3.org/2000/svg">{"".join(parts)}</svg>'
    )


def is_measurable(result: ItemResult) -> bool:
    """Whether the item compares a number with a numeric threshold (drawn even without data)."""
    return (
        result.operator is not None
        and result.threshold is not None
        and not isinstance(result.value, bool)
        and result.status != "not_applicable"
    )


def bullet(result: ItemResult, label: str, width: int = 260, height: int = 34) -> str:
    """The value against the threshold: bar, threshold tick, gap shaded, better-direction arrow."""
    assert is_measurable(result)
    assert result.threshold is not None
    threshold = float(result.threshold)
    if not isinstance(result.value, float | int):
        return _no_value(threshold, label, width, height)
    value = float(result.value)
    top = max(value, threshold, 0.0) * 1.2 or 1.0
    low = min(value, 0.0)
    span = top - low

    def x(v: float) -> float:
        return 6 + (width - 22) * (v - low) / span

    ok = result.status == "pass"
    colour = COLOURS["pass" if ok else "fail"]
    better_higher = result.operator in (">=", ">") or (
        result.operator == "==" and value < threshold
    )
    parts = [
        f'<rect x="{_n(x(low))}" y="9" width="{_n(x(top) - x(low))}" height="14" fill="#eef1f3"/>',
        f'<rect class="value" x="{_n(x(min(0.0, value)))}" y="12" '
        f'width="{_n(abs(x(value) - x(0.0)))}" height="8" fill="{colour}"/>',
    ]
    if not ok:
        left, right = sorted((x(value), x(threshold)))
        parts.append(
            f'<rect class="gap" x="{_n(left)}" y="9" width="{_n(max(right - left, 1.5))}" '
            f'height="14" fill="{COLOURS["fail"]}" fill-opacity="0.18" '
            f'stroke="{COLOURS["fail"]}" stroke-dasharray="2 2"/>'
        )
    parts.append(
        f'<line class="threshold" x1="{_n(x(threshold))}" x2="{_n(x(threshold))}" y1="5" '
        f'y2="27" stroke="#222" stroke-width="2"/>'
    )
    if result.operator == "==" and value == threshold:
        # "= 100 %" met: neither higher nor lower is better — a target mark, not an arrow.
        parts.append(
            f'<circle class="target" cx="{width - 10}" cy="16" r="4" stroke="#555" '
            'fill="none" stroke-width="1.5"/>'
            f'<circle cx="{width - 10}" cy="16" r="1.2" fill="#555"/>'
        )
    else:
        arrow = (
            f"M{width - 14},16 l8,0 m-3,-3 l3,3 l-3,3"
            if better_higher
            else f"M{width - 6},16 l-8,0 m3,-3 l-3,3 l3,3"
        )
        parts.append(
            f'<path class="better" d="{arrow}" stroke="#555" fill="none" stroke-width="1.5"/>'
        )
    return (
        f'<svg class="bullet" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(label)}</title>{''.join(parts)}</svg>"
    )


def _no_value(threshold: float, label: str, width: int, height: int) -> str:
    """The threshold alone, over a hatched track: there is no value to draw."""
    x = 6 + (width - 22) / 1.2
    return (
        f'<svg class="bullet no-value" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(label)}</title>'
        f'<rect x="6" y="9" width="{width - 22}" height="14" fill="none" '
        f'stroke="{COLOURS["missing"]}" stroke-dasharray="3 3"/>'
        f'<line class="threshold" x1="{_n(x)}" x2="{_n(x)}" y1="5" y2="27" '
        f'stroke="#222" stroke-width="2"/></svg>'
    )


def sparkline(
    series: list[tuple[int, float]], threshold: float | None, width: int = 120, height: int = 30
) -> str:
    """Earlier years' values, with the threshold as a dashed line."""
    values = [value for _, value in series] + ([threshold] if threshold is not None else [])
    low, high = min(values), max(values)
    span = (high - low) or 1.0

    def y(v: float) -> float:
        return height - 4 - (height - 8) * (v - low) / span

    step = (width - 8) / max(len(series) - 1, 1)
    points = " ".join(f"{_n(4 + i * step)},{_n(y(v))}" for i, (_, v) in enumerate(series))
    parts = [f'<polyline points="{points}" fill="none" stroke="#1f5f8b" stroke-width="1.5"/>']
    last_x, last_y = 4 + (len(series) - 1) * step, y(series[-1][1])
    parts.append(f'<circle cx="{_n(last_x)}" cy="{_n(last_y)}" r="2.5" fill="#1f5f8b"/>')
    if threshold is not None:
        parts.append(
            f'<line x1="0" x2="{width}" y1="{_n(y(threshold))}" y2="{_n(y(threshold))}" '
            f'stroke="#222" stroke-dasharray="3 2" stroke-width="1"/>'
        )
    years = f"{series[0][0]}–{series[-1][0]}"
    return (
        f'<svg class="sparkline" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" xmlns="http://www.w3.org/2000/svg"><title>{years}</title>{"".join(parts)}</svg>'
    )


def gap_counts(points: list[tuple[str, int]], title: str, height: int = 150) -> str:
    """A bar per snapshot: the number of blocking gaps, with the snapshot's label below."""
    bar, gap = 46, 34
    width = len(points) * (bar + gap) + gap
    top = max((count for _, count in points), default=0) or 1
    floor = height - 34
    parts = [f'<line x1="0" x2="{width}" y1="{floor}" y2="{floor}" stroke="#888"/>']
    for index, (label, count) in enumerate(points):
        x = gap + index * (bar + gap)
        tall = (floor - 22) * count / top
        colour = COLOURS["fail"] if count else COLOURS["pass"]
        parts.append(
            f'<rect x="{x}" y="{_n(floor - tall)}" width="{bar}" height="{_n(tall)}" '
            f'fill="{colour}"><title>{escape(label)}: {count}</title></rect>'
            f'<text x="{_n(x + bar / 2)}" y="{_n(floor - tall - 6)}" text-anchor="middle" '
            f'font-size="13" font-weight="700">{count}</text>'
            f'<text x="{_n(x + bar / 2)}" y="{floor + 16}" text-anchor="middle" font-size="11" '
            f'fill="#5f6b74">{escape(_short(label))}</text>'
        )
    return (
        f'<svg class="gap-counts" width="{width}" height="{height}" viewBox="0 0 {width} '
        f'{height}" role="img" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
        f"{''.join(parts)}</svg>"
    )


def _short(label: str, limit: int = 14) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
