"""OpenSearch Service control over the domain's resource-based access policy."""

from __future__ import annotations

from assay.controls.policy import grants_everyone_unconditionally
from assay.controls.registry import Remediation, control
from assay.models.findings import Error, Fail, Outcome, Pass
from assay.models.resources.opensearch import OpenSearchDomain


@control(
    id="opensearch.domain_policy_not_public",
    title="OpenSearch domains with a public endpoint do not let anonymous callers in",
    severity="high",
    needs=["es:ListDomainNames", "es:DescribeDomain"],
    rationale="A domain whose access policy allows '*' with no condition answers anyone who reaches its "
    "endpoint; with a public endpoint that is the whole internet, and indices copied from production systems "
    "can be read or deleted. A domain passes when its policy names principals or narrows them with a "
    "condition, when it is reachable only inside its VPC, or when fine-grained access control authenticates "
    "every request with anonymous access off (the set-up AWS documents for an open policy) (CC6.1, CC6.6).",
    remediation=Remediation(
        console="OpenSearch Service console > Domains > the domain > Security configuration > Edit > Access "
        "policy: replace the '*' principal with the IAM roles that use the domain (or add an aws:SourceIp "
        "condition), or enable fine-grained access control > Save changes.",
        cli="aws opensearch update-domain-config --domain-name <name> --access-policies file://domain-policy.json",
        terraform='data "aws_iam_policy_document" "search" {\n  statement {\n    actions   = ["es:ESHttp*"]\n'
        "    principals {\n      type        = \"AWS\"\n      identifiers = [aws_iam_role.app.arn]\n    }\n"
        '    resources = ["${aws_opensearch_domain.example.arn}/*"]\n  }\n}\n'
        'resource "aws_opensearch_domain_policy" "example" {\n'
        "  domain_name     = aws_opensearch_domain.example.domain_name\n"
        "  access_policies = data.aws_iam_policy_document.search.json\n}",
    ),
)
def domain_policy_not_public(d: OpenSearchDomain) -> Outcome:
    if d.access_policy is None:
        return Error("the domain's access policy could not be read as JSON")
    open_to_all = grants_everyone_unconditionally(d.access_policy)
    if not open_to_all:
        return Pass("the access policy names its principals or narrows them with conditions")
    if d.in_vpc:
        return Pass(f"the access policy allows anyone ({', '.join(open_to_all)}), but the domain is reachable "
                    "only inside its VPC")
    if d.fine_grained_access_control and not d.anonymous_auth:
        return Pass("the access policy is open, and fine-grained access control authenticates every request")
    return Fail(f"the public endpoint lets anyone in: {', '.join(open_to_all)} allows '*' with no condition")
