"""Factories for the network tests."""

import io

import factory
from django.contrib.auth.models import Group
from PIL import Image

from daks.demography.models import IndicatorValue, Level, Region, RegionProfile
from daks.network.models import ContactConsent, MunicipalityGroup, Portrait
from daks.network.rules import NETWORK_EDITOR_GROUP
from daks.toolbox.models import TopicField
from tests.factories import MembershipFactory, MunicipalityFactory


class PortraitFactory(factory.django.DjangoModelFactory):
    """A public portrait; ``topics=["wohnen"]`` takes topic field slugs."""

    class Meta:
        model = Portrait
        skip_postgeneration_save = True

    municipality = factory.SubFactory(MunicipalityFactory)
    is_public = True
    description = "Wir gestalten den demografischen Wandel."

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if extracted:
            self.topics.set(TopicField.objects.filter(slug__in=extracted))


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MunicipalityGroup
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Cluster {n}")
    slug = factory.Sequence(lambda n: f"cluster-{n}")

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        if extracted:
            self.members.set(extracted)


def make_network_editor(user):
    user.groups.add(Group.objects.get(name=NETWORK_EDITOR_GROUP))
    user.__dict__.pop("_daks_groups", None)
    return user


def consenting_contact(municipality, **user_fields):
    """A member of ``municipality`` who agreed to be a contact person."""
    user = MembershipFactory(municipality=municipality, role="contributor", **user_fields).user
    ContactConsent.objects.create(municipality=municipality, user=user)
    return user


def public_portrait_with_region(
    *,
    name,
    key,
    population=10_000,
    vector=None,
    values=None,
    cluster_label="stabil, mittleres Alter",
    lat=None,
    lon=None,
    topics=None,
    state="DE-BY",
    **municipality_fields,
):
    """A Kommune with a public portrait, its Gemeinde region and its comparison profile."""
    municipality = MunicipalityFactory(name=name, official_key=key, state=state, **municipality_fields)
    Region.objects.create(
        key=key,
        ars=key,
        level=Level.GEMEINDE,
        name=name,
        search_name=name.lower(),
        population=population,
        lat=lat,
        lon=lon,
    )
    RegionProfile.objects.create(
        region_key=key,
        level=Level.GEMEINDE,
        values=values or {},
        vector=vector or [0.0] * 10,
        cluster=0,
        cluster_label=cluster_label,
    )
    return PortraitFactory(municipality=municipality, topics=topics or [])


def indicator(key, name, value, year=2023, basis="Berechnet aus 12411-02-03-5"):
    return IndicatorValue.objects.create(region_key=key, indicator=name, year=year, value=value, basis=basis)


def image_bytes(fmt="JPEG", *, exif=True) -> bytes:
    image = Image.new("RGB", (20, 10), (200, 30, 30))
    out = io.BytesIO()
    kwargs = {}
    if exif and fmt == "JPEG":
        info = Image.Exif()
        info[0x010F] = "GeheimeKamera"  # Make
        info[0x8825] = {2: (52.0, 31.0, 0.0)}  # GPS latitude
        kwargs["exif"] = info.tobytes()
    image.save(out, format=fmt, **kwargs)
    return out.getvalue()


def de(msgid, plural=None, n=1, **values):
    """The German text as rendered (works before and after the catalogues are compiled)."""
    from django.utils.html import escape
    from django.utils.translation import gettext, ngettext, override

    with override("de"):
        text = ngettext(msgid, plural, n) if plural else gettext(msgid)
    return escape(text % values if values else text)
