"""The dashboard's small summaries are one statement compiled once per period (``portfolio.fused``,
``key``) and run again on every request: the figures still follow the records, on the page."""
import datetime as dt
import re
from decimal import Decimal

from django.urls import reverse

from portfolio import fused
from tests import factories


def figure(html, name):
    return re.search(rf'data-figure="{name}"[^>]*>([^<]*)<', html).group(1).strip()


def test_a_compiled_statement_reads_todays_records(demo_2020, leader_client):
    url = reverse("dashboard") + "?year=2020&month=12"
    before = leader_client.get(url).content.decode()
    compiled = len(fused._COMPILED)
    factories.funding(amount=Decimal("12345"), received_on=dt.date(2020, 11, 30))
    factories.saving(amount=Decimal("678"), recorded_on=dt.date(2020, 11, 30))
    after = leader_client.get(url).content.decode()
    assert len(fused._COMPILED) == compiled  # the same statement, run again
    assert amount(after, "funding") == amount(before, "funding") + 12345
    assert amount(after, "savings") == amount(before, "savings") + 678


def amount(html, name):
    return Decimal(figure(html, name).replace(",", ""))
