"""Command-line tasks: `flask --app portal <command>`."""
from __future__ import annotations

import click


def register_commands(app) -> None:
    from .jobs.commands import register as register_job_commands

    register_job_commands(app)

    @app.cli.command("seed-demo")
    def seed_demo():
        """Load the demo data once; running it again keeps what exists."""
        from .demo import load_demo

        created = load_demo()
        click.echo("demo data loaded" if created else "demo data already present; nothing changed")

    @app.cli.command("detect-warnings")
    @click.option("--today", default=None, help="Day of the detection, YYYY-MM-DD (default: today).")
    def detect_warnings(today):
        """Raise early warnings for failure patterns above their baseline (idempotent)."""
        from .complaints.commands import detect

        click.echo(detect(today))

    @app.cli.command("verify-chain")
    def verify_chain():
        """Recompute the hash chain of issued settlements and credit notes; exit 1 when broken."""
        from .settlements.chain import verify_chain as verify

        report = verify()
        click.echo(str(report))
        if not report.intact:
            raise SystemExit(1)
