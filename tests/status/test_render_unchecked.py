"""The rendered page never says "every check passed" when status was not checked.

Oracle: DESIGN.md ("verified answers one question") — a page may only claim
every check passed when the status was checked; an accepted-unchecked status
(a warning) and a status turned off by the caller are named on the page.
"""

from __future__ import annotations

from microcred_vc.render.html import render_html
from microcred_vc.report import Check, VerificationReport


def _page(status: Check) -> str:
    from tests.example_data import example_micro_credential

    report = VerificationReport(checks=[Check("proof", "pass", "ok"), status])
    return render_html(example_micro_credential(), report=report)


def test_page_names_an_unchecked_or_switched_off_status() -> None:
    warned = _page(Check("status", "warn", "unchecked: list not retrieved", "STATUS_UNCHECKED"))
    assert "every check passed" not in warned and "list not retrieved" in warned
    off = _page(Check("status", "skip", "status not checked: turned off", "STATUS_NOT_REQUESTED"))
    assert "every check passed" not in off and "turned off" in off
    good = _page(Check("status", "pass", "not revoked"))
    assert "every check passed" in good
