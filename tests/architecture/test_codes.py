"""Every code the package writes is registered in :mod:`microcred_vc.codes`.

Oracle: the package's own source, parsed (AST) — a code literal anywhere in it
must have an entry in the registry, and the scanner must find a planted one.
"""

from __future__ import annotations

from pathlib import Path

from microcred_vc.codes import CHECK_CODES, all_codes, error_codes, meaning
from tests.architecture.code_scan import CODE_SHAPE, WORD, literal_codes


def test_every_code_literal_is_registered() -> None:
    registered = all_codes()
    missing = {
        code: sorted(where) for code, where in literal_codes().items() if code not in registered
    }
    assert not missing, f"register these codes in microcred_vc/codes.py: {missing}"


def test_status_codes_built_from_purposes_are_registered() -> None:
    """status/check.py builds STATUS_<ADJECTIVE> in an f-string the scanner cannot read."""
    from microcred_vc.status import check

    for word in check._ADJECTIVE.values():
        assert f"STATUS_{word.upper()}" in CHECK_CODES


def test_registry_is_one_table_with_one_meaning_per_code() -> None:
    assert not set(CHECK_CODES) & set(error_codes()), "a code is both a class and a check code"
    assert list(CHECK_CODES) == sorted(CHECK_CODES), "keep CHECK_CODES alphabetical (merges)"
    for code, text in all_codes().items():
        assert CODE_SHAPE.match(code) or WORD.match(code), code
        assert text.strip() and meaning(code) == text


def test_scanner_finds_an_unregistered_code(tmp_path: Path) -> None:
    """Property: the check is not vacuous — planted literals in each shape are found."""
    package = tmp_path / "microcred_vc"
    package.mkdir()
    (package / "planted.py").write_text(
        '__all__ = ["NOT_A_CODE"]\n'
        "def f(report, Check):\n"
        '    report.add("proof", "fail", "x", "PLANTED_CHECK")\n'
        '    Check("x", "fail", "y", "ONEWORD")\n'
        '    raise ValueError("z", code="PLANTED_ERROR")\n'
        'X = ("TUPLE_CODE", "lowercase")\n'
    )
    assert set(literal_codes(package)) == {
        "PLANTED_CHECK",
        "ONEWORD",
        "PLANTED_ERROR",
        "TUPLE_CODE",
    }
