"""The SOC 2 framework data: all 61 criteria, in order, each honestly classified."""

from __future__ import annotations

import re

import pytest
from pydantic import ValidationError

from assay.frameworks import Criterion, CriterionKind, Framework, soc2

# The 2017 Trust Services Criteria ids (unchanged by the 2022 points-of-focus revision), in order.
SOC2_IDS = [
    "CC1.1", "CC1.2", "CC1.3", "CC1.4", "CC1.5",
    "CC2.1", "CC2.2", "CC2.3",
    "CC3.1", "CC3.2", "CC3.3", "CC3.4",
    "CC4.1", "CC4.2",
    "CC5.1", "CC5.2", "CC5.3",
    "CC6.1", "CC6.2", "CC6.3", "CC6.4", "CC6.5", "CC6.6", "CC6.7", "CC6.8",
    "CC7.1", "CC7.2", "CC7.3", "CC7.4", "CC7.5",
    "CC8.1",
    "CC9.1", "CC9.2",
    "A1.1", "A1.2", "A1.3",
    "C1.1", "C1.2",
    "PI1.1", "PI1.2", "PI1.3", "PI1.4", "PI1.5",
    "P1.1", "P2.1", "P3.1", "P3.2", "P4.1", "P4.2", "P4.3", "P5.1", "P5.2",
    "P6.1", "P6.2", "P6.3", "P6.4", "P6.5", "P6.6", "P6.7", "P7.1", "P8.1",
]  # fmt: skip

CATEGORY_OF_PREFIX = {
    "CC": "security",
    "A": "availability",
    "PI": "processing_integrity",
    "C": "confidentiality",
    "P": "privacy",
}

# Controls that existed when the mapping was written; each must stay mapped somewhere.
# (Whether every mapped id is a registered control is checked by the controls meta-test.)
BASELINE_CONTROLS = [
    "kms.key_rotation_enabled", "kms.key_policy_not_public", "kms.key_not_pending_deletion",
    "iam.console_users_have_mfa", "iam.root_mfa_enabled", "iam.root_hardware_mfa", "iam.root_no_access_keys",
    "iam.password_policy_strong", "iam.unused_credentials_disabled", "iam.access_keys_rotated",
    "iam.users_no_direct_policies", "iam.no_full_admin_policies",
    "ec2.sg_no_public_ssh", "ec2.sg_no_public_rdp", "ec2.sg_no_public_admin_ports", "ec2.sg_no_public_all_traffic",
    "ec2.default_sg_blocks_all", "ec2.nacl_no_public_ssh", "ec2.nacl_no_public_rdp", "ec2.vpc_flow_logs_enabled",
    "network_firewall.internet_vpcs_inspected",
    "cloudtrail.multi_region_trail_logging", "cloudtrail.log_file_validation_enabled",
    "cloudtrail.delivers_to_cloudwatch_logs", "cloudtrail.logs_encrypted_with_kms", "cloudtrail.bucket_not_public",
    "s3.bucket_not_public",
    "cloudwatch.alarm_root_account_usage", "cloudwatch.alarm_unauthorized_api_calls",
    "cloudwatch.alarm_console_signin_without_mfa", "cloudwatch.alarm_iam_policy_changes",
    "cloudwatch.alarm_cloudtrail_config_changes", "cloudwatch.alarm_security_group_changes",
    "cloudwatch.alarm_nacl_changes",
    "guardduty.enabled_in_region", "elbv2.internet_facing_alb_has_waf", "apigateway.stage_has_waf",
]  # fmt: skip

CONTROL_ID = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)*\.[a-z0-9]+(_[a-z0-9]+)*$")


@pytest.fixture(scope="module")
def fw() -> Framework:
    return soc2()


def _prefix(criterion_id: str) -> str:
    m = re.match(r"[A-Z]+", criterion_id)
    assert m, criterion_id
    return m.group(0)


# ---------------------------------------------------------------- shape


def test_loads_as_soc2(fw: Framework) -> None:
    assert fw.id == "soc2"
    assert fw.name
    assert soc2() is fw  # loaded once


def test_exactly_the_61_criteria_in_order(fw: Framework) -> None:
    assert len(SOC2_IDS) == 61
    assert [c.id for c in fw.criteria] == SOC2_IDS


def test_categories_are_the_five_trust_services_categories(fw: Framework) -> None:
    assert list(fw.categories) == ["security", "availability", "processing_integrity", "confidentiality", "privacy"]
    assert fw.categories["security"] == "Security (Common Criteria)"
    assert all(name.strip() for name in fw.categories.values())


def test_every_category_is_used(fw: Framework) -> None:
    assert {c.category for c in fw.criteria} == set(fw.categories)


def test_each_criterion_sits_in_the_category_its_id_names(fw: Framework) -> None:
    for c in fw.criteria:
        assert c.category == CATEGORY_OF_PREFIX[_prefix(c.id)], c.id


# ---------------------------------------------------------------- text


def test_titles_are_short_and_rationales_one_line(fw: Framework) -> None:
    for c in fw.criteria:
        assert c.title.strip() and len(c.title) <= 70 and "\n" not in c.title, c.id
        assert c.rationale.strip() and "\n" not in c.rationale, c.id
        assert c.rationale != "bootstrap", c.id


def test_titles_are_unique(fw: Framework) -> None:
    titles = [c.title for c in fw.criteria]
    assert len(titles) == len(set(titles))


def test_manual_criteria_say_what_evidence_to_bring(fw: Framework) -> None:
    manual = [c for c in fw.criteria if c.kind is CriterionKind.MANUAL]
    assert manual
    for c in manual:
        assert len(c.evidence.strip()) >= 40, c.id
        assert not c.controls, c.id


def test_inherited_criteria_name_the_aws_report_and_what_the_customer_keeps(fw: Framework) -> None:
    inherited = [c for c in fw.criteria if c.kind is CriterionKind.INHERITED]
    assert {c.id for c in inherited} >= {"CC6.4", "CC6.5"}
    for c in inherited:
        assert "SOC 2" in c.rationale and "AWS Artifact" in c.rationale, c.id
        assert "customer" in c.rationale, c.id
        assert c.evidence.strip(), c.id
        assert not c.controls, c.id


def test_automated_criteria_that_are_only_partly_provable_say_what_people_provide(fw: Framework) -> None:
    for c in fw.criteria:
        if c.kind is CriterionKind.AUTOMATED:
            assert c.evidence.strip(), f"{c.id}: no control proves a criterion entirely; say what else is expected"


# ---------------------------------------------------------------- controls


def test_automated_criteria_list_controls(fw: Framework) -> None:
    automated = [c for c in fw.criteria if c.kind is CriterionKind.AUTOMATED]
    assert automated
    for c in automated:
        assert c.controls, c.id


def test_no_duplicate_control_within_a_criterion(fw: Framework) -> None:
    for c in fw.criteria:
        assert len(c.controls) == len(set(c.controls)), c.id


def test_control_ids_are_well_formed(fw: Framework) -> None:
    for cid, crits in fw.control_map().items():
        assert CONTROL_ID.match(cid), (cid, crits)


def test_every_baseline_control_is_mapped(fw: Framework) -> None:
    mapped = fw.control_map()
    assert [cid for cid in BASELINE_CONTROLS if cid not in mapped] == []


def test_criteria_of_and_control_map_agree(fw: Framework) -> None:
    for cid, crits in fw.control_map().items():
        assert fw.criteria_of(cid) == crits
    assert fw.criteria_of("no.such_control") == []
    assert fw.criterion("CC6.1") is not None
    assert fw.criterion("CC10.1") is None


# ---------------------------------------------------------------- mapping decisions worth pinning


def test_classification(fw: Framework) -> None:
    kinds = {c.id: c.kind for c in fw.criteria}
    assert kinds["CC6.4"] is CriterionKind.INHERITED
    assert kinds["CC6.5"] is CriterionKind.INHERITED
    for cid in ("CC1.1", "CC1.2", "CC1.4", "CC1.5", "CC5.3", "CC9.2", "P1.1", "P8.1"):
        assert kinds[cid] is CriterionKind.MANUAL, cid
    for cid in ("CC6.1", "CC6.2", "CC6.3", "CC6.6", "CC6.8", "CC7.1", "CC7.2", "CC8.1"):
        assert kinds[cid] is CriterionKind.AUTOMATED, cid


def test_mfa_evidences_logical_access_not_accountability(fw: Framework) -> None:
    for cid in ("iam.console_users_have_mfa", "iam.root_mfa_enabled", "iam.root_hardware_mfa"):
        crits = fw.criteria_of(cid)
        assert "CC6.1" in crits, cid
        assert "CC1.5" not in crits, cid
        assert set(crits) <= {"CC6.1", "CC6.2", "CC6.3"}, cid


def test_boundary_controls_map_to_boundary_protection(fw: Framework) -> None:
    for cid in (
        "ec2.sg_no_public_ssh",
        "ec2.sg_no_public_rdp",
        "ec2.sg_no_public_admin_ports",
        "ec2.sg_no_public_all_traffic",
        "ec2.nacl_no_public_ssh",
        "ec2.nacl_no_public_rdp",
        "network_firewall.internet_vpcs_inspected",
        "elbv2.internet_facing_alb_has_waf",
        "apigateway.stage_has_waf",
    ):
        assert fw.criteria_of(cid) == ["CC6.6"], cid


def test_monitoring_controls_map_to_anomaly_monitoring(fw: Framework) -> None:
    for cid in (
        "cloudtrail.multi_region_trail_logging",
        "cloudtrail.delivers_to_cloudwatch_logs",
        "ec2.vpc_flow_logs_enabled",
        "guardduty.enabled_in_region",
    ):
        assert "CC7.2" in fw.criteria_of(cid), cid
    alarms = [cid for cid in fw.control_map() if cid.startswith("cloudwatch.alarm_")]
    assert len(alarms) >= 7
    for cid in alarms:
        assert "CC7.2" in fw.criteria_of(cid), cid


def test_change_alarms_evidence_change_management(fw: Framework) -> None:
    for cid in (
        "cloudwatch.alarm_iam_policy_changes",
        "cloudwatch.alarm_cloudtrail_config_changes",
        "cloudwatch.alarm_security_group_changes",
        "cloudwatch.alarm_nacl_changes",
    ):
        assert {"CC8.1", "CC7.2"} <= set(fw.criteria_of(cid)), cid


def test_guardduty_is_detection_not_boundary_or_risk_assessment(fw: Framework) -> None:
    assert fw.criteria_of("guardduty.enabled_in_region") == ["CC6.8", "CC7.2"]


def test_at_rest_encryption_is_not_claimed_as_transit_protection(fw: Framework) -> None:
    for cid in ("kms.key_rotation_enabled", "kms.key_policy_not_public", "cloudtrail.logs_encrypted_with_kms"):
        assert "CC6.7" not in fw.criteria_of(cid), cid


def test_key_deletion_check_is_not_claimed_for_disposal_or_availability(fw: Framework) -> None:
    # It fails a pending deletion: that neither shows data is disposed of (C1.2, CC6.5) nor that
    # backups exist (A1.2), so mapping it there would let those criteria pass on unrelated evidence.
    assert fw.criteria_of("kms.key_not_pending_deletion") == ["CC6.1"]


# ---------------------------------------------------------------- the loader's rules


def test_loader_rejects_an_automated_criterion_without_controls() -> None:
    with pytest.raises(ValidationError, match="list their controls"):
        Criterion(id="X1.1", title="t", category="security", kind="automated", rationale="r")


def test_loader_rejects_controls_on_manual_or_inherited_criteria() -> None:
    for kind in ("manual", "inherited"):
        with pytest.raises(ValidationError, match="only automated"):
            Criterion(
                id="X1.1",
                title="t",
                category="security",
                kind=kind,
                rationale="r",
                evidence="e",
                controls=("kms.key_rotation_enabled",),
            )


def test_loader_rejects_a_manual_criterion_without_evidence() -> None:
    with pytest.raises(ValidationError, match="evidence"):
        Criterion(id="X1.1", title="t", category="security", kind="manual", rationale="r")


def test_loader_rejects_unknown_categories_and_duplicate_ids() -> None:
    ok = {"id": "X1.1", "title": "t", "category": "security", "kind": "manual", "rationale": "r", "evidence": "e"}
    with pytest.raises(ValidationError, match="unknown category"):
        Framework(id="f", name="n", categories={"privacy": "Privacy"}, criteria=(ok,))
    with pytest.raises(ValidationError, match="unique"):
        Framework(id="f", name="n", categories={"security": "Security"}, criteria=(ok, ok))
