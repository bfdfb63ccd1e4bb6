from .conftest import FIRST_TEST_ID
from .factories import MunicipalityFactory


def test_ids_start_high_so_localised_ids_show(db):
    # The session fixture in conftest moves every id sequence; a page rendering "1.000.000" fails its test.
    assert MunicipalityFactory().pk >= FIRST_TEST_ID
