import datetime

import pytest

from daks.strategy import services


@pytest.fixture
def process(municipality, coordinator):
    return services.process_create(
        actor=coordinator,
        municipality=municipality,
        title="Musterstadt 2040",
        start_date=datetime.date(2026, 3, 1),
        coordinators=[coordinator],
    )
