import pytest

from daks.core.errors import DomainError
from daks.demography.models import Level
from daks.municipalities import services
from daks.municipalities.models import Municipality

from ..demography.factories import RegionFactory

OFFICIAL = "Statistisches Bundesamt (Destatis), Gemeindeverzeichnis GV100AD, Gebietsstand 31.08.2025, dl-de/by-2-0"


def create(user, **fields):
    data = {"name": "Neustadt", "kind": "stadt", "country": "DE", "state": "DE-BY", "official_key": "09162000"}
    return services.municipality_create(user=user, **{**data, **fields})


def test_without_directory_only_the_format_is_checked(user):
    assert create(user).official_key == "09162000"


@pytest.fixture
def directory(db):
    RegionFactory(level=Level.GEMEINDE, key="09162000", name="München, Landeshauptstadt", source=OFFICIAL)
    RegionFactory(level=Level.KREIS, key="09184", name="München", source=OFFICIAL)
    RegionFactory(level=Level.GEMEINDE, key="09184999", name="Aufgelöst", source=OFFICIAL, active=False)


def test_key_in_directory_is_accepted(user, directory):
    assert create(user).official_key == "09162000"
    assert create(user, name="Landkreis München", kind="landkreis", official_key="09184").official_key == "09184000"


@pytest.mark.parametrize(("kind", "key"), [("stadt", "09162111"), ("landkreis", "09185"), ("gemeinde", "09184999")])
def test_unknown_or_dissolved_key_is_refused_in_german(user, directory, kind, key):
    with pytest.raises(DomainError) as error:
        create(user, kind=kind, official_key=key)
    assert "Gemeindeverzeichnis" in str(error.value.message)
    assert error.value.field == "official_key"
    assert not Municipality.objects.exists()


def test_unchanged_key_missing_from_the_directory_does_not_block_editing(user, directory):
    from ..factories import MunicipalityFactory

    town = MunicipalityFactory(official_key="09999999")  # e.g. merged away after it registered
    updated = services.municipality_update(actor=user, municipality=town, description="Neue Beschreibung")
    assert updated.description == "Neue Beschreibung"
    with pytest.raises(DomainError):
        services.municipality_update(actor=user, municipality=town, official_key="09162111")
