"""Northwind's DynamoDB accelerator: the order-lookup cluster encrypts at rest and in transit; a
prototype cluster for the recommendations table does neither."""

from __future__ import annotations

import json

from assay.demo.estate import ClientFactory

DAX_TRUST = {"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"Service": "dax.amazonaws.com"}, "Action": "sts:AssumeRole"}]}


def seed(client: ClientFactory, regions: list[str]) -> None:
    role = client("iam", regions[0]).create_role(RoleName="dax-table-access",
                                                 AssumeRolePolicyDocument=json.dumps(DAX_TRUST))["Role"]["Arn"]
    dax = client("dax", regions[0])
    dax.create_cluster(ClusterName="pass-order-lookup", NodeType="dax.r5.large", ReplicationFactor=3,
                       IamRoleArn=role, SSESpecification={"Enabled": True}, ClusterEndpointEncryptionType="TLS")
    dax.create_cluster(ClusterName="fail-recs-prototype", NodeType="dax.t3.small", ReplicationFactor=1,
                       IamRoleArn=role)
