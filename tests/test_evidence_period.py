"""The evidence pages (photos, key personnel, attendance warnings, inspections) read ?year=&month=
with the shared period parser (portfolio.period) and, like every other page, say in Chinese when
the period typed is invalid and which period they show instead."""
import pytest
from django.urls import reverse

from portfolio.period import parse_period
from tests import factories

BAD = {"year": "20x0", "month": "13"}


@pytest.mark.parametrize("name,per_project", [
    ("evidence:project_photos", True), ("evidence:project_personnel", True),
    ("evidence:attendance_warnings", False), ("evidence:inspections", False)])
def test_an_invalid_period_is_named_in_chinese(leader_client, name, per_project):
    project = factories.project()
    url = reverse(name, args=[project.pk] if per_project else [])
    html = leader_client.get(url, BAD).content.decode()
    choice = parse_period(BAD)
    assert len(choice.errors) == 2
    for error in choice.errors:  # the parser's own messages: 年度“20x0”无效… / 月份必须在1到12之间（收到“13”）。
        assert str(error) in html
    assert f"已显示{choice.period.year}年{choice.period.month}月。" in html  # a page about one month
    good = leader_client.get(url, {"year": "2020", "month": "6"}).content.decode()
    assert "data-period-errors" not in good
