"""Process exit codes, shared by every command."""

OK = 0
"""No error-level findings; the command did what was asked."""

FINDINGS = 1
"""At least one error-level finding (lint), or the bank was refused (export)."""

USAGE = 2
"""Bad usage or unreadable input: unknown option, missing path, broken configuration."""
