"""Small builders for test data. Each returns a saved object; keyword arguments override."""
import datetime as dt
import itertools
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from investment.models import AnnualPlan, MonthlyProgress, PlanEntry
from projects.models import Area, PlanCategory, Project, ProjectKind, Role, StaffAssignment

_seq = itertools.count(1)


def area(name=None, **kw):
    return Area.objects.get_or_create(name=name or f"片区{next(_seq)}", defaults=kw)[0]


def project(**kw):
    n = next(_seq)
    kw.setdefault("code", f"2020-430112-48-01-{900000 + n:06d}")
    kw.setdefault("name", f"测试道路{n}号")
    kw.setdefault("kind", ProjectKind.ROAD)
    if "area" not in kw:
        kw["area"] = area("南片")
    kw.setdefault("total_investment", Decimal("50000"))
    return Project.objects.create(**kw)


def plan(year=2020):
    return AnnualPlan.objects.get_or_create(year=year, defaults={"title": f"{year}年固定资产投资计划"})[0]


def plan_entry(project_=None, year=2020, **kw):
    kw.setdefault("category", PlanCategory.NEW)
    kw.setdefault("target", Decimal("1000"))
    return PlanEntry.objects.create(plan=plan(year), project=project_ or project(), **kw)


def progress(entry, month, completed, **kw):
    return MonthlyProgress.objects.create(entry=entry, month=month, completed=Decimal(completed), **kw)


def user(username=None, role=None, areas=(), projects=(), **kw):
    u = get_user_model().objects.create_user(username=username or f"user{next(_seq)}", password="pw-12345678", **kw)
    if role:
        u.groups.add(Group.objects.get_or_create(name=role)[0])  # a transactional test may have flushed it
    for a in areas:
        StaffAssignment.objects.create(user=u, area=a)
    for p in projects:
        StaffAssignment.objects.create(user=u, project=p)
    return u


def admin_user(username="admin1"):
    return user(username, role=Role.ADMIN, is_staff=True, is_superuser=True)


def leader(username="leader1"):
    return user(username, role=Role.LEADER)


def staff(username="staff1", areas=(), projects=()):
    return user(username, role=Role.STAFF, areas=areas, projects=projects)


def date(s):
    return dt.date.fromisoformat(s)
