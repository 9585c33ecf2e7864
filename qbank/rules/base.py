"""What a rule is: metadata plus a check that yields findings.

A rule's docstring is its user documentation. Its first line is the summary that
``qbank rules`` shows. It holds a ``Bad::`` and a ``Good::`` example, each an indented
bank file; a meta-test lints both and checks that the rule fires on the first only.
"""

from __future__ import annotations

import inspect
import math
import re
from collections.abc import Iterable, Iterator
from typing import Any, ClassVar

from qbank.bank import Bank, BankQuestion, Collected, Located
from qbank.config import ConfigError
from qbank.diagnostics import Finding, Severity
from qbank.validated import ValidatedFile


class Rule:
    code: ClassVar[str]
    name: ClassVar[str]
    group: ClassVar[str]
    """parse, meta, structure, quality or bank."""
    severity: ClassVar[Severity]
    fixable: ClassVar[bool] = False
    enabled_by_default: ClassVar[bool] = True
    always_on: ClassVar[bool] = False
    """Rules about unreadable input cannot be switched off."""
    defaults: ClassVar[dict[str, Any]] = {}
    """Options and their defaults, settable under [tool.qbank.rules.CODE]."""
    ranges: ClassVar[dict[str, tuple[float, float]]] = {}
    """The smallest and largest value of each number option (both allowed; ``math.inf`` for no limit)."""
    preload: ClassVar[tuple[str, ...]] = ()
    """Modules the rule imports lazily but needs in every worker process (such as numpy):
    imported once before the workers start, so that they share it instead of each importing it."""

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        unknown = set(options or {}) - set(self.defaults)
        if unknown:
            raise ConfigError(
                f"[tool.qbank.rules.{self.code}] {self.code} has no option {', '.join(sorted(unknown))}; "
                f"it has: {', '.join(self.defaults) or 'none'}"
            )
        for key, value in (options or {}).items():
            if not _same_kind(value, self.defaults[key]):
                raise ConfigError(
                    f"[tool.qbank.rules.{self.code}] {key} must be {_kind(self.defaults[key])}, not {value!r} "
                    f"(default: {self.defaults[key]!r})"
                )
            if key in self.ranges and not self.ranges[key][0] <= value <= self.ranges[key][1]:  # NaN is in no range
                raise ConfigError(
                    f"[tool.qbank.rules.{self.code}] {key} must be {describe_range(*self.ranges[key])}, not {value!r} "
                    f"(default: {self.defaults[key]!r})"
                )
        self.options = {**self.defaults, **(options or {})}

    @classmethod
    def doc(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def summary(cls) -> str:
        return cls.doc().splitlines()[0] if cls.__doc__ else ""

    @classmethod
    def examples(cls) -> dict[str, str]:
        """The ``Bad::`` and ``Good::`` examples of the docstring, as bank file texts."""
        found = {}
        lines = cls.doc().splitlines()
        for index, line in enumerate(lines):
            match = re.fullmatch(r"(Bad|Good)::", line.strip())
            if not match:
                continue
            block = []
            for following in lines[index + 1 :]:
                if following.strip() and not following.startswith("    "):
                    break
                block.append(following[4:])
            found[match.group(1).lower()] = "\n".join(block).strip("\n") + "\n"
        return found


def describe_range(low: float, high: float) -> str:
    """``at least 2``, ``between 0 and 1``: the values an option may take, for messages and docs."""
    return f"at least {low:g}" if high == math.inf else f"between {low:g} and {high:g}"


def _kind(default: Any) -> str:
    if isinstance(default, bool):
        return "true or false"
    if isinstance(default, (int, float)):
        return "a number"
    if isinstance(default, list):
        return "a list of texts" if all(isinstance(x, str) for x in default) else "a list"
    return "a text"


def _same_kind(value: Any, default: Any) -> bool:
    """Whether an option value has the type of its default (an int is fine where a float is expected)."""
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(default, bool)
    if isinstance(default, float):
        return isinstance(value, (int, float))
    if isinstance(default, list):
        return isinstance(value, list) and all(_same_kind(v, default[0]) for v in value) if default else isinstance(value, list)
    return isinstance(value, type(default))


class FileRule(Rule):
    """A rule about a whole file: how it reads and whether it fits the schema."""

    def check(self, file: ValidatedFile) -> Iterable[Finding]:  # paths absolute in the file
        raise NotImplementedError


class QuestionRule(Rule):
    """A rule about one question at a time. Paths are relative to the question.

    File and question rules run in worker processes, file by file, and their
    findings are cached per file: a check may depend only on the question, its file
    and the rule's options. To look at the disk, use ``item.file_exists(path)``,
    which the cache records and checks again. Workers build their own rule objects
    from codes and options, so a rule keeps no state between checks.
    """

    def check(self, item: BankQuestion) -> Iterable[Finding]:
        raise NotImplementedError


class SuppressionRule(Rule):
    """A rule about the suppressions themselves, run after every other rule.

    ``used`` holds (file name, path of the lint.ignore entry) for every suppression
    that hid a finding; ``ran`` are the rules that ran.
    """

    def check(self, bank: Bank, used: set[tuple[str, tuple]], ran: list[Rule]) -> Iterator[Located]:
        raise NotImplementedError


class BankRule(Rule):
    """A rule that sees the whole bank, such as duplicate ids or key balance.

    A bank rule works in two steps, so that a lint never has to unpack the whole bank
    and a cached file costs nothing:

    1. :meth:`collect` runs in the worker processes together with the question rules,
       on every valid question, and returns what :meth:`check` will need to know of it:
       a small, picklable summary (numbers, short texts), or None when the question
       takes no part. Summaries are cached with their file's outcome, so the same rules
       apply as for a question rule: a summary depends only on the question, its file
       and the rule's options. The engine calls it right after the question rules have
       read the same question. Work that is cheaper in bulk (numpy) goes in :meth:`pack`.
    2. :meth:`check` runs once per lint in the main process, on the summaries of the
       whole bank (:class:`~qbank.bank.Collected`, in bank order) as :meth:`pack` made
       them, so it stays right whichever file changed. Its findings are never cached; a
       rule may keep reusable work in a :class:`~qbank.cache.Memo`. ``bank.files`` (ids,
       headers) is at hand too. It must stay near-linear in the number of questions.
    """

    aside: ClassVar[bool] = False
    """Whether each file's packed summaries are set aside (:class:`~qbank.bank.Aside`): the lint
    cache then keeps them apart from the file's entry and reads them only when :meth:`check`
    asks, which suits large summaries that a rule can mostly answer from its memo."""

    apart: ClassVar[bool] = False
    """Whether :meth:`check` may run in a forked process beside the other bank checks, on a large bank
    (:mod:`qbank.forking`): for a long check that keeps to itself, reading the bank and its memo and
    changing nothing that another check or the caller reads afterwards."""

    def collect(self, item: BankQuestion) -> Any:
        """What :meth:`check` needs to know of one question (None: nothing)."""
        return None

    def pack(self, summaries: list[Any]) -> Any:
        """One file's summaries (those not None) in the form that is cached and handed to :meth:`check`.

        The default keeps the list. A rule over a large bank packs them into a few flat
        values (counts, arrays, one joined text): a cached file is then cheap to read
        and the check need not touch every question in Python.
        """
        return summaries

    @classmethod
    def collects(cls) -> bool:
        """Whether the rule collects anything (a rule such as QB102 reads only ``bank.files``)."""
        return cls.collect is not BankRule.collect

    def check(self, bank: Bank, collected: Collected) -> Iterator[Located]:
        raise NotImplementedError
