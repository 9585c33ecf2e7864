"""The lint engine: load, validate, assemble, run rules, then place and filter findings.

Rules only yield findings relative to a question or file. The engine resolves each
to a line and column, stamps the severity (the rule's default, a rule's request to
lower it, or the configuration's override), applies suppressions and sorts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from qbank.bank import Bank, Located, assemble
from qbank.config import Config, ConfigError
from qbank.diagnostics import Diagnostic, Severity
from qbank.discovery import BankSource
from qbank.loader import load_file
from qbank.rules.base import BankRule, FileRule, QuestionRule, Rule, SuppressionRule
from qbank.rules.registry import all_rules, matches
from qbank.suppression import matching
from qbank.validation import validate_file


@dataclass
class LintResult:
    bank: Bank
    diagnostics: list[Diagnostic] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(d.severity is Severity.ERROR for d in self.diagnostics)

    def count(self, severity: Severity) -> int:
        return sum(d.severity is severity for d in self.diagnostics)


def unknown_codes(patterns: Iterable[str]) -> list[str]:
    """The rule codes or prefixes among ``patterns`` that match no rule."""
    known = [rule.code for rule in all_rules()]
    return [p for p in patterns if not any(code.startswith(p.upper()) for code in known)]


def check_config(config: Config) -> None:
    """Refuse rule references that match nothing: a typo would silently lint less."""
    by_key = {key: rule for rule in all_rules() for key in (rule.code, rule.name)}
    lists = [("select", config.select), ("ignore", config.ignore)]
    lists += [(f"per-file-ignores {pattern!r}", codes) for pattern, codes in config.per_file_ignores.items()]
    problems = [f"{where}: no rule matches {code!r}" for where, codes in lists for code in unknown_codes(codes)]
    problems += [f"severity: no rule {key!r}" for key in config.severity if key not in by_key]
    for key, options in config.rules.items():
        rule = by_key.get(key)
        if rule is None:
            problems.append(f"rules: no rule {key!r}")
        elif unknown := sorted(set(options) - set(rule.defaults)):
            known = ", ".join(rule.defaults) or "none"
            problems.append(f"rules.{key}: {rule.code} has no option {', '.join(unknown)} (it has: {known})")
    if problems:
        raise ConfigError(f"{config.source or 'configuration'}: [tool.qbank] " + "; ".join(problems) + "; see qbank rules")


def select_rules(config: Config, select: Iterable[str] = (), ignore: Iterable[str] = ()) -> list[Rule]:
    """Instantiate the active rules: selected (or on by default) and not ignored.

    Raises :class:`ConfigError` when the configuration names a rule or option that does not exist.
    """
    check_config(config)
    select = [*config.select, *select]
    ignore = [*config.ignore, *ignore]
    active = []
    for cls in all_rules():
        if cls.always_on:
            on = True
        elif select:
            on = matches(cls.code, select) and not (matches(cls.code, ignore) and not cls.code in select)
        else:
            on = cls.enabled_by_default and not matches(cls.code, ignore)
        if on:
            active.append(cls(config.rules.get(cls.code) or config.rules.get(cls.name)))
    return active


def load_bank(sources: list[BankSource]) -> Bank:
    """Load, validate and assemble every file. Each file is read independently."""
    return assemble([(validate_file(load_file(s.path, s.name)), s.relative) for s in sources])


def _run(rules: list[Rule], bank: Bank) -> Iterable[tuple[Rule, Located]]:
    for rule in rules:
        if isinstance(rule, FileRule):
            for file in bank.files:
                for finding in rule.check(file):
                    yield rule, Located(file, finding)
        elif isinstance(rule, QuestionRule):
            for item in bank.questions:
                for finding in rule.check(item):
                    yield rule, item.at(finding)
        elif isinstance(rule, BankRule):
            for located in rule.check(bank):
                yield rule, located


def _severity(rule: Rule, located: Located, config: Config) -> Severity:
    override = config.severity.get(rule.code) or config.severity.get(rule.name)
    if override:
        return Severity(override)
    requested = located.finding.severity
    if requested is not None and requested.rank > rule.severity.rank:
        return requested
    return rule.severity


def to_diagnostic(rule: Rule, located: Located, config: Config) -> Diagnostic:
    finding = located.finding
    position = finding.position
    if position is None:
        document = located.file.loaded.document
        position = document.source_map.locate(finding.path, finding.on_key)
    return Diagnostic(
        file=located.file.loaded.name,
        position=position,
        code=rule.code,
        severity=_severity(rule, located, config),
        message=finding.message,
        hint=finding.hint,
        question_id=located.question_id,
        evidence=finding.evidence,
        rule_name=rule.name,
        path=finding.path,
        suppressed_by=matching(rule.code, rule.always_on, located, config),
    )


def lint_bank(bank: Bank, config: Config, rules: list[Rule]) -> LintResult:
    """Run the rules; suppressed findings are dropped once they have marked their suppression used."""
    found = [to_diagnostic(rule, located, config) for rule, located in _run(rules, bank)]
    used = {(d.file, path) for d in found for path in d.suppressed_by}
    for rule in rules:
        if isinstance(rule, SuppressionRule):
            found += [to_diagnostic(rule, located, config) for located in rule.check(bank, used, rules)]
    result = LintResult(bank, diagnostics=[d for d in found if not d.suppressed_by], rules=rules)
    result.diagnostics.sort(key=Diagnostic.sort_key)
    return result


def lint(sources: list[BankSource], config: Config, select: Iterable[str] = (), ignore: Iterable[str] = ()) -> LintResult:
    """Lint a bank: the whole pipeline, deterministic from run to run."""
    rules = select_rules(config, select, ignore)  # first: a configuration error costs no reading
    return lint_bank(load_bank(sources), config, rules)
