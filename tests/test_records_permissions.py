"""Who may keep which records: a 录入员 their own projects only, leaders nothing (403), admins
everything; a crafted POST for someone else's project is refused with 403 and changes nothing.
Every change is in the record's history with the user who made it."""
import datetime as dt

import pytest
from django.urls import reverse

from procurement.models import Tender, TenderKind
from projects.models import MonthlyScore, Phase
from tests import factories
from tests.forms_support import submit


@pytest.fixture
def world(db):
    south, north = factories.area("南片"), factories.area("北片")
    mine = factories.project(area=south, name="金坪路")
    theirs = factories.project(area=north, name="青竹湖路")
    return {
        "south": south, "north": north, "mine": mine, "theirs": theirs,
        "staff": factories.staff("luru_nan", areas=[south]),
        "their_tender": factories.tender(project=theirs, kind=TenderKind.SUPERVISION, title="青竹湖路监理"),
    }


def tender_data(project, title="监理招标"):
    return {"project": project.pk, "kind": TenderKind.SUPERVISION, "title": title}


def test_the_form_offers_only_the_users_projects(client, world):
    client.force_login(world["staff"])
    html = client.get(reverse("records:tender_add")).content.decode()
    assert "金坪路" in html and "青竹湖路" not in html


def test_crafted_post_for_another_areas_project_is_403(client, world):
    client.force_login(world["staff"])
    before = Tender.objects.count()
    assert client.post(reverse("records:tender_add"), tender_data(world["theirs"])).status_code == 403
    edit = reverse("records:tender_edit", args=[world["their_tender"].pk])
    assert client.get(edit).status_code == 403
    assert client.post(edit, tender_data(world["theirs"], "改名")).status_code == 403
    assert submit(client, reverse("records:tender_delete", args=[world["their_tender"].pk])).status_code == 403
    assert Tender.objects.count() == before
    assert Tender.objects.get(pk=world["their_tender"].pk).title == "青竹湖路监理"


def test_crafted_post_naming_another_areas_project_among_ones_own_is_403(client, world):
    from procurement.models import Negotiation
    client.force_login(world["staff"])
    data = {"held_on": "2020-11-06", "title": "对接会", "suppliers_attending": "5"}
    url = reverse("records:negotiation_add")
    mine, theirs = str(world["mine"].pk), str(world["theirs"].pk)
    assert client.post(url, {**data, "projects": [mine, theirs]}).status_code == 403
    assert client.post(url, {**data, "projects": [mine, "²", theirs]}).status_code == 403
    response = client.post(url, {**data, "projects": [mine, "²"]})
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
    assert not Negotiation.objects.exists()
    assert client.post(url, {**data, "projects": [mine]}).status_code == 302
    assert list(Negotiation.objects.get().projects.all()) == [world["mine"]]


def test_staff_cannot_move_a_record_into_someone_elses_project(client, world):
    client.force_login(world["staff"])
    mine = factories.tender(project=world["mine"], kind=TenderKind.SUPERVISION, title="金坪路监理")
    response = submit(client, reverse("records:tender_edit", args=[mine.pk]), tender_data(world["theirs"]))
    assert response.status_code == 403
    mine.refresh_from_db()
    assert mine.project == world["mine"]


def test_leader_reads_but_may_not_open_or_post_forms(client, world):
    client.force_login(factories.leader())
    assert client.get(reverse("records:tender_add")).status_code == 403
    assert client.post(reverse("records:tender_add"), tender_data(world["mine"])).status_code == 403
    assert client.post(reverse("records:phase_add"), {"project": world["mine"].pk, "to_phase": Phase.CONSTRUCTION,
                                                      "occurred_on": "2020-04-01"}).status_code == 403
    page = client.get(reverse("records:project", args=[world["theirs"].pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "青竹湖路监理" in html and "只读" in html
    assert html.count('method="post"') == 1  # the logout button only
    assert Tender.objects.count() == 1


def test_admin_keeps_any_project_and_center_level_money(client, world):
    client.force_login(factories.admin_user())
    assert client.post(reverse("records:tender_add"), tender_data(world["theirs"])).status_code == 302
    response = client.post(reverse("records:funding_add"), {"project": "", "source": "central_budget",
                                                             "amount": "100", "received_on": "2020-05-01"})
    assert response.status_code == 302


def test_scores_are_for_admins_only(client, world):
    client.force_login(world["staff"])
    assert client.get(reverse("records:score_add")).status_code == 403
    data = {"year": 2020, "month": 10, "area": world["south"].pk, "progress": 90, "quality": 90,
            "safety": 90, "image": 90}
    assert client.post(reverse("records:score_add"), data).status_code == 403
    assert not MonthlyScore.objects.exists()
    # ... but anyone signed in reads the ranking.
    assert client.get(reverse("records:scores")).status_code == 200


def test_applying_a_template_to_another_areas_project_is_403(client, world):
    client.force_login(world["staff"])
    url = reverse("records:milestones_apply", args=[world["theirs"].pk])
    assert client.post(url, {"start": "2021-01-01", "finish": "2021-12-31"}).status_code == 403
    assert not world["theirs"].milestones.exists()


def test_every_change_is_in_the_history_with_its_user(client, world):
    staff = world["staff"]
    client.force_login(staff)
    client.post(reverse("records:tender_add"), {**tender_data(world["mine"], "金坪路监理"),
                                                 "published_on": "2020-03-01", "bid_opened_on": "2020-03-25"})
    tender = Tender.objects.get(title="金坪路监理")
    submit(client, reverse("records:tender_edit", args=[tender.pk]),
                {**tender_data(world["mine"], "金坪路监理"), "published_on": "2020-03-01", "bid_opened_on": "2020-03-28"})
    submit(client, reverse("records:tender_delete", args=[tender.pk]))
    history = list(Tender.history.filter(id=tender.pk).order_by("history_date", "history_id"))
    assert [h.history_type for h in history] == ["+", "~", "-"]
    assert {h.history_user for h in history} == {staff}
    created, edited = history[0], history[1]
    changes = {c.field: (c.old, c.new) for c in edited.diff_against(created).changes}
    assert changes == {"bid_opened_on": (dt.date(2020, 3, 25), dt.date(2020, 3, 28))}
