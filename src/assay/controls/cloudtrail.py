"""CloudTrail controls: an account-wide audit trail, and the integrity, delivery and protection of each trail."""

from __future__ import annotations

from assay.controls.registry import Remediation, control
from assay.controls.s3 import PUBLIC_EXPOSURE_NEEDS, account_block, public_exposure
from assay.models.base import Account
from assay.models.findings import Error, Fail, Outcome, Pass, Skip, Status
from assay.models.inventory import Inventory
from assay.models.resources.cloudtrail import Trail
from assay.models.resources.lambda_ import LambdaFunction
from assay.models.resources.s3 import S3Bucket

DESCRIBE = "cloudtrail:DescribeTrails"
TRAIL_READS = [DESCRIBE, "cloudtrail:GetTrailStatus", "cloudtrail:GetEventSelectors"]


def _management_gap(trail: Trail) -> str:
    """Why a multi-region trail does not count ("" when it does)."""
    if not trail.is_logging:
        return f"{trail.display_name} is not logging"
    if trail.management_events != "All":
        recorded = {"ReadOnly": "only read", "WriteOnly": "only write"}.get(trail.management_events or "", "no")
        return f"{trail.display_name} records {recorded} management events"
    return ""


@control(
    id="cloudtrail.multi_region_trail_logging",
    title="A multi-region CloudTrail trail is logging all management events",
    severity="high",
    needs=[DESCRIBE, "cloudtrail:GetTrailStatus", "cloudtrail:GetEventSelectors"],
    rationale="CloudTrail is the account's record of who did what through the AWS API. Without a trail that "
    "covers every region and records both read and write management events, activity in an unwatched region "
    "or reconnaissance through read calls leaves no evidence, so anomalies cannot be detected or investigated "
    "(CC7.2, CC7.3) and changes to the environment cannot be traced to a person (CC8.1).",
    remediation=Remediation(
        console="CloudTrail console > Trails > Create trail (or select an existing trail > Edit): apply the trail "
        "to all regions, choose an S3 bucket, and under Events select Management events with both Read and Write. "
        "Then make sure the trail's status shows Logging ON.",
        cli="aws cloudtrail create-trail --name org-audit --s3-bucket-name <log-bucket> --is-multi-region-trail\n"
        "aws cloudtrail put-event-selectors --trail-name org-audit "
        "--event-selectors '[{\"ReadWriteType\":\"All\",\"IncludeManagementEvents\":true}]'\n"
        "aws cloudtrail start-logging --name org-audit",
        terraform='resource "aws_cloudtrail" "audit" {\n  name                  = "org-audit"\n'
        "  s3_bucket_name        = aws_s3_bucket.logs.id\n  is_multi_region_trail = true\n"
        "  enable_logging        = true\n  event_selector {\n    read_write_type           = \"All\"\n"
        "    include_management_events = true\n  }\n}",
    ),
)
def multi_region_trail_logging(account: Account, inv: Inventory) -> Outcome:
    trails = [t for t in inv.in_account(Trail, account.account_id) if t.is_multi_region]
    good = [t.display_name for t in trails if t.is_logging and t.management_events == "All"]
    if good:
        return Pass(f"multi-region trail {', '.join(good)} is logging read and write management events")
    unknown = [t.display_name for t in trails if t.is_logging is None or t.management_events is None]
    if unknown:
        return Error(f"status or event selectors of multi-region trail {', '.join(unknown)} were not collected")
    if not trails:
        regions = ", ".join(inv.scanned_regions(account.account_id)) or "none"
        return Fail(f"no multi-region trail has its home in the scanned regions ({regions})")
    return Fail("no multi-region trail logs all management events: " + "; ".join(map(_management_gap, trails)))


@control(
    id="cloudtrail.log_file_validation_enabled",
    title="CloudTrail trails validate log file integrity",
    severity="medium",
    needs=[DESCRIBE],
    rationale="With log file validation, CloudTrail signs an hourly digest of the files it delivered, so anyone "
    "can later prove that no log file was altered or removed. Audit evidence that cannot be shown to be "
    "complete and untampered is weak evidence for monitoring and incident evaluation (CC7.2, CC7.3).",
    remediation=Remediation(
        console="CloudTrail console > Trails > the trail > General details > Edit > under Additional settings "
        "check 'Log file validation' > Save changes.",
        cli="aws cloudtrail update-trail --name <trail> --enable-log-file-validation",
        terraform='resource "aws_cloudtrail" "example" {\n  enable_log_file_validation = true\n}',
    ),
)
def log_file_validation_enabled(trail: Trail) -> Outcome:
    if trail.log_file_validation:
        return Pass("log file validation is enabled")
    return Fail("log file validation is disabled: tampering with delivered log files would go unnoticed")


@control(
    id="cloudtrail.delivers_to_cloudwatch_logs",
    title="CloudTrail trails deliver events to CloudWatch Logs without errors",
    severity="medium",
    needs=[DESCRIBE, "cloudtrail:GetTrailStatus"],
    rationale="Files in S3 are reviewed after the fact; sending the trail to CloudWatch Logs is what lets metric "
    "filters and alarms react to events such as root logins or policy changes within minutes. A configured "
    "log group whose delivery is failing gives the same blind spot as none, so both are checked (CC7.2, CC7.3).",
    remediation=Remediation(
        console="CloudTrail console > Trails > the trail > CloudWatch Logs > Edit: enable it, choose or create a "
        "log group and an IAM role that CloudTrail can assume to write to it > Save changes. If delivery reports "
        "an error, check that the role's policy allows logs:CreateLogStream and logs:PutLogEvents on the group.",
        cli="aws cloudtrail update-trail --name <trail> "
        "--cloud-watch-logs-log-group-arn arn:aws:logs:<region>:<account>:log-group:<group>:* "
        "--cloud-watch-logs-role-arn arn:aws:iam::<account>:role/<cloudtrail-to-logs-role>",
        terraform='resource "aws_cloudtrail" "example" {\n'
        '  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"\n'
        "  cloud_watch_logs_role_arn  = aws_iam_role.trail_to_logs.arn\n}",
    ),
)
def delivers_to_cloudwatch_logs(trail: Trail) -> Outcome:
    group = trail.cloudwatch_logs_log_group_arn
    if not group:
        return Fail("no CloudWatch Logs log group is configured")
    if trail.latest_cloudwatch_logs_delivery_error is None:
        return Error("trail status (cloudtrail:GetTrailStatus) was not collected, so delivery errors are unknown")
    if trail.latest_cloudwatch_logs_delivery_error:
        return Fail(f"delivery to {group} reports an error: {trail.latest_cloudwatch_logs_delivery_error}")
    return Pass(f"delivers to {group} with no delivery error reported")


@control(
    id="cloudtrail.logs_encrypted_with_kms",
    title="CloudTrail log files are encrypted with a KMS key",
    severity="medium",
    needs=[DESCRIBE],
    rationale="Encrypting trail log files with a customer-managed KMS key adds a second, separately audited "
    "permission (kms:Decrypt) between the logs and anyone who can read the bucket, and lets access be revoked by "
    "changing the key policy. Audit logs describe the whole environment, so they merit that protection (CC6.1).",
    remediation=Remediation(
        console="CloudTrail console > Trails > the trail > General details > Edit > Log file SSE-KMS encryption: "
        "enable, pick or create a KMS key whose key policy allows cloudtrail.amazonaws.com to use it > Save changes.",
        cli="aws cloudtrail update-trail --name <trail> --kms-key-id <key-arn-or-alias>",
        terraform='resource "aws_cloudtrail" "example" {\n  kms_key_id = aws_kms_key.trail.arn\n}',
    ),
)
def logs_encrypted_with_kms(trail: Trail) -> Outcome:
    if trail.kms_key_id:
        return Pass(f"log files are encrypted with {trail.kms_key_id}")
    return Fail("log files use only S3's default encryption: no KMS key is configured")


def _bucket_named(inv: Inventory, name: str) -> S3Bucket | None:
    """The first bucket of that name in inventory order, looked up in an index built once."""
    def index() -> dict[str, S3Bucket]:
        out: dict[str, S3Bucket] = {}
        for b in inv.of(S3Bucket):
            out.setdefault(b.name, b)
        return out

    return inv.memo(("cloudtrail.buckets_by_name",), index).get(name)


@control(
    id="cloudtrail.bucket_not_public",
    title="The S3 bucket of each CloudTrail trail is not publicly accessible",
    severity="critical",
    needs=[DESCRIBE, *PUBLIC_EXPOSURE_NEEDS],
    rationale="A trail's bucket holds a complete map of the account's activity: principals, resources, source "
    "addresses. If it is public, outsiders can read it, and with write access alter or delete the evidence an "
    "investigation depends on. Protecting audit logs from unauthorised access is part of CC6.1 and a "
    "precondition for trustworthy monitoring under CC7.2.",
    remediation=Remediation(
        console="S3 console > the trail's bucket > Permissions: turn on all four 'Block public access' settings, "
        "remove AllUsers/AuthenticatedUsers ACL grants, and keep only bucket-policy statements for "
        "cloudtrail.amazonaws.com (scoped with aws:SourceArn) and named principals of your organisation.",
        cli="aws s3api put-public-access-block --bucket <trail-bucket> --public-access-block-configuration "
        "BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true",
        terraform='resource "aws_s3_bucket_public_access_block" "trail_logs" {\n'
        "  bucket                  = aws_s3_bucket.trail_logs.id\n  block_public_acls       = true\n"
        "  ignore_public_acls      = true\n  block_public_policy     = true\n  restrict_public_buckets = true\n}",
    ),
)
def bucket_not_public(trail: Trail, inv: Inventory) -> Outcome:
    name = trail.s3_bucket_name
    if not name:
        return Error("the trail's S3 bucket name was not collected")
    bucket = _bucket_named(inv, name)
    if bucket is None:
        return Error(f"log bucket {name} is not in the scanned inventory (it may live in another account, such as "
                     "a central logging account): its public access could not be verified; scan that account too")
    verdict = public_exposure(bucket, account_block(inv, bucket.account_id))
    joiner = " is " if verdict.status in (Status.PASS, Status.FAIL) else ": "
    return verdict._replace(message=f"log bucket {name}{joiner}{verdict.message}")


# ---------------------------------------------------------------------------------------------
# Data events


def _data_event_gaps(trail: Trail, resource_type: str, include_reads: bool) -> tuple[list[str], list[str]]:
    """(why the trail does not record every data event of the type, what could not be read)."""
    gaps: list[str] = []
    unknown: list[str] = []
    if not trail.is_multi_region:
        gaps.append("is not multi-region")
    if trail.is_logging is None:
        unknown.append("logging status")
    elif not trail.is_logging:
        gaps.append("is not logging")
    if trail.data_events is None:
        unknown.append("event selectors")
        return gaps, unknown
    selected = [d for d in trail.data_events if d.resource_type == resource_type]
    everywhere = [d for d in selected if d.all_resources]
    reads, writes = any(d.reads for d in everywhere), any(d.writes for d in everywhere)
    if not selected:
        gaps.append(f"records no {resource_type} data events")
    elif not everywhere:
        prefixes = sorted({p for d in selected for p in d.arn_prefixes})
        gaps.append(f"records {resource_type} data events only for {', '.join(prefixes[:3])}"
                    + (f" (+{len(prefixes) - 3} more)" if len(prefixes) > 3 else ""))
    elif not writes:
        gaps.append(f"records only read {resource_type} data events")
    elif include_reads and not reads:
        gaps.append(f"records only write {resource_type} data events")
    return gaps, unknown


def data_events_logged(account: Account, inv: Inventory, resource_type: str, include_reads: bool) -> Outcome:
    """Pass when one logging multi-region trail records data events of the type for every resource."""
    trails = inv.in_account(Trail, account.account_id)
    what = "read and write" if include_reads else "write"
    if not trails:
        return Fail(f"the account has no CloudTrail trail, so no {resource_type} data events are recorded")
    definite: list[str] = []
    unconfirmed: list[str] = []
    for t in trails:
        gaps, unknown = _data_event_gaps(t, resource_type, include_reads)
        if not gaps and not unknown:
            return Pass(f"trail {t.display_name} records {what} {resource_type} data events for every resource "
                        "in all regions")
        if gaps:
            definite.append(f"{t.display_name} {', '.join(gaps)}")
        else:
            unconfirmed.append(f"{', '.join(unknown)} of trail {t.display_name} were not collected")
    if unconfirmed:
        return Error("could not confirm: " + "; ".join(unconfirmed))
    return Fail(f"no logging multi-region trail records {what} {resource_type} data events for every resource: "
                + "; ".join(definite))


@control(
    id="cloudtrail.s3_data_events_logged",
    title="A multi-region CloudTrail trail records S3 object-level events for every bucket",
    severity="medium",
    needs=TRAIL_READS,
    rationale="Management events show who changed a bucket, but not who read, wrote or deleted the objects in "
    "it. Object-level (data) events are the only AWS record of access to the data itself: without them an "
    "investigation cannot tell which records a leaked credential downloaded, and unusual reads of confidential "
    "data cannot be detected (CC7.2, CC7.3, C1.1). By default both reads and writes must be recorded; set "
    "include_reads to false where only changes must be traced.",
    remediation=Remediation(
        console="CloudTrail console > Trails > the multi-region trail > Data events > Edit > Add data event "
        "type: S3, log selector template 'Log all events' > Save changes.",
        cli="aws cloudtrail put-event-selectors --trail-name <trail> --advanced-event-selectors '[\n"
        '  {"Name": "Management events", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}]},\n'
        '  {"Name": "S3 objects", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Data"]},\n'
        '    {"Field": "resources.type", "Equals": ["AWS::S3::Object"]}]}]\'',
        terraform='resource "aws_cloudtrail" "audit" {\n  advanced_event_selector {\n'
        '    name = "S3 objects"\n    field_selector {\n      field  = "eventCategory"\n'
        '      equals = ["Data"]\n    }\n    field_selector {\n      field  = "resources.type"\n'
        '      equals = ["AWS::S3::Object"]\n    }\n  }\n}',
    ),
)
def s3_data_events_logged(account: Account, inv: Inventory, *, include_reads: bool = True) -> Outcome:
    return data_events_logged(account, inv, "AWS::S3::Object", include_reads)


@control(
    id="cloudtrail.lambda_data_events_logged",
    title="A multi-region CloudTrail trail records invocations of every Lambda function",
    severity="low",
    needs=[*TRAIL_READS, "lambda:ListFunctions"],
    rationale="Invocations of a Lambda function are data events: they are not in the management event record. "
    "Recording them shows who or what ran each function and when, which is needed to trace how a function "
    "that touches sensitive data or infrastructure was triggered during an incident (CC7.2, CC7.3). Accounts "
    "without Lambda functions are not assessed.",
    remediation=Remediation(
        console="CloudTrail console > Trails > the multi-region trail > Data events > Edit > Add data event "
        "type: Lambda, log selector template 'Log all events' > Save changes.",
        cli="aws cloudtrail put-event-selectors --trail-name <trail> --advanced-event-selectors '[\n"
        '  {"Name": "Management events", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}]},\n'
        '  {"Name": "Lambda invocations", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Data"]},\n'
        '    {"Field": "resources.type", "Equals": ["AWS::Lambda::Function"]}]}]\'',
        terraform='resource "aws_cloudtrail" "audit" {\n  advanced_event_selector {\n'
        '    name = "Lambda invocations"\n    field_selector {\n      field  = "eventCategory"\n'
        '      equals = ["Data"]\n    }\n    field_selector {\n      field  = "resources.type"\n'
        '      equals = ["AWS::Lambda::Function"]\n    }\n  }\n}',
    ),
)
def lambda_data_events_logged(account: Account, inv: Inventory) -> Outcome:
    if not inv.in_account(LambdaFunction, account.account_id):
        return Skip("the account has no Lambda functions in the scanned regions")
    return data_events_logged(account, inv, "AWS::Lambda::Function", include_reads=False)


# ---------------------------------------------------------------------------------------------
# The security trail and its bucket


def _security_gaps(trail: Trail) -> tuple[list[str], list[str]]:
    """(what the trail definitely lacks for a security trail, which reads are missing)."""
    gaps: list[str] = []
    unknown: list[str] = []
    checks = [
        (trail.is_logging, "logging status", "is not logging"),
        (trail.is_multi_region, "", "is not multi-region"),
        (trail.include_global_service_events, "global service event setting", "omits global service events"),
        (trail.log_file_validation, "", "does not validate log files"),
        (bool(trail.kms_key_id), "", "is not encrypted with KMS"),
    ]
    for value, label, gap in checks:
        if value is None:
            unknown.append(label)
        elif not value:
            gaps.append(gap)
    if trail.management_events is None or trail.excluded_management_sources is None:
        unknown.append("event selectors")
    else:
        if trail.management_events != "All":
            gaps.append(f"records {trail.management_events or 'no'} management events, not All")
        if trail.excluded_management_sources:
            gaps.append(f"excludes events from {', '.join(trail.excluded_management_sources)}")
    return gaps, unknown


@control(
    id="cloudtrail.security_trail_configured",
    title="A CloudTrail trail meets every security-trail setting",
    severity="medium",
    needs=TRAIL_READS,
    rationale="One trail should give a complete, trustworthy record on its own: logging, in every region, "
    "including global services such as IAM and STS, all read and write management events with no event "
    "sources excluded, validated log files and KMS encryption. Each setting closes a gap an intruder or a "
    "careless change could use to act unrecorded or to alter the record, so the audit trail behind CC7.2, "
    "CC7.3 and CC8.1 is only as strong as the weakest of them.",
    remediation=Remediation(
        console="CloudTrail console > Trails > the organisation or account trail > Edit: apply to all regions, "
        "enable log file validation and SSE-KMS encryption; Management events: Read and Write, with no "
        "excluded event sources; then confirm Logging is ON. Global service events are included by default; "
        "if they were turned off, use the CLI below.",
        cli="aws cloudtrail update-trail --name <trail> --is-multi-region-trail --include-global-service-events \\\n"
        "  --enable-log-file-validation --kms-key-id <key-arn>\n"
        "aws cloudtrail put-event-selectors --trail-name <trail> "
        "--event-selectors '[{\"ReadWriteType\":\"All\",\"IncludeManagementEvents\":true}]'\n"
        "aws cloudtrail start-logging --name <trail>",
        terraform='resource "aws_cloudtrail" "audit" {\n  is_multi_region_trail         = true\n'
        "  include_global_service_events = true\n  enable_log_file_validation    = true\n"
        "  kms_key_id                    = aws_kms_key.trail.arn\n  enable_logging                = true\n"
        '  event_selector {\n    read_write_type           = "All"\n    include_management_events = true\n'
        "  }\n}",
    ),
)
def security_trail_configured(account: Account, inv: Inventory) -> Outcome:
    trails = inv.in_account(Trail, account.account_id)
    if not trails:
        return Fail("the account has no CloudTrail trail")
    definite: list[str] = []
    unconfirmed: list[str] = []
    for t in trails:
        gaps, unknown = _security_gaps(t)
        if not gaps and not unknown:
            return Pass(f"trail {t.display_name} meets every security-trail setting")
        if gaps:
            definite.append(f"{t.display_name} {', '.join(gaps)}")
        else:
            unconfirmed.append(f"{', '.join(unknown)} of trail {t.display_name} were not collected")
    if unconfirmed:
        return Error("could not confirm: " + "; ".join(unconfirmed))
    return Fail("no trail meets every security-trail setting: " + "; ".join(definite))


BUCKET_LOGGING_NEEDS = [DESCRIBE, "s3:ListAllMyBuckets", "s3:GetBucketLocation", "s3:GetBucketLogging"]


@control(
    id="cloudtrail.bucket_access_logging_enabled",
    title="The S3 bucket of each CloudTrail trail has server access logging enabled",
    severity="low",
    needs=BUCKET_LOGGING_NEEDS,
    rationale="CloudTrail records API calls to the bucket only when data events are enabled; server access "
    "logs record every request made to the bucket holding the audit trail, including reads and failed "
    "attempts. They show who has been looking at, or trying to tamper with, the evidence itself, which keeps "
    "the monitoring record trustworthy (CC7.2, CC7.3).",
    remediation=Remediation(
        console="S3 console > the trail's bucket > Properties > Server access logging > Edit > Enable, and "
        "choose a separate target bucket that the S3 logging service may write to > Save changes.",
        cli="aws s3api put-bucket-logging --bucket <trail-bucket> --bucket-logging-status \\\n"
        "  '{\"LoggingEnabled\":{\"TargetBucket\":\"<access-log-bucket>\",\"TargetPrefix\":\"<trail-bucket>/\"}}'",
        terraform='resource "aws_s3_bucket_logging" "trail_logs" {\n  bucket        = aws_s3_bucket.trail_logs.id\n'
        "  target_bucket = aws_s3_bucket.access_logs.id\n  target_prefix = \"trail-logs/\"\n}",
    ),
)
def bucket_access_logging_enabled(trail: Trail, inv: Inventory) -> Outcome:
    name = trail.s3_bucket_name
    if not name:
        return Error("the trail's S3 bucket name was not collected")
    bucket = _bucket_named(inv, name)
    if bucket is None:
        return Error(f"log bucket {name} is not in the scanned inventory (it may live in another account, such as "
                     "a central logging account): its access logging could not be verified; scan that account too")
    if bucket.logging_target_bucket is None:
        failed = [e.describe() for e in inv.errors_on(bucket.arn)]
        return Error(f"access logging of log bucket {name} was not read" + (": " + "; ".join(failed) if failed else ""))
    if not bucket.logging_target_bucket:
        return Fail(f"log bucket {name} has server access logging disabled")
    return Pass(f"log bucket {name} writes access logs to {bucket.logging_target_bucket}")
