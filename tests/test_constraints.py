"""What must never be stored is refused in admin with a Chinese message, and by the database."""
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from investment.models import MonthlyProgress, PlanEntry
from tests import factories


@pytest.fixture
def entry(db):
    return factories.plan_entry(target=Decimal("500"))


def test_admin_refuses_negative_investment(admin_client_, entry):
    response = admin_client_.post(reverse("admin:investment_monthlyprogress_add"), {
        "entry": entry.pk, "month": 3, "completed": "-5", "physical_percent": "10",
        "physical_progress": "", "problems": "",
    })
    assert response.status_code == 200
    html = response.content.decode()
    assert "确保该值大于或等于0" in html  # the form field's own check, beside the field
    assert not MonthlyProgress.objects.exists()


def test_admin_refuses_percent_over_100(admin_client_, entry):
    response = admin_client_.post(reverse("admin:investment_monthlyprogress_add"), {
        "entry": entry.pk, "month": 3, "completed": "5", "physical_percent": "120",
        "physical_progress": "", "problems": "",
    })
    html = response.content.decode()
    assert "确保该值小于或等于100" in html
    assert not MonthlyProgress.objects.exists()


def test_admin_refuses_duplicate_plan_entry(admin_client_, entry):
    response = admin_client_.post(reverse("admin:investment_planentry_add"), {
        "plan": entry.plan.pk, "project": entry.project.pk, "category": "new", "target": "10",
    })
    assert "该项目已列入本年度计划，不能重复添加" in response.content.decode()
    assert PlanEntry.objects.count() == 1


@pytest.mark.parametrize("field, value", [("completed", Decimal("-1")), ("physical_percent", Decimal("120"))])
def test_database_refuses_bad_progress(entry, field, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.progress(entry, 1, **{field: value})


def test_database_refuses_duplicate_progress_month(entry):
    factories.progress(entry, 1, completed=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.progress(entry, 1, completed=2)


def test_database_refuses_duplicate_plan_entry(entry):
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.plan_entry(plan=entry.plan, project=entry.project, category="new", target=1)


def test_database_refuses_negative_target(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.plan_entry(target=Decimal("-1"))


@pytest.mark.parametrize("label, name", [
    ("projects.MonthlyScore", "score_month_valid"), ("ranking.Exemption", "exemption_month_valid"),
    ("evidence.Photo", "photo_month_valid"), ("investment.MonthlyProgress", "progress_month_valid"),
    ("investment.MonthLock", "lock_month_valid"),
])
def test_every_month_column_holds_1_to_12_with_one_message(db, label, name):
    """The month rule (``portfolio.validators.month_constraint``) on each model that stores a month."""
    from django.apps import apps
    from django.core.exceptions import ValidationError

    model = apps.get_model(label)
    constraint = next(c for c in model._meta.constraints if c.name == name)
    for month in (0, 13):
        with pytest.raises(ValidationError) as refused:
            constraint.validate(model, model(month=month))
        assert refused.value.messages == ["月份必须在1到12之间。"]
    constraint.validate(model, model(month=12))  # a real month passes
