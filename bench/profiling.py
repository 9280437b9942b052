"""cProfile reports for the benchmarks: the top functions by their own time, per unit of work."""

from __future__ import annotations

import cProfile
import pstats
from pathlib import Path


def top(profiler: cProfile.Profile, units: int, unit: str, heading: str, path: Path, count: int = 25) -> str:
    """Top ``count`` functions by own time in microseconds per ``unit``; written to ``path`` and
    returned. cProfile's overhead inflates small calls: read shares, not absolute values."""
    stats = pstats.Stats(profiler)
    rows = []
    for (filename, line, name), (_cc, ncalls, tottime, cumtime, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        short = filename.split("/site-packages/")[-1].split("/src/")[-1]
        rows.append((tottime, cumtime, ncalls, f"{short}:{line}({name})"))
    rows.sort(reverse=True)
    per = 1e6 / max(units, 1)
    total = sum(r[0] for r in rows)
    lines = [
        f"{heading}: {total * per:.0f} us of profiled CPU per {unit}",
        f"{'own us/' + unit:>14} {'cum us/' + unit:>14} {'calls':>9}  function",
    ]
    lines += [f"{t * per:14.1f} {c * per:14.1f} {n:9d}  {w}" for t, c, n, w in rows[:count]]
    text = "\n".join(lines)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text + "\n")
    return text
