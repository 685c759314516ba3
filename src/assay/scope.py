"""Restricting a scan to some criteria or controls: `--only-criteria CC6.1,CC6.6`, `--only-controls ID,...`.

A scope narrows three things together, so that a report never claims more than was evaluated:

- the controls evaluated: those of the requested criteria, or the requested controls (both given:
  the controls in both);
- the criteria reported: the requested ones, or those the requested controls evidence; each rolls
  up from the selected controls only, and the framework's name says the report is restricted;
- for `assay scan`, the services collected: only those whose collectors declare an action that a
  selected control reads (unless `--service` says otherwise).

Unknown criteria or controls are one usage error naming all of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

import typer

from assay.controls.registry import Control, load_controls
from assay.errors import UsageError
from assay.frameworks import Criterion, CriterionKind, Framework

if TYPE_CHECKING:
    from assay.engine import Evaluation
    from assay.exceptions import ExceptionEntry
    from assay.models.inventory import Inventory

OnlyCriteria = Annotated[list[str] | None, typer.Option(
    "--only-criteria", help="Only these criteria, e.g. CC6.1,CC6.6 (comma-separated and/or repeated): "
    "evaluate their controls, report only them.", rich_help_panel="Scope")]
OnlyControls = Annotated[list[str] | None, typer.Option(
    "--only-controls", help="Only these control ids (comma-separated and/or repeated; `assay controls` "
    "lists them).", rich_help_panel="Scope")]

MAX_NAMED = 3  # ids named in the description before it switches to a count


def split_ids(values: str | Iterable[str] | None) -> list[str]:
    """["CC6.1,CC6.6", "CC7.2"] -> ["CC6.1", "CC6.6", "CC7.2"]: order kept, blanks and repeats dropped."""
    out: list[str] = []
    for value in [values] if isinstance(values, str) else values or []:
        for part in value.split(","):
            part = part.strip()
            if part and part not in out:
                out.append(part)
    return out


@dataclass(frozen=True)
class Scope:
    framework: Framework  # restricted to the reported criteria, each naming only selected controls
    controls: dict[str, Control]  # the controls to evaluate
    criteria_ids: tuple[str, ...] = ()  # as requested
    control_ids: tuple[str, ...] = ()  # as requested

    @property
    def restricted(self) -> bool:
        return bool(self.criteria_ids or self.control_ids)

    def describe(self) -> str:
        """"criteria CC6.1, CC6.6; 12 controls" - empty when nothing is restricted."""
        if not self.restricted:
            return ""
        parts = []
        if self.criteria_ids:
            parts.append("criteria " + _named(self.criteria_ids))
        if self.control_ids:
            parts.append("controls " + _named(self.control_ids) if len(self.control_ids) <= MAX_NAMED
                         else f"{len(self.control_ids)} chosen controls")
        n = len(self.controls)
        parts.append(f"{n} control{'s' if n != 1 else ''} evaluated")
        return "; ".join(parts)

    def services(self) -> list[str]:
        """Collector services whose declared actions the selected controls read."""
        from assay.collect.registry import load_collectors

        by_action: dict[str, set[str]] = {}
        for spec in load_collectors().values():
            for action in spec.permissions:
                by_action.setdefault(action, set()).add(spec.service)
        return sorted({svc for c in self.controls.values() for op in c.needs for svc in by_action.get(op, ())})

    def filter_params(self, params: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        """Parameters of the selected controls only; the full set is validated first, so typos still fail."""
        from assay.engine import resolve_params

        resolve_params(load_controls(), params)
        return {cid: values for cid, values in params.items() if cid in self.controls}

    def evaluate(self, inv: Inventory, params: dict[str, dict[str, Any]] | None = None,
                 exceptions: Sequence[ExceptionEntry] = ()) -> Evaluation:
        from assay.engine import evaluate

        return evaluate(inv, params=self.filter_params(params or {}), controls=self.controls,
                        framework=self.framework, exceptions=exceptions)


def _named(ids: tuple[str, ...]) -> str:
    return ", ".join(ids[:MAX_NAMED]) + (f" (+{len(ids) - MAX_NAMED} more)" if len(ids) > MAX_NAMED else "")


def select(framework: Framework, *, criteria: str | Iterable[str] | None = None,
           controls: str | Iterable[str] | None = None) -> Scope:
    """The scope for --only-criteria / --only-controls values (raw option values; commas are split here)."""
    all_controls = load_controls()
    criteria_ids = [c.upper() for c in split_ids(criteria)]
    control_ids = split_ids(controls)
    if not criteria_ids and not control_ids:
        return Scope(framework, all_controls)

    known_criteria = {c.id.upper(): c for c in framework.criteria}
    bad_criteria = [c for c in criteria_ids if c not in known_criteria]
    bad_controls = [c for c in control_ids if c not in all_controls]
    if bad_criteria or bad_controls:
        problems = []
        if bad_criteria:
            problems.append(f"unknown criteri{'a' if len(bad_criteria) > 1 else 'on'} "
                            f"{', '.join(bad_criteria)} in framework {framework.id} "
                            f"(`assay frameworks show {framework.id}` lists them)")
        if bad_controls:
            problems.append(f"unknown control{'s' if len(bad_controls) > 1 else ''} {', '.join(bad_controls)} "
                            "(`assay controls` lists them)")
        raise UsageError("; ".join(problems))

    requested = [c for c in framework.criteria if c.id.upper() in criteria_ids]  # the framework's order
    criteria_ids = [c.id for c in requested]
    selected = set(all_controls)
    if requested:
        selected &= {cid for c in requested for cid in c.controls}
        if not selected and not control_ids:
            kinds = ", ".join(f"{c.id} is {c.kind.value}" for c in requested)
            raise UsageError(f"--only-criteria selects no automated control to evaluate ({kinds})")
    if control_ids:
        selected &= set(control_ids)
    if not selected:
        raise UsageError("--only-controls and --only-criteria have no control in common: nothing to evaluate")

    kept: list[Criterion] = []
    for c in requested or framework.criteria:
        if c.kind is not CriterionKind.AUTOMATED:
            if requested:  # asked for by name: reported with its kind (manual or inherited)
                kept.append(c)
            continue
        mine = tuple(cid for cid in c.controls if cid in selected)
        if mine:
            kept.append(c.model_copy(update={"controls": mine}))
    names = [*criteria_ids, *control_ids]
    restricted = framework.model_copy(update={
        "name": f"{framework.name} (restricted to {_named(tuple(names))})",
        "criteria": tuple(kept),
    })
    return Scope(restricted, {cid: c for cid, c in all_controls.items() if cid in selected},
                 tuple(criteria_ids), tuple(control_ids))
