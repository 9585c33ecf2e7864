"""``qbank rules`` and ``qbank rule CODE``: the rules' own documentation."""

from __future__ import annotations

import click

from qbank.cli.common import fail_usage
from qbank.rules.registry import all_rules


def rules_table() -> list[str]:
    rows = []
    for rule in all_rules():
        flags = ("fixable" if rule.fixable else "") + ("" if rule.enabled_by_default else " off-by-default")
        rows.append(f"{rule.code}  {rule.name:<32} {rule.severity.value:<8} {rule.summary()}" + (f" [{flags.strip()}]" if flags.strip() else ""))
    return rows


@click.command("rules")
def rules_command() -> None:
    """List every rule: code, name, default severity and what it checks."""
    click.echo("\n".join(rules_table()))


@click.command("rule")
@click.argument("code")
def rule_command(code: str) -> None:
    """Show one rule's documentation, with its bad and good examples.

    CODE is a rule code (QB109) or name (missing-why).
    """
    wanted = code.strip()
    for rule in all_rules():
        if wanted.upper() == rule.code or wanted.lower() == rule.name:
            header = f"{rule.code} {rule.name} ({rule.group}, default severity {rule.severity.value}"
            header += ", fixable)" if rule.fixable else ")"
            click.echo(header + "\n\n" + rule.doc())
            if rule.defaults:
                click.echo("\nOptions ([tool.qbank.rules." + rule.code + "]):")
                for key, value in rule.defaults.items():
                    click.echo(f"  {key} = {value!r}")
            return
    fail_usage(f"no rule {code!r}; see qbank rules")
