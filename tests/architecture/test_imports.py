"""The package imports form no circle (issue 15 item 4).

Oracle: the package's own source, parsed (AST) into an import graph; Tarjan's
strongly connected components of that graph must all be single modules. The
graph builder and the cycle finder are checked on planted packages first, so a
green result is not a blind one.
"""

from __future__ import annotations

from pathlib import Path

from tests.architecture.import_graph import cycles, import_graph


def _package(root: Path, files: dict[str, str]) -> Path:
    package = root / "microcred_vc"
    for name, text in files.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return package


def test_no_import_cycle_in_the_package() -> None:
    found = cycles(import_graph())
    assert not found, f"import circles: {found}"


def test_a_planted_circle_is_found_even_through_a_lazy_import(tmp_path: Path) -> None:
    package = _package(
        tmp_path,
        {
            "__init__.py": "",
            "a.py": "from microcred_vc import b\n",
            "b.py": "def f():\n    from microcred_vc.sub.c import x\n",
            "sub/__init__.py": "",
            "sub/c.py": "from .. import a\nx = 1\n",
        },
    )
    graph = import_graph(package)
    assert graph["microcred_vc.a"] == {"microcred_vc.b"}
    assert graph["microcred_vc.sub.c"] == {"microcred_vc.a"}
    assert cycles(graph) == [["microcred_vc.a", "microcred_vc.b", "microcred_vc.sub.c"]]


def test_type_checking_imports_do_not_count(tmp_path: Path) -> None:
    package = _package(
        tmp_path,
        {
            "__init__.py": "",
            "a.py": "from microcred_vc import b\n",
            "b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from microcred_vc import a\n",
        },
    )
    assert cycles(import_graph(package)) == []


def test_one_guarded_transport_for_every_fetch() -> None:
    """Only ``microcred_vc.net`` talks HTTP (httpx); the demo's client of its own local
    server is the one exception. Oracle: the package's imports, parsed (AST)."""
    import ast

    from tests.architecture.import_graph import PACKAGE

    users = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if any(n == "httpx" or n.startswith("httpx.") for n in names):
                users.add(path.relative_to(PACKAGE).as_posix())
    others = {u for u in users if not u.startswith("net/")}
    assert others == {"server/demo.py"}, others
