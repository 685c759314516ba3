"""AppSync resources."""

from __future__ import annotations

from typing import ClassVar

from assay.models.base import Resource


class AppSyncGraphqlApi(Resource):
    type: ClassVar[str] = "AWS::AppSync::GraphQLApi"
    field_log_level: str = "NONE"  # logConfig.fieldLogLevel: NONE, ERROR, ALL, INFO, DEBUG ("NONE" without logConfig)
    logs_role_arn: str = ""
