import pytest

from .factories import build_small_data


@pytest.fixture(autouse=True)
def open_data_dir(settings, tmp_path):
    """Every test writes its files into its own directory."""
    settings.OPEN_DATA_DIR = tmp_path / "opendata"
    return settings.OPEN_DATA_DIR


@pytest.fixture
def small_data(db, municipality):
    return build_small_data(municipality)


@pytest.fixture
def built(small_data):
    from daks.opendata.build import build_open_data

    return build_open_data()
