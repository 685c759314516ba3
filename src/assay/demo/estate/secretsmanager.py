"""Secrets of Northwind Analytics: a warehouse password that rotates every 30 days and a partner API key
that never rotates.

moto cannot age a secret, nor record a retrieval without reading the value (which the demo never does),
so secretsmanager.secret_rotated_recently shows no failure and secretsmanager.secret_in_use no verdict
(both secrets are too new to judge). moto enables rotation without a rotation function when none is named.
"""

from __future__ import annotations

from assay.demo.estate import ClientFactory


def seed(client: ClientFactory, regions: list[str]) -> None:
    sm = client("secretsmanager", regions[0])
    sm.create_secret(Name="pass-northwind-warehouse-db", SecretString="demo-only-not-a-password",
                     Description="Redshift admin password")
    sm.rotate_secret(SecretId="pass-northwind-warehouse-db", RotationRules={"AutomaticallyAfterDays": 30})
    sm.create_secret(Name="fail-northwind-partner-api-key", SecretString="demo-only-not-a-key",
                     Description="API key issued by the logistics partner")
