"""Command-line tasks: `flask --app portal <command>`."""
from __future__ import annotations

import click


def register_commands(app) -> None:
    @app.cli.command("seed-demo")
    def seed_demo():
        """Load the demo data once; running it again keeps what exists."""
        from .demo import load_demo

        created = load_demo()
        click.echo("demo data loaded" if created else "demo data already present; nothing changed")
