"""OpenSearch controls: pure functions over OpenSearchDomain."""

from __future__ import annotations

from typing import Any

from assay.controls import opensearch, opensearch_access
from assay.models.findings import Status
from assay.models.resources.opensearch import OpenSearchDomain

P, F, E = Status.PASS, Status.FAIL, Status.ERROR
ALL_LOGS = ("AUDIT_LOGS", "ES_APPLICATION_LOGS", "INDEX_SLOW_LOGS", "SEARCH_SLOW_LOGS")


def domain(**over: Any) -> OpenSearchDomain:
    base: dict[str, Any] = dict(
        arn="arn:aws:es:us-east-1:123456789012:domain/search", id="search", account_id="123456789012",
        region="us-east-1", vpc_id="vpc-1", subnet_ids=("subnet-1",), encrypted_at_rest=True,
        node_to_node_encryption=True, enforce_https=True, tls_policy="Policy-Min-TLS-1-2-2019-07",
        fine_grained_access_control=True, published_logs=ALL_LOGS,
    )
    return OpenSearchDomain(**{**base, **over})


def test_domain_encrypted_at_rest() -> None:
    assert opensearch.domain_encrypted_at_rest(domain()).status is P
    assert opensearch.domain_encrypted_at_rest(domain(encrypted_at_rest=False)).status is F


def test_domain_in_vpc() -> None:
    assert opensearch.domain_in_vpc(domain()) == (P, "domain is in vpc-1")
    assert opensearch.domain_in_vpc(domain(vpc_id=None)) == (P, "domain is in a VPC")  # subnets only
    assert opensearch.domain_in_vpc(domain(vpc_id=None, subnet_ids=())) == (F, "domain has a public endpoint")


def test_domain_node_to_node_encryption() -> None:
    assert opensearch.domain_node_to_node_encryption(domain()).status is P
    assert opensearch.domain_node_to_node_encryption(domain(node_to_node_encryption=False)).status is F


def test_domain_enforces_https() -> None:
    assert opensearch.domain_enforces_https(domain()) == (P, "HTTPS is required (Policy-Min-TLS-1-2-2019-07)")
    assert opensearch.domain_enforces_https(domain(enforce_https=False)) == (F, "plain HTTP is accepted")
    old = opensearch.domain_enforces_https(domain(tls_policy="Policy-Min-TLS-1-0-2019-07"))
    assert old.status is F and "TLS 1.0" in old.message
    assert opensearch.domain_enforces_https(domain(tls_policy="")).status is E


def test_domain_fine_grained_access_control() -> None:
    assert opensearch.domain_fine_grained_access_control(domain()).status is P
    assert opensearch.domain_fine_grained_access_control(domain(fine_grained_access_control=False)).status is F
    out = opensearch.domain_fine_grained_access_control(domain(anonymous_auth=True))
    assert out.status is F and "anonymous" in out.message


def test_domain_audit_logs_published() -> None:
    assert opensearch.domain_audit_logs_published(domain()).status is P
    assert opensearch.domain_audit_logs_published(domain(published_logs=())) == (F, "audit logs are not published")
    assert opensearch.domain_audit_logs_published(domain(published_logs=(), fine_grained_access_control=False)) == \
        (F, "audit logs are not published (enable fine-grained access control first)")


def test_domain_logs_published_with_parameter() -> None:
    assert opensearch.domain_logs_published(domain()).status is P
    errors_only = domain(published_logs=("ES_APPLICATION_LOGS",))
    assert opensearch.domain_logs_published(errors_only) == (F, "not published: SEARCH_SLOW_LOGS, INDEX_SLOW_LOGS")
    assert opensearch.domain_logs_published(errors_only, require_slow_logs=False) == \
        (P, "published: ES_APPLICATION_LOGS")
    assert opensearch.domain_logs_published(domain(published_logs=()), require_slow_logs=False).status is F


OPEN = {"Statement": [{"Sid": "Anyone", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "es:*",
                       "Resource": "arn:aws:es:us-east-1:123456789012:domain/search/*"}]}


def test_domain_policy_not_public() -> None:
    f = opensearch_access.domain_policy_not_public
    public = dict(vpc_id=None, subnet_ids=(), fine_grained_access_control=False)
    assert f(domain(**public, access_policy={})).status is P  # no resource policy: IAM policies decide
    by_ip = {"Statement": [{**OPEN["Statement"][0], "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}]}
    assert f(domain(**public, access_policy=by_ip)).status is P
    assert f(domain(**public, access_policy=OPEN)) == \
        (F, "the public endpoint lets anyone in: Anyone allows '*' with no condition")
    assert f(domain(access_policy=OPEN)).message.endswith("reachable only inside its VPC")
    fgac = f(domain(**{**public, "fine_grained_access_control": True}, access_policy=OPEN))
    assert fgac.status is P and "fine-grained" in fgac.message
    anonymous = dict(public, fine_grained_access_control=True, anonymous_auth=True)
    assert f(domain(**anonymous, access_policy=OPEN)).status is F
    assert f(domain(access_policy=None)).status is E
