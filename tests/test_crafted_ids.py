"""Ids in query and form parameters are read by one function (``portfolio.validators.parse_id``):
a crafted id — "²" (a digit to ``isdigit``), "١", 40 nines, "-1", "0", "1.0", " 1" — names no row.
A form that presets a row from a link's ``?project=`` shows itself as without the parameter; the
inbox says in Chinese that the message is invalid and marks nothing read."""
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from contracts.models import Contract
from portfolio.validators import MAX_ID, parse_id
from projects.models import Milestone, Project
from records.registry import REGISTRY
from supervision.models import Notification, NotificationKind, Problem
from tests import factories
from tests.demo import shared_fixture
from tests.urlwalk import World

CRAFTED = ["²", "١", "9" * 40, "-1", "0", "1.0", " 1", "1 ", "+1", "0x1", "", str(MAX_ID + 1)]
ON_PAGES = ["²", "9" * 40, "-1", "1.0", " 1"]  # each kind once: a page test costs a request a value

# built once per worker, each test in a savepoint inside it (tests/demo.py); shared with test_security_urls
world = shared_fixture("url_world", World, fixture_name="world")



def record_presets():
    """(page, parameter, the model of the row it presets) of every record type's 新增 form: the
    related fields of ``initial_from_get``, and ``?project=`` of a record with many projects."""
    presets = []
    for record_type in REGISTRY:
        fields = {f.name: f for f in record_type.model._meta.get_fields() if f.is_relation}
        for name in record_type.initial_from_get:
            if name in fields:
                presets.append((f"records:{record_type.slug}_add", name, fields[name].related_model))
        if "projects" in fields and fields["projects"].many_to_many:
            presets.append((f"records:{record_type.slug}_add", "project", Project))
    return presets


# (page, parameter, the model of the row it presets)
PRESETS = [
    ("problem_create", "project", Project),
    ("order_create", "project", Project),
    ("order_create", "problem", Problem),
    ("order_create", "milestone", Milestone),
    *record_presets(),
]


def test_parse_id_reads_ascii_digits_up_to_the_bound():
    assert [parse_id(v) for v in ("1", "42", str(MAX_ID))] == [1, 42, MAX_ID]
    assert [parse_id(v) for v in CRAFTED] == [None] * len(CRAFTED)


def page(client, name, **params):
    response = client.get(reverse(name), params)
    assert response.status_code == 200, (name, params, response.status_code)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


@pytest.fixture
def admin_client(client, world):
    client.force_login(factories.admin_user("guanli_ids"))
    return client


def a_row_of(world, model):
    if model is Contract and not Contract.objects.exists():  # the walk's world has no contract
        return factories.contract(world.project)
    return world.by_model.get(model) or model._default_manager.order_by("pk").first()


@pytest.mark.parametrize("name, param, model", PRESETS, ids=[f"{n}?{p}" for n, p, _model in PRESETS])
def test_a_crafted_id_in_a_link_presets_nothing(admin_client, world, name, param, model):
    row = a_row_of(world, model)
    assert row is not None, model
    blank = page(admin_client, name)
    preset = page(admin_client, name, **{param: row.pk})
    assert preset != blank  # the real id is preset (so the comparison below can fail)
    for value in ON_PAGES:
        assert page(admin_client, name, **{param: value}) == blank, value


@pytest.mark.parametrize("value", ON_PAGES)
def test_a_crafted_message_id_in_the_inbox_is_refused_in_chinese(client, world, value):
    leader = factories.leader("lingdao_ids")
    message = Notification.objects.create(recipient=leader, kind=NotificationKind.values[0], key="ids",
                                          sent_on=timezone.localdate(), title="测试消息", body="", url="",
                                          created_at=timezone.now())
    client.force_login(leader)
    response = client.post(reverse("inbox"), {"pk": value}, follow=True)
    assert response.status_code == 200 and "无效的消息。" in response.content.decode()
    message.refresh_from_db()
    assert message.read_at is None
    response = client.post(reverse("inbox"), {"pk": str(message.pk)}, follow=True)
    assert "已标为已读 1 条。" in response.content.decode()


def assert_crafted_project_refused(client, url, model, data, value, real_pk):
    """``value`` posted as the form's project is refused in Chinese and nothing is saved; the same
    form with the real project's id is saved."""
    before = model.objects.count()
    response = client.post(url, {**data, "project": value})
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
    assert model.objects.count() == before
    assert client.post(url, {**data, "project": str(real_pk)}).status_code == 302
    assert model.objects.count() == before + 1


@pytest.mark.parametrize("value", ON_PAGES)
def test_a_crafted_project_id_posted_to_the_problem_form_is_refused_in_chinese(admin_client, world, value):
    data = {"type": "land", "description": "红线内有3户未签约", "responsible_unit": ""}
    assert_crafted_project_refused(admin_client, reverse("problem_create"), Problem, data, value, world.project.pk)


@pytest.mark.parametrize("value", ["١", *ON_PAGES])
def test_a_crafted_project_id_posted_to_a_record_form_is_refused_in_chinese(admin_client, world, value):
    from procurement.models import Permit
    data = {"kind": "planning", "number": "规字第1号", "issued_on": "2020-03-01"}
    assert_crafted_project_refused(admin_client, reverse("records:permit_add"), Permit, data, value, world.project.pk)


@pytest.mark.parametrize("value", ON_PAGES)
def test_a_crafted_id_among_a_record_forms_projects_is_refused_in_chinese(admin_client, world, value):
    """A record of many projects (a 对接会): each posted id is read once, a crafted one is refused
    beside the field and nothing is saved; the real ids alone are saved."""
    from procurement.models import Negotiation
    url = reverse("records:negotiation_add")
    data = {"held_on": "2020-11-06", "title": "对接会", "suppliers_attending": "5"}
    before = Negotiation.objects.count()
    response = admin_client.post(url, {**data, "projects": [str(world.project.pk), value]})
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
    assert Negotiation.objects.count() == before
    assert admin_client.post(url, {**data, "projects": [str(world.project.pk)]}).status_code == 302
    assert list(Negotiation.objects.latest("pk").projects.all()) == [world.project]
