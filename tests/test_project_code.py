"""项目代码: the national platform's form and this district's division code, unique, provisional
codes for projects not filed yet, searchable by any part, on one line."""
import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from projects.codes import is_provisional, next_provisional_code, validate_project_code
from projects.models import Project

from . import factories

pytestmark = pytest.mark.django_db


def _errors(project):
    with pytest.raises(ValidationError) as exc:
        project.full_clean()
    return exc.value.message_dict.get("code", [])


def test_national_and_provisional_codes_are_accepted():
    validate_project_code("2021-430112-48-01-100001")
    validate_project_code("临-2021-0001")
    assert is_provisional("临-2021-0001") and not is_provisional("2021-430112-48-01-100001")


@pytest.mark.parametrize("code", ["2021-430112-48-01-10001", "2021430112480110001", "ABC", "临2021-1",
                                  "2021-430112-48-01-100001 "])
def test_wrong_form_is_refused_in_chinese(code):
    project = factories.project()
    project.code = code
    (message,) = _errors(project)
    assert "格式不正确" in message and "临-2021-0001" in message


def test_other_division_is_refused():
    project = factories.project()
    project.code = "2021-430104-48-01-100001"
    (message,) = _errors(project)
    assert "430104" in message and "不是本区的430112" in message


@override_settings(DIVISION_CODE="430104")
def test_division_comes_from_the_setting():
    validate_project_code("2021-430104-48-01-100001")
    with pytest.raises(ValidationError):
        validate_project_code("2021-430112-48-01-100001")


def test_duplicate_is_refused_in_chinese():
    first = factories.project()
    second = factories.project()
    second.code = first.code
    assert _errors(second) == ["项目代码已被其他项目使用，不能重复。"]


def test_provisional_code_is_replaced_and_the_old_one_kept_in_history():
    project = factories.project(code=next_provisional_code(2021))
    assert project.code == "临-2021-0001"
    assert next_provisional_code(2021) == "临-2021-0002"
    project.code = "2021-430112-48-01-100777"
    project.full_clean()
    project.save()
    assert [h.code for h in project.history.order_by("history_id")] == ["临-2021-0001", "2021-430112-48-01-100777"]


def test_list_search_matches_any_part_of_the_code(admin_client_):
    project = factories.project(code="2020-430112-83-01-123456")
    factories.plan_entry(project)
    other = factories.plan_entry(factories.project(code="2020-430112-48-01-654321")).project
    for part in ("430112-83", "83-01-1234", "123456", "2020-430112-83"):
        response = admin_client_.get(reverse("projects:list"), {"year": 2020, "month": 12, "q": part})
        html = response.content.decode()
        assert project.name in html and other.name not in html, part
    assert 'class="project-code"' in html


def test_demo_codes_follow_the_rule(demo_2020):
    for code in Project.objects.values_list("code", flat=True):
        validate_project_code(code)
