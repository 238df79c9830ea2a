"""Small builders for test data, one per model. Each returns a saved object; keyword arguments
override. Defaults fill what the model requires (dates in 2020, the year of the shipped data);
optional fields keep the model's own default unless passed, so a test names what it relies on.
A record that belongs to a project takes it positionally or as ``project=``, else gets a new one."""
import datetime as dt
import itertools
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from investment.models import (AnnualPlan, Funding, FundingSource, MonthLock, MonthlyProgress, PlanEntry, Saving,
                               SavingKind)
from contracts.models import Contract, ContractKind, Payment, StatisticsRegistration, StatisticsReport, Variation
from land.models import Acquisition, AcquisitionProgress, LandBatch
from procurement.models import Negotiation, Permit, PermitKind, Tender, TenderKind
from projects.models import (Area, CategoryChange, Milestone, MonthlyScore, Organisation, OrganisationRole, Phase,
                             PhaseTransition, PlanCategory, Project, ProjectKind, Role, StaffAssignment)

_seq = itertools.count(1)


def _of_project(kw, project_):
    """The project a record belongs to: ``project=`` if given, else the positional one, else a new one."""
    if "project" not in kw:
        kw["project"] = project_ or project()
    return kw


# projects


def area(name=None, **kw):
    return Area.objects.get_or_create(name=name or f"片区{next(_seq)}", defaults=kw)[0]


def organisation(**kw):
    kw.setdefault("name", f"测试建设{next(_seq)}有限公司")
    kw.setdefault("role", OrganisationRole.CONTRACTOR)
    return Organisation.objects.create(**kw)


def project(**kw):
    n = next(_seq)
    kw.setdefault("code", f"2020-430112-48-01-{900000 + n:06d}")
    kw.setdefault("name", f"测试道路{n}号")
    kw.setdefault("kind", ProjectKind.ROAD)
    if "area" not in kw:
        kw["area"] = area("南片")
    kw.setdefault("total_investment", Decimal("50000"))
    return Project.objects.create(**kw)


def phase_transition(project_=None, **kw):
    kw.setdefault("from_phase", Phase.PRELIMINARY)
    kw.setdefault("to_phase", Phase.CONSTRUCTION)
    kw.setdefault("occurred_on", dt.date(2020, 3, 20))
    return PhaseTransition.objects.create(**_of_project(kw, project_))


def category_change(project_=None, year=2020, **kw):
    kw.setdefault("from_category", PlanCategory.PRELIMINARY)
    kw.setdefault("to_category", PlanCategory.NEW)
    kw.setdefault("changed_on", dt.date(year, 6, 30))
    kw.setdefault("reason", "前期工作完成，转入实施")
    return CategoryChange.objects.create(year=year, **_of_project(kw, project_))


def milestone(project_=None, **kw):
    kw.setdefault("name", "开工")
    kw.setdefault("planned_on", dt.date(2020, 5, 1))
    return Milestone.objects.create(**_of_project(kw, project_))


def monthly_score(year=2020, month=1, **kw):
    """An area's score (``project`` absent) or a project's, in the project's area; 90 on every count."""
    if "area" not in kw:
        kw["area"] = kw["project"].area if kw.get("project") else area("南片")
    for count in ("progress", "quality", "safety", "image"):
        kw.setdefault(count, 90)
    return MonthlyScore.objects.create(year=year, month=month, **kw)


def staff_assignment(user_=None, **kw):
    """A 录入员's assignment to ``area=`` or ``project=``; 南片 when neither is given."""
    if "user" not in kw:
        kw["user"] = user_ or user()
    if "area" not in kw and "project" not in kw:
        kw["area"] = area("南片")
    return StaffAssignment.objects.create(**kw)


# investment


def plan(year=2020, **kw):
    kw.setdefault("title", f"{year}年固定资产投资计划")
    return AnnualPlan.objects.get_or_create(year=year, defaults=kw)[0]


def plan_entry(project_=None, year=2020, **kw):
    if "plan" not in kw:
        kw["plan"] = plan(year)
    kw.setdefault("category", PlanCategory.NEW)
    kw.setdefault("target", Decimal("1000"))
    return PlanEntry.objects.create(**_of_project(kw, project_))


def progress(entry, month, completed=0, **kw):
    return MonthlyProgress.objects.create(entry=entry, month=month, completed=Decimal(completed), **kw)


def month_lock(year=2020, month=1, **kw):
    return MonthLock.objects.create(year=year, month=month, **kw)


def funding(project_=None, **kw):
    """Money secured; for the center as a whole unless a project is given."""
    kw.setdefault("source", FundingSource.SPECIAL_BOND)
    kw.setdefault("amount", Decimal("500"))
    kw.setdefault("received_on", dt.date(2020, 4, 1))
    return Funding.objects.create(project=kw.pop("project", project_), **kw)


def saving(project_=None, **kw):
    """Money saved; for the center as a whole unless a project is given."""
    kw.setdefault("kind", SavingKind.EARTHWORK)
    kw.setdefault("amount", Decimal("80"))
    kw.setdefault("recorded_on", dt.date(2020, 4, 2))
    return Saving.objects.create(project=kw.pop("project", project_), **kw)


# land


def land_batch(projects=(), year=2020, **kw):
    kw.setdefault("number", str(next(_seq)))
    kw.setdefault("submitted_on", dt.date(year, 2, 1))
    kw.setdefault("area_mu", Decimal("100"))
    batch = LandBatch.objects.create(year=year, **kw)
    batch.projects.add(*projects)
    return batch


def acquisition(project_=None, year=2020, **kw):
    return Acquisition.objects.create(year=year, **_of_project(kw, project_))


def acquisition_progress(acquisition_=None, **kw):
    """A dated row of 征拆进度: 10 亩 handed over at the end of June of the task's year. The task's
    yearly totals are left as they are (``land.services.acquisition_totals_refresh`` sums them)."""
    if "acquisition" not in kw:
        kw["acquisition"] = acquisition_ or acquisition()
    kw.setdefault("recorded_on", dt.date(kw["acquisition"].year, 6, 30))
    kw.setdefault("acquired_mu", Decimal("10"))
    return AcquisitionProgress.objects.create(**kw)


# procurement


def tender(project_=None, **kw):
    _of_project(kw, project_)
    kw.setdefault("kind", TenderKind.CONSTRUCTION)
    kw.setdefault("title", f"{kw['project'].name}{TenderKind(kw['kind']).label}")
    return Tender.objects.create(**kw)


def permit(project_=None, **kw):
    kw.setdefault("kind", PermitKind.CONSTRUCTION)
    kw.setdefault("issued_on", dt.date(2020, 6, 1))
    return Permit.objects.create(**_of_project(kw, project_))


def negotiation(projects=(), contractors=(), **kw):
    """A 洽商活动 (四零采购 matchmaking) on 2020-10-23 with 10 suppliers; a new project if none given."""
    kw.setdefault("held_on", dt.date(2020, 10, 23))
    kw.setdefault("title", f"建筑材料采购对接会{next(_seq)}")
    kw.setdefault("suppliers_attending", 10)
    meeting = Negotiation.objects.create(**kw)
    meeting.projects.add(*(projects or [project()]))
    meeting.contractors.add(*contractors)
    return meeting


# contracts


def contract(project_=None, **kw):
    """A 施工 contract signed 2020-02-01 at 1,000 万元 (80 % 进度款) with a new contractor."""
    _of_project(kw, project_)
    kw.setdefault("firm", organisation())
    kw.setdefault("kind", ContractKind.CONSTRUCTION)
    kw.setdefault("title", f"{kw['project'].name}施工合同")
    kw.setdefault("price", Decimal("1000"))
    kw.setdefault("signed_on", dt.date(2020, 2, 1))
    return Contract.objects.create(**kw)


def variation(contract_=None, **kw):
    kw.setdefault("contract", contract_ or contract())
    kw.setdefault("kind", "design_change")
    kw.setdefault("reason", "设计变更")
    kw.setdefault("requested_on", dt.date(2020, 3, 1))
    return Variation.objects.create(**kw)


def payment(contract_=None, **kw):
    kw.setdefault("contract", contract_ or contract())
    kw.setdefault("paid_on", dt.date(2020, 3, 25))
    return Payment.objects.create(**kw)


def statistics_registration(project_=None, **kw):
    kw.setdefault("registered_on", dt.date(2020, 3, 15))
    return StatisticsRegistration.objects.create(**_of_project(kw, project_))


def statistics_report(project_=None, year=2020, **kw):
    return StatisticsReport.objects.create(year=year, **_of_project(kw, project_))


# users


def user(username=None, role=None, areas=(), projects=(), **kw):
    u = get_user_model().objects.create_user(username=username or f"user{next(_seq)}", password="pw-12345678", **kw)
    if role:
        u.groups.add(Group.objects.get_or_create(name=role)[0])  # a transactional test may have flushed it
    for a in areas:
        staff_assignment(u, area=a)
    for p in projects:
        staff_assignment(u, project=p)
    return u


def admin_user(username="admin1"):
    return user(username, role=Role.ADMIN, is_staff=True, is_superuser=True)


def leader(username="leader1"):
    return user(username, role=Role.LEADER)


def staff(username="staff1", areas=(), projects=()):
    return user(username, role=Role.STAFF, areas=areas, projects=projects)


def date(s):
    return dt.date.fromisoformat(s)
