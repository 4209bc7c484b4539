"""The official baked images unbake to the expected payloads."""

from __future__ import annotations

import pytest

from microcred_vc.bake import read_badge, unbake
from microcred_vc.errors import UnbakeError
from microcred_vc.jose import decode_unverified, verify_jwt
from tests.fixture_paths import FIXTURES

OB30 = FIXTURES / "ob3" / "validator-fixtures" / "ob30"
OB20 = FIXTURES / "ob2" / "validator-fixtures" / "ob20"

# file -> (version, payload kind, credential id)
BAKED = {
    "ob30/simple-json.png": ("ob3", "json", "http://example.com/credentials/3527"),
    "ob30/simple-json.svg": ("ob3", "json", "http://example.com/credentials/3527"),
    "ob30/simple-jwt.png": ("ob3", "jwt", "http://example.com/credentials/3527"),
    "ob30/simple-jwt.svg": ("ob3", "jwt", "http://example.com/credentials/3527"),
    "ob30/simple-jwt_v1.png": ("ob3", "jwt", "http://example.edu/credentials/3732"),
    "ob30/simple-jwt_v1.svg": ("ob3", "jwt", "http://example.edu/credentials/3732"),
    "ob20/simple-badge.png": ("ob2", "json", "https://example.org/beths-robotics-badge.json"),
}


def _path(name: str):
    folder, file = name.split("/")
    return (OB30 if folder == "ob30" else OB20) / file


@pytest.mark.parametrize("name", sorted(BAKED), ids=sorted(BAKED))
def test_official_baked_image(name: str) -> None:
    version, kind, cred_id = BAKED[name]
    badge = read_badge(_path(name).read_bytes())
    assert badge.version == version
    assert badge.image_type == name.rsplit(".", 1)[1]
    if kind == "json":
        assert isinstance(badge.payload, dict)
        assert badge.payload["id"] == cred_id
    else:
        assert isinstance(badge.payload, str)
        assert decode_unverified(badge.payload).credential["id"] == cred_id
        assert verify_jwt(badge.payload).check("signature").status == "pass"


def test_json_png_and_svg_carry_the_same_credential() -> None:
    png = unbake((OB30 / "simple-json.png").read_bytes())
    svg = unbake((OB30 / "simple-json.svg").read_bytes())
    assert png == svg
    assert "OpenBadgeCredential" in png["type"]


def test_ob2_badge_is_the_hosted_assertion() -> None:
    assertion = unbake((OB20 / "simple-badge.png").read_bytes())
    assert assertion["type"] == "Assertion"
    assert assertion["verification"] == {"type": "hosted"}
    assert assertion["recipient"]["salt"] == "deadsea"


@pytest.mark.parametrize("name", ["beths-robot-badge.png", "robotics-badge.png"])
def test_official_unbaked_images_hold_no_badge(name: str) -> None:
    with pytest.raises(UnbakeError, match="holds no badge"):
        unbake((OB20 / "assets" / name).read_bytes())


def test_every_official_image_is_covered() -> None:
    images = {f"ob30/{p.name}" for p in OB30.glob("*.png")} | {
        f"ob30/{p.name}" for p in OB30.glob("*.svg")
    }
    assert images <= set(BAKED)
