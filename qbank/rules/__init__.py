"""Lint rules, one module per rule, grouped by kind:

- ``parse``: QB0xx, files that cannot be read (always on);
- ``meta``: QB006, suppressions that hide nothing;
- ``structure``: QB1xx, questions that are broken or incomplete;
- ``quality``: QB2xx, item-writing flaws in one question;
- ``bank``: QB3xx, flaws that only show across the bank.
"""
