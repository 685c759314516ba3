"""AWS Config controls: a recorder records every resource type in every region, and global types once."""

from __future__ import annotations

from assay.controls.registry import Remediation, control
from assay.models.base import Account
from assay.models.findings import Error, Fail, Outcome, Pass
from assay.models.inventory import Inventory
from assay.models.resources.config import ConfigRecorder

NEEDS = ["config:DescribeConfigurationRecorders", "config:DescribeConfigurationRecorderStatus"]


@control(
    id="config.recorder_records_all_resources",
    title="AWS Config records every supported resource type in every scanned region",
    severity="high",
    needs=NEEDS,
    rationale="AWS Config keeps the configuration history of each resource: what it looked like, when it "
    "changed and what it is related to. That history is the evidence that changes went through the change "
    "process (CC8.1), the inventory against which baselines are checked (CC7.1) and what investigators "
    "replay after an incident (CC7.4). A region without a recorder, or a recorder that records only some "
    "types or has stopped, leaves changes there with no record at all.",
    remediation=Remediation(
        console="AWS Config console > switch to the region > Settings (or Get started) > Recording strategy: "
        "All resource types with customizable overrides > choose an S3 bucket for the delivery channel > "
        "Save; if the recorder exists but is stopped, choose Start recording.",
        cli="aws configservice put-configuration-recorder --region <region> --configuration-recorder "
        "name=default,roleARN=arn:aws:iam::<account>:role/aws-service-role/config.amazonaws.com/"
        "AWSServiceRoleForConfig --recording-group allSupported=true,includeGlobalResourceTypes=true\n"
        "aws configservice put-delivery-channel --region <region> --delivery-channel "
        "name=default,s3BucketName=<bucket>\n"
        "aws configservice start-configuration-recorder --region <region> --configuration-recorder-name default",
        terraform='resource "aws_config_configuration_recorder" "main" {\n  name     = "default"\n'
        "  role_arn = aws_iam_service_linked_role.config.arn\n  recording_group {\n"
        "    all_supported                 = true\n    include_global_resource_types = true\n  }\n}\n"
        'resource "aws_config_configuration_recorder_status" "main" {\n'
        "  name       = aws_config_configuration_recorder.main.name\n  is_enabled = true\n"
        "  depends_on = [aws_config_delivery_channel.main]\n}",
    ),
)
def recorder_records_all_resources(recorder: ConfigRecorder) -> Outcome:
    if recorder.recorder_name is None:
        return Fail(f"no AWS Config recorder exists in {recorder.region}")
    name = recorder.recorder_name
    if recorder.recording is None:
        return Error(f"status of recorder {name} was not read")
    if not recorder.recording:
        return Fail(f"recorder {name} in {recorder.region} is stopped")
    if recorder.last_status == "FAILURE":
        return Fail(f"recorder {name} in {recorder.region} is failing to record ({recorder.last_error or 'no code'})")
    everything = recorder.records_all_types
    if everything is None:
        return Error(f"recording group of recorder {name} was not reported")
    if not everything:
        what = (recorder.strategy or "a chosen list").lower().replace("_", " ")
        shown = ", ".join(recorder.resource_types[:5]) + (" ..." if len(recorder.resource_types) > 5 else "")
        return Fail(f"recorder {name} in {recorder.region} records only part of the resource types "
                    f"({what}{': ' + shown if shown else ''})")
    return Pass(f"recorder {name} records every supported resource type in {recorder.region}")


@control(
    id="config.global_resources_recorded",
    title="AWS Config records global resource types (IAM) in at least one region",
    severity="medium",
    needs=NEEDS,
    rationale="IAM users, roles, groups and policies are global: a regional recorder only records them when "
    "told to include global resource types. Without that in at least one region, changes to who may do what "
    "(the most sensitive changes of all) leave no configuration history, which weakens the change evidence "
    "of CC8.1 and the access-review evidence of CC6.2/CC6.3. One region is enough; more only duplicates items.",
    remediation=Remediation(
        console="AWS Config console > the home region > Settings > Edit > Recording strategy: All resource types "
        "> tick 'Include globally recorded resource types' > Save.",
        cli="aws configservice put-configuration-recorder --region <home-region> --configuration-recorder "
        "name=default,roleARN=<config-role-arn> --recording-group allSupported=true,includeGlobalResourceTypes=true",
        terraform='resource "aws_config_configuration_recorder" "home" {\n  name     = "default"\n'
        "  role_arn = aws_iam_service_linked_role.config.arn\n  recording_group {\n"
        "    all_supported                 = true\n    include_global_resource_types = true  # one region only\n"
        "  }\n}",
    ),
)
def global_resources_recorded(account: Account, inv: Inventory) -> Outcome:
    """Account-level: the answer depends on every region's recorder together."""
    recorders = inv.in_account(ConfigRecorder, account.account_id)
    if not recorders:
        return Error("no AWS Config data for the account")
    recording = [r for r in recorders if r.recorder_name and r.recording and r.include_global and r.records_all_types]
    if recording:
        regions = ", ".join(sorted(r.region for r in recording))
        return Pass(f"global resource types are recorded in {regions}")
    unknown = [r.region for r in recorders if r.recorder_name and (r.recording is None or r.include_global is None)]
    if unknown:
        return Error(f"recorder state unknown in {', '.join(sorted(unknown))}")
    return Fail(f"no running recorder includes global resource types (IAM) in any of the {len(recorders)} "
                "scanned regions")
