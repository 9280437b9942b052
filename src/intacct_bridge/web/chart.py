"""A small inline SVG bar chart of records synced and failures per run (no JavaScript, no library)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from intacct_bridge.sync.models import Run

WIDTH, HEIGHT, PAD = 640, 140, 24


def run_chart(runs: Sequence[Run]) -> SafeString:
    """Oldest run first; green: records synced (created, updated, unlinked, pushed); red: failed."""
    if not runs:
        return format_html('<p class="muted">{}</p>', "No runs yet.")
    top = max(1, *(max(r.synced, r.failed) for r in runs))
    slot = (WIDTH - 2 * PAD) / len(runs)
    bar = max(2.0, slot / 2 - 2)
    scale = (HEIGHT - 2 * PAD) / top
    parts = []
    for i, run in enumerate(runs):
        x = PAD + i * slot
        for j, (value, cls, label) in enumerate(
            ((run.synced, "synced", "synced"), (run.failed, "failed", "failed"))
        ):
            h = value * scale
            parts.append(
                (
                    f"{x + j * (bar + 1):.1f}",
                    f"{HEIGHT - PAD - h:.1f}",
                    f"{bar:.1f}",
                    f"{h:.1f}",
                    cls,
                    f"Run {run.pk}: {value} {label}",
                )
            )
    bars = format_html_join(
        "", '<rect x="{}" y="{}" width="{}" height="{}" class="{}"><title>{}</title></rect>', parts
    )
    return format_html(
        '<svg class="run-chart" viewBox="0 0 {w} {h}" role="img" '
        'aria-label="Records synced and failures per run">'
        '<line x1="{p}" y1="{b}" x2="{r}" y2="{b}" class="axis"/>{bars}'
        '<text x="{p}" y="14" class="legend">max {top}</text>'
        '<text x="{r}" y="14" text-anchor="end" class="legend"><tspan class="synced-t">■ synced</tspan> '
        '<tspan class="failed-t">■ failed</tspan></text></svg>',
        w=WIDTH,
        h=HEIGHT,
        p=PAD,
        b=HEIGHT - PAD,
        r=WIDTH - PAD,
        bars=bars,
        top=top,
    )
