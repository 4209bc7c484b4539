"""The smaller parts of the hub: people, organisations, identifiers, evidence, activity.

They are the union of what ELM and Open Badges 3.0 say about each thing, so a
conversion keeps what both formats carry (issue 19 item 4): an organisation's
short name, logo, registration and parent, a learner's national identifier, an
identifier in a named scheme, the learning activity and the evidence.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, model_validator
from pydantic_core import PydanticCustomError

from microcred_vc.model import vocab
from microcred_vc.model.base import CountryCode, Element
from microcred_vc.model.types import IRI, Duration, Email, HttpUrl, LangStr, LangTag, primary_text

DATA_IMAGE = "data:image/"


class LegalId(Element):
    """A national identifier, only meaningful together with the issuing country."""

    notation: str = Field(title="Identifier", min_length=1)
    country: CountryCode = Field(title="Country of the identifier")


class Identifier(Element):
    """An identifier within a named scheme (ELM ``Identifier``, OB3 ``IdentifierEntry``)."""

    notation: str = Field(title="Identifier", min_length=1)
    scheme: str | None = Field(default=None, title="Identifier scheme", min_length=1)


class Learner(Element):
    """Learner identification (Annex I): who earned it, as much as the issuer knows."""

    full_name: str = Field(title="Full name", min_length=1)
    given_name: str | None = Field(default=None, title="Given name")
    family_name: str | None = Field(default=None, title="Family name")
    date_of_birth: date | None = Field(default=None, title="Date of birth")
    email: Email | None = Field(default=None, title="Email address")
    national_id: LegalId | None = Field(default=None, title="National identifier")
    did: IRI | None = Field(default=None, title="Learner identifier (DID or IRI)")
    student_id: str | None = Field(default=None, title="Student number", min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _derive_full_name(cls, data: Any) -> Any:
        if isinstance(data, dict) and not data.get("full_name"):
            parts = [data.get("given_name"), data.get("family_name")]
            if all(isinstance(p, str) and p.strip() for p in parts):
                data = {**data, "full_name": f"{parts[0]} {parts[1]}"}
        return data


def _check_logo(value: Any) -> Any:
    """A logo is a web address or an embedded image; ELM keeps only the embedded kind."""
    if isinstance(value, str) and value.startswith(DATA_IMAGE) and ";base64," not in value:
        raise PydanticCustomError(
            "logo", "an embedded logo must be base64 (data:image/...;base64,)"
        )
    return value


class Organisation(Element):
    """An issuer, awarding body or quality-assurance agency (ELM ``Organisation``)."""

    id: IRI = Field(title="Identifier (URL or DID)")
    legal_name: LangStr = Field(title="Legal name")
    country: CountryCode = Field(title="Country")
    region: str | None = Field(default=None, title="Region")
    eidas_id: str | None = Field(default=None, title="eIDAS identifier")
    vat_id: str | None = Field(default=None, title="VAT number")
    registration: str | None = Field(default=None, title="Registration number", min_length=1)
    homepage: HttpUrl | None = Field(default=None, title="Home page")
    email: Email | None = Field(default=None, title="Email address")
    phone: str | None = Field(default=None, title="Telephone", min_length=1)
    alt_label: LangStr | None = Field(default=None, title="Short name")
    logo: Annotated[IRI | None, BeforeValidator(_check_logo)] = Field(default=None, title="Logo")
    identifiers: list[Identifier] = Field(default_factory=list, title="Other identifiers")
    parent_org: OrganisationRef | None = Field(default=None, title="Parent organisation")

    @property
    def name(self) -> str:
        return primary_text(self.legal_name)


class OrganisationRef(Organisation):
    """An organisation named beside the Annex I ones (parent, assessor, activity director):
    its name and country are kept when given, never required, since no Annex I element
    depends on them."""

    legal_name: LangStr | None = Field(default=None, title="Legal name")  # type: ignore[assignment]
    country: CountryCode | None = Field(default=None, title="Country")  # type: ignore[assignment]

    @property
    def name(self) -> str:
        return primary_text(self.legal_name) if self.legal_name else self.id


Organisation.model_rebuild()


class Evidence(Element):
    """Evidence behind the award: OB3 ``Evidence`` (learner work) or ELM ``Evidence``
    (how the credential came to be issued, typed from the evidence-type scheme)."""

    id: IRI | None = Field(default=None, title="Evidence identifier")
    type: vocab.Concept | None = Field(default=None, title="Type of evidence")
    name: str | None = Field(default=None, title="Evidence name", min_length=1)
    description: str | None = Field(default=None, title="Evidence description", min_length=1)
    narrative: str | None = Field(default=None, title="Evidence statement", min_length=1)
    genre: str | None = Field(default=None, title="Evidence genre", min_length=1)
    audience: str | None = Field(default=None, title="Evidence audience", min_length=1)


class Activity(Element):
    """The learning activity behind the award (ELM ``LearningActivity`` and its
    specification); its period stays in the hub's ``start``/``end``."""

    title: LangStr | None = Field(default=None, title="Learning activity")
    description: LangStr | None = Field(default=None, title="Learning activity description")
    type: vocab.Concept | None = Field(default=None, title="Type of learning activity")
    mode: vocab.Concept | None = Field(default=None, title="Mode of the learning activity")
    volume: Duration | None = Field(default=None, title="Volume of learning of the activity")
    languages: list[LangTag] = Field(default_factory=list, title="Language of the activity")
    directed_by: OrganisationRef | None = Field(default=None, title="Activity directed by")


class PartTitle(Element):
    """The title of a credential this one is part of or made of (ELM needs it to link)."""

    id: IRI = Field(title="Part identifier")
    title: LangStr = Field(title="Part title")
