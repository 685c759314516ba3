"""Collection: the only code that talks to AWS. Read-only, concurrent, every error recorded."""
