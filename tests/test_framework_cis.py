"""The CIS AWS Foundations Benchmark v3.0.0 framework data: every recommendation, honestly classified."""

from __future__ import annotations

import re
from importlib import resources

import pytest
import yaml

from assay import frameworks
from assay.controls.registry import Control, load_controls
from assay.frameworks import CriterionKind, Framework

NAME = "cis-aws-3.0"

# The v3.0.0 recommendation numbers, in order.
CIS_IDS = [
    *(f"1.{n}" for n in range(1, 23)),
    "2.1.1", "2.1.2", "2.1.3", "2.1.4",
    "2.2.1",
    "2.3.1", "2.3.2", "2.3.3",
    "2.4.1",
    *(f"3.{n}" for n in range(1, 10)),
    *(f"4.{n}" for n in range(1, 17)),
    *(f"5.{n}" for n in range(1, 7)),
]  # fmt: skip

CATEGORY_OF_SECTION = {"1": "iam", "2": "storage", "3": "logging", "4": "monitoring", "5": "networking"}
CIS_ID = re.compile(r"^[1-5](\.[1-9][0-9]?){1,2}$")
CONTROL_ID = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)*\.[a-z0-9]+(_[a-z0-9]+)*$")
AUTOMATED_FLOOR = 40


def _from_yaml() -> Framework:
    text = resources.files("assay.frameworks").joinpath(f"{NAME}.yaml").read_text(encoding="utf-8")
    return Framework.model_validate(yaml.safe_load(text))


@pytest.fixture(scope="module")
def fw() -> Framework:
    load = getattr(frameworks, "load", None)
    return load(NAME) if load is not None else _from_yaml()


@pytest.fixture(scope="module")
def controls() -> dict[str, Control]:
    return load_controls()


# ---------------------------------------------------------------- shape


def test_loads_through_the_framework_model(fw: Framework) -> None:
    assert fw.id == NAME
    assert "CIS" in fw.name and "3.0.0" in fw.name
    assert fw == _from_yaml()


def test_listed_among_the_available_frameworks() -> None:
    available = getattr(frameworks, "available", None)
    if available is None:
        pytest.skip("assay.frameworks.available() not there yet")
    assert NAME in available()


def test_exactly_the_v3_recommendations_in_order(fw: Framework) -> None:
    assert len(CIS_IDS) == 62
    assert [c.id for c in fw.criteria] == CIS_IDS


def test_ids_unique_and_well_formed(fw: Framework) -> None:
    ids = [c.id for c in fw.criteria]
    assert len(ids) == len(set(ids))
    for cid in ids:
        assert CIS_ID.match(cid), cid


def test_categories_are_the_five_sections(fw: Framework) -> None:
    assert list(fw.categories) == ["iam", "storage", "logging", "monitoring", "networking"]
    for section, key in CATEGORY_OF_SECTION.items():
        assert fw.categories[key].startswith(f"{section} "), key
    assert {c.category for c in fw.criteria} == set(fw.categories)


def test_each_recommendation_sits_in_its_section(fw: Framework) -> None:
    for c in fw.criteria:
        assert c.category == CATEGORY_OF_SECTION[c.id.split(".")[0]], c.id


# ---------------------------------------------------------------- text


def test_titles_are_short_own_words_and_unique(fw: Framework) -> None:
    for c in fw.criteria:
        assert c.title.strip() and len(c.title) <= 70 and "\n" not in c.title, c.id
        # The benchmark's titles begin "Ensure ..."; ours are summaries, not its text.
        assert not c.title.lower().startswith(("ensure", "eliminate", "maintain", "do not")), c.id
    titles = [c.title for c in fw.criteria]
    assert len(titles) == len(set(titles))


def test_rationales_are_one_line(fw: Framework) -> None:
    for c in fw.criteria:
        assert c.rationale.strip() and "\n" not in c.rationale, c.id


def test_manual_recommendations_say_what_to_check(fw: Framework) -> None:
    manual = [c for c in fw.criteria if c.kind is CriterionKind.MANUAL]
    assert manual
    for c in manual:
        assert len(c.evidence.strip()) >= 40, c.id
        assert not c.controls, c.id


def test_nothing_is_inherited(fw: Framework) -> None:
    # CIS recommendations are customer configuration; AWS's own attestation covers none of them.
    assert all(c.kind is not CriterionKind.INHERITED for c in fw.criteria)


def test_automated_rationales_name_their_controls(fw: Framework) -> None:
    for c in fw.criteria:
        if c.kind is CriterionKind.AUTOMATED and c.id not in ("5.1", "5.2", "5.3"):
            assert any(cid in c.rationale for cid in c.controls), c.id


# ---------------------------------------------------------------- controls


def test_every_mapped_control_exists(fw: Framework, controls: dict[str, Control]) -> None:
    assert [cid for cid in fw.control_map() if cid not in controls] == []


def test_control_ids_are_well_formed_and_not_repeated(fw: Framework) -> None:
    for c in fw.criteria:
        assert len(c.controls) == len(set(c.controls)), c.id
        for cid in c.controls:
            assert CONTROL_ID.match(cid), (c.id, cid)


def test_at_least_40_recommendations_automated(fw: Framework) -> None:
    automated = [c.id for c in fw.criteria if c.kind is CriterionKind.AUTOMATED]
    assert len(automated) >= AUTOMATED_FLOOR, automated
    assert {c.category for c in fw.criteria if c.kind is CriterionKind.AUTOMATED} == set(fw.categories)


# ---------------------------------------------------------------- mapping decisions worth pinning

PINNED = {
    "1.4": {"iam.root_no_access_keys"},
    "1.5": {"iam.root_mfa_enabled"},
    "1.6": {"iam.root_hardware_mfa"},
    "1.8": {"iam.password_policy_strong"},
    "1.9": {"iam.password_policy_strong"},
    "1.10": {"iam.console_users_have_mfa"},
    "1.12": {"iam.unused_credentials_disabled"},
    "1.14": {"iam.access_keys_rotated"},
    "1.15": {"iam.users_no_direct_policies"},
    "1.2": {"account.security_contact_registered"},
    "1.13": {"iam.users_single_active_access_key"},
    "1.16": {"iam.no_full_admin_policies", "iam.admin_policy_only_on_approved_roles"},
    "1.17": {"iam.support_role_exists"},
    "1.19": {"iam.server_certificates_not_expired"},
    "1.20": {"accessanalyzer.enabled_in_region"},
    "1.22": {"iam.broad_managed_policies_not_attached"},
    "2.1.1": {"s3.bucket_tls_required"},
    "2.1.2": {"s3.bucket_versioning_enabled", "s3.bucket_mfa_delete_enabled"},
    "2.1.4": {"s3.bucket_public_access_block_enabled"},
    "2.2.1": {"ebs.encryption_by_default"},
    "2.3.1": {"rds.instance_storage_encrypted", "rds.cluster_storage_encrypted"},
    "2.3.2": {"rds.instance_auto_minor_version_upgrade"},
    "2.3.3": {"rds.instance_not_publicly_accessible"},
    "2.4.1": {"efs.file_system_encrypted"},
    "3.1": {"cloudtrail.multi_region_trail_logging"},
    "3.2": {"cloudtrail.log_file_validation_enabled"},
    "3.3": {"config.recorder_records_all_resources", "config.global_resources_recorded"},
    "3.4": {"cloudtrail.bucket_access_logging_enabled"},
    "3.5": {"cloudtrail.logs_encrypted_with_kms"},
    "3.6": {"kms.key_rotation_enabled"},
    "3.7": {"ec2.vpc_flow_logs_enabled"},
    "3.8": {"cloudtrail.s3_data_events_logged"},
    "3.9": {"cloudtrail.s3_data_events_logged"},
    "4.16": {"securityhub.enabled_with_standards"},
    "5.1": {"ec2.nacl_no_public_ssh", "ec2.nacl_no_public_rdp"},
    "5.2": {"ec2.sg_no_public_ssh", "ec2.sg_no_public_rdp"},
    "5.3": {"ec2.sg_no_public_ssh", "ec2.sg_no_public_rdp"},
    "5.4": {"ec2.default_sg_blocks_all"},
    "5.6": {"ec2.instance_imdsv2_required"},
}

MANUAL = ("1.1", "1.3", "1.11", "1.18", "1.21", "2.1.3", "5.5")


@pytest.mark.parametrize("cis_id", sorted(PINNED))
def test_pinned_mappings(fw: Framework, cis_id: str) -> None:
    c = fw.criterion(cis_id)
    assert c is not None and c.kind is CriterionKind.AUTOMATED
    assert set(c.controls) == PINNED[cis_id]


def test_recommendations_no_control_evaluates_stay_manual(fw: Framework) -> None:
    for cis_id in MANUAL:
        c = fw.criterion(cis_id)
        assert c is not None and c.kind is CriterionKind.MANUAL, cis_id


def test_each_monitoring_alarm_maps_to_its_own_control(fw: Framework) -> None:
    alarms = [fw.criterion(f"4.{n}") for n in range(1, 16)]
    mapped = [c.controls for c in alarms if c is not None]
    assert len(mapped) == 15
    assert all(len(ctl) == 1 and ctl[0].startswith("cloudwatch.alarm_") for ctl in mapped)
    assert len({ctl[0] for ctl in mapped}) == 15
    assert {ctl[0] for ctl in mapped} >= {
        "cloudwatch.alarm_unauthorized_api_calls", "cloudwatch.alarm_console_signin_without_mfa",
        "cloudwatch.alarm_root_account_usage", "cloudwatch.alarm_organizations_changes",
    }  # fmt: skip


def test_partial_mappings_say_what_a_person_still_checks(fw: Framework) -> None:
    # The controls cover only part of the benchmark's audit: approved holders of AdministratorAccess (1.16), a
    # support *role* (1.17), REJECT traffic in flow logs (3.7), SNS subscribers of the alarms (4.1-4.15).
    for cis_id in ("1.16", "1.17", "3.7", *(f"4.{n}" for n in range(1, 16))):
        c = fw.criterion(cis_id)
        assert c is not None and c.kind is CriterionKind.AUTOMATED and c.evidence.strip(), cis_id


def test_parameter_defaults_the_rationales_rely_on(fw: Framework, controls: dict[str, Control]) -> None:
    # If a default changes, the rationale that quotes it (and the CIS verdict) must be revisited.
    password = controls["iam.password_policy_strong"].params
    assert password["min_length"] == 14 and password["reuse_prevention"] == 24
    assert controls["iam.unused_credentials_disabled"].params["max_unused_days"] == 45
    assert controls["iam.access_keys_rotated"].params["max_age_days"] == 90
    assert controls["cloudtrail.s3_data_events_logged"].params["include_reads"] is True
    for cis_id, number in (("1.8", "14"), ("1.9", "24"), ("1.12", "45"), ("1.14", "90")):
        c = fw.criterion(cis_id)
        assert c is not None and number in c.rationale, cis_id
    # The password control's defaults go beyond v3.0.0 (expiry, character classes): the rationale says so.
    for cis_id in ("1.8", "1.9"):
        c = fw.criterion(cis_id)
        assert c is not None and "90-day" in c.rationale, cis_id
