import pytest

from dossiers.tests.factories import World

from .factories import fee_world


@pytest.fixture
def w(db) -> World:
    return fee_world()
