"""`assay permissions --format iam-json|cloudformation|terraform`: the scanning role as templates.

Every format grants exactly the actions of `assay permissions`; CloudFormation passes cfn-lint with
no error; Terraform passes `terraform validate` where a terraform binary and the AWS provider are
available, and a structural check (python-hcl2) everywhere.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import hcl2
import pytest
import yaml
from typer.testing import CliRunner

from assay.cli import app
from assay.errors import UsageError
from assay.onboarding import RoleOptions
from assay.onboarding.cloudformation import dump, role_template, stackset_template
from assay.onboarding.policies import MANAGED_POLICY_LIMIT, actions_of, policy_size, split_policy
from assay.onboarding.terraform import render
from assay.permissions import policy_document

TRUSTED = "111122223333"
EXTERNAL = "assay-3f1c9e"
MANAGED = {"SecurityAudit", "job-function/ViewOnlyAccess"}


def permissions(*args: str) -> str:
    result = CliRunner().invoke(app, ["permissions", *args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code == 0, result.output
    return result.stdout


def declared() -> list[str]:
    return actions_of([policy_document()])


@pytest.fixture(scope="module")
def lint(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """cfn-lint over every generated template at once (one process: it takes seconds to start).

    Returns {file name: [problems]}. A deliberately broken template is among them, to show the lint bites.
    """
    root = tmp_path_factory.mktemp("cfn")
    stackset = yaml.safe_load(permissions("--format", "cloudformation", "--stackset", "--trusted-account", TRUSTED))
    broken = role_template(RoleOptions())
    broken["Resources"]["ScanRole"]["Properties"]["MaxSessionDuration"] = 100  # below IAM's minimum of 3600
    files = {
        "role.yaml": permissions("--format", "cloudformation", "--trusted-account", TRUSTED,
                                 "--external-id", EXTERNAL),
        "role-managed.yaml": permissions("--format", "cloudformation", "--include-managed"),
        "stackset.yaml": dump(stackset),
        "inner.json": stackset["Resources"]["ScanRoleStackSet"]["Properties"]["TemplateBody"],
        "broken.yaml": dump(broken),
    }
    for name, text in files.items():
        (root / name).write_text(text)
    exe = shutil.which("cfn-lint") or "cfn-lint"
    proc = subprocess.run([exe, "--format", "parseable", *(str(root / n) for n in files)], capture_output=True,
                          text=True, timeout=300)
    assert not proc.stderr.strip(), proc.stderr
    found: dict[str, list[str]] = {name: [] for name in files}
    for line in proc.stdout.splitlines():
        found[Path(line.split(":", 1)[0]).name].append(line)
    return found


# -- IAM JSON and the size split --------------------------------------------------------------------

def test_iam_json_is_todays_policy() -> None:
    assert json.loads(permissions()) == policy_document()
    assert json.loads(permissions("--format", "iam-json")) == policy_document()


def test_split_policies_fit_the_managed_limit_and_keep_every_action() -> None:
    doc = policy_document()
    parts = split_policy(doc)
    assert all(policy_size(p) <= MANAGED_POLICY_LIMIT for p in parts)
    assert actions_of(parts) == declared()
    assert [st["Sid"] for p in parts for st in p["Statement"]] == [st["Sid"] for st in doc["Statement"]]
    if policy_size(doc) > MANAGED_POLICY_LIMIT:
        assert len(parts) >= 2


def test_a_statement_too_large_alone_is_cut() -> None:
    big = {"Version": "2012-10-17", "Statement": [
        {"Sid": "Big", "Effect": "Allow", "Action": [f"svc:GetThing{n:04d}" for n in range(400)], "Resource": "*"}]}
    parts = split_policy(big, limit=2000)
    assert len(parts) > 3 and all(policy_size(p) <= 2000 for p in parts)
    assert actions_of(parts) == actions_of([big])
    sids = [st["Sid"] for p in parts for st in p["Statement"]]
    assert len(sids) == len(set(sids))


# -- CloudFormation ---------------------------------------------------------------------------------

def policies_in(template: dict[str, Any]) -> list[dict[str, Any]]:
    return [r["Properties"]["PolicyDocument"] for r in template["Resources"].values()
            if r["Type"] == "AWS::IAM::ManagedPolicy"]


def attached_aws_policies(template: dict[str, Any]) -> set[str]:
    arns = template["Resources"]["ScanRole"]["Properties"]["ManagedPolicyArns"]
    return {a["Fn::Sub"].split(":policy/", 1)[1] for a in arns if "Fn::Sub" in a}


def test_role_template_grants_exactly_the_declared_actions(lint: dict[str, list[str]]) -> None:
    text = permissions("--format", "cloudformation", "--trusted-account", TRUSTED, "--external-id", EXTERNAL)
    template = yaml.safe_load(text)
    assert actions_of(policies_in(template)) == declared()
    assert all(policy_size(p) <= MANAGED_POLICY_LIMIT for p in policies_in(template))
    assert attached_aws_policies(template) == set()
    trust = template["Resources"]["ScanRole"]["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert len(trust) == 1 and trust[0]["Action"] == "sts:AssumeRole"
    assert trust[0]["Principal"] == {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${TrustedAccountId}:root"}}
    assert trust[0]["Condition"] == {"StringEquals": {"sts:ExternalId": {"Ref": "ExternalId"}}}
    params = template["Parameters"]
    assert params["TrustedAccountId"]["Default"] == TRUSTED and params["ExternalId"]["NoEcho"] is True
    assert re.fullmatch(params["TrustedAccountId"]["AllowedPattern"], TRUSTED)
    assert lint["role.yaml"] == []


def test_managed_policies_only_when_asked(lint: dict[str, list[str]]) -> None:
    text = permissions("--format", "cloudformation", "--include-managed")
    template = yaml.safe_load(text)
    assert attached_aws_policies(template) == MANAGED
    assert actions_of(policies_in(template)) == declared()
    assert "Default" not in template["Parameters"]["TrustedAccountId"]  # asked for at deploy time
    assert lint["role-managed.yaml"] == []


def test_stackset_template_deploys_the_role_to_organizational_units(lint: dict[str, list[str]]) -> None:
    text = permissions("--format", "cloudformation", "--stackset", "--trusted-account", TRUSTED)
    template = yaml.safe_load(text)
    (stackset,) = template["Resources"].values()
    props = stackset["Properties"]
    assert stackset["Type"] == "AWS::CloudFormation::StackSet"
    assert props["PermissionModel"] == "SERVICE_MANAGED" and props["AutoDeployment"]["Enabled"] is True
    assert props["StackInstancesGroup"][0]["DeploymentTargets"] == {
        "OrganizationalUnitIds": {"Ref": "OrganizationalUnitIds"}}
    assert template["Parameters"]["OrganizationalUnitIds"]["Type"] == "CommaDelimitedList"
    assert "CAPABILITY_NAMED_IAM" in props["Capabilities"]
    inner = json.loads(props["TemplateBody"])
    assert actions_of(policies_in(inner)) == declared()
    assert attached_aws_policies(inner) == set()
    passed = {p["ParameterKey"] for p in props["Parameters"]}
    assert passed == set(inner["Parameters"]) == {"TrustedAccountId", "ExternalId", "RoleName"}
    assert lint["stackset.yaml"] == [] and lint["inner.json"] == []


def test_cfn_lint_can_fail(lint: dict[str, list[str]]) -> None:
    """The lint is a real check: a role with an invalid session duration is reported as an error."""
    assert len(lint["broken.yaml"]) == 1 and ":E3034:" in lint["broken.yaml"][0]


# -- Terraform --------------------------------------------------------------------------------------

def unquote(value: Any) -> Any:
    return value[1:-1] if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"' else value


def blocks(doc: dict[str, Any], kind: str) -> dict[tuple[str, str], dict[str, Any]]:
    """{(type, name): body} for resource/data blocks, parsed by python-hcl2 (which keeps the quotes)."""
    out = {}
    for entry in doc.get(kind, []):
        for rtype, named in entry.items():
            for name, body in named.items():
                out[(unquote(rtype), unquote(name))] = body
    return out


def heredoc_json(value: str) -> Any:
    text = unquote(value)
    match = re.fullmatch(r"<<-?(\w+)\n(.*)\n\s*\1\s*", text, re.S)
    assert match, text[:80]
    return json.loads(match.group(2).replace('\\"', '"'))


def test_terraform_structure(tmp_path: Path) -> None:
    text = permissions("--format", "terraform", "--include-managed", "--trusted-account", TRUSTED)
    doc = hcl2.loads(text)
    resources = blocks(doc, "resource")
    policies = [heredoc_json(body["policy"]) for (rtype, _), body in resources.items() if rtype == "aws_iam_policy"]
    assert actions_of(policies) == declared()
    assert all(policy_size(p) <= MANAGED_POLICY_LIMIT for p in policies)
    attachments = [body for (rtype, _), body in resources.items() if rtype == "aws_iam_role_policy_attachment"]
    assert len(attachments) == len(policies) + 2
    managed = {unquote(a["policy_arn"]).split(":policy/", 1)[1] for a in attachments
               if "iam::aws:policy" in a["policy_arn"]}
    assert managed == MANAGED
    role = resources[("aws_iam_role", "assay_scan")]
    trust = role["assume_role_policy"]
    assert "sts:AssumeRole" in trust and "var.external_id" in trust
    assert ":iam::${var.trusted_account_id}:root" in trust
    variables = {unquote(k): v for entry in doc["variable"] for k, v in entry.items()}
    assert set(variables) == {"trusted_account_id", "external_id", "role_name"}
    assert unquote(variables["trusted_account_id"]["default"]) == TRUSTED
    assert "default" not in variables["external_id"] and variables["external_id"]["sensitive"] is True
    without = hcl2.loads(render(RoleOptions()))
    assert not [b for (rtype, name), b in blocks(without, "resource").items() if name.startswith("aws_")]


def test_terraform_validate(tmp_path: Path) -> None:
    terraform = shutil.which("terraform")
    if terraform is None:
        pytest.skip("no terraform binary on PATH (the structural test covers the HCL)")
    (tmp_path / "main.tf").write_text(render(RoleOptions(include_managed=True, trusted_account=TRUSTED)))
    env = {**os.environ, "TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1"}
    init = [terraform, "init", "-backend=false", "-input=false", "-no-color"]
    mirror = os.environ.get("ASSAY_TF_PLUGIN_DIR", "/opt/tf-plugins")
    if Path(mirror).is_dir():  # an offline provider mirror, where there is one
        init.append(f"-plugin-dir={mirror}")
    proc = subprocess.run(init, cwd=tmp_path, capture_output=True, text=True, env=env, timeout=300)
    if proc.returncode != 0:
        pytest.skip(f"terraform init could not install the AWS provider: {proc.stderr.strip()[-200:]}")
    proc = subprocess.run([terraform, "validate", "-no-color"], cwd=tmp_path, capture_output=True, text=True,
                          env=env, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    fmt = subprocess.run([terraform, "fmt", "-check", "-no-color", "main.tf"], cwd=tmp_path, capture_output=True,
                         text=True, env=env, timeout=60)
    assert fmt.returncode == 0, fmt.stdout  # written in terraform's own layout


# -- bad input --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("args", "message"), [
    (["--include-managed"], "applies to --format cloudformation or terraform"),
    (["--format", "terraform", "--stackset"], "--stackset applies"),
    (["--format", "cloudformation", "--trusted-account", "12345"], "12-digit"),
    (["--format", "terraform", "--external-id", "a"], "--external-id"),
    (["--format", "cloudformation", "--role-name", "bad name"], "--role-name"),
])
def test_bad_options_are_usage_errors(args: list[str], message: str) -> None:
    with pytest.raises(UsageError, match=re.escape(message)):
        permissions(*args)


def test_stackset_body_fits_and_options_reach_the_template() -> None:
    opts = RoleOptions(role_name="AuditReader", trusted_account=TRUSTED, external_id=EXTERNAL)
    template = stackset_template(opts)
    assert template["Parameters"]["RoleName"]["Default"] == "AuditReader"
    assert template["Parameters"]["ExternalId"]["Default"] == EXTERNAL
    assert len(template["Resources"]["ScanRoleStackSet"]["Properties"]["TemplateBody"].encode()) <= 51200
