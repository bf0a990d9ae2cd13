"""Command-line tools: `flask seed-demo`."""

from __future__ import annotations

import click
from flask import Flask, current_app


def register_cli(app: Flask) -> None:
    @app.cli.command("seed-demo")
    @click.option("--cases", default=200, show_default=True, help="Demo cases to have in all.")
    def seed_demo_command(cases: int) -> None:
        """Load the demo municipality, users for every role and demo cases (idempotent)."""
        from app.services.demo import seed_demo

        report = seed_demo(case_count=cases)
        click.echo(
            f"Demo data ready: {report.cases_created} cases added, {report.cases_total} in all."
        )
        click.echo(f"Demo logins (password for all: {report.password}):")
        for email, roles in report.users:
            click.echo(f"  {email:45} {roles}")
        click.echo(f"Open {current_app.config['BASE_URL']}/")
