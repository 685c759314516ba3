"""Account controls: pure functions over the AlternateContacts record."""

from __future__ import annotations

from typing import Any

from assay.controls.account import security_contact_registered
from assay.models.base import GLOBAL
from assay.models.findings import Status
from assay.models.resources.account import AlternateContacts, Contact

ACCOUNT = "123456789012"
SECURITY = Contact(name="Security team", title="Security", email="security@northwind.example")


def contacts(**types: Any) -> AlternateContacts:
    return AlternateContacts(arn=f"arn:aws:account::{ACCOUNT}:account", id=ACCOUNT, name=ACCOUNT,
                             account_id=ACCOUNT, region=GLOBAL, contacts=types)


def test_registered_security_contact_passes() -> None:
    record = contacts(SECURITY=SECURITY, BILLING=None, OPERATIONS=None)
    assert security_contact_registered(record) == (Status.PASS, "security contact: security@northwind.example")


def test_missing_security_contact_fails() -> None:
    record = contacts(SECURITY=None, BILLING=SECURITY, OPERATIONS=None)
    assert security_contact_registered(record) == (Status.FAIL, "no security alternate contact is registered")


def test_other_contact_types_by_parameter() -> None:
    record = contacts(SECURITY=SECURITY, BILLING=None, OPERATIONS=None)
    assert security_contact_registered(record, contact_types=["SECURITY", "billing", "OPERATIONS"]) == (
        Status.FAIL, "no billing, operations alternate contact is registered")
    assert security_contact_registered(record, contact_types=["SECURITY"]).status is Status.PASS


def test_unread_contact_is_error_never_pass_or_fail() -> None:
    record = contacts(BILLING=SECURITY)  # SECURITY was not read
    assert security_contact_registered(record) == (Status.ERROR, "the security contact was not read")
    partial = contacts(SECURITY=None)
    assert security_contact_registered(partial, contact_types=["SECURITY", "BILLING"]).status is Status.ERROR
