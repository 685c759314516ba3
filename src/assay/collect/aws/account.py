"""AWS Account Management: the account's alternate contacts (security, billing, operations)."""

from __future__ import annotations

from collections.abc import Iterator

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.base import GLOBAL
from assay.models.resources.account import CONTACT_TYPES, AlternateContacts, Contact

GET = "account:GetAlternateContact"


@collector(
    service="account",
    scope="global",
    produces=[AlternateContacts],
    permissions=[GET],
    absent={GET: ["ResourceNotFoundException"]},  # no contact of that type is registered
)
def collect_alternate_contacts(ctx: Ctx) -> Iterator[AlternateContacts]:
    client = ctx.client("account")
    arn = ctx.arn("account", "account", region=GLOBAL)
    contacts: dict[str, Contact | None] = {}
    for kind in CONTACT_TYPES:
        answer = ctx.call(client, "get_alternate_contact", resource_arn=arn, AlternateContactType=kind)
        if answer is None:
            continue  # unknown: left out of the map
        found = answer.get("AlternateContact")
        contacts[kind] = Contact(name=str(found.get("Name", "")), title=str(found.get("Title", "")),
                                 email=str(found.get("EmailAddress", ""))) if found else None
    yield AlternateContacts(arn=arn, id=ctx.account_id,
                            name=ctx.account_id, account_id=ctx.account_id, region=GLOBAL, contacts=contacts)
