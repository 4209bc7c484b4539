"""docs/security.md's figures are the ones the suite really checks."""

from __future__ import annotations

from pathlib import Path

from tests.security import figures, test_tamper_matrix
from tests.security.samples import Sample

DOC = Path(__file__).resolve().parents[2] / "docs" / "security.md"


def test_security_page_figures_match_the_suite(samples: dict[str, Sample]) -> None:
    """Regenerate with ``python -m tests.security.figures --write docs/security.md``."""
    expected = figures.render(figures.tamper_counts(samples, verify=False))
    committed = figures.current_section(DOC.read_text(encoding="utf-8"))
    assert committed == expected, (
        "docs/security.md figures are stale: run "
        "`.venv/bin/python -m tests.security.figures --write docs/security.md`"
    )


def test_every_family_is_described_and_counted(samples: dict[str, Sample]) -> None:
    counts = figures.tamper_counts(samples, verify=False)
    assert set(figures.ORDER) == set(figures.FAMILY_TEXT)
    assert all(tried > 0 for tried, _ in counts.values())
    assert len(counts) == len(test_tamper_matrix.CASES)


def test_random_example_budget_is_the_tested_one() -> None:
    assert figures.RANDOM_EXAMPLES == test_tamper_matrix.RANDOM_EXAMPLES


def test_known_gaps_list_every_strict_xfail() -> None:
    gaps = figures.known_gaps()
    # every defect the matrix found so far has been fixed; any new strict xfail is listed
    assert all(" — " in line and line.startswith("- `test_") for line in gaps)
    assert not any("embedded_jwk_forgery" in line for line in gaps)
