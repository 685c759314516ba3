"""Northwind's finance reports API: a regional REST API whose resource policy admits calls only from the
office network, and whose one method requires IAM signatures. The other REST APIs (the orders API, the
partner API and the internal API) are seeded with the web ACLs that protect them (waf estate)."""

from __future__ import annotations

import json

from assay.demo.estate import ClientFactory

OFFICE = "203.0.113.0/24"  # a documentation range standing in for the office's egress addresses
OFFICE_ONLY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "Invoke",
            "Effect": "Allow",
            "Principal": "*",
            "Action": "execute-api:Invoke",
            "Resource": "execute-api:/*",
        },
        {
            "Sid": "OfficeOnly",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "execute-api:Invoke",
            "Resource": "execute-api:/*",
            "Condition": {"NotIpAddress": {"aws:SourceIp": [OFFICE]}},
        },
    ],
}


def seed(client: ClientFactory, regions: list[str]) -> None:
    apigw = client("apigateway", regions[0])
    api = apigw.create_rest_api(
        name="pass-finance-reports-api", policy=json.dumps(OFFICE_ONLY), endpointConfiguration={"types": ["REGIONAL"]}
    )["id"]
    root = next(r["id"] for r in apigw.get_resources(restApiId=api)["items"] if r["path"] == "/")
    apigw.put_method(restApiId=api, resourceId=root, httpMethod="GET", authorizationType="AWS_IAM")
    apigw.put_integration(restApiId=api, resourceId=root, httpMethod="GET", type="MOCK")
