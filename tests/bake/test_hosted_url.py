"""A baked badge that carries only a hosted-assertion URL (OB 2.0 hosted verification).

Oracle: the OB 2.0 specification — a hosted badge is verified by fetching its URL —
and the 1EdTech validator's fixtures: ``basic-assertion.json`` and the assets it
references (badge class, issuer), served by the fixtures' own fetch
(tests/formats/test_ob2_fixtures.make_fetch). Before this, verify() reported such
an image as "text is neither JSON nor a compact JWT/JWS".
"""

from __future__ import annotations

from typing import Any

import pytest

from microcred_vc import verify
from microcred_vc.bake import bake_png, bake_svg
from microcred_vc.net import HttpFetcher
from tests.formats.test_ob2_fixtures import OB20, hosting_for, make_fetch, read_fixture

ASSERTION = OB20 / "basic-assertion.json"


def _hosted() -> tuple[str, Any]:
    doc = read_fixture(ASSERTION)
    return doc["id"], make_fetch(hosting_for(doc, ASSERTION))


@pytest.mark.parametrize("image", ["png", "svg"])
def test_baked_url_is_fetched_and_verified(image: str, plain_png: bytes, plain_svg: bytes) -> None:
    url, fetch = _hosted()
    baked = (
        bake_png(plain_png, url, version="ob2")
        if image == "png"
        else bake_svg(plain_svg, url, version="ob2")
    )
    report = verify(baked, fetch=fetch)
    assert report.check("format").message.startswith(f"baked {image.upper()} image carrying")
    assert report.verified, report.errors
    assert report.check("hosted").passed
    assert report.format == "ob2"


def test_without_fetch_the_message_says_a_url_needs_fetching(plain_png: bytes) -> None:
    url, _ = _hosted()
    report = verify(bake_png(plain_png, url, version="ob2"))
    assert not report.verified
    hosted = report.check("hosted")
    assert hosted.code == "NETWORK_DISABLED"
    assert url in hosted.message and "no fetch was given" in hosted.message
    assert "neither JSON" not in " ".join(report.errors)


def test_a_failing_fetch_is_a_failed_check_not_a_crash(plain_png: bytes) -> None:
    def broken(url: str) -> Any:
        raise TimeoutError("took too long")

    report = verify(bake_png(plain_png, "https://example.org/a.json", version="ob2"), fetch=broken)
    assert report.check("hosted").code == "NETWORK_ERROR"
    assert "took too long" in report.check("hosted").message


def test_network_guards_apply_to_the_baked_url(plain_png: bytes) -> None:
    """The library's guarded fetcher refuses a loopback URL before any connection."""
    report = verify(
        bake_png(plain_png, "http://127.0.0.1:9/assertion.json", version="ob2"),
        fetch=HttpFetcher(),
    )
    assert not report.verified
    assert report.check("hosted").code == "ADDRESS_NOT_ALLOWED"
    assert "127.0.0.1" in report.check("hosted").message
