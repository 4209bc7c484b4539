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


def _carried() -> str:
    """The elements both OB3 and EDC carry, and those only one does (model.mapping)."""
    from microcred_vc.model.mapping import CARRIED_ELEMENTS, ONE_FORMAT_ONLY

    lines = ["| Hub field | Open Badges 3.0 | Europass EDC (ELM 3) |", "|---|---|---|"]
    lines += [f"| `{k}` | {_cell(o)} | {_cell(e)} |" for k, (o, e) in CARRIED_ELEMENTS.items()]
    lines += ["", "| Hub field | Carried by one format only |", "|---|---|"]
    lines += [f"| `{k}` | {_cell(why)} |" for k, why in ONE_FORMAT_ONLY.items()]
    return "\n".join(lines) + "\n"


def _errors() -> str:
    from microcred_vc.errors import all_error_classes

    lines = ["| Code | Exception | Meaning |", "|---|---|---|"]
    for cls in all_error_classes():
        lines.append(f"| `{cls.code}` | `{cls.__name__}` | {_cell(cls.title)} |")
    return "\n".join(lines) + "\n"


def _check_codes() -> str:
    """Check codes and their meanings, from the one registry (microcred_vc.codes)."""
    from microcred_vc.codes import CHECK_CODES

    lines = ["| Code | Meaning |", "|---|---|"]
    lines += [f"| `{code}` | {_cell(text)} |" for code, text in sorted(CHECK_CODES.items())]
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
    """Every allowed value of every scheme, from the generated vocabulary table."""
    from microcred_vc.model import vocab
    from microcred_vc.vocabularies import schemes

    tables = schemes()
    out: list[str] = []
    for scheme in vocab.SCHEMES.values():
        closed = (
            "closed: only these values"
            if not scheme.open
            else "open: these values, or any IRI of the scheme"
        )
        source = tables.get(scheme.key)
        files = ", ".join(f"`{f}`" for f in source.sources) if source else "hand-listed"
        out += [
            f"### {scheme.title}",
            "",
            f"Scheme `{scheme.iri}` ({closed}). Source: {files}.",
            "",
        ]
        items = scheme.concepts.items()
        label = {k: _cell(c.label("en")) if c.pref_label else "" for k, c in items}
        if all(c.id == scheme.namespace + k for k, c in items):  # keys are the IRIs' codes
            out += [f"Concept IRI: `{scheme.namespace}` + code.", ""]
            rows = ["| Code | Label (en) |", "|---|---|"]
            rows += [f"| `{k}` | {label[k]} |" for k, _ in items]
        else:
            rows = ["| Key | Label (en) | Concept IRI |", "|---|---|---|"]
            rows += [f"| `{k}` | {label[k]} | `{c.id}` |" for k, c in items]
        if len(scheme.concepts) > 40:  # long lists fold away (pymdownx.details)
            out += [f'??? note "All {len(scheme.concepts):,} values"', ""]
            out += ["    " + row for row in rows]
        else:
            out += rows
        out.append("")
    return "\n".join(out)


GENERATORS = {
    "mapping": _mapping,
    "carried": _carried,
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
