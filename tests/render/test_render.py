"""The credential page: every element, the QR code, print layout, in Chromium."""

from __future__ import annotations

import pytest

from microcred_vc.keys import generate_key
from microcred_vc.render import element_rows, render_html
from tests.browser import browser_page
from tests.example_data import example_micro_credential
from tests.issuing import issued_by


@pytest.fixture(scope="module")
def mc():
    return example_micro_credential()


def test_rows_cover_every_mandatory_element(mc) -> None:
    names = {row["name"] for row in element_rows(mc)}
    for required in (
        "learner",
        "title",
        "issuer",
        "awarding_bodies",
        "issued_at",
        "learning_outcomes",
        "assessments",
        "participation_mode",
        "quality_assurance",
    ):
        assert required in names
    assert any(r["name"] in ("ects", "workload_hours") for r in element_rows(mc))


def test_vocabulary_values_show_labels_not_iris(mc) -> None:
    text = " ".join(row["value"] for row in element_rows(mc))
    assert "http://data.europa.eu/snb" not in text


def test_page_in_chromium_with_qr(mc, tmp_path) -> None:
    from microcred_vc.api import issue, verify

    key = generate_key("Ed25519")
    vc = issue(issued_by(mc, key), key)
    html = render_html(
        mc, credential=vc, report=verify(vc), verify_url="https://verify.example/c/1"
    )
    page_file = tmp_path / "page.html"
    page_file.write_text(html, encoding="utf-8")
    with browser_page() as page:
        page.goto(page_file.as_uri())
        assert page.inner_text("#title") == "Research Data Stewardship"
        assert page.inner_text("#status").startswith("Verified")
        assert page.locator("#elements tr").count() >= 10
        assert page.locator("#qr svg").count() == 1
        # tests never write tracked files: the screenshot goes to tmp_path
        shot = tmp_path / "credential-page.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.read_bytes().startswith(b"\x89PNG")
        page.emulate_media(media="print")
        assert not page.is_visible("details")


def test_large_credential_without_url_has_no_qr(mc) -> None:
    html = render_html(mc, credential={"x": "y" * 5000})
    assert 'id="qr"' not in html
