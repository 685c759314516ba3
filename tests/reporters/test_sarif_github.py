"""SARIF as GitHub code scanning takes it: every result has physicalLocation.artifactLocation.uri.

GitHub rejects the whole upload ("expected a physical location") when one result has only logical
locations, so each result names its resource as a relative path that no AWS string can break out of.
"""

from __future__ import annotations

import io
import json
from typing import Any
from urllib.parse import unquote, urlsplit

from assay.models.resources.kms import KmsKey
from assay.reporters import get
from assay.reporters.sarif import artifact_uri
from tests.reporters.test_asff import HOSTILE
from tests.reporters.test_html import estate, inventory, key, run


def sarif(keys: list[KmsKey]) -> Any:
    out = io.StringIO()
    get("sarif").write(run(inventory(keys)), out)
    return json.loads(out.getvalue())


def test_every_result_has_a_relative_artifact_uri() -> None:
    doc = sarif(estate())
    results = doc["runs"][0]["results"]
    assert results
    for r in results:
        uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert uri.startswith("aws/123456789012/us-east-1/AWS-KMS-Key/")
        assert r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"].endswith(unquote(uri.rsplit("/", 1)[1]))


def test_hostile_ids_stay_one_path_segment() -> None:
    for name in [*HOSTILE, "..", ".", "a/../../etc/passwd", "https://evil.example/x", ""]:
        f = run(inventory([key("k", rotation_enabled=False)])).findings[0].model_copy(update={"resource_id": name})
        uri = artifact_uri(f)
        parts = urlsplit(uri)
        assert not parts.scheme and not parts.netloc
        segments = uri.split("/")
        assert len(segments) == 5 and ".." not in segments and "." not in segments
        assert all(seg and " " not in seg and "\n" not in seg for seg in segments)
