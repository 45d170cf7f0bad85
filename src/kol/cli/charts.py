"""Small self-contained SVG charts for the demo's report (no plotting library needed)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

WIDTH, HEIGHT = 720, 320
LEFT, RIGHT, TOP, BOTTOM = 70, 20, 40, 50
COLOURS = ("#c0392b", "#2471a3", "#7d3c98", "#1e8449", "#b9770e")


def _frame(title: str, y_label: str, y_max: float, ticks: int = 4) -> list[str]:
    plot_h = HEIGHT - TOP - BOTTOM
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="11">',
        '<rect width="100%" height="100%" fill="white"/>',
        f'<text x="{LEFT}" y="20" font-size="14" font-weight="bold">{escape(title)}</text>',
        f'<text x="12" y="{TOP + plot_h / 2}" transform="rotate(-90 12 {TOP + plot_h / 2})" '
        f'text-anchor="middle">{escape(y_label)}</text>',
    ]
    for i in range(ticks + 1):
        value = y_max * i / ticks
        y = TOP + plot_h - plot_h * i / ticks
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#ddd"/>'
        )
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{value:,.0f}</text>')
    return parts


def line_chart(
    title: str,
    y_label: str,
    x_label: str,
    xs: Sequence[float],
    series: Sequence[tuple[str, Sequence[float]]],
) -> str:
    """Step lines (values hold until the next point), one per series, with a legend."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    y_max = max([max(values, default=0) for _, values in series] + [1]) * 1.1
    x_min, x_max = (min(xs), max(xs)) if xs else (0, 1)
    span = max(x_max - x_min, 1)
    parts = _frame(title, y_label, y_max)

    def x_at(x: float) -> float:
        return LEFT + plot_w * (x - x_min) / span

    def y_at(y: float) -> float:
        return TOP + plot_h - plot_h * y / y_max

    for i, (name, values) in enumerate(series):
        colour = COLOURS[i % len(COLOURS)]
        points: list[str] = []
        for j, (x, y) in enumerate(zip(xs, values, strict=True)):
            if j:
                points.append(f"{x_at(x):.1f},{y_at(values[j - 1]):.1f}")
            points.append(f"{x_at(x):.1f},{y_at(y):.1f}")
        parts.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="2" '
            f'points="{" ".join(points)}"/>'
        )
        parts.append(
            f'<rect x="{LEFT + 10 + 150 * i}" y="{HEIGHT - 18}" width="10" height="10" '
            f'fill="{colour}"/><text x="{LEFT + 24 + 150 * i}" y="{HEIGHT - 9}">'
            f"{escape(name)}</text>"
        )
    for k in range(5):
        x = x_min + span * k / 4
        parts.append(
            f'<text x="{x_at(x):.1f}" y="{TOP + plot_h + 16}" text-anchor="middle">{x:,.0f}</text>'
        )
    parts.append(
        f'<text x="{LEFT + plot_w / 2}" y="{TOP + plot_h + 30}" text-anchor="middle">'
        f"{escape(x_label)}</text>"
    )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def stacked_bars(
    title: str,
    y_label: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
) -> str:
    """One stacked bar per label (e.g. For / Against / Abstain per motion)."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    totals = [sum(values[i] for _, values in series) for i in range(len(labels))]
    y_max = max(totals + [1]) * 1.1
    parts = _frame(title, y_label, y_max)
    slot = plot_w / max(len(labels), 1)
    width = max(slot * 0.7, 1)
    for i, label in enumerate(labels):
        x = LEFT + slot * i + (slot - width) / 2
        base = 0.0
        for k, (_, values) in enumerate(series):
            h = plot_h * values[i] / y_max
            y = TOP + plot_h - plot_h * base / y_max - h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{h:.1f}" '
                f'fill="{COLOURS[k % len(COLOURS)]}"><title>{escape(label)}: '
                f"{values[i]:,.0f}</title></rect>"
            )
            base += values[i]
        if len(labels) <= 40 or i % 5 == 0:
            parts.append(
                f'<text x="{x + width / 2:.1f}" y="{TOP + plot_h + 14}" '
                f'text-anchor="middle" font-size="9">{escape(label)}</text>'
            )
    for k, (name, _) in enumerate(series):
        parts.append(
            f'<rect x="{LEFT + 10 + 120 * k}" y="{HEIGHT - 18}" width="10" height="10" '
            f'fill="{COLOURS[k % len(COLOURS)]}"/><text x="{LEFT + 24 + 120 * k}" '
            f'y="{HEIGHT - 9}">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
