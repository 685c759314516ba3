"""Glue: the curated-sales ETL job is encrypted and logs continuously; an old export job is neither."""

from __future__ import annotations

from assay.demo.estate import ClientFactory

ROLE = "arn:aws:iam::123456789012:role/northwind-glue"


def seed(client: ClientFactory, regions: list[str]) -> None:
    region = regions[-1]
    glue = client("glue", region)
    key = f"arn:aws:kms:{region}:123456789012:alias/northwind-etl"
    glue.create_security_configuration(Name="northwind-etl-encrypted", EncryptionConfiguration={
        "S3Encryption": [{"S3EncryptionMode": "SSE-KMS", "KmsKeyArn": key}],
        "CloudWatchEncryption": {"CloudWatchEncryptionMode": "SSE-KMS", "KmsKeyArn": key},
        "JobBookmarksEncryption": {"JobBookmarksEncryptionMode": "CSE-KMS", "KmsKeyArn": key}})
    script = "s3://northwind-glue-scripts/{}.py"
    glue.create_job(Name="pass-curated-sales", Role=ROLE, SecurityConfiguration="northwind-etl-encrypted",
                    Command={"Name": "glueetl", "ScriptLocation": script.format("curated_sales")},
                    DefaultArguments={"--enable-continuous-cloudwatch-log": "true"}, GlueVersion="4.0")
    glue.create_job(Name="fail-legacy-export", Role=ROLE, GlueVersion="3.0",
                    Command={"Name": "glueetl", "ScriptLocation": script.format("legacy_export")})
    glue.create_job(Name="skip-vacuum-shell", Role=ROLE, SecurityConfiguration="northwind-etl-encrypted",
                    Command={"Name": "pythonshell", "ScriptLocation": script.format("vacuum")})
