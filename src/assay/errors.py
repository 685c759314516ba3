"""Exceptions Assay raises on purpose.

AssayError            base class; the CLI prints its message on one line and exits with `exit_code`
  UsageError          bad arguments, unknown control id or region (exit 2)
  ConfigError         a broken configuration file or parameter (exit 2)
  CredentialError     no usable AWS credentials, or a role that cannot be assumed (exit 2)
  SnapshotError       a corrupt, truncated or newer-schema snapshot (exit 2)
WriteAttempted        a non-read AWS operation was about to be sent; never caught by collectors
"""


class AssayError(Exception):
    exit_code = 2


class UsageError(AssayError):
    pass


class ConfigError(AssayError):
    pass


class CredentialError(AssayError):
    pass


class SnapshotError(AssayError):
    pass


class WriteAttempted(RuntimeError):
    """Raised by the runtime write guard: Assay only ever reads."""
