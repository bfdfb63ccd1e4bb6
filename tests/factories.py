import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from daks.accounts.models import User
from daks.municipalities.models import Invitation, JoinRequest, Membership, Municipality, Role, hash_token

DEFAULT_PASSWORD = "Sicheres-Passwort-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Faker("name", locale="de_DE")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        """A verified primary e-mail address (allauth requires one to sign in); verified=False skips it."""
        obj.save()
        if create and extracted is not False:
            EmailAddress.objects.update_or_create(
                user=obj, email=obj.email, defaults={"verified": True, "primary": True}
            )


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    name = factory.Sequence(lambda n: f"Musterstadt {n}")
    slug = factory.Sequence(lambda n: f"musterstadt-{n}")
    kind = "stadt"
    country = "DE"
    state = "DE-BY"
    official_key = factory.Sequence(lambda n: f"0918{n % 10}{n:03d}"[:8])
    verified_at = factory.LazyFunction(timezone.now)
    verification_method = "editorial"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    municipality = factory.SubFactory(MunicipalityFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.CONTRIBUTOR


class InvitationFactory(factory.django.DjangoModelFactory):
    """Pass ``token="…"`` to know the link's token; the factory stores only its hash."""

    class Meta:
        model = Invitation
        exclude = ["token"]

    municipality = factory.SubFactory(MunicipalityFactory)
    email = factory.Sequence(lambda n: f"invited{n}@example.org")
    role = Role.CONTRIBUTOR
    token = factory.Sequence(lambda n: f"token-{n}-abcdefghijklmnopqrstuvwxyz")
    token_hash = factory.LazyAttribute(lambda o: hash_token(o.token))
    invited_by = factory.SubFactory(UserFactory)
    expires_at = factory.LazyFunction(lambda: timezone.now() + timezone.timedelta(days=14))


class JoinRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JoinRequest

    municipality = factory.SubFactory(MunicipalityFactory)
    user = factory.SubFactory(UserFactory)
