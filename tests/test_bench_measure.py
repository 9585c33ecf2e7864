"""The bench's way of taking figures: in turns, keeping the fastest run of each (no timing here)."""

from __future__ import annotations

from bench.measure import Run, interleaved


def _measure(name: str, seconds: list[float], calls: list[str]):
    runs = iter(seconds)

    def measure() -> Run:
        calls.append(name)
        return Run(next(runs), 0.0, 0)

    return measure


def test_measures_are_taken_in_turns_and_the_fastest_of_each_is_kept():
    calls: list[str] = []
    floor, lint = interleaved(
        3,
        _measure("floor", [1.3, 1.1, 1.2], calls),
        _measure("lint", [9.0, 11.0, 8.5], calls),
    )
    assert calls == ["floor", "lint"] * 3
    assert floor.seconds == 1.1 and lint.seconds == 8.5
