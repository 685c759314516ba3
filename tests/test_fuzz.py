"""T10: property-based fuzzing of everything that parses data Assay did not write.

- IAM policy documents and their public / wildcard analysis (controls.policy);
- security group rules and CIDRs, from EC2's own IpPermission shape through the collector's parser
  into every security group control;
- every control on resources generated from their models (odd strings, huge strings, RTL marks,
  negative ports, empty and missing parts), with the other resources it reads;
- snapshot loading: random bytes and mutated valid snapshots give a snapshot or one SnapshotError;
- every collector fed AWS answers generated from botocore's output shapes.

Invariants: no exception escapes; a control returns exactly one status per (control, resource), and
never a "control failed" error on type-valid input; what a crashed collector could not read is
never PASS. The number of examples per test is ASSAY_FUZZ_EXAMPLES (default: small enough for CI;
RELIABILITY asks for 10,000 in the nightly run).
"""

from __future__ import annotations

import copy
import gzip
import json
import os
import random
from collections import Counter
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assay.collect.pagination import paging_spec
from assay.collect.registry import CollectorSpec, load_collectors
from assay.collect.runner import Shard, run_shard
from assay.collect.session import AwsAccess
from assay.controls import policy
from assay.controls.registry import Control, load_controls
from assay.engine import _run, evaluate
from assay.errors import SnapshotError
from assay.models.base import GLOBAL, Resource
from assay.models.findings import Status
from assay.models.inventory import (
    AccountInfo,
    Coverage,
    CoverageStatus,
    Inventory,
    RegionInfo,
    RegionStatus,
    ScanMeta,
)
from assay.models.resources.ec2 import SecurityGroup
from tests.fuzz_strategies import ACCOUNT, cidrs, models, output_strategy, policies, shape_strategy

# Hypothesis warns when it prints a large argument (the valid snapshot); the size is the point here.
pytestmark = pytest.mark.filterwarnings("ignore:Generating overly large repr")
EXAMPLES = int(os.environ.get("ASSAY_FUZZ_EXAMPLES", "800"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None, print_blob=True,
                derandomize="ASSAY_FUZZ_EXAMPLES" not in os.environ,  # CI replays the same examples
                suppress_health_check=list(HealthCheck))

CONTROLS = load_controls()
COLLECTORS = load_collectors()
META = ScanMeta(scan_id="fuzz", tool_version="fuzz", started_at="2025-01-01T00:00:00Z",
                finished_at="2025-01-01T01:00:00Z")
# Collector crashes on generated answers, per collector (printed after the module).
CRASHES: Counter[str] = Counter()


def inventory(resources: list[Resource], errors: list[Any] | None = None,
              coverage: list[Coverage] | None = None) -> Inventory:
    services = sorted({spec.service for spec in COLLECTORS.values()})
    regions = ["us-east-1", "eu-west-1"]
    cov = coverage if coverage is not None else [
        Coverage(account_id=a, region=r, service=s, status=CoverageStatus.COMPLETE)
        for a in (ACCOUNT, "111111111111") for r in [*regions, GLOBAL] for s in services]
    return Inventory(META, [AccountInfo(account_id=ACCOUNT), AccountInfo(account_id="111111111111")],
                     [RegionInfo(account_id=a, region=r, status=RegionStatus.SCANNED)
                      for a in (ACCOUNT, "111111111111") for r in regions],
                     cov, resources, errors or [])


# Data a control refuses on purpose (the finding is ERROR, never a verdict): a policy AWS would not
# accept, a timestamp field that holds no timestamp.
REFUSED = ("control failed: MalformedPolicy", "control failed: ValueError: Invalid isoformat string")


def crashed(message: str) -> bool:
    """A control that raised on type-valid input, other than refusing malformed data."""
    return message.startswith("control failed") and not message.startswith(REFUSED)


def one_status_per_control_and_resource(inv: Inventory) -> None:
    ev = evaluate(inv)
    ids = Counter(f.id for f in ev.findings)
    assert not [fid for fid, n in ids.items() if n > 1], "a (control, resource) got more than one status"
    for f in ev.findings:
        assert f.status in Status
        assert not crashed(f.message), f"{f.control_id} crashed: {f.message[:300]}"


# -- IAM policy documents ---------------------------------------------------------------------------

@FUZZ
@given(policies().map(lambda d: d if isinstance(d, dict) else {"Statement": d}))
def test_policy_analysis_never_raises(doc: dict[str, Any]) -> None:
    try:
        found = list(policy.statements(doc))
    except policy.MalformedPolicy:  # the controls that read it report ERROR, never a clean answer
        for analysis, clean in ((policy.grants_everyone_unconditionally, []),
                                (policy.allows_all_actions_on_all_resources, False)):
            try:
                result = analysis(doc)
            except policy.MalformedPolicy:
                continue
            assert result != clean  # it may stop early only on a grant it found before the bad part
        return
    assert all(isinstance(st_, dict) for st_ in found)
    everyone = policy.grants_everyone_unconditionally(doc)
    assert isinstance(everyone, list) and all(isinstance(s, str) for s in everyone)
    admin = policy.allows_all_actions_on_all_resources(doc)
    assert isinstance(admin, bool)
    for st_ in found:
        assert isinstance(policy.principal_is_everyone(st_.get("Principal")), bool)
    if not any(st_.get("Effect") == "Allow" for st_ in found):  # only Allow statements grant anything
        assert everyone == [] and admin is False
    public = {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}
    widened = {**doc, "Statement": [*found, public]}  # adding a public admin statement is always seen
    assert policy.grants_everyone_unconditionally(widened) and policy.allows_all_actions_on_all_resources(widened)


# -- security group rules and CIDRs -------------------------------------------------------------------

def _ec2_shape(name: str) -> Any:
    import boto3

    session = boto3.Session(region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="y")
    return session.client("ec2", endpoint_url="http://127.0.0.1:9").meta.service_model.shape_for(name)


SG_CONTROLS = sorted((c for c in CONTROLS.values() if c.subject is SecurityGroup), key=lambda c: c.id)
OPEN_SSH = {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}


@FUZZ
@given(st.lists(shape_strategy(_ec2_shape("IpPermission")).map(lambda p: {**p, "IpRanges": [
    {**r, "CidrIp": r.get("CidrIp")} for r in p.get("IpRanges") or []]}), max_size=4),
    st.lists(cidrs(), max_size=3), st.booleans())
def test_security_group_rules_parse_and_judge(perms: list[dict[str, Any]], extra: list[str], ssh: bool) -> None:
    from assay.collect.aws.ec2 import _rules

    perms = [*perms, {"IpProtocol": "-1", "IpRanges": [{"CidrIp": c} for c in extra]}]
    if ssh:
        perms.append(OPEN_SSH)
    rules = _rules(perms, ACCOUNT)
    sg = SecurityGroup(arn=f"arn:aws:ec2:us-east-1:{ACCOUNT}:security-group/sg-1", id="sg-1", account_id=ACCOUNT,
                       region="us-east-1", group_name="web", ingress=rules, egress=rules, network_interface_ids=("e",))
    inv = inventory([sg])
    for control in SG_CONTROLS:
        outcome = _run(control, sg, inv, dict(control.params))
        assert outcome.status in Status and not crashed(outcome.message), f"{control.id}: {outcome.message[:300]}"
        if ssh and control.id == "ec2.sg_no_public_ssh":
            assert outcome.status is Status.FAIL  # SSH open to the world is found whatever else is there


# -- every control on generated resources ------------------------------------------------------------

def _reads(control: Control) -> list[type[Resource]]:
    """The resource types a control's needed reads produce (what it may look up in the inventory)."""
    types = {t for spec in COLLECTORS.values() if set(spec.permissions) & set(control.needs) for t in spec.produces}
    return sorted(types - {control.subject}, key=lambda t: t.type)[:4]


CONTROL_IDS = sorted(CONTROLS)


@FUZZ
@given(st.data())
def test_every_control_gives_one_verdict_on_generated_resources(data: st.DataObject) -> None:
    control = CONTROLS[data.draw(st.sampled_from(CONTROL_IDS), label="control")]
    subjects = [] if control.account_level else data.draw(st.lists(models(control.subject), min_size=1,
                                                                   max_size=3), label="subjects")
    others = [r for t in _reads(control) for r in data.draw(st.lists(models(t), max_size=2), label=t.type)]
    inv = inventory([*subjects, *others])
    targets = [inv.account(ACCOUNT)] if control.account_level else subjects
    for subject in targets:
        outcome = _run(control, subject, inv, dict(control.params))
        assert outcome.status in Status
        assert not crashed(outcome.message), f"{control.id}: {outcome.message[:300]}"
    one_status_per_control_and_resource(inv)


# -- snapshots -----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return tmp_path_factory.mktemp("fuzz")


@pytest.fixture(scope="module")
def valid_snapshot(fuzz_dir: Any) -> bytes:
    """A valid snapshot with resources of many types (the simplest of each, found deterministically)."""
    from hypothesis import Phase, find

    pick = settings(database=None, derandomize=True, phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    subjects = sorted({c.subject for c in CONTROLS.values() if not c.account_level}, key=lambda t: t.type)
    resources = [find(models(t, long=False), lambda _: True, settings=pick) for t in subjects[::6]]
    path = fuzz_dir / "valid.json.gz"
    inventory(resources).save(path)
    return gzip.decompress(path.read_bytes())


def _load(tmp: Any, raw: bytes, compress: bool = True) -> Inventory | None:
    path = tmp / "snap.json.gz"
    path.write_bytes(gzip.compress(raw, mtime=0) if compress else raw)
    try:
        return Inventory.load(path)
    except SnapshotError as exc:
        assert str(exc) and "\n" not in str(exc)  # one clear line
        return None


@FUZZ
@given(st.binary(max_size=2048), st.booleans())
def test_random_bytes_are_refused_with_one_error(fuzz_dir: Any, raw: bytes, compress: bool) -> None:
    _load(fuzz_dir, raw, compress)


def _mutate_json(doc: Any, rng: random.Random, value: Any) -> Any:
    """Replace, delete or duplicate one randomly chosen node of a parsed snapshot."""
    doc = copy.deepcopy(doc)
    path: list[Any] = []
    node = doc
    while isinstance(node, dict | list) and node and rng.random() < 0.8:
        key = rng.choice(list(node)) if isinstance(node, dict) else rng.randrange(len(node))
        path.append(key)
        node = node[key]
    if not path:
        return value
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    action = rng.choice(["replace", "delete", "duplicate"])
    if action == "replace":
        parent[path[-1]] = value
    elif action == "delete":
        del parent[path[-1]]
    elif isinstance(parent, list):
        parent.append(copy.deepcopy(parent[path[-1]]))
    return doc


@FUZZ
@given(st.data())
def test_mutated_snapshots_load_or_are_refused(fuzz_dir: Any, valid_snapshot: bytes, data: st.DataObject) -> None:
    from tests.fuzz_strategies import JSON

    rng = random.Random(data.draw(st.integers(0, 2**32), label="seed"))
    kind = data.draw(st.sampled_from(["bytes", "truncate", "json"]), label="mutation")
    if kind == "bytes":
        raw = bytearray(valid_snapshot)
        for _ in range(data.draw(st.integers(1, 8), label="flips")):
            raw[rng.randrange(len(raw))] = rng.randrange(256)
        mutated = bytes(raw)
    elif kind == "truncate":
        mutated = valid_snapshot[: rng.randrange(len(valid_snapshot))]
    else:
        doc = json.loads(valid_snapshot)
        mutated = json.dumps(_mutate_json(doc, rng, data.draw(JSON, label="value"))).encode()
    inv = _load(fuzz_dir, mutated)
    if inv is not None:
        one_status_per_control_and_resource(inv)


# -- collectors fed generated AWS answers ---------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ('{"Statement": []}', {"Statement": []}), ("", {}), (None, {}), ("{not json", None), ("[1, 2]", None),
    ('"text"', None)])
def test_a_policy_that_is_not_a_json_object_is_a_parse_error_of_its_resource(text: Any, expected: Any) -> None:
    from assay.collect.calls import Ctx
    from assay.models.inventory import ErrorKind

    ctx = Ctx(FUZZ_ACCESS, ACCOUNT, "us-east-1", "kms", "aws")
    arn = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/k"
    assert ctx.policy_document("kms:GetKeyPolicy", text, arn) == expected
    if expected is None:
        (error,) = ctx.errors
        assert (error.kind, error.resource_arn, error.operation) == (ErrorKind.PARSE, arn, "kms:GetKeyPolicy")
    else:
        assert not ctx.errors


class _Answers:
    """A before-call hook that answers every call with a value drawn from its output shape."""

    def __init__(self) -> None:
        self.data: st.DataObject | None = None
        self.calls = 0

    def __call__(self, model: Any, **_: Any) -> Any:
        assert self.data is not None
        self.calls += 1
        parsed = dict(self.data.draw(output_strategy(model.service_model, model.name), label=model.name))
        spec = paging_spec(model.service_model, model.name)
        if spec is not None:  # a single page: generated tokens would page for ever
            for token in spec.output_tokens:
                parsed.pop(token.split("||")[0].strip().split(".")[0], None)
            if spec.more_results:
                parsed[spec.more_results.split(".")[0]] = False
        parsed["ResponseMetadata"] = {"HTTPStatusCode": 200, "RetryAttempts": 0}
        return AWSResponse("https://fuzz.invalid/", 200, {}, None), parsed


ANSWERS = _Answers()


@pytest.fixture(scope="module", autouse=True)
def no_report_polling() -> Any:
    """The IAM collector waits between polls of a credential report still being generated: generated
    answers say so half of the time, and the waits are real time, not parsing."""
    import assay.collect.aws.iam as iam

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(iam, "POLL_DELAYS", tuple(0.0 for _ in iam.POLL_DELAYS))
        yield


@pytest.fixture(scope="module", autouse=True)
def crash_figures() -> Any:
    """Prints, after the module (pytest -s), how often a collector crashed on generated answers."""
    yield
    total = sum(CRASHES.values())
    print(f"\ncollector crashes on generated answers: {total}")
    for what, n in CRASHES.most_common():
        print(f"  {what} x{n}")
FUZZ_ACCESS = AwsAccess(endpoint_url="http://127.0.0.1:9", home_region="us-east-1", access_key="AKIAFUZZ",
                        secret_key="fuzz", max_rate=None, hooks=[("before-call", ANSWERS)])
COLLECTOR_NAMES = sorted(COLLECTORS)


@FUZZ
@given(st.data())
def test_collectors_survive_generated_answers(data: st.DataObject) -> None:
    spec: CollectorSpec = COLLECTORS[data.draw(st.sampled_from(COLLECTOR_NAMES), label="collector")]
    region = GLOBAL if spec.scope == "global" else "us-east-1"
    ANSWERS.data = data
    result = run_shard(FUZZ_ACCESS, Shard(ACCOUNT, region, spec.service), [spec], "aws")
    crashed = [e for e in result.errors if e.message.startswith("collector failed")]
    if crashed:
        CRASHES[f"{spec.name}: {crashed[0].code}"] += 1
    inv = inventory(result.resources, result.errors, [result.coverage])
    produced = {t.type for t in spec.produces}
    concerned = {cid: c for cid, c in CONTROLS.items()
                 if c.subject.type in produced or set(c.needs) & set(spec.permissions)}
    ev = evaluate(inv, controls=concerned)
    ids = Counter(f.id for f in ev.findings)
    assert not [fid for fid, n in ids.items() if n > 1], "a (control, resource) got more than one status"
    if crashed:  # nothing the collector produced stands as a verdict
        verdicts = [f for f in ev.findings if f.resource_type in produced and f.status in (Status.PASS, Status.FAIL)]
        assert not verdicts, [(f.control_id, f.status.value) for f in verdicts[:3]]
