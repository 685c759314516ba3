"""Elastic Beanstalk collector: environments from moto's server, whose missing DescribeConfigurationSettings
leaves them ERROR (never PASS); AWS's answers on botocore's Stubber; denied reads are ERROR."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.stub import Stubber

from assay.faults import deny
from assay.models.resources.elasticbeanstalk import ElasticBeanstalkEnvironment
from tests.collect.test_accessanalyzer import stubbed_scan
from tests.helpers import ACCOUNT, by_name, evaluate, findings_of, scan

CONTROL = "elasticbeanstalk.logs_streamed_to_cloudwatch"
LIST, SETTINGS = "elasticbeanstalk:DescribeEnvironments", "elasticbeanstalk:DescribeConfigurationSettings"
LOGS = "aws:elasticbeanstalk:cloudwatch:logs"


def test_settings_moto_cannot_answer_are_error_never_pass(access: Any, seed: Any) -> None:
    """moto lists the environment but answers DescribeConfigurationSettings with an HTML error page: the
    environment's verdict is ERROR naming the read, never PASS."""
    eb = seed("elasticbeanstalk")
    eb.create_application(ApplicationName="shop")
    eb.create_environment(
        ApplicationName="shop",
        EnvironmentName="shop-prod",
        SolutionStackName="Docker",
        OptionSettings=[{"Namespace": LOGS, "OptionName": "StreamLogs", "Value": "true"}],
    )
    inv = scan(access, ["elasticbeanstalk"])
    assert not inv.complete and any(e.operation == SETTINGS for e in inv.errors)
    # The unreadable answer costs that read only: the environment itself is still reported.
    assert [e.name for e in inv.of(ElasticBeanstalkEnvironment)] == ["shop-prod"]
    assert all(e.stream_logs is None for e in inv.of(ElasticBeanstalkEnvironment))
    found = findings_of(evaluate(inv), CONTROL)
    assert found and {f.status.value for f in found} == {"error"}
    assert all(SETTINGS in f.message for f in found)


# -- recorded AWS answers --------------------------------------------------------------------------------


def _env(name: str, status: str = "Ready") -> dict[str, Any]:
    return {
        "EnvironmentName": name,
        "EnvironmentId": f"e-{name[:6]}1234",
        "ApplicationName": "shop",
        "Status": status,
        "Health": "Green",
        "Tier": {"Name": "WebServer", "Type": "Standard", "Version": "1.0"},
        "EnvironmentArn": f"arn:aws:elasticbeanstalk:eu-west-1:{ACCOUNT}:environment/shop/{name}",
    }


def _settings(name: str, options: list[tuple[str, str, str]]) -> dict[str, Any]:
    return {
        "ConfigurationSettings": [
            {
                "ApplicationName": "shop",
                "EnvironmentName": name,
                "DeploymentStatus": "deployed",
                "SolutionStackName": "64bit Amazon Linux 2023 v4.3.0 running Docker",
                "OptionSettings": [{"Namespace": ns, "OptionName": opt, "Value": value} for ns, opt, value in options],
            }
        ]
    }


def _script(settings: dict[str, dict[str, Any] | str]) -> Any:
    """One page of environments, then each one's settings: a response, or an error code."""

    def script(stub: Stubber, region: str) -> None:
        stub.add_response(
            "describe_environments",
            {"Environments": [_env(n) for n in settings]},
            {"IncludeDeleted": False, "MaxRecords": 1000},
        )
        for name, answer in settings.items():
            params = {"ApplicationName": "shop", "EnvironmentName": name}
            if isinstance(answer, str):
                stub.add_client_error("describe_configuration_settings", answer, "denied", 403, expected_params=params)
            else:
                stub.add_response("describe_configuration_settings", answer, params)

    return script


def test_stream_logs_option_read_from_aws_answers() -> None:
    inv = stubbed_scan(
        "elasticbeanstalk",
        ["eu-west-1"],
        _script(
            {
                "shop-prod": _settings(
                    "shop-prod",
                    [
                        (LOGS, "StreamLogs", "true"),
                        (LOGS, "RetentionInDays", "365"),
                        ("aws:autoscaling:asg", "MaxSize", "4"),
                    ],
                ),
                "shop-staging": _settings(
                    "shop-staging", [(LOGS, "StreamLogs", "false"), (LOGS, "RetentionInDays", "7")]
                ),
                "shop-worker": _settings("shop-worker", [("aws:autoscaling:asg", "MinSize", "1")]),  # never set: off
                "shop-empty": {"ConfigurationSettings": []},
            }
        ),
    )
    envs = {e.name: e for e in inv.of(ElasticBeanstalkEnvironment)}
    assert (envs["shop-prod"].stream_logs, envs["shop-prod"].log_retention_days, envs["shop-prod"].tier) == (
        True,
        365,
        "WebServer",
    )
    assert (envs["shop-staging"].stream_logs, envs["shop-worker"].stream_logs) == (False, False)
    assert envs["shop-empty"].stream_logs is None
    ev = evaluate(inv)
    assert by_name(ev, CONTROL) == {
        "shop-prod": "pass",
        "shop-staging": "fail",
        "shop-worker": "fail",
        "shop-empty": "error",
    }


@pytest.mark.parametrize("code", ["AccessDenied", "InsufficientPrivilegesException"])
def test_denied_settings_are_error_on_stubber(code: str) -> None:
    inv = stubbed_scan(
        "elasticbeanstalk",
        ["eu-west-1"],
        _script({"shop-prod": code, "shop-staging": _settings("shop-staging", [(LOGS, "StreamLogs", "true")])}),
    )
    ev = evaluate(inv)
    assert by_name(ev, CONTROL) == {"shop-prod": "error", "shop-staging": "pass"}
    [denied] = [f for f in findings_of(ev, CONTROL) if f.status.value == "error"]
    assert SETTINGS in denied.message


@pytest.mark.parametrize("action", [LIST, SETTINGS])
def test_denied_read_is_error_on_moto(access: Any, seed: Any, action: str) -> None:
    eb = seed("elasticbeanstalk")
    eb.create_application(ApplicationName="shop")
    eb.create_environment(ApplicationName="shop", EnvironmentName="shop-prod", SolutionStackName="Docker")
    access.hooks.append(("before-call", deny({action}, code="AccessDenied")))
    ev = evaluate(scan(access, ["elasticbeanstalk"]))
    assert any(e.operation == action for e in ev.inventory.errors)
    found = findings_of(ev, CONTROL)
    assert found and {f.status.value for f in found} == {"error"}
    assert all(action in f.message for f in found)
