"""流动红旗: weighted totals (weights in projects.scoring), the monthly ranking and flag holder,
the suggested 进度 score, admin scoring through the record form, and the history table."""
from decimal import Decimal

import pytest

from investment.selectors import suggested_progress_scores
from django.urls import reverse

from projects import selectors
from projects.models import MonthlyScore
from projects.scoring import WEIGHTS, weighted_total
from tests import factories


@pytest.fixture
def areas(db):
    return factories.area("南片", order=1), factories.area("北片", order=2)


def score(area, month=10, year=2020, **values):
    values = {"progress": 80, "quality": 80, "safety": 80, "image": 80, **values}
    return factories.monthly_score(year=year, month=month, area=area, **values)


def test_weights_sum_to_one_and_progress_weighs_most():
    assert sum(WEIGHTS.values()) == 1
    assert WEIGHTS["progress"] == max(WEIGHTS.values())
    assert weighted_total({"progress": 90, "quality": 80, "safety": 70, "image": 60}) == Decimal("78.0")


def test_ranking_follows_the_weights_not_the_plain_mean(areas):
    south, north = areas
    score(south, progress=100, quality=60, safety=60, image=60)   # mean 70, weighted 76
    score(north, progress=60, quality=80, safety=80, image=80)    # mean 75, weighted 72
    ranking = selectors.score_ranking(year=2020, month=10)
    assert [(r.area.name, r.total) for r in ranking] == [("南片", Decimal("76")), ("北片", Decimal("72"))]
    assert ranking[0].is_flag_holder and not ranking[1].is_flag_holder
    assert selectors.flag_holder(year=2020, month=10).area == south


def test_a_tie_goes_to_the_better_progress(areas):
    south, north = areas
    score(south, progress=80, quality=90, safety=80, image=80)    # 82
    score(north, progress=85, quality=80, safety=80, image=80)    # 82
    assert selectors.flag_holder(year=2020, month=10).area == north


def test_ranking_page_shows_totals_and_the_flag(client, areas):
    south, north = areas
    score(south, progress=90, quality=80, safety=70, image=60)    # 78
    score(north, progress=95, quality=90, safety=90, image=90)    # 92
    client.force_login(factories.leader())
    html = client.get(reverse("records:scores"), {"year": 2020, "month": 10}).content.decode()
    assert '<strong id="flag-holder">🚩 北片</strong>' in html
    # shown as every page shows a score (projects.scoring.total_text: one decimal)
    assert 'data-cell="total">78.0<' in html and 'data-cell="total">92.0<' in html
    assert html.index('data-area="北片"') < html.index('data-area="南片"')


def test_suggested_progress_score_from_the_months_completion(areas):
    south, north = areas
    slow = factories.plan_entry(factories.project(area=south), target=Decimal("1200"))
    fast = factories.plan_entry(factories.project(area=north), target=Decimal("1200"))
    factories.progress(slow, 6, "300")   # 300 of a pro-rata 600 → 50
    factories.progress(fast, 5, "700")   # ahead of plan → 100
    from portfolio.numbers import Period
    suggestions = suggested_progress_scores(period=Period(2020, 6))
    assert suggestions == {south.pk: Decimal(50), north.pk: Decimal(100)}


def test_admin_scores_an_area_with_the_suggestion_filled_in(client, areas):
    south, north = areas
    factories.progress(factories.plan_entry(factories.project(area=south), target=Decimal("1200")), 6, "300")
    admin = factories.admin_user()
    client.force_login(admin)
    page = client.get(reverse("records:scores"), {"year": 2020, "month": 6}).content.decode()
    link = reverse("records:score_add") + f"?year=2020&amp;month=6&amp;area={south.pk}&amp;progress=50.0"
    assert link in page
    form = client.get(link.replace("&amp;", "&")).content.decode()
    assert 'name="progress" value="50.0"' in form
    data = {"year": 2020, "month": 6, "area": south.pk, "progress": "50", "quality": "90", "safety": "95", "image": "88"}
    bad = client.post(reverse("records:score_add"), {**data, "safety": "120"})
    assert "100" in bad.content.decode() and not MonthlyScore.objects.exists()
    assert client.post(reverse("records:score_add"), data).status_code == 302
    saved = MonthlyScore.objects.get()
    assert saved.scored_by == admin and saved.history.first().history_user == admin
    again = client.post(reverse("records:score_add"), data)
    assert "该片区本月已有考评记录" in again.content.decode()
    assert MonthlyScore.objects.count() == 1


def test_a_project_score_is_filed_under_its_area(client, areas):
    south, north = areas
    p = factories.project(area=north)
    client.force_login(factories.admin_user())
    data = {"year": 2020, "month": 6, "area": south.pk, "project": p.pk, "progress": "80", "quality": "80",
            "safety": "80", "image": "80"}
    assert client.post(reverse("records:score_add"), data).status_code == 302
    assert MonthlyScore.objects.get().area == north
    assert selectors.score_ranking(year=2020, month=6) == []
    assert [r.project for r in selectors.score_ranking(year=2020, month=6, projects=True)] == [p]


def test_history_of_the_hundred_day_campaign(client, demo_2020):
    client.force_login(factories.leader())
    html = client.get(reverse("records:score_history")).content.decode()
    history = selectors.score_history(year=2020)
    assert [(h["month"], h["holder"].area.name) for h in history] == [(12, "南片"), (11, "北片"), (10, "南片")]
    for h in history:
        assert f'data-month="2020-{h["month"]}"' in html
    assert "🚩 北片" in html and "🚩 南片" in html


def test_history_page_queries_do_not_grow_with_the_months(client, areas, django_assert_max_num_queries):
    client.force_login(factories.leader())

    def score_months(year):
        for month in range(1, 13):
            for area, points in zip(areas, (90, 80)):
                factories.monthly_score(year=year, month=month, area=area, progress=points,
                                        quality=points, safety=points, image=points)

    score_months(2020)
    with django_assert_max_num_queries(8) as one_year:
        html = client.get(reverse("records:score_history")).content.decode()
    assert html.count("🚩 南片") == 12
    score_months(2021)
    with django_assert_max_num_queries(len(one_year.captured_queries)):
        html = client.get(reverse("records:score_history")).content.decode()
    assert html.count("🚩 南片") == 24
