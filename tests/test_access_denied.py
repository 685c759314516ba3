"""T1/T2: AccessDenied injected on every (collector, API) pair in turn, over the whole demo estate.

Generated from the collectors' declared permissions, so a new collector is covered automatically.
For every control that needs the denied action: zero PASS, zero FAIL in every account and region
where the action was attempted, and at least one ERROR naming the action. The estate must exercise
every declared call (else the denial would prove nothing). Where the action was never attempted
(e.g. an account with no firewall to describe), verdicts stand on what was read.
"""

from __future__ import annotations

import pytest

from assay.collect.registry import load_collectors
from assay.collect.runner import collect
from assay.collect.session import AwsAccess
from assay.controls.registry import load_controls
from assay.demo.accounts import NOT_EMULATED
from assay.demo.estate import REGIONS
from assay.engine import evaluate
from assay.faults import deny

COLLECTORS = load_collectors()
CONTROLS = load_controls()
# Reads the demo cannot exercise, each covered by its collector's own denial test, and why.
NOT_EXERCISED = {
    "guardduty:GetFindings": "the demo's detectors have no findings to fetch (tests/collect/test_guardduty.py)",
}
# IAM prefixes of the services the demo does not collect (their controls are ERROR "not collected").
DEMO_LACKS = {a.split(":")[0] for spec in COLLECTORS.values() if spec.service in NOT_EMULATED
              for a in spec.permissions}
# Services the demo endpoint cannot serve are covered by their collectors' recorded-response tests.
CASES = sorted({(spec.service, action) for spec in COLLECTORS.values() for action in spec.permissions
                if spec.service not in NOT_EMULATED and action not in NOT_EXERCISED})


def services_for(action: str) -> list[str]:
    """The services whose data the controls that need `action` read."""
    needed = {a for c in CONTROLS.values() if action in c.needs for a in c.needs} | {action}
    return sorted({spec.service for spec in COLLECTORS.values()
                   if needed & set(spec.permissions) and spec.service not in NOT_EMULATED})


# The code each API family answers with when a read is denied.
DENIAL_CODE = {"ec2": "UnauthorizedOperation", "iam": "AccessDenied", "s3": "AccessDenied", "sts": "AccessDenied",
               "elbv2": "AccessDenied", "apigateway": "AccessDeniedException"}


# Verdicts that stand on other positive evidence when the action is denied, and why.
OTHER_EVIDENCE: dict[tuple[str, str], str] = {
    # a stage's own webAclArn, read by apigateway:GET, proves protection without the WAF association list
    ("wafv2:ListResourcesForWebACL", "apigateway.stage_has_waf"): "pass",
}


@pytest.mark.parametrize(("service", "action"), CASES, ids=[a for _, a in CASES])
def test_denied_read_is_error_never_a_verdict(demo_accesses: list[AwsAccess], service: str, action: str) -> None:
    code = DENIAL_CODE.get(service, "AccessDeniedException")
    for access in demo_accesses:
        access.hooks.append(("before-call", deny({action}, code=code)))
    inv = collect(demo_accesses, regions=REGIONS, services=services_for(action), max_workers=4)
    assert any(e.operation == action for e in inv.errors), f"the demo estate never calls {action}"
    assert not inv.complete
    attempted = {(e.account_id, e.region) for e in inv.errors if e.operation == action}
    touched = {account for account, _ in attempted}  # account-wide findings there depend on it
    everywhere = {account for account, region in attempted if region == "global"}  # global reads feed all regions
    ev = evaluate(inv)
    for control in (c for c in CONTROLS.values() if action in c.needs):
        found = [f for f in ev.findings if f.control_id == control.id and (
            (f.account_id, f.region) in attempted or f.account_id in everywhere
            or (f.region == "global" and f.account_id in touched))]
        judged = {"pass", "fail"} - {OTHER_EVIDENCE.get((action, control.id), "")}
        verdicts = [(f.resource_name, f.status.value, f.message) for f in found if f.status.value in judged]
        assert not verdicts, f"{control.id} gave verdicts although {action} was denied: {verdicts[:3]}"
        errors = [f for f in found if f.status.value == "error"]
        assert errors, f"{control.id}: no ERROR although {action} was denied"
        if not any(a.split(":")[0] in DEMO_LACKS for a in control.needs):  # else: "not collected" ERROR
            assert any(action in f.message for f in errors), f"{control.id}: no ERROR names {action}"
