"""Exports: a scan's findings sent to other tools (Security Hub). The only code that writes to AWS."""
