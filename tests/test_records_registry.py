"""Every record type of ``records.registry`` gets, from its one entry: a list page at its URL name,
add / edit / delete pages for an administrator, an item in the 台账 menu, a section on the
project's record page and its label in the change history."""
import re

import pytest
from django.urls import reverse

from portfolio.history import project_history
from portfolio.versions import tracked_models
from procurement.models import Negotiation
from projects.models import Project
from records.registry import BY_SLUG, REGISTRY, menu_items
from tests import factories

pytestmark = pytest.mark.usefixtures("demo_2020")

SLUGS = [rt.slug for rt in REGISTRY]
KEPT_ON_THE_PROJECT_PAGE_ONLY = {"phase", "category-change"}
"""Phase transitions and category changes have no list of their own: the project's record page
(and the dashboard's 类别调整 card) lists them."""


def test_the_registry_names_each_type_once_and_covers_every_record_url():
    assert len(set(SLUGS)) == len(SLUGS)
    assert {rt.slug for rt in REGISTRY if rt.list_url_name is None} == KEPT_ON_THE_PROJECT_PAGE_ONLY
    for rt in REGISTRY:
        for action in ("add", "edit", "delete"):
            assert reverse(f"records:{rt.slug}_{action}", args=[] if action == "add" else [1])


@pytest.mark.parametrize("slug", [s for s in SLUGS if s not in KEPT_ON_THE_PROJECT_PAGE_ONLY])
def test_every_type_has_a_list_page(admin_client_, slug):
    record_type = BY_SLUG[slug]
    response = admin_client_.get(reverse(record_type.list_url_name), {"year": 2020, "month": 12})
    assert response.status_code == 200
    if record_type.list is not None:
        html = response.content.decode()
        assert str(record_type.list.title) in html
        assert reverse(f"records:{slug}_add") in html  # 新增 for the administrator


@pytest.mark.parametrize("slug", SLUGS)
def test_every_type_has_add_edit_and_delete_pages_for_an_administrator(admin_client_, slug):
    record_type = BY_SLUG[slug]
    record = record_type.model.objects.order_by("-pk").first()
    assert record is not None, f"the 2020 data set has no {record_type.title}"
    assert admin_client_.get(reverse(f"records:{slug}_add")).status_code == 200
    edit = admin_client_.get(reverse(f"records:{slug}_edit", args=[record.pk]))
    assert edit.status_code == 200 and str(record_type.title) in edit.content.decode()
    delete = admin_client_.get(reverse(f"records:{slug}_delete", args=[record.pk]))
    assert delete.status_code == 200


def test_the_menu_lists_every_type_with_a_list(admin_client_):
    html = admin_client_.get(reverse("dashboard"), {"year": 2020, "month": 12}).content.decode()
    menu = html[html.index(">台账<"):html.index("</ul>", html.index(">台账<"))]
    for rt in REGISTRY:
        if rt.list is None:  # 征拆进度 is listed under 征地拆迁, 流动红旗 has its own menu entry
            assert rt.menu_label is None
            continue
        assert f'href="{reverse(rt.list_url_name)}">{rt.menu_label}<' in menu
    assert [label for label, _name in menu_items()][:6] == ["用地报批", "征地拆迁", "招标采购", "许可证", "洽商活动", "节点计划"]
    assert f'href="{reverse("records:overdue")}">逾期节点<' in menu


def test_the_records_index_offers_every_type(admin_client_):
    html = admin_client_.get(reverse("records:index")).content.decode()
    for rt in REGISTRY:
        assert f'data-record-type="{rt.slug}"' in html
        assert reverse(f"records:{rt.slug}_add") in html


def test_every_type_has_a_section_on_the_project_page(admin_client_):
    meeting = Negotiation.objects.order_by("held_on").first()
    project = meeting.projects.order_by("pk").first()
    html = admin_client_.get(reverse("records:project", args=[project.pk])).content.decode()
    for rt in REGISTRY:
        assert f'data-section="{rt.slug}"' in html, rt.slug
    section = html[html.index('id="negotiations"'):]
    section = section[:section.index("</table>")]
    assert meeting.title in section and "到会供应商 17 家" in section
    assert reverse("records:negotiation_edit", args=[meeting.pk]) in section
    add = re.search(r'id="add-negotiation" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert f"project={project.pk}" in add
    form = admin_client_.get(add).content.decode()
    assert re.search(rf'<option value="{project.pk}" selected>', form)  # the project is preset


def test_every_type_is_kept_in_the_change_history_under_its_label(admin_client_):
    tracked = set(tracked_models())
    for rt in REGISTRY:
        assert rt.model in tracked and rt.history_label == str(rt.model._meta.verbose_name)
    project = Project.objects.get(name="华灿路")
    response = admin_client_.post(reverse("records:negotiation_add"), {
        "held_on": "2020-11-20", "title": "华灿路材料对接会", "projects": [project.pk],
        "suppliers_attending": "6"})
    assert response.status_code == 302
    changes = [c for c in project_history(project=project) if c.record == BY_SLUG["negotiation"].history_label]
    assert [(c.kind, c.subject) for c in changes] == [("新增", "华灿路材料对接会")]
    assert ("参加项目", "", "华灿路") in [(f.label, f.old, f.new) for f in changes[0].fields]
    history_page = admin_client_.get(reverse("project_history", args=[project.pk])).content.decode()
    assert "洽商活动" in history_page and "华灿路材料对接会" in history_page


def test_an_administrator_deletes_a_record_through_the_generic_page(admin_client_):
    meeting = factories.negotiation(projects=[Project.objects.get(name="华灿路")], title="临时对接会")
    url = reverse("records:negotiation_delete", args=[meeting.pk])
    page = admin_client_.get(url).content.decode()
    loaded = re.search(r'name="loaded_change" value="(\d*)"', page).group(1)
    response = admin_client_.post(url, {"loaded_change": loaded})
    assert response.status_code == 302
    assert not Negotiation.objects.filter(pk=meeting.pk).exists()
