"""Find every report and error code written as a string literal in the package (AST).

Shared by the registry test and nothing else: the docs page reads the registry
itself (:mod:`microcred_vc.codes`), so this scanner only has to be good enough to
catch a code that somebody wrote without registering it.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "microcred_vc"

#: Shape of a code: upper-case words joined by underscores (PROOF_MISSING).
CODE_SHAPE = re.compile(r"^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$")
#: One-word codes are only recognised where a code is expected (``code=``, a check's code).
WORD = re.compile(r"^[A-Z][A-Z0-9]{3,}$")
#: Callables whose positional argument at this index is a code.
CODE_ARGUMENT = {"add": 3, "Check": 3, "_failed": 2, "problem": 1}
#: Upper-case literals that are not codes: environment variable names.
NOT_CODES = frozenset(
    {
        "MICROCRED_API_TOKENS",
        "MICROCRED_DISPLAY_FONT",
        "MICROCRED_EDCI_XSD",
        "MICROCRED_EDC_SHAPES",
        "MICROCRED_JSONLD_COMPILED",
        "MICROCRED_KEY_PASSWORD",
        "MICROCRED_SERVE_WORKER",
    }
)


def _strings(node: ast.AST | None) -> Iterator[ast.Constant]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node
    elif isinstance(node, ast.Tuple | ast.List | ast.Set):
        for item in node.elts:
            yield from _strings(item)


def _exported(tree: ast.Module) -> set[int]:
    """ids of the literals inside ``__all__`` (names, not codes)."""
    ids: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
                ids |= {id(c) for c in ast.walk(node) if isinstance(c, ast.Constant)}
    return ids


def _in_code_position(tree: ast.Module) -> set[int]:
    """ids of literals where a code is expected, so one-word codes count there."""
    ids: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            ids |= {id(c) for k in node.keywords if k.arg == "code" for c in _strings(k.value)}
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            index = CODE_ARGUMENT.get(name)
            if index is not None and len(node.args) > index:
                ids |= {id(c) for c in _strings(node.args[index])}
        elif isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(isinstance(s, ast.Attribute) and s.attr == "code" for s in sides):
                ids |= {id(c) for s in sides for c in _strings(s)}
    return ids


def literal_codes(package: Path = PACKAGE) -> dict[str, set[str]]:
    """Every code literal in the package → the files (relative) that write it."""
    found: dict[str, set[str]] = {}
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        exported, positioned = _exported(tree), _in_code_position(tree)
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
                continue
            value = node.value
            if id(node) in exported or value in NOT_CODES:
                continue
            if CODE_SHAPE.match(value) or (id(node) in positioned and WORD.match(value)):
                found.setdefault(value, set()).add(str(path.relative_to(package.parent)))
    return found
