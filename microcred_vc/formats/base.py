"""What every converter returns: the document and an honest list of losses.

A converter that drops a field without saying so is a bug (DESIGN.md): the
integrator must be able to show an administrator exactly what did not survive.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Loss:
    """A field that could not be carried into the target format, and why."""

    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.field}: {self.reason}"


@dataclass
class ConversionResult:
    """The converted document plus every :class:`Loss` met on the way."""

    document: Any
    losses: list[Loss] = field(default_factory=list)
    source_format: str | None = None
    target_format: str | None = None
    #: The Annex I completeness of what was read (a :class:`~microcred_vc.model.found.Completeness`),
    #: when the conversion went through the hub; filled elements are listed as supplied.
    completeness: Any = None
