"""SNS collector against moto's server: topics with their attributes, subscriptions listed once per region,
and ERROR (never PASS or FAIL) whenever a read a control needs is denied."""

from __future__ import annotations

from typing import Any

import pytest

from assay.collect.registry import load_collectors
from assay.collect.session import AwsAccess
from assay.controls.registry import load_controls
from assay.demo.estate import sns as estate
from assay.faults import deny
from assay.models.inventory import ErrorKind
from assay.models.resources.sns import SnsTopic
from tests.helpers import by_name, evaluate, findings_of, scan

REGIONS = ["us-east-1", "eu-west-1"]
EVENTS, STATUS, ONCALL = "pass-northwind-data-events", "fail-northwind-public-status", "skip-northwind-oncall-email"
ACTIONS = sorted({p for s in load_collectors().values() if s.service == "sns" for p in s.permissions})
CONTROLS = {cid: c for cid, c in load_controls().items() if cid.startswith("sns.")}


def feedback_as_aws_returns_it(parsed: dict[str, Any], **_: Any) -> None:
    """moto 5.2 stores but never returns the delivery status attributes; AWS does."""
    attrs = parsed.get("Attributes", {})
    if attrs.get("TopicArn", "").endswith(EVENTS):
        attrs["SQSFailureFeedbackRoleArn"] = estate.FEEDBACK_ROLE


def test_collects_topics_and_evaluates(access: AwsAccess, seed: Any) -> None:
    estate.seed(seed, REGIONS)
    access.hooks.append(("after-call.sns.GetTopicAttributes", feedback_as_aws_returns_it))
    inv = scan(access, ["sns"], regions=REGIONS)
    assert inv.complete and not inv.errors
    topics = {(t.region, t.name): t for t in inv.of(SnsTopic)}
    assert len(topics) == 6
    events, status = topics[("eu-west-1", EVENTS)], topics[("eu-west-1", STATUS)]
    assert (events.kms_master_key_id, events.subscription_protocols) == ("alias/aws/sns", ("sqs",))
    assert events.failure_feedback_roles == {"SQS": estate.FEEDBACK_ROLE}
    assert (status.kms_master_key_id, status.subscription_protocols, status.failure_feedback_roles) == \
        ("", ("https",), {})
    assert status.policy is not None and status.policy["Statement"][0]["Sid"] == "AnyoneMaySubscribe"
    assert inv.meta.api_calls["sns:ListSubscriptions"] == 2  # once per region, not per topic
    ev = evaluate(inv)
    for region in REGIONS:
        def verdicts(cid: str, region: str = region) -> dict[str, str]:
            return {f.resource_name: f.status.value for f in findings_of(ev, cid) if f.region == region}

        assert verdicts("sns.topic_encrypted") == {EVENTS: "pass", STATUS: "fail", ONCALL: "pass"}
        assert verdicts("sns.topic_policy_not_public") == {EVENTS: "pass", STATUS: "fail", ONCALL: "pass"}
        assert verdicts("sns.topic_delivery_status_logged") == {EVENTS: "pass", STATUS: "fail", ONCALL: "skip"}


@pytest.mark.parametrize("action", ACTIONS)
def test_denied_read_is_error_never_pass_or_fail(access: AwsAccess, seed: Any, action: str) -> None:
    estate.seed(seed, REGIONS)
    access.hooks.append(("before-call", deny({action}, code="AuthorizationError")))
    inv = scan(access, ["sns"], regions=REGIONS)
    assert {e.operation for e in inv.errors} == {action}
    ev = evaluate(inv)
    for cid, control in CONTROLS.items():
        found = findings_of(ev, cid)
        if action in control.needs:
            assert found and {f.status.value for f in found} == {"error"}, cid
            assert all(action in f.message for f in found), cid
        else:
            assert "error" not in {f.status.value for f in found}, cid


def test_unparseable_policy_is_a_parse_error(access: AwsAccess, seed: Any) -> None:
    estate.seed(seed, ["us-east-1"])

    def corrupt(parsed: dict[str, Any], **_: Any) -> None:
        if parsed.get("Attributes", {}).get("TopicArn", "").endswith(STATUS):
            parsed["Attributes"]["Policy"] = "{not json"

    access.hooks.append(("after-call.sns.GetTopicAttributes", corrupt))
    inv = scan(access, ["sns"])
    assert [(e.operation, e.kind) for e in inv.errors] == [("sns:GetTopicAttributes", ErrorKind.PARSE)]
    ev = evaluate(inv)
    assert by_name(ev, "sns.topic_policy_not_public") == {EVENTS: "pass", STATUS: "error", ONCALL: "pass"}
    # the same read also fed the encryption verdict: it is not trusted either
    assert by_name(ev, "sns.topic_encrypted")[STATUS] == "error"
    assert by_name(ev, "sns.topic_encrypted")[EVENTS] == "pass"
