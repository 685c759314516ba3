"""The optional configuration file: control parameters, as reviewable YAML.

    controls:
      iam.unused_credentials_disabled:
        max_unused_days: 30
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from assay.errors import ConfigError


def load_params(path: Path | None) -> dict[str, dict[str, Any]]:
    if path is None:
        return {}
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"configuration file {path} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read configuration file {path}: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"configuration file {path} is not valid YAML{where}") from None
    if doc is None:
        return {}
    if not isinstance(doc, dict) or set(doc) - {"controls"}:
        raise ConfigError(f"configuration file {path}: expected a mapping with the key 'controls'")
    controls = doc.get("controls") or {}
    if not isinstance(controls, dict) or not all(isinstance(v, dict) for v in controls.values()):
        raise ConfigError(f"configuration file {path}: 'controls' maps control ids to parameter mappings")
    return {str(k): dict(v) for k, v in controls.items()}
