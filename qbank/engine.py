"""The lint engine: load, validate, assemble, run rules, then place and filter findings.

Rules only yield findings relative to a question or file. The engine resolves each
to a line and column, stamps the severity (the rule's default, a rule's request to
lower it, or the configuration's override), applies suppressions and sorts.

Work is split in two so that it can spread over processes and be cached:

- per file (:func:`lint_file`): load, validate, then the file and question rules;
  this runs in worker processes for large banks (:mod:`qbank.parallel`) and its
  outcome may come from the cache (:mod:`qbank.cache`);
- per bank: the bank-wide rules, run once in this process on the merged bank.

Rules therefore must not keep state between checks; workers build their own rule
objects from the configuration (codes and options), never receive them.
"""

from __future__ import annotations

import gc
import importlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import PurePosixPath

from qbank.bank import Aside, Bank, Located, assemble, place_questions
from qbank.cache import Entry, FileOutcome, LintCache, cache_root, context_key, file_key, fingerprint, signature
from qbank.compact import Places
from qbank.config import Config, ConfigError
from qbank.diagnostics import Diagnostic, Severity
from qbank.discovery import BankSource
from qbank.forking import Started, reap_dismissed, standing_by, started_apart
from qbank.loader import load_file
from qbank.memo import forget
from qbank.rules.base import BankRule, FileRule, QuestionRule, Rule, SuppressionRule
from qbank.rules.registry import all_rules, matches
from qbank.suppression import matching
from qbank.validated import ValidatedFile


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
    from qbank.validation import validate_file  # noqa: PLC0415  (pydantic: see lint_file)

    return assemble([(validate_file(load_file(s.path, s.name)), s.relative) for s in sources])


def lint_file(source: BankSource, config: Config, rules: list[Rule], data: bytes | None = None) -> FileOutcome:
    """Load and validate one file, run the file and question rules on it, and place their findings.

    The validation (and with it pydantic) is imported by the first file validated: a cached re-lint
    validates none in its own process, only in the child that lints the changed file."""
    from qbank.validation import validate_file  # noqa: PLC0415

    validated = validate_file(load_file(source.path, source.name, data))
    return FileOutcome(validated, check_file(validated, source.relative, config, rules))


def check_file(validated: ValidatedFile, relative: PurePosixPath, config: Config, rules: list[Rule]) -> list[Diagnostic]:
    """The findings of the file and question rules among ``rules`` on one validated file.

    The bank rules among ``rules`` collect their summaries of its questions here too
    (into ``validated.collected``), for their check on the whole bank.
    """
    try:
        return _check_file(validated, relative, config, rules)
    finally:
        forget()  # the readings of this file's texts (qbank/memo.py)


def _check_file(validated: ValidatedFile, relative: PurePosixPath, config: Config, rules: list[Rule]) -> list[Diagnostic]:
    diagnostics: list[Diagnostic] = []
    question_rules = [rule for rule in rules if isinstance(rule, QuestionRule)]
    collecting = [rule for rule in rules if isinstance(rule, BankRule) and rule.collects()]
    for rule in rules:
        if isinstance(rule, FileRule):
            diagnostics.extend(to_diagnostic(rule, Located(validated, finding), config) for finding in rule.check(validated))
    if not question_rules and not collecting:
        return diagnostics
    summaries: list[list] = [[] for _ in collecting]
    checks = [(rule, rule.check) for rule in question_rules]
    collects = [(rule.collect, kept) for rule, kept in zip(collecting, summaries)]
    # Question by question, every rule in turn: the rules read the same texts (and share
    # their readings, see rules/shared.py) while they are at hand.
    for item in place_questions(validated, relative):
        for rule, check in checks:
            for finding in check(item):
                diagnostics.append(to_diagnostic(rule, item.at(finding), config))
        for collect, kept in collects:
            summary = collect(item)
            if summary is not None:  # the question takes no part
                kept.append((item.place, summary))
    shared: dict[tuple[int, ...], Places] = {}  # one object for the same places, pickled once
    for rule, kept in zip(collecting, summaries):
        packed = rule.pack([summary for _, summary in kept])
        indices = tuple(index for (index, _), _ in kept)
        if indices not in shared:
            shared[indices] = Places(place for place, _ in kept)
        validated.collected[rule.code] = (shared[indices], Aside(packed) if rule.aside else packed)
    return diagnostics


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
    """Run ``rules`` on an already loaded bank, in this process."""
    result = LintResult(bank, rules=rules)
    for validated, relative in bank.placed:
        result.diagnostics.extend(check_file(validated, relative, config, rules))
    result.diagnostics.extend(bank_diagnostics(bank, config, rules))
    return _settle_suppressions(result, config)


def _settle_suppressions(result: LintResult, config: Config) -> LintResult:
    """Drop suppressed findings once they have marked their suppressions used; then QB006 reports the rest."""
    found = result.diagnostics
    used = {(d.file, path) for d in found for path in d.suppressed_by}
    for rule in result.rules:
        if isinstance(rule, SuppressionRule):
            found += [to_diagnostic(rule, located, config) for located in rule.check(result.bank, used, result.rules)]
    result.diagnostics = [d for d in found if not d.suppressed_by]
    result.diagnostics.sort(key=Diagnostic.sort_key)
    return result


APART_FROM_QUESTIONS = 20_000
"""From this many questions, a bank check that may run apart (:attr:`~qbank.rules.base.BankRule.apart`)
runs in a forked child beside the others; below it, forking costs more than it saves."""


def bank_diagnostics(bank: Bank, config: Config, rules: list[Rule], store: LintCache | None = None) -> list[Diagnostic]:
    """The findings of the bank-wide rules, placed and filtered (with a cache, rules may reuse work kept there).

    On a large bank, the checks that may run apart run in a forked child meanwhile (:mod:`qbank.forking`);
    the findings are the same, in the same order."""

    def findings(rule: BankRule) -> list[Diagnostic]:
        collected = bank.collected(rule.code, store.memo(rule.code) if store is not None else None)
        return [to_diagnostic(rule, located, config) for located in rule.check(bank, collected)]

    checks = [rule for rule in rules if isinstance(rule, BankRule)]
    apart = len(checks) > 1 and bank.question_count >= APART_FROM_QUESTIONS
    started = {rule.code: started_apart(partial(findings, rule)) for rule in checks if apart and rule.apart}
    by_rule = {rule.code: findings(rule) for rule in checks if rule.code not in started}
    by_rule.update((code, result()) for code, result in started.items())
    return [diagnostic for rule in checks for diagnostic in by_rule[rule.code]]


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Loading builds millions of small acyclic objects; the cycle collector only slows that down."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def lint(
    sources: list[BankSource],
    config: Config,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    *,
    jobs: int | None = None,
    cache: bool = False,
    release: bool = True,
    questions: bool = True,
) -> LintResult:
    """Lint a bank: the whole pipeline, deterministic from run to run.

    ``jobs`` is the number of worker processes (None: one per core; large banks only,
    small ones are linted in this process). With ``cache``, per-file outcomes are
    read from and written to the lint cache (:mod:`qbank.cache`). The diagnostics are
    the same whatever ``jobs`` and ``cache`` are. With ``release``, what the bank rules
    collected is let go once they ran, for a caller that keeps the bank (an export);
    freeing it takes a while on a large bank, which a caller about to exit can skip.
    Without ``questions`` (a caller that reports findings only), worker processes do not
    send the questions of the files they lint; they are read again if asked for.
    """
    select, ignore = list(select), list(ignore)
    rules = select_rules(config, select, ignore)
    store = LintCache(cache_root(config), fingerprint(config, rules), relint=partial(lint_file, config=config, rules=rules)) if cache else None
    with _gc_paused():
        outcomes = _file_outcomes(sources, config, select, ignore, rules, jobs, store, questions)
        bank = assemble([(outcome.validated, source.relative) for outcome, source in zip(outcomes, sources)])
        result = LintResult(bank, rules=rules)
        for outcome in outcomes:
            result.diagnostics.extend(outcome.diagnostics)
        result.diagnostics.extend(bank_diagnostics(bank, config, rules, store))
        reap_dismissed()  # a child that stood by for a changed file and was not needed (see _file_outcomes)
        if release:
            for file in bank.files:
                file.collected = {}  # only the bank checks need them
        return _settle_suppressions(result, config)


def _file_outcomes(
    sources: list[BankSource],
    config: Config,
    select: list[str],
    ignore: list[str],
    rules: list[Rule],
    jobs: int | None,
    store: LintCache | None,
    questions: bool,
) -> list[FileOutcome]:
    """Each file's outcome, in the order of ``sources``: from the cache, a worker, or here.

    With a cache, the first file found changed while many are still to be read from it
    (:data:`AHEAD_OF_READS`) is linted in a forked child meanwhile: a re-lint's one
    changed file and the cached reads then take two cores instead of one after the other.
    The child is forked before the reads and imports what linting needs (pydantic, the models'
    validators, numpy: about 100 ms) while it waits to be told which file changed, so the file's
    place in the bank no longer delays it; it is dismissed when no file changed.
    """
    outcomes: list[FileOutcome | None] = [None] * len(sources)
    todo: list[int] = []
    ahead: tuple[int, Started[tuple[bytes, bytes, bytes]]] | None = None
    standby = None
    if store is not None and (jobs is None or jobs > 1) and len(sources) > AHEAD_OF_READS:
        standby = standing_by(partial(ready_to_lint, rules), partial(lint_to_send, config=config, rules=rules, store=store, questions=questions))
    for index, source in enumerate(sources):
        if store is not None:
            outcomes[index], _ = store.get(source)
        if outcomes[index] is None:
            if standby is not None and ahead is None and len(sources) - index > AHEAD_OF_READS:
                ahead = index, standby.give(source)
            else:
                todo.append(index)
    if standby is not None and ahead is None:
        standby.dismiss()
    spread = False
    if len(todo) > 1:  # one file (a re-lint) is linted here, without importing multiprocessing
        from qbank import parallel  # noqa: PLC0415  (only large banks need it)

        spread = parallel.worth_it([sources[i] for i in todo], jobs)
    if spread:
        preload(rules)
        done = parallel.lint_files([sources[i] for i in todo], config, select, ignore, jobs, store, questions)
        for index, outcome in zip(todo, done):
            outcomes[index] = outcome
    else:
        for index in todo:
            outcomes[index] = lint_and_store(sources[index], config, rules, store)[0]
    if ahead is not None:
        index, sent = ahead
        if not sent.finished():
            preload(rules)  # while waiting: else the bank checks' children import it, beside this process's checks
        outcomes[index] = Entry(*sent()).open(sources[index], store)
    return outcomes  # type: ignore[return-value]


AHEAD_OF_READS = 100
"""A changed file found with at least this many files still to read from the cache is linted in a
forked child (see :func:`_file_outcomes`): a hundred cached reads take longer than forking (7 ms
at 100,000 questions: 999 cached files take 70 ms to read, one changed file 50 ms to lint)."""


def ready_to_lint(rules: list[Rule]) -> None:
    """What linting a file will import and build, done ahead: the validation (pydantic and the models'
    validators) and what the rules need (:func:`preload`)."""
    from qbank.validation import build_validators  # noqa: PLC0415

    build_validators()
    preload(rules)


def preload(rules: list[Rule]) -> None:
    """Import what the rules will need (:attr:`~qbank.rules.base.Rule.preload`), before forking the processes that use it."""
    for module in sorted({name for rule in rules for name in rule.preload}):
        importlib.import_module(module)


def lint_to_send(
    source: BankSource, config: Config, rules: list[Rule], store: LintCache | None, questions: bool = True
) -> tuple[bytes, bytes, bytes]:
    """Lint one file as :func:`lint_and_store` does, for another process: the three blobs of its entry
    (its outcome, its questions unless ``questions`` is false, the summaries set aside), which
    :meth:`Entry.open` turns back into the outcome."""
    outcome, entry = lint_and_store(source, config, rules, store)
    if entry is None:  # no cache, or an unreadable file
        entry = Entry.make(outcome, "", "", None, questions)
    elif not questions:
        entry = entry.without_questions()  # the parent reads them from the cache if it ever needs them
    return entry.outcome, entry.questions, entry.asides


def lint_and_store(source: BankSource, config: Config, rules: list[Rule], store: LintCache | None) -> tuple[FileOutcome, Entry | None]:
    """Lint one file from scratch and, with a cache, store its entry (returned too, for workers)."""
    stamp = signature(source)
    try:
        data: bytes | None = source.path.read_bytes()
    except OSError:
        data = None  # lint_file reports it as unreadable
    outcome = lint_file(source, config, rules, data)
    if store is None or data is None:
        return outcome, None
    key = file_key(store.fingerprint, source, data)
    entry = Entry.make(outcome, key, context_key(store.fingerprint, source), stamp)
    store.put(source, entry, key)
    return outcome, entry
