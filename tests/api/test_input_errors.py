"""Input errors a person understands, on every surface (issue 18 item 7).

Oracle: RFC 8259's value kinds (object, array, string, number, boolean, null)
and the Unicode BOM (U+FEFF, which RFC 8259 §8.1 lets a parser ignore): a JSON
value that is not an object is named by its kind, with the stable code
CREDENTIAL_NOT_AN_OBJECT, whether it reaches verify() as Python, as text or
bytes, through ``microcred verify``, ``POST /credentials/verify`` or the verify
page. Before, every one of them said "text is neither JSON nor a compact JWT/JWS".
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from microcred_vc import verify
from tests.cli.conftest import run  # noqa: F401  (fixture: microcred in-process)
from tests.server.conftest import server  # noqa: F401  (fixture: a real server)

KINDS = {
    "42": "a number",
    "-1.5e3": "a number",
    "null": "null",
    "[1, 2]": "an array",
    '"a string"': "a string",
    "true": "a boolean",
}


@pytest.mark.parametrize(("text", "kind"), KINDS.items())
@pytest.mark.parametrize("form", ["str", "bytes", "bom"])
def test_verify_names_the_json_kind(text: str, kind: str, form: str) -> None:
    given = {"str": text, "bytes": text.encode(), "bom": "\ufeff" + text}[form]
    check = verify(given).checks[0]
    assert (check.name, check.status, check.code) == ("format", "fail", "CREDENTIAL_NOT_AN_OBJECT")
    assert check.message == f"a credential is a JSON object; got {kind}"


@pytest.mark.parametrize(
    ("value", "kind"), [(42, "a number"), (None, "null"), ([1], "an array"), (False, "a boolean")]
)
def test_python_values_are_named_alike(value: object, kind: str) -> None:
    assert verify(value).checks[0].message == f"a credential is a JSON object; got {kind}"


def test_a_bom_before_a_credential_is_not_content() -> None:
    doc = '{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"]}'
    for given in ("\ufeff" + doc, b"\xef\xbb\xbf" + doc.encode()):
        assert verify(given).checks[0].message == "W3C Verifiable Credential 2.0"


def test_broken_json_array_says_where_it_breaks() -> None:
    check = verify("[1, 2").checks[0]
    assert check.code == "INVALID_JSON" and "neither JSON" not in check.message


def test_cli_verify(run, tmp_path: Path) -> None:  # noqa: F811
    path = tmp_path / "number.json"
    path.write_bytes(b"\xef\xbb\xbf42")
    result = run("verify", str(path))
    assert result.code == 1
    assert "a credential is a JSON object; got a number" in result.out + result.err


def test_http_verify_and_page(server) -> None:  # noqa: F811
    for value, kind in ((42, "a number"), ([1, 2], "an array"), (None, "null")):
        response = httpx.post(
            f"{server.url}/credentials/verify", json={"verifiableCredential": value}, timeout=30
        )
        assert response.status_code == 400, response.text
        assert f"a credential is a JSON object; got {kind}" in response.json()["errors"][0]
    page = httpx.post(f"{server.url}/", data={"credential": "[1,2]"}, timeout=30)
    assert "a credential is a JSON object; got an array" in page.text
