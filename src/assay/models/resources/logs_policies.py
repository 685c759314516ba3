"""CloudWatch Logs resource policies of one region (they let services or accounts write to or read log groups)."""

from __future__ import annotations

from typing import Any, ClassVar

from assay.models.base import Resource


class LogsResourcePolicies(Resource):
    """One record per region; policies maps each policy's name to its document (None: not valid JSON).

    policies is None when the listing failed (unknown).
    """

    type: ClassVar[str] = "AWS::Logs::ResourcePolicy"
    policies: dict[str, dict[str, Any] | None] | None = None
