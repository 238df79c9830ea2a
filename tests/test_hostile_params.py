"""No 500 a logged-in user can cause (issue 14): the month page's crafted POSTs, the default
month with a bad period, and every page of the project walked with hostile query parameters
and hostile POSTs (ids past SQLite's 64-bit integers, negative pages, unknown sort keys)."""
from decimal import Decimal

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from investment.models import MonthlyProgress
from tests.demo import shared_fixture
from tests.progress_support import MONTH, YEAR, form_data, month_url, world  # noqa: F401
from tests.test_records_stale import data, staff_client, tender  # noqa: F401
from tests.urlwalk import QueryProbingClient, World, all_patterns, pages_as, post_forms

TOO_BIG = "9223372036854775808"  # 2**63: OverflowError on SQLite
HOSTILE_QUERIES = [
    # the period (portfolio.period), each alone: a bad period may stop a page before other values
    "year=-1&month=5", "year=99999999999999999999&month=1", "year=2020&month=13", "month=0",
    # the other parameters, each name once per query (no page reads one of them before the others)
    f"page=-1&per_page=999999999999&sort=nonexistent&project={TOO_BIG}&id={TOO_BIG}&area={TOO_BIG}"
    "&kind=<script>&q=%00&date=2020-13-45&start=abc&end=99999-01-01",
    "page=abc&per_page=-5&sort=-__class__&area=abc&project=-1",
    f"page={TOO_BIG}&per_page=abc&sort=project__area__name__foo",
    "page=0&per_page=²&project=²&problem=²&milestone=²&year=²",  # ² passes isdigit(), not int()
]


def test_empty_extra_row_is_400_with_a_chinese_message(client, world):
    client.force_login(world.staff_s)
    response = client.post(month_url(), {"rows-TOTAL_FORMS": "1", "rows-INITIAL_FORMS": "0"})
    assert response.status_code == 400
    assert "提交的数据不完整，未保存" in response.content.decode()
    assert not MonthlyProgress.objects.exists()


def test_entry_id_past_64_bits_is_400(client, world):
    client.force_login(world.staff_s)
    data = form_data(client.get(month_url()), {world.s1.pk: {"completed": "5"}})
    data["rows-0-entry"] = TOO_BIG
    response = client.post(month_url(), data)
    assert response.status_code == 400 and "提交的数据不完整" in response.content.decode()
    data["rows-0-entry"], data["rows-0-version"] = str(world.s1.pk), TOO_BIG
    assert client.post(month_url(), data).status_code == 400
    assert not MonthlyProgress.objects.exists()


def test_unreadable_cells_and_rule_errors_on_the_page_in_one_save(client, world):
    client.force_login(world.staff_s)
    data = form_data(client.get(month_url()), {
        world.s1.pk: {"completed": "abc", "physical_percent": "120"},
        world.s2.pk: {"completed": "-1"},
    })
    html = client.post(month_url(), data).content.decode()
    assert "请输入数字" in html and "形象进度须在0到100之间" in html and "本月完成投资不能为负数" in html
    assert not MonthlyProgress.objects.exists()


@pytest.mark.parametrize("query", ["year=-1&month=5", "year=abc", "month=13", f"year={TOO_BIG}"])
def test_default_month_with_a_bad_period_says_so(client, world, query):
    client.force_login(world.staff_s)
    response = client.get(reverse("investment:default_month") + "?" + query, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "无效" in html or "月份必须在1到12之间" in html


# the URL walk's world, built once per worker and shared with tests/test_security_urls.py
walk_world = shared_fixture("url_world", World, fixture_name="walk_world")


@pytest.mark.slow  # every page × 8 queries × 2 users: the longest walk; four tests so xdist workers share it
@pytest.mark.parametrize("queries", [HOSTILE_QUERIES[:4], HOSTILE_QUERIES[4:]], ids=["period", "others"])
@pytest.mark.parametrize("role", ["admin", "staff"])
def test_every_page_with_hostile_parameters_answers_without_500(walk_world, role, queries):
    # the administrator, or the 录入员 of 北片 (which has no projects): users of the walk's world
    user = walk_world.admin if role == "admin" else walk_world.staff_other_area
    failures = []
    client = QueryProbingClient(raise_request_exception=False)
    client.force_login(user)
    for route in all_patterns():
        url = walk_world.url(route)
        if not url or route.is_admin or route.name in ("logout",):
            continue
        answered = []  # the parameters (and their values) each answer so far depended on
        for query in queries:
            asked = QueryDict(query)
            if any(all(asked.getlist(key) == values for key, values in read.items()) for read in answered):
                # the same request to the view as one answered, in the same state: the same answer
                # (its parameters alike; e.g. a page refused before it reads any, or reading only
                # year and month of queries without them)
                continue
            response = client.get(f"{url}?{query}")
            if response.status_code >= 500:
                failures.append((user.username, url, query, response.status_code))
            if response.query_read is not None:
                answered.append({key: asked.getlist(key) for key in response.query_read})
    assert failures == [], "\n".join(map(str, failures))


def test_every_form_with_hostile_numbers_answers_without_500(walk_world):
    client = Client(raise_request_exception=False)
    client.force_login(walk_world.admin)
    logout = reverse("logout")
    failures = []
    # the forms of every page as the administrator is shown them on the world as built (one walk
    # per worker, shared with tests/test_security_urls.py's harvest)
    pages = pages_as(walk_world, walk_world.admin)
    for route in all_patterns():
        url = walk_world.url(route)
        if not url or route.is_admin or route.name in ("logout", "login"):
            continue
        page = pages[url]
        if not page.is_html or page.streaming:
            continue
        for form in post_forms(page.html, logout):
            for bad in (TOO_BIG, "-1", "abc", "1e999", "NaN"):
                response = client.post(form["action"] or url, hostile_data(form, bad))
                if response.status_code >= 500:
                    failures.append((url, form["action"], bad, response.status_code))
    assert failures == [], "\n".join(map(str, failures))


def hostile_data(form, bad):
    """The form as shown, with ``bad`` in every field that holds a number, an id or a date."""
    data = {}
    for name, value, kind in form["fields"]:
        numeric = value.strip().lstrip("-").isdigit() or kind in ("number", "date", "select")
        data.setdefault(name, []).append(bad if numeric or name.endswith(("_on", "date")) else value)
    return data


def test_a_record_edit_without_loaded_change_is_checked_as_stale(tender):
    from procurement.models import Tender
    url = reverse("records:tender_edit", args=[tender.pk])
    client = staff_client("luru_a", tender.south)
    response = client.post(url, data(tender, amount="2900"))  # no loaded_change field
    assert response.status_code == 200 and "您的修改未保存" in response.content.decode()
    assert Tender.objects.get(pk=tender.pk).amount == Decimal("2800")


def test_the_walk_skips_a_query_only_for_an_answer_that_could_not_depend_on_it(walk_world):
    """The page walk's shortcut (``QueryProbingClient``): an answer names the parameters it read,
    or None when another query could have changed it."""
    client = QueryProbingClient()
    client.force_login(walk_world.admin)
    assert client.get("/healthz?page=abc").query_read == frozenset()  # reads no parameter
    assert client.get("/?page=abc").query_read is None  # its form's CSRF cookie: the next request's is new
    assert {"year", "month"} <= client.get("/?page=abc").query_read  # the dashboard then: its period
    assert client.get("/problems/?page=abc").query_read is None  # a list repeats every parameter in its links
    # a message for the next page (the bad period) is stored: the next request starts elsewhere
    assert client.get(reverse("investment:default_month") + "?year=abc").query_read is None
