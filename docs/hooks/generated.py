"""MkDocs hook: fill generated sections from the code, so the docs never drift.

A page holds a marker such as ``<!-- generated: mapping -->``; at build time
the marker is replaced by a table made from the code's own data (the mapping
rows, the error classes, the CLI, the OpenAPI document).
"""

from __future__ import annotations

import json
import re
from typing import Any

MARKER = re.compile(r"<!--\s*generated:\s*([a-z-]+)\s*-->")


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _mapping() -> str:
    from microcred_vc.model import mapping_rows

    rows = mapping_rows()
    head = "| # | Element | Hub field | Required | Open Badges 3.0 | Europass EDC (ELM 3) | Vocabulary | Loss |\n"
    head += "|---|---|---|---|---|---|---|---|\n"
    body = "".join(
        "| "
        + " | ".join(
            _cell(r[k])
            for k in ("ref", "element", "field", "required", "ob3", "edc", "vocabulary", "loss")
        )
        + " |\n"
        for r in rows
    )
    return head + body


def _errors() -> str:
    from microcred_vc.errors import all_error_classes

    lines = ["| Code | Exception | Meaning |", "|---|---|---|"]
    for cls in all_error_classes():
        lines.append(f"| `{cls.code}` | `{cls.__name__}` | {_cell(cls.title)} |")
    return "\n".join(lines) + "\n"


_CODE = re.compile(r"^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$")
_PREFIXES = ("JWT_", "SEAL_", "OB2_", "PROOF_", "STATUS_", "DID_", "CONTEXT_", "DATE_")


def _check_codes() -> str:
    """Codes that name a failed check or an error instance, read from the source (AST)."""
    import ast
    from pathlib import Path

    from microcred_vc.errors import all_error_classes

    package = Path(__file__).resolve().parents[2] / "microcred_vc"
    classes = {cls.code for cls in all_error_classes()}
    found: dict[str, set[str]] = {}

    def literal(node: ast.AST) -> str | None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.isupper():
            return node.value
        return None

    for path in sorted(package.rglob("*.py")):
        area = ".".join(("microcred_vc", *path.relative_to(package).parent.parts))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            codes = [literal(k.value) for k in node.keywords if k.arg == "code"]
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            if name in ("add", "Check", "_failed", "problem") and len(node.args) >= 2:
                position = 1 if name == "problem" else 3
                if len(node.args) > position:
                    codes.append(literal(node.args[position]))
            for code in filter(None, codes):
                if code not in classes:
                    found.setdefault(code, set()).add(area)
        # codes kept in variables or tuples before they reach a check: area-prefixed literals
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            value = literal(node)
            if (
                value
                and _CODE.match(value)
                and value.startswith(_PREFIXES)
                and value not in classes
            ):
                found.setdefault(value, set()).add(area)
    lines = ["| Code | Where it is raised or reported |", "|---|---|"]
    lines += [f"| `{code}` | {', '.join(sorted(found[code]))} |" for code in sorted(found)]
    return "\n".join(lines) + "\n"


def _cli() -> str:
    import click
    import typer
    import typer.core

    from microcred_vc.cli import app

    typer.core.HAS_RICH = False  # plain help text, not a rich panel printed to stdout
    root = typer.main.get_command(app)
    out: list[str] = []

    def walk(command: click.Command, path: list[str]) -> None:
        ctx = click.Context(command, info_name=" ".join(path))
        out.append(f"### `{' '.join(path)}`\n\n```text\n{command.get_help(ctx)}\n```\n")
        if isinstance(command, click.Group):
            for name in sorted(command.commands):
                walk(command.commands[name], [*path, name])

    walk(root, ["microcred"])
    return "\n".join(out)


def _http() -> str:
    import tempfile

    from microcred_vc.server import create_app, load_config

    with tempfile.TemporaryDirectory() as tmp:
        spec = create_app(
            load_config(tmp, overrides={"tokens": ["docs-build-token-0123456789"]})
        ).openapi()
    lines = ["| Method | Path | Summary | Auth |", "|---|---|---|---|"]
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            auth = "bearer token" if op.get("security") else "public"
            lines.append(
                f"| {method.upper()} | `{path}` | {_cell(op.get('summary', ''))} | {auth} |"
            )
    full = json.dumps(spec, indent=2)
    return (
        "\n".join(lines)
        + '\n\n??? note "The full OpenAPI document"\n\n    ```json\n'
        + "\n".join("    " + line for line in full.splitlines())
        + "\n    ```\n"
    )


def _datamodel_rules() -> str:
    from microcred_vc.validate.datamodel import RULES

    lines = ["| Rule id | What the specification requires |", "|---|---|"]
    lines += [f"| `{rule}` | {_cell(text)} |" for rule, text in RULES.items()]
    return "\n".join(lines) + "\n"


def _vocabularies() -> str:
    from microcred_vc.model import vocab

    out: list[str] = []
    for scheme in vocab.SCHEMES.values():
        closed = (
            "closed: only these values"
            if not scheme.open
            else ("open: these short keys, or any IRI of the scheme")
        )
        out += [f"### {scheme.title}", "", f"Scheme `{scheme.iri}` ({closed}).", ""]
        if not scheme.concepts:
            out += [
                f"Any concept IRI of the scheme's namespace `{scheme.namespace}` (no short keys).",
                "",
            ]
            continue
        out += ["| Short key | Label | Concept IRI |", "|---|---|---|"]
        out += [
            f"| `{key}` | {_cell(concept.label('en'))} | `{concept.id}` |"
            for key, concept in scheme.concepts.items()
        ]
        out.append("")
    return "\n".join(out)


GENERATORS = {
    "mapping": _mapping,
    "errors": _errors,
    "check-codes": _check_codes,
    "cli": _cli,
    "http": _http,
    "datamodel-rules": _datamodel_rules,
    "vocabularies": _vocabularies,
}


def on_page_markdown(markdown: str, **kwargs: Any) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in GENERATORS:
            raise ValueError(f"unknown generated section {name!r}")
        return GENERATORS[name]()

    return MARKER.sub(replace, markdown)
