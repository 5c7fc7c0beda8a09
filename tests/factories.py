"""Factories for tests.

Registry rows (organisations, scopes, customers and their identifiers) are made as the
registry loader makes them, and checked with ``full_clean()`` as it does, so a test that
does not need the shipped registry builds only what it asserts on. Requests go through
the real receive service.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar, TypeVar

import factory
from django.contrib.auth import get_user_model

from routing.models import (
    Customer,
    CustomerIdentifier,
    Membership,
    Organisation,
    Request,
    Scope,
    ThirdParty,
)
from routing.services.actors import Actor
from routing.services.requests import request_receive

# The kinds each default regime's organisations name in the shipped files.
GDPR_KINDS = [
    "access",
    "rectification",
    "erasure",
    "restriction",
    "portability",
    "objection",
    "marketing_objection",
    "withdraw_consent",
]
CCPA_KINDS = ["access", "rectification", "erasure", "opt_out_sale", "limit_sensitive"]


def _letters(n: int) -> str:
    """0 -> AAA, 1 -> AAB, ...: a reference prefix is 2 to 4 capital letters."""
    return "".join(chr(ord("A") + (n // 26**i) % 26) for i in (2, 1, 0))


ModelT = TypeVar("ModelT")


class CleanModelFactory(factory.django.DjangoModelFactory[ModelT]):
    """Saves after ``full_clean()``, as the registry loader and the admin do, so an invalid
    row fails where it is made instead of deep inside the code under test.

    ``OrganisationFactory.create(...)`` is typed as the model it returns; calling the factory
    itself, as ``OrganisationFactory(...)``, is typed as the factory.
    """

    _clean_exclude: ClassVar[tuple[str, ...]] = ()

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Any:
        instance = model_class(*args, **kwargs)
        instance.full_clean(exclude=list(cls._clean_exclude))
        instance.save()
        return instance


class ThirdPartyFactory(CleanModelFactory[ThirdParty]):
    class Meta:
        model = ThirdParty

    slug = factory.Sequence(lambda n: f"third-party-{n}")
    name = factory.Sequence(lambda n: f"Third Party {n}")
    website = factory.LazyAttribute(lambda o: f"https://{o.slug}.example")
    policy_url = factory.LazyAttribute(lambda o: f"https://{o.slug}.example/privacy")
    privacy_email = factory.LazyAttribute(lambda o: f"privacy@{o.slug}.example")


class OrganisationFactory(CleanModelFactory[Organisation]):
    """A tenant under the GDPR in Paris (French holidays), with one controller scope.

    ``OrganisationFactory(ccpa=True)`` is a Californian business under the CCPA,
    ``uk_gdpr=True`` an English one. ``scope=None`` makes it without a scope; more scopes
    come from ``ScopeFactory(organisation=...)``.
    """

    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    class Params:
        ccpa = factory.Trait(
            country="US",
            timezone="America/Los_Angeles",
            holiday_country="US",
            holiday_subdivision="CA",
            default_regime="ccpa",
            authority_name="California Privacy Protection Agency",
            authority_url="https://cppa.ca.gov",
            kinds=factory.LazyFunction(lambda: list(CCPA_KINDS)),
        )
        uk_gdpr = factory.Trait(
            country="GB",
            timezone="Europe/London",
            holiday_country="GB",
            holiday_subdivision="ENG",
            default_regime="uk-gdpr",
            authority_name="Information Commissioner's Office",
            authority_url="https://ico.org.uk",
        )

    slug = factory.Sequence(lambda n: f"organisation-{n}")
    name = factory.Sequence(lambda n: f"Organisation {n}")
    legal_name = factory.LazyAttribute(lambda o: o.name)
    website = factory.LazyAttribute(lambda o: f"https://{o.slug}.example")
    privacy_email = factory.LazyAttribute(lambda o: f"privacy@{o.slug}.example")
    country = "FR"
    timezone = "Europe/Paris"
    holiday_country = "FR"
    default_regime = "gdpr"
    authority_name = "CNIL"
    authority_url = "https://www.cnil.fr"
    policy_url = factory.LazyAttribute(lambda o: f"{o.website}/privacy")
    policy_date = date(2025, 1, 15)
    reference_prefix = factory.Sequence(lambda n: f"T{_letters(n)}")
    kinds = factory.LazyFunction(lambda: list(GDPR_KINDS))
    scope = factory.RelatedFactory(
        "tests.factories.ScopeFactory", factory_related_name="organisation"
    )


class ScopeFactory(CleanModelFactory[Scope]):
    """A controller scope the organisation fulfils itself.

    ``processor=True`` makes one forwarded to the customer a phone number finds;
    ``independent_controller=True`` one redirected to a third party.
    """

    class Meta:
        model = Scope

    class Params:
        processor = factory.Trait(
            role="processor",
            action="forward",
            identifier_types=factory.LazyFunction(lambda: ["phone"]),
        )
        independent_controller = factory.Trait(
            role="independent_controller",
            action="redirect",
            third_party=factory.SubFactory(ThirdPartyFactory),
        )

    organisation = factory.SubFactory(OrganisationFactory, scope=None)
    key = factory.LazyAttributeSequence(lambda o, n: f"{o.organisation.slug}:data-{n}")
    name = factory.Sequence(lambda n: f"data set {n}")
    description = factory.LazyAttribute(lambda o: f"The {o.name} the organisation holds.")
    question = factory.LazyAttribute(lambda o: f"I am in the {o.name}")
    role = "controller"
    action = "fulfil"
    policy_section = "§3"
    # After the organisation's other scopes, as the loader numbers them in file order.
    position = factory.LazyAttribute(lambda o: o.organisation.scopes.count())


class CustomerFactory(CleanModelFactory[Customer]):
    """A customer of an organisation, the controller of its processor scopes."""

    class Meta:
        model = Customer

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Customer {n}")
    email = factory.Sequence(lambda n: f"privacy@customer-{n}.example")


class CustomerIdentifierFactory(CleanModelFactory[CustomerIdentifier]):
    """A number or domain that finds a customer, stored normalised as the admin stores it."""

    # Copied from the customer by normalise(), which clean() runs.
    _clean_exclude = ("organisation",)

    class Meta:
        model = CustomerIdentifier

    customer = factory.SubFactory(CustomerFactory)
    type = "phone"

    @factory.lazy_attribute_sequence
    def value(self, n: int) -> str:
        if self.type == "website":
            return f"customer-{n}.example"
        # Numbers in the range France reserves for fiction.
        return f"+33 1 99 00 {n // 100 % 100:02d} {n % 100:02d}"


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@desk.example")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def organisations(user: Any, create: bool, extracted: Any, **kwargs: Any) -> None:
        """StaffFactory(organisations=[org, ...]) makes memberships; all model perms given."""
        from django.contrib.auth.models import Permission

        if not create:
            return
        user.user_permissions.set(Permission.objects.filter(content_type__app_label="routing"))
        for organisation in extracted or []:
            Membership.objects.create(user=user, organisation=organisation)
        user.save()


def make_request(
    organisation: Organisation | str = "callkom",
    *,
    kinds: tuple[str, ...] = ("access",),
    email: str = "ada@example.org",
    phone: str | None = None,
    country: str = "FR",
    scopes: list[str] | None = None,
    identifiers: dict[str, str] | None = None,
    received_at: datetime | None = None,
    verified: bool = True,
    name: str = "Ada Martin",
) -> Request:
    if isinstance(organisation, str):
        organisation = Organisation.objects.get(slug=organisation)
    return request_receive(
        organisation=organisation,
        kinds=list(kinds),
        scopes=scopes,
        identifiers=identifiers,
        subject={"name": name, "email": email, "phone": phone, "country": country},
        by=Actor.system("test"),
        received_at=received_at,
        verified=verified,
    ).request
