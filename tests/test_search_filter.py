"""The ``q`` box of every list (``projects.filters.ProjectSearchFilter``): a project's code finds
exactly that project's records, a record's own field (标段, 合同号, 批次) finds the record, a
record of several projects is listed once, and a text nobody has finds nothing."""
import datetime as dt
import os

import pytest
from django.utils import timezone

from contracts.filters import (ContractFilterSet, PaymentFilterSet, PlanEntryFilterSet, RegistrationFilterSet,
                               StatisticsReportFilterSet, VariationFilterSet)
from investment.filters import FundingFilterSet, SavingFilterSet
from investment.models import PlanEntry
from land.filters import AcquisitionFilterSet, LandBatchFilterSet
from procurement.filters import NegotiationFilterSet, PermitFilterSet, TenderFilterSet
from projects.filters import MilestoneFilterSet, ProjectFilterSet
from projects.models import Project
from supervision.filters import OrderFilterSet, ProblemFilterSet
from supervision.models import Order, OrderState, Problem, ProblemType
from tests import factories

pytestmark = pytest.mark.usefixtures("demo_2020")

# (FilterSet, path from its record to the project, the record's own searchable fields)
LISTS = [
    (ProjectFilterSet, "project__", ()),
    (MilestoneFilterSet, "project__", ()),
    (FundingFilterSet, "project__", ()),
    (SavingFilterSet, "project__", ()),
    (LandBatchFilterSet, "projects__", ("number", "name")),
    (AcquisitionFilterSet, "project__", ()),
    (TenderFilterSet, "project__", ("title",)),
    (PermitFilterSet, "project__", ()),
    (NegotiationFilterSet, "projects__", ("title",)),
    (ContractFilterSet, "project__", ("title", "number", "firm__name")),
    (VariationFilterSet, "contract__project__", ()),
    (PaymentFilterSet, "contract__project__", ()),
    (RegistrationFilterSet, "project__", ()),
    (StatisticsReportFilterSet, "project__", ()),
    (PlanEntryFilterSet, "project__", ()),
    (ProblemFilterSet, "project__", ()),
    (OrderFilterSet, "project__", ()),
]
IDS = [filterset.__name__ for filterset, _prefix, _also in LISTS]


def records_of(filterset):
    return (filterset._meta.model or PlanEntry)._default_manager.all()


def found(filterset, q):
    pks = list(filterset({"q": q}, queryset=records_of(filterset)).qs.values_list("pk", flat=True))
    assert len(pks) == len(set(pks)), "a record is listed twice"
    return set(pks)


def a_project_code(records, prefix):
    """The code of a project with records in the list, contained in no other project's code."""
    codes = records.exclude(**{f"{prefix}code": None}).order_by(f"{prefix}code").values_list(f"{prefix}code", flat=True)
    return next(code for code in codes if Project.objects.filter(code__contains=code).count() == 1)


@pytest.fixture
def problems_and_orders():
    """The demo has no problem or 督办 order: one of each on two projects."""
    unit = factories.organisation(name="检索测试单位")
    at = timezone.make_aware(dt.datetime(2020, 5, 1, 9))
    for project in Project.objects.order_by("code")[:2]:
        Problem.objects.create(project=project, type=ProblemType.LAND, description="检索", responsible_unit=unit,
                               raised_at=at)
        Order.objects.create(project=project, responsible_unit=unit, content="检索", deadline=dt.date(2020, 6, 30),
                             issued_at=at, state=OrderState.SIGNED)


@pytest.mark.parametrize("filterset, prefix, also", LISTS, ids=IDS)
def test_a_project_code_finds_that_projects_records(filterset, prefix, also, problems_and_orders):
    records = records_of(filterset)
    code = a_project_code(records, prefix)
    expected = set(records.filter(**{f"{prefix}code": code}).values_list("pk", flat=True))
    assert expected and found(filterset, code) == expected
    assert found(filterset, f"  {code}  ") == expected  # typed with spaces around it
    assert found(filterset, "没有这个项目或记录") == set()
    assert found(filterset, "") == set(records.values_list("pk", flat=True))


@pytest.mark.parametrize("filterset, prefix, also", [case for case in LISTS if case[2]],
                         ids=[i for i, case in zip(IDS, LISTS) if case[2]])
def test_a_records_own_field_finds_it(filterset, prefix, also):
    records = records_of(filterset)
    for field in also:
        record = records.exclude(**{field: ""}).exclude(**{field: None}).order_by("pk").first()
        assert record is not None, field
        value = records.filter(pk=record.pk).values_list(field, flat=True).first()
        assert record.pk in found(filterset, value), (field, value)


def test_a_meeting_of_two_found_projects_is_listed_once():
    """A 洽谈 with several projects matches each of them; the list still shows it once."""
    from procurement.models import Negotiation

    meeting = next((n for n in Negotiation.objects.prefetch_related("projects") if n.projects.count() > 1), None)
    if meeting is None:
        pytest.skip("the demo data has no meeting of two projects")
    shared = os.path.commonprefix([p.code for p in meeting.projects.all()])  # e.g. the district's 430112-
    assert shared
    assert meeting.pk in found(NegotiationFilterSet, shared)  # found() checks it is listed once
