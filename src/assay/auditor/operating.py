"""The Type II part of the auditor report: how controls operated over the observation window.

Every automated criterion is listed. Controls are many: those that failed, were excepted or could not
be evaluated in some scan are listed (worst first, capped); controls that passed in every scan are
counted, and `assay type2 --all` or `-f json` gives every row.
"""

from __future__ import annotations

from dataclasses import dataclass

from assay.store.records import TypeIIItem, TypeIIView

MAX_CONTROLS = 100


@dataclass(frozen=True)
class OperatingView:
    view: TypeIIView
    complete_scans: int
    partial_scans: int
    criteria: list[TypeIIItem]
    controls: list[TypeIIItem]
    controls_more: int
    always_passing: int  # controls that passed in every scan where they had a verdict
    never_judged: int  # controls with no verdict in the window (nothing in scope)
    criteria_always_passing: int


def _clean(i: TypeIIItem) -> bool:
    return i.scans > 0 and i.failing == 0 and i.unknown == 0 and i.excepted == 0


def build(view: TypeIIView) -> OperatingView:
    noteworthy = [i for i in view.controls if i.scans > 0 and not _clean(i)]
    noteworthy.sort(key=lambda i: (i.pass_share if i.pass_share is not None else 2.0, -i.failing, i.id))
    return OperatingView(
        view=view,
        complete_scans=sum(1 for s in view.scans if s.complete),
        partial_scans=sum(1 for s in view.scans if not s.complete),
        criteria=list(view.criteria),
        controls=noteworthy[:MAX_CONTROLS],
        controls_more=max(0, len(noteworthy) - MAX_CONTROLS),
        always_passing=sum(1 for i in view.controls if _clean(i)),
        never_judged=sum(1 for i in view.controls if i.scans == 0),
        criteria_always_passing=sum(1 for i in view.criteria if _clean(i)),
    )
