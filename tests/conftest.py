import pytest
from django.core.management import call_command

from portfolio.numbers import Period
from tests import factories


@pytest.fixture
def demo_2020(db):
    """The shipped 2020 data set, loaded as `make demo` loads it."""
    call_command("load_demo", verbosity=0)


@pytest.fixture
def dec_2020():
    return Period(2020, 12)


@pytest.fixture
def jun_2020():
    return Period(2020, 6)


@pytest.fixture
def admin_user(db):
    return factories.admin_user()


@pytest.fixture
def leader(db):
    return factories.leader()


@pytest.fixture
def leader_client(client, leader):
    client.force_login(leader)
    return client


@pytest.fixture
def admin_client_(client, admin_user):
    client.force_login(admin_user)
    return client
