"""SNS controls: topics encrypted at rest, closed to the public, and logging failed deliveries.

`open_statements` is the stricter reading of a resource policy that SNS topics need: a condition only
narrows a statement open to "*" when it pins the caller or the source (account, organisation, ARN,
network), not when it tests anything else.
"""

from __future__ import annotations

from typing import Any

from assay.controls.policy import as_list, principal_is_everyone, statements
from assay.controls.registry import Remediation, control
from assay.models.findings import Error, Fail, Outcome, Pass, Skip
from assay.models.resources.sns import SnsTopic

NEEDS = ["sns:ListTopics", "sns:GetTopicAttributes"]
# Condition keys that limit who may call, or from where; compared in lower case.
RESTRICTING_KEYS = frozenset(k.lower() for k in (
    "aws:SourceOwner", "aws:SourceAccount", "aws:SourceArn", "aws:SourceOrgID", "aws:SourceOrgPaths",
    "aws:PrincipalAccount", "aws:PrincipalArn", "aws:PrincipalOrgID", "aws:PrincipalOrgPaths",
    "aws:PrincipalServiceName", "aws:SourceVpc", "aws:SourceVpce", "aws:SourceIp", "aws:userid",
))
_EVERYWHERE = {"*", "0.0.0.0/0", "::/0"}
# Topic attribute prefixes that log deliveries, by subscription protocol.
FEEDBACK_PREFIX = {"http": "HTTP", "https": "HTTP", "sqs": "SQS", "lambda": "Lambda", "application": "Application",
                   "firehose": "Firehose"}


def _restricts(condition: dict[str, Any]) -> bool:
    for operator, keys in condition.items():
        if "not" in str(operator).lower():  # StringNotEquals, NotIpAddress...: exclusions leave the rest open
            continue
        for key, value in (keys or {}).items():
            values = {str(v) for v in as_list(value)}
            if key.lower() in RESTRICTING_KEYS and values and not values & _EVERYWHERE:
                return True
    return False


def open_statements(policy: dict[str, Any] | None) -> list[str]:
    """Sids (or positions) of Allow statements for any principal that no condition pins to a caller or source."""
    found = []
    for n, st in enumerate(statements(policy)):
        if st.get("Effect") != "Allow":
            continue
        if (principal_is_everyone(st.get("Principal")) or "NotPrincipal" in st) \
                and not _restricts(st.get("Condition") or {}):
            found.append(str(st.get("Sid") or f"statement {n + 1}"))
    return found


def _unread(what: str) -> Outcome:
    return Error(f"{what} was not collected (sns:GetTopicAttributes)")


@control(
    id="sns.topic_encrypted",
    title="SNS topics encrypt messages at rest with AWS KMS",
    severity="medium",
    needs=NEEDS,
    rationale="SNS stores messages until they are delivered. With server-side encryption the stored messages are "
    "encrypted under a KMS key, and publishing or reading through encrypted queues needs permission on that key, "
    "protecting notification content (often alerts, order or user data) at rest (CC6.1, C1.1).",
    remediation=Remediation(
        console="SNS console > Topics > the topic > Edit > Encryption: enable encryption, choose a KMS key "
        "(a customer managed key lets you restrict who can publish), and save.",
        cli="aws sns set-topic-attributes --topic-arn <topic-arn> --attribute-name KmsMasterKeyId "
        "--attribute-value <key-id-or-alias>",
        terraform='resource "aws_sns_topic" "this" {\n  name              = "<name>"\n'
        "  kms_master_key_id = aws_kms_key.sns.id\n}",
    ),
)
def topic_encrypted(topic: SnsTopic) -> Outcome:
    if topic.kms_master_key_id is None:
        return _unread("the topic's encryption setting")
    if topic.kms_master_key_id:
        return Pass(f"messages are encrypted with {topic.kms_master_key_id}")
    return Fail("server-side encryption is off")


@control(
    id="sns.topic_policy_not_public",
    title="SNS topic policies do not open the topic to everyone",
    severity="high",
    needs=NEEDS,
    rationale="A topic policy that allows any principal, without pinning the caller's account, organisation or "
    "source, lets anyone publish forged messages to subscribers or subscribe and receive the messages. Limiting "
    "access to known parties is what CC6.1 and CC6.6 require of every externally reachable resource.",
    remediation=Remediation(
        console="SNS console > Topics > the topic > Edit > Access policy: replace Principal \"*\" with specific "
        "accounts or roles, or add a condition on aws:SourceAccount, aws:SourceArn or aws:PrincipalOrgID. Save.",
        cli="aws sns get-topic-attributes --topic-arn <topic-arn> --query Attributes.Policy --output text > p.json\n"
        "# edit p.json, then:\n"
        "aws sns set-topic-attributes --topic-arn <topic-arn> --attribute-name Policy --attribute-value file://p.json",
        terraform='resource "aws_sns_topic_policy" "this" {\n  arn    = aws_sns_topic.this.arn\n'
        "  policy = data.aws_iam_policy_document.topic.json  # principals limited, or conditions on "
        "aws:SourceAccount\n}",
    ),
)
def topic_policy_not_public(topic: SnsTopic) -> Outcome:
    if topic.policy is None:
        return _unread("the topic policy")
    public = open_statements(topic.policy)
    if public:
        return Fail(f"policy allows any principal without restricting the caller or source: {', '.join(public)}")
    return Pass("no policy statement is open to everyone")


@control(
    id="sns.topic_delivery_status_logged",
    title="SNS topics log failed deliveries to their subscribers",
    severity="low",
    needs=[*NEEDS, "sns:ListSubscriptions"],
    rationale="When SNS cannot deliver to an HTTP endpoint, queue or function, the message is dropped after its "
    "retries. Delivery status logging writes each failure to CloudWatch Logs, so lost notifications (alerts "
    "among them) are noticed and investigated (CC7.2).",
    remediation=Remediation(
        console="SNS console > Topics > the topic > Edit > Delivery status logging: select the protocols the topic "
        "delivers to, choose or create an IAM role for failed deliveries, and save.",
        cli="aws sns set-topic-attributes --topic-arn <topic-arn> --attribute-name SQSFailureFeedbackRoleArn "
        "--attribute-value <role-arn>   # likewise HTTP, Lambda, Application, Firehose",
        terraform='resource "aws_sns_topic" "this" {\n  sqs_failure_feedback_role_arn    = aws_iam_role.sns_logs.arn\n'
        "  lambda_failure_feedback_role_arn = aws_iam_role.sns_logs.arn\n"
        "  http_failure_feedback_role_arn   = aws_iam_role.sns_logs.arn\n}",
    ),
)
def topic_delivery_status_logged(topic: SnsTopic) -> Outcome:
    if topic.failure_feedback_roles is None:
        return _unread("the topic's delivery status settings")
    if topic.subscription_protocols is None:
        return Error("the topic's subscriptions were not collected (sns:ListSubscriptions)")
    prefixes = sorted({FEEDBACK_PREFIX[p] for p in topic.subscription_protocols if p in FEEDBACK_PREFIX})
    if not prefixes:
        return Skip("no subscription uses a protocol that supports delivery status logging")
    missing = [p for p in prefixes if p not in topic.failure_feedback_roles]
    if missing:
        return Fail(f"failed deliveries are not logged for {', '.join(missing)} subscriptions")
    return Pass(f"failed deliveries are logged for {', '.join(prefixes)} subscriptions")
