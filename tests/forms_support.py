"""Posting a record's edit or delete page the way a browser does: open the page first, then send
the form with the hidden fields it carries (``loaded_change``, the version the page showed)."""
import re

import pytest
from django.urls import reverse

from tests import factories


def submit(client, url, data=None):
    """GET ``url`` and POST ``data`` with the page's ``loaded_change``; a page the user may not
    open (403) is posted as it is."""
    page = client.get(url)
    payload = dict(data or {})
    if page.status_code == 200:
        found = re.search(r'name="loaded_change" value="(\d*)"', page.content.decode())
        if found:
            payload.setdefault("loaded_change", found.group(1))
    return client.post(url, payload)


def post(client, slug, data, pk=None):
    """Add a record of type ``slug`` (``pk`` None) or edit record ``pk`` through its page."""
    name = f"records:{slug}_edit" if pk else f"records:{slug}_add"
    url = reverse(name, args=[pk] if pk else None)
    return submit(client, url, data) if pk else client.post(url, data)


def field_error(response, field):
    """The message shown beside ``field`` (the page's invalid-feedback for it)."""
    html = response.content.decode()
    return " ".join(re.findall(rf'data-error-for="{field}">([^<]*)<', html))


@pytest.fixture
def south(db):
    return factories.area("南片")


@pytest.fixture
def staff_client(client, south):
    """南片's 录入员, logged in."""
    client.force_login(factories.staff("luru_nan", areas=[south]))
    return client
