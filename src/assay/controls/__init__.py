"""Controls: one module per AWS service, each control a small pure function (see registry)."""
