"""Server settings: data dir, settings.toml, MICROCRED_API_TOKENS, a generated token."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from microcred_vc.errors import ConfigError
from microcred_vc.server.config import load_config


def test_generated_token_is_private_and_stable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MICROCRED_API_TOKENS", raising=False)
    first = load_config(tmp_path)
    token_file = tmp_path / "api-token"
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert load_config(tmp_path).tokens == first.tokens and len(first.tokens[0]) >= 32


def test_tokens_from_environment_and_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(
        "MICROCRED_API_TOKENS", "env-token-aaaaaaaaaaaaaaaa, env-token-bbbbbbbbbbbbbbbb"
    )
    (tmp_path / "settings.toml").write_text(
        '[server]\ntokens = ["file-token-cccccccccccccccc"]\npublic_url = "https://vc.example.edu"\n'
        'cors_origins = ["https://lms.example.edu"]\nrate_limit_per_minute = 100\n'
    )
    config = load_config(tmp_path)
    assert config.tokens == [
        "file-token-cccccccccccccccc",
        "env-token-aaaaaaaaaaaaaaaa",
        "env-token-bbbbbbbbbbbbbbbb",
    ]
    assert config.status_base_url == "https://vc.example.edu/status"
    assert (
        config.cors_origins == ["https://lms.example.edu"] and config.rate_limit_per_minute == 100
    )
    assert not (tmp_path / "api-token").exists()


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("[server]\ntokenz = []\n", "unknown server setting"),
        ("[server\n", "not valid TOML"),
        ('[server]\ntokens = ["short"]\n', "at least 16"),
    ],
    ids=["unknown-key", "bad-toml", "short-token"],
)
def test_bad_settings_are_clear_errors(tmp_path: Path, text: str, match: str, monkeypatch) -> None:
    monkeypatch.delenv("MICROCRED_API_TOKENS", raising=False)
    (tmp_path / "settings.toml").write_text(text)
    with pytest.raises(ConfigError, match=match):
        load_config(tmp_path)


def test_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path, config_file=tmp_path / "nope.toml")


def test_serve_command_errors_are_one_line(tmp_path: Path) -> None:
    from microcred_vc.cli import main

    (tmp_path / "settings.toml").write_text("[server\n")
    assert main(["serve", "--data-dir", str(tmp_path)]) == 2


@pytest.mark.parametrize(
    "setting", ["header_timeout = 0", "max_connections = -1", 'body_timeout = "30"']
)
def test_a_bound_cannot_be_switched_off(tmp_path: Path, setting: str) -> None:
    """Oracle (property): every DoS bound must stay a positive number (issue #16 V8)."""
    (tmp_path / "settings.toml").write_text(
        f'[server]\ntokens = ["bound-token-0123456789abcdef"]\n{setting}\n'
    )
    with pytest.raises(ConfigError, match="must be a positive number"):
        load_config(tmp_path)


def test_unset_public_url_is_warned_about(tmp_path) -> None:
    """Oracle: issue #20 item 5 — without public_url, lists name this socket (127.0.0.1)."""
    from microcred_vc.server.config import load_config
    from microcred_vc.server.run import public_url_warning

    bare = load_config(tmp_path, host="127.0.0.1", port=8080)
    warning = public_url_warning(bare)
    assert warning is not None and "http://127.0.0.1:8080/status" in warning
    configured = load_config(tmp_path, overrides={"public_url": "https://issuer.example"})
    assert public_url_warning(configured) is None
