"""Builders for the problem and 督办 tests: a project with its owner unit, the unit's contact
(``UnitMember``), a leader, an administrator and the area's 录入员."""
import datetime as dt

from django.utils import timezone

import pytest

from supervision import services
from supervision.models import OrderSource, ProblemType, UnitMember
from tests import factories


class World:
    def __init__(self):
        self.area = factories.area("南片")
        self.unit = factories.organisation(name="望城城投建设有限公司", role="owner")
        self.other_unit = factories.organisation(name="测试水务有限公司", role="owner")
        self.project = factories.project(area=self.area, owner_unit=self.unit, name="金星大道提质改造")
        self.leader = factories.leader("lingdao_t")
        self.admin = factories.admin_user("admin_t")
        self.clerk = factories.staff("luru_t", areas=[self.area])
        self.unit_user = factories.user("danwei_t", email="danwei@example.com")
        UnitMember.objects.create(user=self.unit_user, organisation=self.unit)
        self.outsider = factories.user("other_unit_t")
        UnitMember.objects.create(user=self.outsider, organisation=self.other_unit)

    def problem(self, **kw):
        kw.setdefault("type", ProblemType.LAND)
        kw.setdefault("description", "红线内有3户未签约，影响路基施工")
        kw.setdefault("responsible_unit", self.unit)
        return services.problem_create(user=kw.pop("user", self.clerk), project=kw.pop("project", self.project), **kw)

    def order(self, deadline=None, **kw):
        kw.setdefault("content", "请于时限内完成3户签约并腾地")
        kw.setdefault("source", OrderSource.OTHER)
        kw.setdefault("responsible_unit", self.unit)
        deadline = deadline or timezone.localdate() + dt.timedelta(days=10)
        return services.order_issue(user=kw.pop("user", self.leader), project=kw.pop("project", self.project),
                                    deadline=deadline, **kw)


@pytest.fixture
def world(db):
    return World()
