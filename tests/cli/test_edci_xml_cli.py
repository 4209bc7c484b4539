"""``microcred convert`` and ``microcred verify`` on an EDCI 1.x XML file give a clear answer.

Oracle: the EDCI samples in ../shared/fixtures/edc/edci-xml (MANIFEST section 10):
``sewing_course.xml`` is valid and sealed with XAdES, which this library does not
verify; ``credential-generic-contactPoint-choice-KO.xml`` is invalid against its XSD.
Before, both went to the SVG un-baker and failed with "not an SVG".
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from tests.fixture_paths import FIXTURES

ROOT = FIXTURES / "edc" / "edci-xml"
SEWING = ROOT / "samples" / "sewing_course.xml"
KO = ROOT / "samples" / "credential-generic-contactPoint-choice-KO.xml"


def test_convert_an_edci_xml_file_to_edc(run: Callable[..., Any]) -> None:
    result = run("convert", str(SEWING), "--to", "edc")
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    assert "EuropeanDigitalCredential" in doc["type"]
    assert "Techniques de couture" in json.dumps(doc, ensure_ascii=False)


def test_verify_says_xml_signatures_are_unsupported(run: Callable[..., Any]) -> None:
    result = run("verify", str(SEWING))
    assert result.code != 0
    shown = " ".join((result.out + result.err).split())  # rich wraps long lines
    assert "Traceback" not in shown and "not an SVG" not in shown
    assert "XAdES" in shown and "not verified" in shown


def test_convert_refuses_an_invalid_one_with_the_xsd_message(
    run: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MICROCRED_EDCI_XSD", str(ROOT / "xsd"))
    result = run("convert", str(KO), "--to", "ob3")
    assert result.code != 0
    assert "EDCI_XML_INVALID" in result.err and "Missing child element" in result.err
