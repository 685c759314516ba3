"""The account's alternate contacts: whom AWS reaches about security, billing and operations."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from assay.models.base import Resource

CONTACT_TYPES = ("SECURITY", "BILLING", "OPERATIONS")


class Contact(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = ""
    title: str = ""
    email: str = ""


class AlternateContacts(Resource):
    """One record per account (region "global").

    contacts maps each contact type that was read to its Contact, or to None when none is registered
    (GetAlternateContact answered ResourceNotFoundException). A type missing from the map was not read.
    """

    type: ClassVar[str] = "AWS::Account::AlternateContacts"
    contacts: dict[str, Contact | None] = {}
