"""One period for every page (portfolio.period): what ?year=&month= select, the default, bad
input, and list filter forms that show the period their rows are for."""
import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from django.http import QueryDict
from django.urls import reverse

from portfolio.numbers import Period
from portfolio.period import parse_period
from tests import factories

LISTS = ["projects:list", "land:batches", "land:acquisitions", "procurement:tenders", "procurement:permits",
         "projects:milestones", "funding_list", "saving_list"]


class FilterForm(HTMLParser):
    """What a browser submits for the page's filter form (id="filters") when nothing is changed."""

    def __init__(self):
        super().__init__()
        self.inside, self.select, self.fields = False, None, []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == "filters":
            self.inside = True
        elif not self.inside:
            return
        elif tag == "select":
            self.select = {"name": a["name"], "first": None, "selected": None}
        elif tag == "option" and self.select is not None:
            value = a.get("value", "")
            if self.select["first"] is None:
                self.select["first"] = value
            if "selected" in a:
                self.select["selected"] = value
        elif tag == "input" and a.get("type") not in ("checkbox", "submit") and a.get("name"):
            self.fields.append((a["name"], a.get("value", "")))

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select is not None:
            s = self.select
            self.fields.append((s["name"], s["selected"] if s["selected"] is not None else s["first"]))
            self.select = None


def rows(html):
    return int(re.search(r'data-figure="row-count">(\d+)<', html).group(1))


@pytest.mark.usefixtures("demo_2020")
@pytest.mark.parametrize("name", LISTS)
def test_submitting_the_filter_form_unchanged_keeps_the_rows(leader_client, name):
    plain = leader_client.get(reverse(name)).content.decode()
    form = FilterForm()
    form.feed(plain)
    submitted = QueryDict(mutable=True)
    for key, value in form.fields:
        submitted.appendlist(key, value)
    assert submitted["year"] == "2020" and submitted["month"] == "12"  # the period the rows are for
    again = leader_client.get(reverse(name) + "?" + submitted.urlencode()).content.decode()
    assert rows(again) == rows(plain) > 0
    assert "显示有数据的最近月份：2020年1-12月" in plain


@pytest.mark.usefixtures("demo_2020")
@pytest.mark.parametrize("name", LISTS)
def test_every_list_shows_the_period_it_was_given(leader_client, name):
    html = leader_client.get(reverse(name), {"year": 2020, "month": 6}).content.decode()
    form = FilterForm()
    form.feed(html)
    assert ("year", "2020") in form.fields and ("month", "6") in form.fields
    assert "显示有数据的最近月份" not in html


def test_parse_period():
    latest = Period(2020, 12)
    assert parse_period({"year": "2020", "month": "6"}, default=latest).period == Period(2020, 6)
    assert parse_period({"year": "2020"}, default=latest).period == Period(2020, 12)  # the whole year
    chosen = parse_period({}, default=latest)
    assert chosen.period == latest and chosen.defaulted and not chosen.errors
    bad = parse_period({"year": "2020", "month": "13"}, default=latest)
    assert bad.period == Period(2020, 12) and bad.errors == ("月份必须在1到12之间（收到“13”）。",)
    for year in ("-1", "99999999999999999999", "二〇二〇", "1999"):
        chosen = parse_period({"year": year, "month": "5"}, default=latest)
        assert chosen.period == latest and chosen.defaulted
        assert chosen.errors[0].startswith("年度“") and "无效" in chosen.errors[0]


@pytest.mark.django_db
def test_empty_database_defaults_to_the_current_month_and_says_there_is_no_data():
    chosen = parse_period({})
    today = dt.date.today()
    assert chosen.empty and chosen.period == Period(today.year, today.month)


@pytest.mark.django_db
def test_the_default_is_the_latest_month_with_data_and_pages_say_so(leader_client):
    entry = factories.plan_entry(year=2021)
    factories.progress(entry, 3, "10")
    html = leader_client.get(reverse("dashboard")).content.decode()
    assert "2021年1-3月重点项目建设情况" in html
    assert "未选择月份，显示有数据的最近月份：2021年1-3月。" in html
    html = leader_client.get(reverse("dashboard"), {"year": "x", "month": "3"}).content.decode()
    assert "年度“x”无效，应为2000–2100之间的年份。" in html and "已显示2021年1-3月。" in html
