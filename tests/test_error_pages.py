"""Error pages in Chinese, in the product's layout, saying why and what to do (issue 14: Django's
bare English pages hid the reason, e.g. a leader opening the upload page). DEBUG is off in tests,
as in production."""
import pytest
from django.conf import settings
from django.template import loader
from django.test import Client
from django.urls import reverse

from tests import factories

LAYOUT = "navbar-brand"


def test_debug_is_off_as_in_production():
    assert settings.DEBUG is False


def test_404_in_chinese_in_the_layout(client, db):
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在（404）" in html and "请从首页或菜单重新进入" in html and LAYOUT in html


def test_403_says_why_a_leader_cannot_open_the_upload_page(client, db):
    client.force_login(factories.leader("lingdao"))
    response = client.get(reverse("investment:upload", args=[2020, 6]))
    html = response.content.decode()
    assert response.status_code == 403
    assert "无权访问（403）" in html and "领导账号只能查看，不能填报。" in html
    assert "请联系系统管理员" in html and LAYOUT in html and "lingdao" in html


def test_400_in_chinese(client, db):
    response = client.get("/", HTTP_HOST="attacker.example")
    html = response.content.decode()
    assert response.status_code == 400
    assert "请求有误（400）" in html and "请返回上一页刷新后重试" in html and LAYOUT in html


def test_500_in_chinese(db, monkeypatch):
    from portfolio import views

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views.DashboardView, "get", broken)
    client = Client(raise_request_exception=False)
    client.force_login(factories.leader("lingdao"))
    response = client.get(reverse("dashboard"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "系统出错了（500）" in html and "告诉系统管理员" in html and LAYOUT in html
    assert "boom" not in html


def test_500_page_needs_neither_a_request_nor_the_database(django_assert_num_queries, db):
    with django_assert_num_queries(0):
        html = loader.get_template("500.html").render()
    assert "系统出错了" in html


@pytest.mark.parametrize("logged_in", [False, True])
def test_csrf_failure_in_chinese(db, logged_in):
    client = Client(enforce_csrf_checks=True)
    if logged_in:
        client.force_login(factories.staff("luru"))
        url = reverse("investment:month", args=[2020, 6])
    else:
        url = reverse("login")
    response = client.post(url, {"username": "luru", "password": "x"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "提交未被接受" in html and "请刷新页面" in html and LAYOUT in html
    assert "浏览器没有带上本系统的 Cookie" in html
