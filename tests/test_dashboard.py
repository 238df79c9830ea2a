"""The leader page at / shows the report's figures, computed from records, for any month."""
import pytest
from django.urls import reverse


def test_requires_login(client, db):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_login_page_is_chinese(client, db):
    html = client.get(reverse("login")).content.decode()
    assert "用户名" in html and "密码" in html


@pytest.mark.usefixtures("demo_2020")
def test_december_2020_figures(leader_client):
    html = leader_client.get(reverse("dashboard")).content.decode()  # default: latest month = 2020-12
    assert "2020年1-12月" in html
    for figure in ['data-figure="target">14.79', 'data-figure="municipal-target">9.41',
                   'data-figure="other-target">5.38', 'data-figure="completed">17.8',
                   'data-figure="rate">120.4%', 'data-figure="municipal-completed">13.7',
                   'data-figure="municipal-rate">145%', 'data-figure="plan-total">45',
                   'data-category="continuing">10', 'data-category="new">18',
                   'data-category="preliminary">13', 'data-category="supervised">3',
                   'data-category="reserve">1']:
        assert figure in html, figure


@pytest.mark.usefixtures("demo_2020")
def test_june_2020_hundred_day_figures(leader_client):
    html = leader_client.get(reverse("dashboard"), {"year": 2020, "month": 6}).content.decode()
    assert "2020年1-6月" in html
    for figure in ['data-figure="resumption-rate">100%', 'data-figure="new-starts">11',
                   'data-figure="start-rate">69%', 'data-figure="municipal-start-rate">100%',
                   'data-figure="early-starts">3']:
        assert figure in html, figure


@pytest.mark.usefixtures("demo_2020")
def test_bad_month_falls_back_with_message(leader_client):
    html = leader_client.get(reverse("dashboard"), {"year": 2020, "month": 13}).content.decode()
    assert "月份必须在1到12之间" in html
    assert "2020年1-12月" in html


def test_empty_database_says_so(leader_client):
    assert "尚无任何月度进度数据" in leader_client.get(reverse("dashboard")).content.decode()


@pytest.mark.usefixtures("demo_2020")
def test_query_count_is_bounded(leader_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(44):  # 4 of them the 四率 and ledger counts (contracts)
        leader_client.get(reverse("dashboard"))
