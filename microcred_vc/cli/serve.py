"""``microcred serve`` and ``microcred demo``."""

from __future__ import annotations

from pathlib import Path

import typer

from microcred_vc.cli.app import app


@app.command("serve")
def serve_cmd(
    data_dir: Path = typer.Option(
        ..., "--data-dir", help="Keys, status database and settings live here."
    ),
    host: str = typer.Option("127.0.0.1", "--host"),
    port: int = typer.Option(8080, "--port"),
    config: Path | None = typer.Option(
        None, "--config", help="settings TOML (default DATA_DIR/settings.toml)."
    ),
    workers: int | None = typer.Option(
        None, "--workers", min=1, help="Worker processes (default: the number of cores)."
    ),
) -> None:
    """Run the W3C VC API service and the verify page."""
    from microcred_vc.server.run import serve

    serve(data_dir, host=host, port=port, config_file=config, workers=workers)


@app.command("demo")
def demo_cmd(
    out: Path = typer.Option(
        Path("demo-out"), "--out", help="Folder for everything the demo writes."
    ),
    server: bool = typer.Option(True, "--server/--no-server", help="Also demo the HTTP service."),
) -> None:
    """Issue, verify, convert, render and revoke the example course's credentials."""
    from microcred_vc.demo import run

    run(out, with_server=server)
