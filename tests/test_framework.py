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


# Criteria with automated evidence after mapping every registered control; the project's floor.
# Raise it when more criteria become honestly automatable; never lower it to make room for a stretch.
AUTOMATED_FLOOR = 40


def test_classification(fw: Framework) -> None:
    kinds = {c.id: c.kind for c in fw.criteria}
    assert kinds["CC6.4"] is CriterionKind.INHERITED
    assert kinds["CC6.5"] is CriterionKind.INHERITED
    for cid in ("CC1.1", "CC1.2", "CC1.4", "CC1.5", "CC5.3", "P1.1", "P8.1"):
        assert kinds[cid] is CriterionKind.MANUAL, cid
    for cid in (
        "CC1.3", "CC2.1", "CC3.2", "CC3.3", "CC3.4", "CC4.1", "CC4.2", "CC5.1", "CC5.2",
        "CC6.1", "CC6.2", "CC6.3", "CC6.6", "CC6.7", "CC6.8",
        "CC7.1", "CC7.2", "CC7.3", "CC7.4", "CC7.5", "CC8.1", "CC9.1", "CC9.2",
        "A1.1", "A1.2", "A1.3", "C1.1", "C1.2", "PI1.1", "PI1.2", "PI1.3", "PI1.4", "PI1.5", "P6.1", "P6.3",
    ):  # fmt: skip
        assert kinds[cid] is CriterionKind.AUTOMATED, cid


def test_automated_coverage_does_not_regress(fw: Framework) -> None:
    automated = [c.id for c in fw.criteria if c.kind is CriterionKind.AUTOMATED]
    assert len(automated) >= AUTOMATED_FLOOR, automated
    # every category has at least one criterion with automated evidence
    assert {c.category for c in fw.criteria if c.kind is CriterionKind.AUTOMATED} == set(fw.categories)


def test_criteria_no_control_can_prove_stay_manual(fw: Framework) -> None:
    # Setting objectives is attested by people; threat-detection tooling being on (CC3.2, CC7.x)
    # is not evidence that objectives were specified.
    criterion = fw.criterion("CC3.1")
    assert criterion is not None and criterion.kind is CriterionKind.MANUAL


# Criteria that only one narrow technical point of focus makes automated: exactly the controls that
# evidence that point, never the general IAM, alarm or logging controls (CC6.3, CC7.2, CC7.3).
NARROW = {
    "CC1.3": {"iam.admin_policy_only_on_approved_roles"},  # assigning and limiting authority
    "CC3.3": {"iam.no_privilege_escalation_paths", "iam.audit_logging_changes_limited_to_admins"},  # IT opportunities
    "CC9.2": {"iam.third_party_role_trusts_require_external_id", "iam.marketplace_subscribe_restricted"},  # vendors
    "PI1.1": {"apigateway.rest_api_requests_validated"},  # machine-readable data definitions
    "P6.1": {"accessanalyzer.no_active_external_findings"},  # sharing outside the organisation
    "P6.3": {"guardduty.findings_exported"},  # the retained record of detected disclosures
}


@pytest.mark.parametrize("cid", sorted(NARROW))
def test_narrow_criteria_map_only_their_point_of_focus(fw: Framework, cid: str) -> None:
    criterion = fw.criterion(cid)
    assert criterion is not None and set(criterion.controls) == NARROW[cid]
    assert criterion.evidence, cid  # the rest of the criterion stays with people


def test_automated_texts_do_not_claim_missing_controls(fw: Framework) -> None:
    for c in fw.criteria:
        if c.kind is CriterionKind.AUTOMATED:
            text = c.rationale.lower()
            assert "assay has no" not in text and "no assay control" not in text, c.id


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
        "cloudfront.distribution_has_waf",
        "wafv2.web_acl_rules_enforced",
        "ec2.nacl_no_public_all_traffic",
        "ec2.sg_no_broad_public_cidr",
        "ec2.sg_public_ingress_only_authorized_ports",
        "ec2.instance_service_ports_not_public",
        "ec2.subnet_no_auto_public_ip",
        "ec2.launch_template_no_public_ip",
    ):
        assert fw.criteria_of(cid) == ["CC6.6"], cid


def test_private_data_stores_restrict_access_and_protect_confidential_data(fw: Framework) -> None:
    for cid in (
        "s3.bucket_not_public",
        "s3.bucket_public_access_block_enabled",
        "ebs.snapshot_not_public",
        "rds.snapshot_not_public",
        "rds.cluster_snapshot_not_public",
        "neptune.cluster_snapshot_not_public",
    ):
        assert {"CC6.1", "CC6.6", "C1.1"} <= set(fw.criteria_of(cid)), cid


def test_transit_controls_map_to_transmission_protection(fw: Framework) -> None:
    transit = [
        cid
        for cid in fw.control_map()
        if any(w in cid for w in ("tls", "https", "in_transit", "ssl", "plain_ftp", "node_to_node"))
    ]
    assert len(transit) >= 15
    for cid in transit:
        assert "CC6.7" in fw.criteria_of(cid), cid
    assert "CC6.7" in fw.criteria_of("acm.certificate_not_expiring")


def test_encryption_at_rest_is_confidentiality_not_processing_integrity(fw: Framework) -> None:
    # Encryption keeps stored data from being read; it says nothing about it being complete and accurate.
    encrypted = [
        cid
        for cid in fw.control_map()
        if ("encrypt" in cid or cid.endswith("_with_cmk") or "kms" in cid)
        and not cid.startswith(("cloudfront.", "cloudwatch.alarm_"))
    ]
    assert len(encrypted) >= 25
    for cid in encrypted:
        crits = fw.criteria_of(cid)
        assert "CC6.1" in crits or "CC6.7" in crits, cid
        assert not any(c.startswith("PI1.") for c in crits), cid
    for cid in ("s3.bucket_default_encryption", "rds.instance_storage_encrypted", "ebs.volume_encrypted"):
        assert {"CC6.1", "C1.1"} <= set(fw.criteria_of(cid)), cid


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


def test_logging_is_monitoring_not_availability(fw: Framework) -> None:
    # A log of what happened is neither a backup nor recovery infrastructure (A1.2), whatever some
    # public mappings say; it evidences monitoring.
    logging = [
        cid
        for cid in fw.control_map()
        if any(w in cid for w in ("logging", "_logs_", "log_exports", "flow_logs", "metrics")) and "encrypt" not in cid
    ]
    assert len(logging) >= 20
    for cid in logging:
        crits = fw.criteria_of(cid)
        assert "A1.2" not in crits, cid
        assert "CC7.2" in crits or "CC7.3" in crits or "A1.1" in crits, cid


def test_backups_evidence_availability_and_recovery(fw: Framework) -> None:
    for cid in (
        "backup.plan_exists",
        "backup.plan_daily_with_retention",
        "backup.recovery_points_retained",
        "dynamodb.table_pitr_enabled",
        "dynamodb.table_recently_backed_up",
        "rds.instance_backup_retention",
        "ebs.volume_has_snapshot",
        "s3.bucket_versioning_enabled",
    ):
        assert {"A1.2", "CC7.5"} <= set(fw.criteria_of(cid)), cid
    for cid in ("rds.instance_multi_az", "rds.cluster_multi_az", "elasticache.replication_group_multi_az"):
        assert "A1.2" in fw.criteria_of(cid), cid


def test_only_restores_evidence_recovery_testing(fw: Framework) -> None:
    a13 = fw.criterion("A1.3")
    assert a13 is not None and a13.controls
    assert all(cid.startswith("backup.restore_") for cid in a13.controls)
    assert "CC7.5" in fw.criteria_of("backup.restore_tested_recently")


def test_cross_region_copies_mitigate_business_disruption(fw: Framework) -> None:
    for cid in ("backup.plan_copies_to_another_region", "s3.bucket_replication_enabled"):
        assert {"A1.2", "CC9.1"} <= set(fw.criteria_of(cid)), cid


def test_retention_minimums_are_not_disposal(fw: Framework) -> None:
    # Keeping logs or recovery points long enough passes when they never expire: no evidence of disposal.
    for cid in ("logs.log_group_retention_meets_minimum", "backup.recovery_points_retained"):
        assert not {"C1.2", "P4.2", "P4.3", "CC6.5"} & set(fw.criteria_of(cid)), cid
    # Any enabled lifecycle rule passes, archival-only ones included: retention, not proof of disposal.
    assert "P4.3" not in fw.criteria_of("s3.bucket_lifecycle_configured")
    assert {"C1.2", "P4.2", "P4.3"} <= set(fw.criteria_of("s3.bucket_noncurrent_versions_expire"))


def test_disclosure_records_come_only_from_reliable_object_records(fw: Framework) -> None:
    # S3 server access logs are delivered on a best-effort basis, so they cannot be the complete record
    # P6.2 asks for; CloudTrail data events can.
    assert "P6.2" in fw.criteria_of("cloudtrail.s3_data_events_logged")
    assert "P6.2" not in fw.criteria_of("s3.bucket_access_logging_enabled")


def test_integrity_of_stored_data_is_immutability_not_encryption(fw: Framework) -> None:
    pi15 = fw.criterion("PI1.5")
    assert pi15 is not None
    assert {"s3.bucket_object_lock_enabled", "backup.vault_lock_enabled",
            "cloudtrail.log_file_validation_enabled"} <= set(pi15.controls)  # fmt: skip
    for cid in (
        "backup.recovery_points_encrypted",
        "backup.vault_customer_managed_key",
        "dynamodb.table_kms_encrypted",
    ):
        assert "PI1.5" not in fw.criteria_of(cid), cid


def test_organization_guardrails_are_governance_not_access_evidence(fw: Framework) -> None:
    # The check only shows that some SCP is attached, not what it restricts.
    assert fw.criteria_of("organizations.scps_attached") == ["CC5.1", "CC5.2"]
    assert fw.criteria_of("organizations.account_in_organization") == ["CC5.2"]


def test_findings_addressed_evidence_response_and_detection_tools_do_not(fw: Framework) -> None:
    assert {"CC4.2", "CC7.3", "CC7.4"} <= set(fw.criteria_of("guardduty.high_findings_addressed"))
    assert "CC7.4" not in fw.criteria_of("guardduty.enabled_in_region")
    assert "CC7.4" not in fw.criteria_of("securityhub.enabled_with_standards")


def test_patching_evidences_vulnerability_management(fw: Framework) -> None:
    for cid in (
        "awslambda.runtime_supported",
        "rds.instance_auto_minor_version_upgrade",
        "redshift.cluster_version_upgrades_allowed",
    ):
        assert {"CC7.1", "CC8.1"} <= set(fw.criteria_of(cid)), cid


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


def test_communication_criteria_rest_on_delivery_not_on_logging(fw: Framework) -> None:
    # CC2.2: alerts reach confirmed subscribers; CC2.3: AWS can reach the security team. Alarms
    # existing (CC7.2) would not show that anyone is told.
    assert fw.criterion("CC2.2").controls == ("alerting.alarm_topics_have_confirmed_subscribers",)  # type: ignore[union-attr]
    assert fw.criterion("CC2.3").controls == ("account.security_contact_registered",)  # type: ignore[union-attr]
