"""Baked badge images (PNG and SVG)."""

from __future__ import annotations

from microcred_vc.errors.base import MicrocredError


class BakeError(MicrocredError):
    code = "BAKE_FAILED"
    title = "Baking failed"


class UnbakeError(BakeError):
    code = "UNBAKE_FAILED"
    title = "No badge could be read from the image"


class ImageLimitExceeded(UnbakeError):
    """A PNG with more chunks or pixels than any badge has (baking or reading it)."""

    code = "IMAGE_LIMIT_EXCEEDED"
    title = "Image has too many chunks or pixels"
