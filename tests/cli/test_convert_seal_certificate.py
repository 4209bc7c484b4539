"""``microcred convert --to edc --seal-certificate cert.pem``: the issuer's legal identifier
is taken from the certificate that will seal the EDC, as the EC's issuing tool does.

Oracle: an official 1EdTech OB3 example completed with the example course (its issuer
without an eIDAS identifier); the assertions are on what the command says and writes.
"""

from __future__ import annotations

import json

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding

from tests.fixture_paths import FIXTURES, REPO
from tests.pki import key_usage, make_cert

EXAMPLE = next((FIXTURES / "ob3" / "spec-examples").glob("*basicOpenBadge*"))


def _inputs(tmp_path):
    doc = json.loads(EXAMPLE.read_text())
    course = json.loads((REPO / "examples" / "course.json").read_text())
    course["issuer"]["id"] = course["awarding_bodies"][0]["id"] = doc["issuer"]["id"]
    for org in (course["issuer"], course["awarding_bodies"][0]):
        del org["eidas_id"]
    (tmp_path / "course.json").write_text(json.dumps(course))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = make_cert(
        "Seal", key, None, key, ca=False, usage=key_usage(sign=True), org_id="VATIE-3668997OH"
    )
    (tmp_path / "seal.pem").write_bytes(cert.public_bytes(Encoding.PEM))
    return [
        "convert",
        str(EXAMPLE),
        "--to",
        "edc",
        "--complete-with",
        str(tmp_path / "course.json"),
    ]


def test_without_a_legal_identifier_the_edc_is_refused(run, tmp_path):
    result = run(*_inputs(tmp_path))
    assert result.code != 0
    assert "EDC_ISSUER_NO_LEGAL_ID" in result.err


def test_the_seal_certificate_supplies_it(run, tmp_path):
    out = tmp_path / "out.json"
    args = [*_inputs(tmp_path), "--seal-certificate", str(tmp_path / "seal.pem")]
    result = run(*args, "--out", str(out))
    assert result.code == 0, result.err
    assert "supplied (not found): issuer.eidas_id" in result.err
    edc = json.loads(out.read_text())
    assert edc["issuer"]["eIDASIdentifier"]["notation"] == "VATIE-3668997OH"
