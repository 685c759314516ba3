"""AWS Glue controls: continuous logging and encryption of job output and logs."""

from __future__ import annotations

from assay.controls.registry import Remediation, control
from assay.models.findings import Error, Fail, Outcome, Pass, Skip
from assay.models.resources.glue import GlueJob

GET_JOBS, GET_CONFIGS = "glue:GetJobs", "glue:GetSecurityConfigurations"
SPARK = ("glueetl", "gluestreaming")  # continuous logging is a feature of Spark jobs


@control(
    id="glue.job_continuous_logging",
    title="Glue Spark jobs log continuously to CloudWatch",
    severity="low",
    needs=[GET_JOBS],
    rationale="Continuous logging streams driver and executor progress to CloudWatch while a job runs, so "
    "failing or stuck ETL runs are seen and diagnosed, and there is a record of what each run processed "
    "(A1.2, PI1.3, CC7.2).",
    remediation=Remediation(
        console="Glue console > ETL jobs > the job > Job details > Advanced properties > check 'Continuous "
        "logging' > Save.",
        cli="aws glue update-job --job-name <job> --job-update "
        "'Role=<role>,Command={Name=glueetl,ScriptLocation=<s3-uri>},"
        "DefaultArguments={--enable-continuous-cloudwatch-log=true}'",
        terraform='resource "aws_glue_job" "etl" {\n  default_arguments = {\n'
        '    "--enable-continuous-cloudwatch-log" = "true"\n  }\n}',
    ),
)
def job_continuous_logging(job: GlueJob) -> Outcome:
    if job.command not in SPARK:
        return Skip(f"continuous logging applies to Spark jobs, not {job.command or 'this job type'}")
    if job.continuous_logging:
        return Pass("continuous CloudWatch logging is enabled")
    return Fail("continuous CloudWatch logging is not enabled (--enable-continuous-cloudwatch-log)")


@control(
    id="glue.job_s3_encrypted",
    title="Glue jobs encrypt the data they write to S3",
    severity="medium",
    needs=[GET_JOBS, GET_CONFIGS],
    rationale="ETL jobs write transformed, often sensitive, data to S3. A security configuration with S3 "
    "encryption (or the job's --encryption-type argument) makes the job encrypt everything it writes, "
    "independent of each bucket's defaults (CC6.1, C1.1).",
    remediation=Remediation(
        console="Glue console > Data Catalog > Security configurations > Add: enable S3 encryption (SSE-KMS with "
        "your key) > Create; then ETL jobs > the job > Job details > Advanced properties > Security "
        "configuration: choose it > Save.",
        cli="aws glue create-security-configuration --name etl-encrypted --encryption-configuration "
        "'S3Encryption=[{S3EncryptionMode=SSE-KMS,KmsKeyArn=<key-arn>}]'\n"
        "aws glue update-job --job-name <job> "
        "--job-update 'Role=<role>,Command={...},SecurityConfiguration=etl-encrypted'",
        terraform='resource "aws_glue_security_configuration" "etl" {\n  encryption_configuration {\n'
        '    s3_encryption {\n      s3_encryption_mode = "SSE-KMS"\n      kms_key_arn        = aws_kms_key.etl.arn\n'
        '    }\n    # cloudwatch_encryption and job_bookmarks_encryption blocks as required\n  }\n}\n'
        'resource "aws_glue_job" "etl" {\n  security_configuration = aws_glue_security_configuration.etl.name\n}',
    ),
)
def job_s3_encrypted(job: GlueJob) -> Outcome:
    if job.s3_encryption_mode is None:
        return Error(f"security configuration {job.security_configuration} could not be read")
    if job.s3_encryption_mode != "DISABLED":
        return Pass(f"S3 output is encrypted ({job.s3_encryption_mode} via {job.security_configuration})")
    if job.encryption_type_argument and job.encryption_type_argument.lower() != "disabled":
        return Pass(f"S3 output is encrypted (--encryption-type {job.encryption_type_argument})")
    where = f"security configuration {job.security_configuration}" if job.security_configuration else \
        "no security configuration"
    return Fail(f"S3 output is not encrypted by the job ({where})")


@control(
    id="glue.job_logs_encrypted",
    title="Glue jobs encrypt their CloudWatch logs with KMS",
    severity="low",
    needs=[GET_JOBS, GET_CONFIGS],
    rationale="Job logs can echo records, schema details and error payloads from the data being processed. "
    "Encrypting them with a KMS key through the security configuration protects that content and ties log "
    "access to a key policy (CC6.1, C1.1).",
    remediation=Remediation(
        console="Glue console > Data Catalog > Security configurations > Add: enable CloudWatch logs encryption "
        "with your KMS key (its key policy must allow the logs service) > Create; attach it to the job.",
        cli="aws glue create-security-configuration --name etl-encrypted --encryption-configuration "
        "'CloudWatchEncryption={CloudWatchEncryptionMode=SSE-KMS,KmsKeyArn=<key-arn>}'",
        terraform='resource "aws_glue_security_configuration" "etl" {\n  encryption_configuration {\n'
        '    cloudwatch_encryption {\n      cloudwatch_encryption_mode = "SSE-KMS"\n'
        '      kms_key_arn                = aws_kms_key.etl.arn\n    }\n  }\n}',
    ),
)
def job_logs_encrypted(job: GlueJob) -> Outcome:
    if job.cloudwatch_encryption_mode is None:
        return Error(f"security configuration {job.security_configuration} could not be read")
    if job.cloudwatch_encryption_mode == "SSE-KMS":
        return Pass(f"CloudWatch logs are encrypted with KMS via {job.security_configuration}")
    if not job.security_configuration:
        return Fail("the job has no security configuration: its logs are not KMS-encrypted")
    return Fail(f"security configuration {job.security_configuration} does not encrypt CloudWatch logs")
