"""A format added in a test, without editing api.py, is issued, verified and converted.

Oracle: a property of the registry — a test-only "toy" format (an OB3 document
marked by a ``urn:toy:`` id) registered in a copy of the default registry is
detected, dumped for ``issue``, verified with the same checks the OB3 hook gives,
and loaded for ``convert``, while the default registry stays untouched.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from microcred_vc import FORMATS, Format, convert, generate_key, issue, verify
from microcred_vc.formats.base import ConversionResult
from microcred_vc.keys import Resolver
from tests.example_data import example_micro_credential


def _toy_registry() -> Any:
    ob3 = FORMATS.get("ob3")

    def dump(mc: Any) -> ConversionResult:
        result = ob3.dump(mc)
        return replace(result, document={**result.document, "id": "urn:toy:1"}, target_format="toy")

    def verify_toy(value: Any, context: Any) -> Any:
        report = ob3.verify(value, context)
        report.format = "toy"
        return report

    registry = FORMATS.copy()
    registry.register(
        Format(
            "toy",
            "Toy credential",
            claims=lambda doc: str(doc.get("id", "")).startswith("urn:toy:"),
            priority=0,
            verify=verify_toy,
            load=ob3.load,
            dump=dump,
        )
    )
    return registry


def test_a_test_only_format_is_issued_verified_and_converted() -> None:
    registry = _toy_registry()
    mc = example_micro_credential()
    key = generate_key("Ed25519", controller=mc.issuer.id)  # the course's own did:web
    signed = issue(mc, key, format="toy", formats=registry)
    assert signed["id"] == "urn:toy:1" and "proof" in signed

    resolver = Resolver(documents={key.did: key.did_document()})  # its published did.json
    report = verify(signed, formats=registry, resolver=resolver)
    assert report.format == "toy" and report.verified, report.errors
    assert report.checks[0].name == "format" and report.checks[0].message == "Toy credential"

    to_edc = convert(signed, to="edc", formats=registry)
    assert to_edc.source_format == "toy" and "EuropeanDigitalCredential" in to_edc.document["type"]
    assert any(loss.field == "proof" for loss in to_edc.losses)
    back = convert(to_edc.document, to="toy", formats=registry)
    assert back.document["id"] == "urn:toy:1" and back.target_format == "toy"


def test_the_default_registry_is_untouched_and_names_are_not_overwritten() -> None:
    registry = _toy_registry()
    assert "toy" in registry and "toy" not in FORMATS
    mc = example_micro_credential()
    key = generate_key("Ed25519", controller=mc.issuer.id)
    signed = issue(mc, key, format="toy", formats=registry)
    assert verify(signed).format == "ob3"  # the default registry knows no toy
    with pytest.raises(ValueError, match="already registered"):
        registry.register(Format("ob3", "another OB3"))
    with pytest.raises(ValueError, match="already registered"):
        FORMATS.register(Format("vp", "another presentation"))


def test_api_module_names_no_format_hook() -> None:
    """api.py dispatches formats only through the registry: no format spoke is imported there
    (the JWT *envelope* of issue() is a signing choice, not a format, and stays)."""
    from pathlib import Path

    import microcred_vc.api as api

    text = Path(api.__file__).read_text(encoding="utf-8")
    for spoke in ("formats.ob3", "formats.edc", "formats.ob2", "formats.vc", "bake", "seal"):
        assert f"microcred_vc.{spoke}" not in text, spoke
