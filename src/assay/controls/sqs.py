"""SQS controls: queues encrypt messages, keep the messages they cannot process, and are not open to everyone."""

from __future__ import annotations

from assay.controls.policy import grants_everyone_unconditionally
from assay.controls.registry import Remediation, control
from assay.models.findings import Error, Fail, Outcome, Pass, Skip
from assay.models.inventory import Inventory
from assay.models.resources.sqs import SqsQueue

QUEUES = ["sqs:ListQueues", "sqs:GetQueueAttributes"]
UNREAD = "the queue's attributes could not be read"


@control(
    id="sqs.queue_encrypted",
    title="SQS queues encrypt messages at rest",
    severity="medium",
    needs=QUEUES,
    rationale="Messages wait in a queue for up to two weeks and often carry orders, events or personal data. "
    "Server-side encryption, with SQS-managed keys or a KMS key, keeps them protected at rest (CC6.1, C1.1); "
    "a KMS key also puts reading them under a key policy.",
    remediation=Remediation(
        console="SQS console > Queues > the queue > Edit > Encryption > Server-side encryption: Enabled > "
        "Amazon SQS key (SSE-SQS) or AWS Key Management Service key (SSE-KMS) > Save.",
        cli="aws sqs set-queue-attributes --queue-url <queue-url> --attributes SqsManagedSseEnabled=true\n"
        "# or with a KMS key:\naws sqs set-queue-attributes --queue-url <queue-url> "
        "--attributes KmsMasterKeyId=<kms-key-arn>",
        terraform='resource "aws_sqs_queue" "example" {\n  sqs_managed_sse_enabled = true\n'
        "  # or: kms_master_key_id = aws_kms_key.queues.arn\n}",
    ),
)
def queue_encrypted(q: SqsQueue) -> Outcome:
    if not q.attributes_read:
        return Error(UNREAD)
    if q.kms_key_id:
        return Pass(f"messages are encrypted with KMS key {q.kms_key_id}")
    if q.sqs_managed_sse:
        return Pass("messages are encrypted with SQS-managed keys")
    return Fail(f"queue {q.display_name} stores messages unencrypted")


def _dead_letter_queues(inv: Inventory) -> set[str]:
    """ARNs of every queue some other queue redrives to, built once per inventory."""
    return inv.memo("sqs.dead_letter_targets",
                    lambda: {q.dead_letter_target for q in inv.of(SqsQueue) if q.dead_letter_target})


@control(
    id="sqs.queue_has_dead_letter_queue",
    title="SQS queues move messages that repeatedly fail processing to a dead-letter queue",
    severity="low",
    needs=QUEUES,
    rationale="A message that its consumer cannot process is retried until it expires and is then lost without "
    "a trace, or blocks the queue. A redrive policy sets it aside in a dead-letter queue after a few attempts, "
    "so processing errors are kept, visible and can be corrected and replayed: a control over the completeness "
    "of processing (PI1.3). Queues that are themselves dead-letter queues are not applicable.",
    remediation=Remediation(
        console="SQS console > Create queue (the dead-letter queue, same type and region) > then the source queue "
        "> Edit > Dead-letter queue: Enabled > choose it > Maximum receives: e.g. 5 > Save. Alarm on "
        "ApproximateNumberOfMessagesVisible of the dead-letter queue.",
        cli="aws sqs set-queue-attributes --queue-url <queue-url> --attributes "
        "'{\"RedrivePolicy\":\"{\\\"deadLetterTargetArn\\\":\\\"<dlq-arn>\\\",\\\"maxReceiveCount\\\":\\\"5\\\"}\"}'",
        terraform='resource "aws_sqs_queue" "orders_dlq" {\n  name = "orders-dlq"\n}\n'
        'resource "aws_sqs_queue" "orders" {\n  name = "orders"\n  redrive_policy = jsonencode({\n'
        "    deadLetterTargetArn = aws_sqs_queue.orders_dlq.arn\n    maxReceiveCount     = 5\n  })\n}",
    ),
)
def queue_has_dead_letter_queue(q: SqsQueue, inv: Inventory) -> Outcome:
    if not q.attributes_read:
        return Error(UNREAD)
    if q.dead_letter_target is None:
        return Error("the queue's redrive policy is not valid JSON")
    if q.arn in _dead_letter_queues(inv):
        return Skip("this queue is a dead-letter queue for another queue")
    if q.dead_letter_target:
        dlq = q.dead_letter_target.rsplit(":", 1)[-1]
        return Pass(f"messages move to {dlq} after {q.max_receive_count or '?'} failed receives")
    return Fail(f"queue {q.display_name} has no dead-letter queue: messages that keep failing are lost when they "
                "expire")


@control(
    id="sqs.queue_policy_not_public",
    title="SQS queue policies do not allow everyone",
    severity="high",
    needs=QUEUES,
    rationale="A queue policy that allows '*' with no condition lets any AWS account, or anyone at all, send "
    "messages into the system or read and delete the messages waiting there. Naming the accounts, services or "
    "source ARNs allowed keeps access to the queue restricted (CC6.1, CC6.6).",
    remediation=Remediation(
        console="SQS console > Queues > the queue > Access policy > Edit: replace Principal '*' with the accounts "
        "or roles that need access, or add a condition such as aws:SourceArn for the SNS topic or S3 bucket that "
        "sends to it > Save.",
        cli="aws sqs set-queue-attributes --queue-url <queue-url> --attributes file://queue-policy.json",
        terraform='resource "aws_sqs_queue_policy" "example" {\n  queue_url = aws_sqs_queue.example.id\n'
        "  policy    = data.aws_iam_policy_document.from_topic.json  # Principal sns.amazonaws.com,\n"
        "                                                            # condition aws:SourceArn = the topic\n}",
    ),
)
def queue_policy_not_public(q: SqsQueue) -> Outcome:
    if not q.attributes_read:
        return Error(UNREAD)
    if q.policy is None:
        return Error("the queue policy is not valid JSON")
    if not q.policy:
        return Pass("the queue has no resource policy: only the account's own IAM principals can use it")
    if open_ := grants_everyone_unconditionally(q.policy):
        return Fail(f"queue {q.display_name} allows everyone with no condition: {', '.join(open_)}")
    return Pass("the queue policy names its principals or narrows them with conditions")
