"""Account collector (GetAlternateContact) on moto's server: a registered contact passes, a missing one
(ResourceNotFoundException) fails, a denied read is ERROR."""

from __future__ import annotations

from typing import Any

from assay.faults import deny
from assay.models.resources.account import AlternateContacts, Contact
from tests.helpers import ACCOUNT, by_name, evaluate, findings_of, scan

CONTROL = "account.security_contact_registered"


def test_registered_security_contact_passes(access: Any, seed: Any) -> None:
    seed("account").put_alternate_contact(AlternateContactType="SECURITY", Name="Sec", Title="Security",
                                          EmailAddress="security@example.com", PhoneNumber="+1-555-0100")
    inv = scan(access, ["account"])
    assert inv.complete and not inv.errors
    [record] = inv.of(AlternateContacts)
    assert record.contacts == {"SECURITY": Contact(name="Sec", title="Security", email="security@example.com"),
                               "BILLING": None, "OPERATIONS": None}
    ev = evaluate(inv)
    assert by_name(ev, CONTROL) == {ACCOUNT: "pass"}
    ev = evaluate(inv, params={CONTROL: {"contact_types": ["SECURITY", "OPERATIONS"]}})
    assert [f.message for f in findings_of(ev, CONTROL)] == ["no operations alternate contact is registered"]


def test_no_contact_fails(access: Any, seed: Any) -> None:
    seed("account").put_alternate_contact(AlternateContactType="BILLING", Name="Fin", Title="Finance",
                                          EmailAddress="finance@example.com", PhoneNumber="+1-555-0100")
    ev = evaluate(scan(access, ["account"]))
    assert [(f.status.value, f.message) for f in findings_of(ev, CONTROL)] == [
        ("fail", "no security alternate contact is registered")]


def test_denied_read_is_error(access: Any, seed: Any) -> None:
    access.hooks.append(("before-call", deny({"account:GetAlternateContact"}, code="AccessDeniedException")))
    found = findings_of(evaluate(scan(access, ["account"])), CONTROL)
    assert [f.status.value for f in found] == ["error"] and "account:GetAlternateContact" in found[0].message
