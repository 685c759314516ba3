"""The production account tells AWS whom to write to about security and billing (the sandbox does not)."""

from __future__ import annotations

from assay.demo.estate import ClientFactory

CONTACTS = {
    "SECURITY": ("Northwind Security Team", "Security", "security@northwind.example"),
    "BILLING": ("Northwind Finance", "Accounts payable", "finance@northwind.example"),
}


def seed(client: ClientFactory, regions: list[str]) -> None:
    account = client("account", regions[0])
    for kind, (name, title, email) in CONTACTS.items():
        account.put_alternate_contact(AlternateContactType=kind, Name=name, Title=title, EmailAddress=email,
                                      PhoneNumber="+1-555-0100")
