"""CodeBuild: projects, their sources, logging and the names and types of their environment variables.

Values of environment variables are never copied, and user information embedded in a source URL is
stripped before the URL is stored: the inventory records only that it was there.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.base import tags_from
from assay.models.resources.codebuild import BuildSource, CodeBuildProject, EnvVar

BATCH = 100  # BatchGetProjects accepts at most 100 names


def _source(raw: dict[str, Any]) -> BuildSource:
    location = str(raw.get("location") or "")
    embedded = False
    if "://" in location:
        parts = urlsplit(location)
        if "@" in parts.netloc:
            embedded = True
            location = urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))
    return BuildSource(type=str(raw.get("type", "")), location=location, embedded_credentials=embedded,
                       auth_type=str((raw.get("auth") or {}).get("type") or ""))


@collector(service="codebuild", produces=[CodeBuildProject],
           permissions=["codebuild:ListProjects", "codebuild:BatchGetProjects"])
def collect_projects(ctx: Ctx) -> Iterator[CodeBuildProject]:
    cb = ctx.client("codebuild")
    names = list(ctx.paginate(cb, "list_projects", "projects"))
    for start in range(0, len(names), BATCH):
        chunk = names[start:start + BATCH]
        got = ctx.call(cb, "batch_get_projects", names=chunk)
        if got is None:
            # the failure is recorded for the region; the projects of this batch stay unknown
            continue
        for p in got.get("projects", []):
            env = p.get("environment") or {}
            logs = p.get("logsConfig") or {}
            yield CodeBuildProject(
                arn=p["arn"], id=p["name"], account_id=ctx.account_id, region=ctx.region, name=p["name"],
                tags=tags_from(p.get("tags"), "key", "value"),
                sources=tuple(_source(s) for s in [p.get("source") or {}, *(p.get("secondarySources") or [])] if s),
                environment_variables=tuple(EnvVar(name=str(v.get("name", "")), type=str(v.get("type", "PLAINTEXT")))
                                            for v in env.get("environmentVariables") or []),
                cloudwatch_logs=str((logs.get("cloudWatchLogs") or {}).get("status") or "ENABLED"),
                s3_logs=str((logs.get("s3Logs") or {}).get("status") or "DISABLED"),
                service_role=str(p.get("serviceRole") or ""),
            )
