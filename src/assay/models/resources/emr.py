"""Amazon EMR resources."""

from __future__ import annotations

from typing import ClassVar

from assay.models.base import Resource


class EmrCluster(Resource):
    """An active (starting, bootstrapping, running or waiting) EMR cluster."""

    type: ClassVar[str] = "AWS::EMR::Cluster"
    state: str = ""
    security_configuration: str = ""
    kerberos_realm: str | None = None  # KerberosAttributes.Realm; "" without Kerberos; None: not read
    subnet_id: str = ""
    master_public_ips: tuple[str, ...] | None = None  # public IPs of primary (master) nodes; None: not read
