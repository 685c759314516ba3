"""Neptune resources. Neptune is served by the RDS API (engine "neptune"); the RDS collector reads them."""

from __future__ import annotations

from typing import ClassVar

from assay.models.resources.rds import DbClusterFields, DbSnapshotFields


class NeptuneDbCluster(DbClusterFields):
    type: ClassVar[str] = "AWS::Neptune::DBCluster"


class NeptuneDbClusterSnapshot(DbSnapshotFields):
    # CloudFormation has no Neptune snapshot type; named in the same scheme as the cluster.
    type: ClassVar[str] = "AWS::Neptune::DBClusterSnapshot"
