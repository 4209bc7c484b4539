"""The format registry: each credential format declares its hooks, the verbs dispatch.

``issue``, ``verify`` and ``convert`` (api.py), the batch path, the server and
its verify page find a format here by name instead of an if-chain, so adding a
format (CLR, EDCI XML, a test-only one) is one :meth:`FormatRegistry.register`
call and touches neither api.py nor the engine (issue 15 item 1).

A :class:`Format` holds up to these hooks, each optional:

- ``claims(doc) -> bool``: a parsed JSON document is of this format (detection,
  tried by ascending ``priority``);
- ``verify(value, context) -> VerificationReport``: the format's checks, with
  the one :class:`~microcred_vc.context.VerificationContext`;
- ``load(doc) -> (MicroCredential, losses)`` and ``dump(mc) -> ConversionResult``:
  to and from the hub;
- ``unwrap(value) -> document``: the credential inside an envelope (JWT, JWS,
  seal, baked image), for ``convert``, which only reads;
- ``upgrade(doc, fetch) -> ConversionResult``: a document converted into another
  format's document first (Open Badges 2.0 → 3.0);
- ``restate(doc) -> ConversionResult``: this format is reached from any
  credential by rewriting it (VC 1.1 ↔ 2.0), not through the hub.

Registries are instances: ``microcred_vc.formats.builtin.FORMATS`` is the
default, filled with the built-in formats on first use; a caller or a test
makes its own with :meth:`FormatRegistry.copy`. Registering a name twice is
refused.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from microcred_vc.errors import UnknownFormat

if TYPE_CHECKING:
    from microcred_vc.context import VerificationContext
    from microcred_vc.formats.base import ConversionResult, Loss
    from microcred_vc.report import VerificationReport

Fetch = Callable[[str], Any] | None


@dataclass(frozen=True)
class Format:
    """One credential format and the hooks it offers (see the module docstring)."""

    name: str
    label: str
    claims: Callable[[dict[str, Any]], bool] | None = None
    priority: int = 0
    verify: Callable[[Any, VerificationContext], VerificationReport] | None = None
    load: Callable[[dict[str, Any]], tuple[Any, list[Loss]]] | None = None
    dump: Callable[[Any], ConversionResult] | None = None
    unwrap: Callable[[Any], Any] | None = None
    upgrade: Callable[[dict[str, Any], Fetch], ConversionResult] | None = None
    restate: Callable[[dict[str, Any]], ConversionResult] | None = None


class FormatRegistry:
    """Formats by name, in registration order; names are never overwritten.

    ``defaults`` (a callable returning formats) is called on first use, so the
    default registry does not import every spoke when the package is imported.
    """

    def __init__(
        self,
        formats: list[Format] | None = None,
        *,
        defaults: Callable[[], list[Format]] | None = None,
    ) -> None:
        self._formats: dict[str, Format] = {}
        self._defaults = defaults
        for fmt in formats or []:
            self.register(fmt)

    @property
    def _table(self) -> dict[str, Format]:
        if self._defaults is not None:
            defaults, self._defaults = self._defaults, None
            given, self._formats = self._formats, {}
            for fmt in [*defaults(), *given.values()]:
                self.register(fmt)
        return self._formats

    def register(self, fmt: Format) -> Format:
        """Add a format; a name already registered is refused (no silent replacement)."""
        if fmt.name in self._table:
            raise ValueError(f"format {fmt.name!r} is already registered")
        self._formats[fmt.name] = fmt
        return fmt

    def copy(self) -> FormatRegistry:
        """A new registry with the same formats, to extend without touching this one."""
        return FormatRegistry(list(self))

    def __iter__(self) -> Iterator[Format]:
        return iter(list(self._table.values()))

    def __contains__(self, name: object) -> bool:
        return name in self._table

    def get(self, name: str) -> Format:
        try:
            return self._table[name]
        except KeyError:
            raise UnknownFormat(f"unknown credential format {name!r}") from None

    def label(self, name: str) -> str:
        fmt = self._table.get(name)
        return fmt.label if fmt is not None else name

    def labels(self) -> dict[str, str]:
        return {fmt.name: fmt.label for fmt in self}

    def with_hook(self, hook: str) -> list[str]:
        """Names of the formats offering ``hook`` (e.g. ``"dump"``: the issuable formats)."""
        return [fmt.name for fmt in self if getattr(fmt, hook) is not None]

    def claim(self, doc: dict[str, Any]) -> str | None:
        """The first format (by priority, then registration) that claims a JSON document."""
        claimers = sorted(
            (fmt for fmt in self if fmt.claims is not None), key=lambda fmt: fmt.priority
        )
        return next((fmt.name for fmt in claimers if fmt.claims(doc)), None)

    # --- the verbs' hooks ---------------------------------------------------------
    def detect(self, value: Any, limits: Any = None) -> Any:
        """The format of a dict, JSON text, token or image, claimed by a registered format.

        ``limits`` (a :class:`~microcred_vc.jsonld.limits.Limits`) caps JSON text;
        ``None``: the library defaults.
        """
        from microcred_vc.detect import Detected, detect
        from microcred_vc.jsonld.limits import DEFAULT_LIMITS

        seen = detect(value, claim=self.claim, limits=limits or DEFAULT_LIMITS)
        return Detected(seen.format, seen.value, self.label(seen.format))

    def verify(self, value: Any, context: VerificationContext) -> VerificationReport:
        """Verify anything in ``context`` (a nested document comes back here too)."""
        from microcred_vc.verification import verify_in_context

        return verify_in_context(value, context, self)

    def dump(self, mc: Any, format: str) -> dict[str, Any]:
        """The hub dumped to ``format`` (what ``issue`` signs)."""
        return self.dump_with_losses(mc, format).document

    def dump_with_losses(self, mc: Any, format: str) -> ConversionResult:
        fmt = self._table.get(format)
        if fmt is None or fmt.dump is None:
            choices = ", ".join(self.with_hook("dump"))
            raise UnknownFormat(f"cannot issue format {format!r}; choose one of {choices}")
        return fmt.dump(mc)

    def load(
        self, doc: dict[str, Any], format: str, require: str | None = None
    ) -> tuple[Any, list[Loss]]:
        """A document of ``format`` read into the hub as found, with what could not be carried;
        ``require="annex-i"`` returns the strict micro-credential or raises naming what is missing."""
        from microcred_vc.model.found import require_annex_i

        fmt = self.get(format)
        if fmt.load is None:
            raise UnknownFormat(f"a {fmt.label} cannot be read into a micro-credential")
        found, losses = fmt.load(doc)
        return require_annex_i(found, require, fmt.label), losses
