"""The HTTP service and its configuration."""

from __future__ import annotations

from microcred_vc.errors.base import MicrocredError


class ConfigError(MicrocredError):
    code = "CONFIG_INVALID"
    title = "Configuration is not valid"
