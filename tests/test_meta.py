"""Meta-tests over the whole library: every control tested and mapped, every mapped id real,
every collector's permissions declared, read-only and real, every "not configured" code tested."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import boto3
import pytest
from botocore.config import Config
from botocore.stub import Stubber

from assay.collect.calls import Ctx, action_name, iam_action
from assay.collect.errors import ABSENT
from assay.collect.guard import is_read_action
from assay.collect.registry import declared_permissions, load_collectors
from assay.collect.session import AwsAccess
from assay.controls.registry import ID_PATTERN, load_controls
from assay.frameworks import CriterionKind, soc2
from assay.models.base import Resource

TESTS = Path(__file__).parent
CONTROLS = load_controls()
COLLECTORS = load_collectors()


@cache
def action_index() -> dict[str, tuple[str, str]]:
    """IAM action -> (boto3 service, python method) for every operation botocore knows."""
    session = boto3.Session(region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="y")
    wanted = {a.split(":", 1)[0] for a in declared_permissions()}
    out: dict[str, tuple[str, str]] = {}
    for service in session.get_available_services():
        client = session.client(service, endpoint_url="http://127.0.0.1:9")
        if action_name(client.meta.service_model, "_").split(":")[0] not in wanted:
            continue
        for method in client.meta.method_to_api_mapping:
            out.setdefault(iam_action(client, method), (service, method))
    return out


def test_control_ids_well_formed_and_unique() -> None:
    assert CONTROLS
    for cid in CONTROLS:
        assert ID_PATTERN.match(cid), cid


@pytest.mark.parametrize("cid", sorted(CONTROLS))
def test_every_control_is_mapped_to_a_criterion(cid: str) -> None:
    assert soc2().control_map().get(cid), f"{cid} is not mapped in frameworks/soc2.yaml"


def test_every_mapped_control_exists() -> None:
    for criterion in soc2().criteria:
        for cid in criterion.controls:
            assert cid in CONTROLS, f"{criterion.id} maps unknown control {cid}"


def test_all_61_criteria_present() -> None:
    assert len(soc2().criteria) == 61
    assert {c.kind for c in soc2().criteria} == set(CriterionKind)


@pytest.mark.parametrize("cid", sorted(CONTROLS))
def test_every_control_has_a_test(cid: str) -> None:
    control = CONTROLS[cid]
    text = (TESTS / "controls" / f"test_{control.service}.py")
    assert text.exists(), f"no tests/controls/test_{control.service}.py"
    assert control.func.__name__ in text.read_text(), f"{cid} ({control.func.__name__}) has no pure test"


@pytest.mark.parametrize("cid", sorted(CONTROLS))
def test_control_needs_are_collected(cid: str) -> None:
    declared = set(declared_permissions())
    missing = set(CONTROLS[cid].needs) - declared
    assert CONTROLS[cid].needs, f"{cid} declares no needs"
    assert not missing, f"{cid} needs actions no collector declares: {missing}"


@pytest.mark.parametrize("cid", sorted(CONTROLS))
def test_control_subject_is_produced(cid: str) -> None:
    control = CONTROLS[cid]
    if control.account_level:
        return
    produced = {t for spec in COLLECTORS.values() for t in spec.produces}
    assert control.subject in produced, f"no collector produces {control.subject.type}"


@pytest.mark.parametrize("cid", sorted(CONTROLS))
def test_control_documentation(cid: str) -> None:
    c = CONTROLS[cid]
    assert len(c.rationale) > 40 and c.remediation.console and c.remediation.cli and c.remediation.terraform
    assert not c.title.lower().startswith("ensure")


@pytest.mark.parametrize("name", sorted(COLLECTORS))
def test_collector_declares_read_only_real_permissions(name: str) -> None:
    spec = COLLECTORS[name]
    assert spec.permissions, f"{name} declares no permissions"
    assert spec.produces and all(issubclass(t, Resource) for t in spec.produces)
    index = action_index()
    for action in spec.permissions:
        assert is_read_action(action), f"{name}: {action} is not a read"
        assert action in index, f"{name}: {action} is not an operation botocore knows"


def test_resource_types_unique_per_collector() -> None:
    owners: dict[str, str] = {}
    for spec in COLLECTORS.values():
        for t in spec.produces:
            assert owners.setdefault(t.type, spec.name) == spec.name, f"{t.type} produced twice"


@pytest.mark.parametrize(("action", "code"), sorted((a, c) for a, codes in ABSENT.items() for c in codes))
def test_absent_codes_become_empty_answers(action: str, code: str) -> None:
    """R-14: a "not configured" code is a value ({}), a denial on the same call an error (None).

    An entry "Code: fragment" is absent only with that message: the same code otherwise is an error.
    """
    code, _, fragment = code.partition(": ")
    denial_code, denial_message = (code, "User is not authorized") if fragment else ("AccessDenied", "denied")
    service, method = action_index()[action]
    access = AwsAccess(endpoint_url="http://127.0.0.1:9", home_region="us-east-1", access_key="x", secret_key="y")
    # Parameter values are irrelevant here: the Stubber answers before anything is sent.
    client = boto3.client(service, region_name="us-east-1", endpoint_url="http://127.0.0.1:9",
                          aws_access_key_id="x", aws_secret_access_key="y",
                          config=Config(parameter_validation=False))
    ctx = Ctx(access, "123456789012", "us-east-1", service, "aws")
    api = client.meta.method_to_api_mapping[method]
    shape = client.meta.service_model.operation_model(api).input_shape
    params = {name: "x" for name in (shape.required_members if shape is not None else [])}
    with Stubber(client) as stub:
        stub.add_client_error(method, service_error_code=code, service_message=fragment or "not found",
                              http_status_code=404)
        stub.add_client_error(method, service_error_code=denial_code, service_message=denial_message,
                              http_status_code=403)
        assert ctx.call(client, method, **params) == {}
        assert ctx.call(client, method, **params) is None
    assert [e.code for e in ctx.errors] == [denial_code]
    assert ctx.errors[0].operation == action
