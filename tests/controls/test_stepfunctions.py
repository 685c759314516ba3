"""Step Functions controls: pure functions over StateMachine and an IAM inventory."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from assay.controls import stepfunctions
from assay.models.findings import Status
from assay.models.inventory import Inventory, ScanMeta
from assay.models.resources.iam import IamPolicy, IamRole
from assay.models.resources.stepfunctions import StateMachine

ACCT = "123456789012"
GROUP = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/states/etl:*"
ROLE = f"arn:aws:iam::{ACCT}:role/service-role/etl"


def sm(**over: Any) -> StateMachine:
    base: dict[str, Any] = dict(arn=f"arn:aws:states:us-east-1:{ACCT}:stateMachine:etl", id="etl", account_id=ACCT,
                                region="us-east-1", name="etl", machine_type="STANDARD", status="ACTIVE",
                                role_arn=ROLE, log_level="ERROR", log_destinations=(GROUP,))
    return StateMachine(**{**base, **over})


def inventory(*resources: Any) -> Inventory:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    meta = ScanMeta(scan_id="t", tool_version="0", started_at=now, finished_at=now)
    return Inventory(meta, [], [], [], resources, [])


def iam_role(inline: dict[str, Any] | None = None, attached: tuple[str, ...] = ()) -> IamRole:
    return IamRole(arn=ROLE, id="AROA1", account_id=ACCT, region="global", name="etl", path="/service-role/",
                   inline_policies=inline or {}, attached_policies=attached)


def doc(action: Any, resource: Any = "*") -> dict[str, Any]:
    return {"Statement": [{"Effect": "Allow", "Action": action, "Resource": resource}]}


def test_logging_enabled() -> None:
    assert stepfunctions.logging_enabled(sm()).status is Status.PASS
    out = stepfunctions.logging_enabled(sm(log_level="OFF", log_destinations=()))
    assert out.status is Status.FAIL and "level OFF" in out.message
    assert stepfunctions.logging_enabled(sm(log_level="FATAL"), min_level="ERROR").status is Status.FAIL
    assert stepfunctions.logging_enabled(sm(log_level="FATAL")).status is Status.PASS
    assert stepfunctions.logging_enabled(sm(status="DELETING")).status is Status.SKIP
    assert stepfunctions.logging_enabled(sm(log_level=None)).status is Status.ERROR


def test_role_least_privilege() -> None:
    scoped = iam_role({"run": doc("lambda:InvokeFunction")})
    assert stepfunctions.role_least_privilege(sm(), inventory(scoped)).status is Status.PASS
    # a service wildcard is fine when it is limited to named resources
    narrow = iam_role({"run": doc("s3:*", "arn:aws:s3:::etl-bucket/*")})
    assert stepfunctions.role_least_privilege(sm(), inventory(narrow)).status is Status.PASS
    out = stepfunctions.role_least_privilege(sm(), inventory(iam_role({"run": doc(["s3:*", "sqs:SendMessage"])})))
    assert out.status is Status.FAIL and "inline run allows s3:* on *" in out.message
    admin = iam_role(attached=("arn:aws:iam::aws:policy/AdministratorAccess",))
    out = stepfunctions.role_least_privilege(sm(), inventory(admin))
    assert out.status is Status.FAIL and "AWS managed policy AdministratorAccess" in out.message
    custom_arn = f"arn:aws:iam::{ACCT}:policy/all"
    custom = IamPolicy(arn=custom_arn, id="P1", account_id=ACCT, region="global", name="all", document=doc("*"))
    out = stepfunctions.role_least_privilege(sm(), inventory(iam_role(attached=(custom_arn,)), custom))
    assert out.status is Status.FAIL and "policy all allows * on *" in out.message
    unreadable = IamPolicy(arn=custom_arn, id="P1", account_id=ACCT, region="global", name="all", document=None)
    out = stepfunctions.role_least_privilege(sm(), inventory(iam_role(attached=(custom_arn,)), unreadable))
    assert out.status is Status.ERROR
    assert stepfunctions.role_least_privilege(sm(), inventory()).status is Status.ERROR  # role not found
    assert stepfunctions.role_least_privilege(sm(role_arn=None), inventory(scoped)).status is Status.ERROR
    assert stepfunctions.role_least_privilege(sm(role_arn=""), inventory(scoped)).status is Status.SKIP


def test_broad_statements_reads_not_action() -> None:
    st = {"Statement": [{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"},
                        {"Effect": "Deny", "Action": "*", "Resource": "*"},
                        {"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}]}
    assert stepfunctions.broad_statements(st) == ["NotAction iam:*"]
