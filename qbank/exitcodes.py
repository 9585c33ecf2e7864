"""Process exit codes, shared by every command."""

OK = 0
"""No error-level findings; the command did what was asked."""

FINDINGS = 1
"""At least one error-level finding (lint), or the bank was refused (export), or an import wrote
its files but could not carry everything (a skipped question, a lost grade) or they need fixing."""

USAGE = 2
"""Bad usage or unreadable input: unknown option, missing path, broken configuration."""
