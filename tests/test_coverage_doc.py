"""docs/coverage.md names real controls, and its headline counts match its table."""

from __future__ import annotations

import re
from pathlib import Path

from assay.controls.registry import load_controls

DOC = Path(__file__).parent.parent / "docs" / "coverage.md"


def rows() -> list[tuple[str, str, str]]:
    out = []
    for line in DOC.read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| ") and len(cells) == 3 and cells[0] not in ("check", "---"):
            out.append((cells[0], cells[1], cells[2]))
    return out


def test_every_named_control_exists() -> None:
    controls = load_controls()
    named = {cid for _, assay, _ in rows() for cid in re.findall(r"`([a-z0-9_]+\.[a-z0-9_]+)`", assay)}
    assert named and not named - set(controls), sorted(named - set(controls))


def test_counts_match_the_table() -> None:
    table = rows()
    covered = [r for r in table if r[1] != "not covered"]
    uncovered = [r for r in table if r[1] == "not covered"]
    assert len({r[0] for r in table}) == len(table)  # each check once
    assert all(reason for _, _, reason in uncovered), "every uncovered check says why"
    text = DOC.read_text()
    assert f"**{len(covered)} of {len(table)} checks are covered by an Assay control; {len(uncovered)} are not" in text
