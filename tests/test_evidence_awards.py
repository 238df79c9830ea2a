"""Awards (issue 17): shown on the project's page and stated in the summary of their year only."""
import pytest
from django.urls import reverse

from evidence.models import Award
from portfolio.numbers import Period
from portfolio.summary import draft_summary
from tests import factories

pytestmark = pytest.mark.django_db


def test_an_award_on_the_project_page_and_in_its_years_summary(leader_client):
    school = factories.project(name="湖南师大附中星城实验中学二小")
    factories.plan_entry(school)
    assert not any("芙蓉奖" in p for p in draft_summary(period=Period(2020, 12)))
    Award.objects.create(project=school, name="湖南省建设工程芙蓉奖", year=2020)
    html = leader_client.get(reverse("projects:detail", args=[school.pk])).content.decode()
    assert "2020年度湖南省建设工程芙蓉奖" in html[html.index('id="awards"'):]
    assert "湖南师大附中星城实验中学二小项目获评2020年度湖南省建设工程芙蓉奖。" in draft_summary(period=Period(2020, 12))
    assert not any("芙蓉奖" in p for p in draft_summary(period=Period(2021, 3)))
