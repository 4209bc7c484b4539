"""The one finding type every validator returns (OB3 JSON Schema, EDC SHACL)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Finding:
    path: str
    message: str
    severity: Literal["error", "warning"] = "error"
