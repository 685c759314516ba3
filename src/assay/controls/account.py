"""Account controls: AWS knows whom to contact about the account's security."""

from __future__ import annotations

from assay.controls.registry import Remediation, control
from assay.models.findings import Error, Fail, Outcome, Pass
from assay.models.resources.account import AlternateContacts


@control(
    id="account.security_contact_registered",
    title="The account registers a security alternate contact with AWS",
    severity="medium",
    needs=["account:GetAlternateContact"],
    rationale="When AWS detects abuse, a compromised credential, or an exposed resource in an account, it "
    "writes to the account's security alternate contact, falling back to the root email address, which is "
    "often an unread mailbox or a departed founder's. SOC 2 expects the entity to communicate with external "
    "parties about matters affecting internal control, security included (CC2.3): a registered security "
    "contact is the channel through which AWS reaches the team that can act. Billing and operations contacts "
    "can be required too with the contact_types parameter.",
    remediation=Remediation(
        console="AWS console > account menu (top right) > Account > Alternate contacts > Edit > Security "
        "contact: a monitored team address (not a person's mailbox), name, title and phone > Update.",
        cli="aws account put-alternate-contact --alternate-contact-type SECURITY \\\n"
        "  --email-address security@example.com --name 'Security team' --title 'Security' \\\n"
        "  --phone-number '+1-555-0100'",
        terraform='resource "aws_account_alternate_contact" "security" {\n'
        '  alternate_contact_type = "SECURITY"\n  email_address          = "security@example.com"\n'
        '  name                   = "Security team"\n  title                  = "Security"\n'
        '  phone_number           = "+1-555-0100"\n}',
    ),
)
def security_contact_registered(
    contacts: AlternateContacts, *, contact_types: list[str] = ["SECURITY"]  # noqa: B006
) -> Outcome:
    wanted = [t.upper() for t in contact_types]
    unread = [t for t in wanted if t not in contacts.contacts]
    if unread:
        return Error(f"the {', '.join(t.lower() for t in unread)} contact was not read")
    missing = [t.lower() for t in wanted if contacts.contacts[t] is None]
    if missing:
        return Fail(f"no {', '.join(missing)} alternate contact is registered")
    return Pass("; ".join(f"{t.lower()} contact: {c.email}" for t in wanted if (c := contacts.contacts[t])))
