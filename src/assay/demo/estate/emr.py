"""EMR: a Kerberized analytics cluster and a quick ad-hoc cluster whose primary node got a public IP.

moto launches EC2 instances only for instance groups (in the default subnet, with a public IP); they are
named so that they read as EMR nodes among the EC2 findings. moto's EMR takes the region from the host name,
so on the demo's loopback endpoint every region shows these us-east-1 clusters; they are seeded there.
"""

from __future__ import annotations

import json

from assay.demo.estate import ClientFactory

COMMON = {"ReleaseLabel": "emr-6.15.0", "JobFlowRole": "EMR_EC2_DefaultRole", "ServiceRole": "EMR_DefaultRole",
          "VisibleToAllUsers": True}
KERBEROS = {"AuthenticationConfiguration": {"KerberosConfiguration": {
    "Provider": "ClusterDedicatedKdc", "ClusterDedicatedKdcConfiguration": {"TicketLifetimeInHours": 24}}}}


def seed(client: ClientFactory, regions: list[str]) -> None:
    region = regions[0]  # moto's EMR answers every region from us-east-1 on a loopback endpoint
    emr = client("emr", region)
    emr.create_security_configuration(Name="northwind-kerberos", SecurityConfiguration=json.dumps(KERBEROS))
    emr.run_job_flow(Name="pass-analytics-kerberized", SecurityConfiguration="northwind-kerberos",
                     KerberosAttributes={"Realm": "EC2.INTERNAL", "KdcAdminPassword": "demo-only-kdc-password"},
                     Instances={"MasterInstanceType": "m5.xlarge", "InstanceCount": 1,
                                "KeepJobFlowAliveWhenNoSteps": True}, **COMMON)
    bad = emr.run_job_flow(Name="fail-adhoc-spark", Instances={"KeepJobFlowAliveWhenNoSteps": True, "InstanceGroups": [
        {"Name": "primary", "InstanceRole": "MASTER", "InstanceType": "m5.xlarge", "InstanceCount": 1}]},
        **COMMON)["JobFlowId"]
    nodes = [i["Ec2InstanceId"] for i in emr.list_instances(ClusterId=bad)["Instances"]]
    client("ec2", region).create_tags(Resources=nodes, Tags=[{"Key": "Name", "Value": "emr-adhoc-spark-primary"}])
