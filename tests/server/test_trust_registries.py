"""The server consults the trust registries its operator configures (issue 18 item 6).

Oracle: the trust rule of ``microcred_vc.trust`` — a registry vouches only for the
issuer a proof established — and the VC API's ``options.checks`` contract (a required
check that did not run is a failure, not a pass). The server is a real process on
127.0.0.1 started with a ``trust_registries`` setting.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from microcred_vc.errors import ConfigError
from microcred_vc.keys import generate_key
from microcred_vc.proofs import issue_document
from microcred_vc.server.config import load_config
from microcred_vc.server.run import start_background
from microcred_vc.server.state import ServerState
from tests.server.conftest import TOKEN

VC2 = "https://www.w3.org/ns/credentials/v2"


def _signed(key) -> dict:
    credential = {
        "@context": [VC2],
        "type": ["VerifiableCredential"],
        "issuer": key.did,
        "credentialSubject": {"id": "did:example:learner"},
    }
    return issue_document(credential, key)


@pytest.fixture(scope="module")
def vouched():
    return generate_key("Ed25519")


@pytest.fixture(scope="module")
def trusting(tmp_path_factory: pytest.TempPathFactory, vouched):
    data_dir: Path = tmp_path_factory.mktemp("trusting")
    (data_dir / "issuers.txt").write_text(f"{vouched.did}\n", encoding="utf-8")
    running = start_background(data_dir, tokens=[TOKEN], trust_registries=["issuers.txt"])
    yield running
    running.stop()


def _verify(server, credential: dict, checks: list[str] | None = None) -> httpx.Response:
    body: dict = {"verifiableCredential": credential}
    if checks is not None:
        body["options"] = {"checks": checks}
    return httpx.post(f"{server.url}/credentials/verify", json=body, timeout=60)


def _trust(response: httpx.Response) -> dict:
    return next(c for c in response.json()["checks"] if c["name"] == "trust")


def test_a_listed_issuer_is_vouched_for_and_another_is_not(trusting, vouched) -> None:
    listed = _verify(trusting, _signed(vouched))
    assert listed.status_code == 200 and _trust(listed)["status"] == "pass"
    assert listed.json()["trusted"] is True
    stranger = _verify(trusting, _signed(generate_key("Ed25519")))
    # trust is reported beside the cryptographic verdict, which it does not change
    assert stranger.status_code == 200 and _trust(stranger)["status"] == "fail"
    assert stranger.json()["trusted"] is False


def test_a_required_trust_check_fails_when_no_one_vouches(trusting) -> None:
    response = _verify(trusting, _signed(generate_key("Ed25519")), checks=["trust"])
    assert response.status_code == 400
    assert _trust(response)["code"] == "TRUST_NOT_LISTED"


def test_trust_is_not_performed_without_registries(server) -> None:
    """The shared server has no registry: asking for the check is CHECK_NOT_PERFORMED."""
    response = _verify(server, _signed(generate_key("Ed25519")), checks=["trust"])
    assert response.status_code == 400
    codes = {c["code"] for c in response.json()["checks"] if c["status"] == "fail"}
    assert codes == {"CHECK_NOT_PERFORMED"}


def test_the_verify_page_names_the_registry_verdict(trusting, vouched) -> None:
    import json

    page = httpx.post(
        f"{trusting.url}/", data={"credential": json.dumps(_signed(vouched))}, timeout=60
    )
    assert page.status_code == 200
    assert "not vouched for" not in page.text.lower()


def test_a_bad_registry_file_stops_the_start(tmp_path: Path) -> None:
    (tmp_path / "issuers.json").write_text('{"nothing": "here"}', encoding="utf-8")
    config = load_config(
        tmp_path, overrides={"tokens": [TOKEN], "trust_registries": ["issuers.json"]}
    )
    with pytest.raises(ConfigError, match="trust_registries"):
        ServerState(config)
