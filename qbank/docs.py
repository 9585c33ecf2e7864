"""Generate docs/rules.md from the rule registry: ``python -m qbank.docs > docs/rules.md``."""

from __future__ import annotations

from qbank.rules.base import Rule, describe_range
from qbank.rules.registry import all_rules


def rules_markdown() -> str:
    out = [
        "# Rules",
        "",
        "Generated from the rule registry by `python -m qbank.docs`; a test keeps it current.",
        "Each rule's text is its docstring, also shown by `qbank rule CODE`.",
        "",
        "| Code | Name | Group | Default severity | Fixable | Summary |",
        "|---|---|---|---|---|---|",
    ]
    rules = all_rules()
    for rule in rules:
        on = "" if rule.enabled_by_default else " (off by default)"
        out.append(
            f"| [{rule.code}](#{rule.code.lower()}-{rule.name}) | {rule.name} | {rule.group} | "
            f"{rule.severity.value}{on} | {'yes' if rule.fixable else 'no'} | {rule.summary()} |"
        )
    for rule in rules:
        out += ["", f"## {rule.code} {rule.name}", ""]
        body = rule.doc().splitlines()
        in_block = False
        for line in body:
            stripped = line.strip()
            if stripped in ("Bad::", "Good::"):
                if in_block:
                    out.append("```")
                out += [f"**{stripped[:-2]}**", "", "```yaml"]
                in_block = True
                continue
            if in_block and line and not line.startswith("    "):
                out.append("```")
                in_block = False
            out.append(line[4:] if in_block else line)
        if in_block:
            while out and not out[-1].strip():
                out.pop()
            out.append("```")
        if rule.defaults:
            out += ["", f"Options, under `[tool.qbank.rules.{rule.code}]`:", ""]
            out += [f"- `{key}` = `{value!r}`{_range(rule, key)}" for key, value in rule.defaults.items()]
    return "\n".join(out) + "\n"


def _range(rule: type[Rule], key: str) -> str:
    return f" ({describe_range(*rule.ranges[key])})" if key in rule.ranges else ""


if __name__ == "__main__":
    print(rules_markdown(), end="")
