"""The verify page in a real browser: paste a valid, then a tampered credential."""

from __future__ import annotations

import json

import httpx

from tests.browser import browser_page
from tests.example_data import example_micro_credential
from tests.server.conftest import as_issuer


def _signed(server, auth) -> dict:
    from microcred_vc.formats import ob3

    body = {"credential": as_issuer(server, ob3.dump(example_micro_credential()))}
    response = httpx.post(f"{server.url}/credentials/issue", json=body, headers=auth, timeout=60)
    assert response.status_code == 201, response.text
    return response.json()["verifiableCredential"]


def test_paste_valid_then_tampered(server, auth, tmp_path) -> None:
    vc = _signed(server, auth)
    tampered = json.loads(json.dumps(vc))
    tampered["credentialSubject"]["achievement"]["name"] = "Forged title"
    with browser_page() as page:
        page.goto(server.url + "/")
        assert "Check a micro-credential" in page.inner_text("h1")
        page.fill("#credential", json.dumps(vc))
        page.click("#verify")
        page.wait_for_selector("#verdict")
        assert page.inner_text("#verdict").startswith("Verified")
        assert page.get_attribute("li[data-check=proof]", "data-status") == "pass"
        assert "Research Data Stewardship" in page.inner_text("#elements")
        # tests never write tracked files: the screenshot goes to tmp_path
        shot = tmp_path / "verify-page.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.read_bytes().startswith(b"\x89PNG")
        page.fill("#credential", json.dumps(tampered))
        page.click("#verify")
        page.wait_for_selector("#verdict")
        assert page.inner_text("#verdict").startswith("Not verified")
        assert page.get_attribute("li[data-check=proof]", "data-status") == "fail"


def test_upload_baked_png(server, auth, tmp_path) -> None:
    from PIL import Image

    from microcred_vc.bake import bake_png

    vc = _signed(server, auth)
    blank = tmp_path / "blank.png"
    Image.new("RGB", (60, 60), "teal").save(blank)
    baked = tmp_path / "baked.png"
    baked.write_bytes(bake_png(blank.read_bytes(), vc))
    with browser_page() as page:
        page.goto(server.url + "/")
        page.set_input_files("#file", str(baked))
        page.click("#verify")
        page.wait_for_selector("#verdict")
        assert page.inner_text("#verdict").startswith("Verified")
        assert "baked PNG" in page.inner_text("li[data-check=format]")


def test_empty_submission_is_explained(server) -> None:
    with browser_page() as page:
        page.goto(server.url + "/")
        page.click("#verify")
        page.wait_for_selector("#message")
        assert "Paste a credential" in page.inner_text("#message")
