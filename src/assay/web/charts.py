"""Trend charts as geometry for a small SVG template: no chart library, no script.

Values are percentages (0-100) per scan, oldest first; None is a gap (the criterion was not
evaluated in that scan) and breaks the line rather than drawing it through zero.
"""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 860
HEIGHT = 220
LEFT, RIGHT, TOP, BOTTOM = 44, 36, 10, 28
MAX_LABELS = 8


@dataclass(frozen=True)
class Line:
    name: str
    css: str  # colour class c0..c5
    segments: tuple[str, ...]  # SVG polyline point lists; a gap starts a new segment
    dots: tuple[tuple[float, float, str], ...]  # (x, y, tooltip)


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    lines: tuple[Line, ...]
    y_ticks: tuple[tuple[float, str], ...]  # (y, label)
    x_ticks: tuple[tuple[float, str], ...]  # (x, label)
    partial: tuple[float, ...]  # x of scans that were partial
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM


def _x(i: int, n: int) -> float:
    span = WIDTH - LEFT - RIGHT
    return round(LEFT + (span * i / (n - 1) if n > 1 else span / 2), 1)


def _y(value: float) -> float:
    return round(TOP + (HEIGHT - TOP - BOTTOM) * (1 - max(0.0, min(100.0, value)) / 100), 1)


def trend(labels: list[str], series: list[tuple[str, list[float | None]]], partial: list[bool] | None = None) -> Chart:
    n = len(labels)
    lines = []
    for k, (name, values) in enumerate(series):
        segments: list[str] = []
        current: list[str] = []
        dots = []
        for i, v in enumerate(values):
            if v is None:
                if current:
                    segments.append(" ".join(current))
                current = []
                continue
            x, y = _x(i, n), _y(v)
            current.append(f"{x},{y}")
            dots.append((x, y, f"{name}: {v:.1f}% ({labels[i]})"))
        if current:
            segments.append(" ".join(current))
        lines.append(Line(name=name, css=f"c{k % 6}", segments=tuple(segments), dots=tuple(dots)))
    step = max(1, -(-n // MAX_LABELS))
    x_ticks = tuple((_x(i, n), labels[i]) for i in range(0, n, step))
    y_ticks = tuple((_y(v), f"{v}%") for v in (0, 25, 50, 75, 100))
    marks = tuple(_x(i, n) for i, p in enumerate(partial or []) if p)
    return Chart(width=WIDTH, height=HEIGHT, lines=tuple(lines), y_ticks=y_ticks, x_ticks=x_ticks, partial=marks)
