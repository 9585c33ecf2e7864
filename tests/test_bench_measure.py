"""The bench's way of taking figures: in turns, keeping the fastest run of each (no timing here)."""

from __future__ import annotations

from bench.measure import Run, interleaved


def _measure(name: str, seconds: list[float], calls: list[str], peaks: list[float] | None = None):
    runs = iter(zip(seconds, peaks or [0.0] * len(seconds)))

    def measure() -> Run:
        calls.append(name)
        took, peak = next(runs)
        return Run(took, peak, peak / 2, 0)

    return measure


def test_measures_are_taken_in_turns_and_the_fastest_of_each_is_kept():
    calls: list[str] = []
    floor, lint = interleaved(
        3,
        _measure("floor", [1.3, 1.1, 1.2], calls),
        _measure("lint", [9.0, 11.0, 8.5], calls, peaks=[400.0, 450.0, 420.0]),
    )
    assert calls == ["floor", "lint"] * 3
    assert floor.seconds == 1.1 and lint.seconds == 8.5
    assert lint.peak_tree_mb == 450.0 and lint.max_rss_mb == 225.0  # the highest memory of any run, not the fastest's
