"""Typed data that flows between the phases: resources, inventory, findings."""
