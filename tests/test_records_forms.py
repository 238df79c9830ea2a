"""Each record form, through the page a 录入员 uses: good input is saved (and shown on the
project's record page), bad input is refused with a Chinese message beside its field and nothing
is saved."""
import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from investment.models import Funding, Saving
from land.models import Acquisition, LandBatch
from procurement.models import Permit, PermitKind, Tender, TenderKind
from projects.models import CategoryChange, Milestone, Phase, PhaseTransition, PlanCategory, Project
from tests import factories
from tests.forms_support import field_error, post, south, staff_client, submit  # noqa: F401


@pytest.fixture
def project(south):
    p = factories.project(area=south, name="金坪路")
    factories.plan_entry(p, category=PlanCategory.PRELIMINARY)
    return p


def test_tender_good_and_bad(staff_client, project):
    bad = post(staff_client, "tender", {
        "project": project.pk, "kind": TenderKind.CONSTRUCTION, "title": "金坪路施工",
        "published_on": "2020-05-10", "bid_opened_on": "2020-05-01"})
    assert bad.status_code == 200
    assert "不能早于公告日期" in field_error(bad, "bid_opened_on")
    assert not Tender.objects.exists()
    good = post(staff_client, "tender", {
        "project": project.pk, "kind": TenderKind.CONSTRUCTION, "title": "金坪路施工",
        "published_on": "2020-04-10", "bid_opened_on": "2020-05-10", "amount": "2800"})
    assert good.status_code == 302 and good["Location"] == reverse("records:project", args=[project.pk])
    tender = Tender.objects.get()
    assert (tender.bid_opened_on, tender.amount) == (dt.date(2020, 5, 10), Decimal("2800"))
    page = staff_client.get(good["Location"]).content.decode()
    assert "金坪路施工" in page and "开标 2020-05-10" in page
    # the section's table scrolls sideways in its own box on a phone (columns ≥ 4em, app.css)
    assert '<div class="table-responsive"><table class="table table-sm mb-0 small" id="tenders">' in page


def test_tender_opening_cannot_move_after_an_issued_permit(staff_client, project):
    tender = factories.tender(project=project, kind=TenderKind.CONSTRUCTION, title="施工",
                              bid_opened_on=dt.date(2020, 5, 10))
    factories.permit(project=project, kind=PermitKind.CONSTRUCTION, issued_on=dt.date(2020, 6, 1))
    bad = post(staff_client, "tender", {"project": project.pk, "kind": TenderKind.CONSTRUCTION,
                                         "title": "施工", "bid_opened_on": "2020-06-15"}, pk=tender.pk)
    assert "不能晚于核发日期" in field_error(bad, "bid_opened_on")
    tender.refresh_from_db()
    assert tender.bid_opened_on == dt.date(2020, 5, 10)


def test_permit_good_and_bad(staff_client, project):
    factories.tender(project=project, kind=TenderKind.CONSTRUCTION, title="施工",
                     bid_opened_on=dt.date(2020, 5, 10))
    bad = post(staff_client, "permit", {"project": project.pk, "kind": PermitKind.CONSTRUCTION,
                                         "issued_on": "2020-05-01"})
    assert "早于施工招标开标日期" in field_error(bad, "issued_on")
    assert not Permit.objects.exists()
    good = post(staff_client, "permit", {"project": project.pk, "kind": PermitKind.CONSTRUCTION,
                                          "number": "430112202005", "issued_on": "2020-06-01"})
    assert good.status_code == 302
    assert Permit.objects.get().issued_on == dt.date(2020, 6, 1)
    again = post(staff_client, "permit", {"project": project.pk, "kind": PermitKind.CONSTRUCTION,
                                           "issued_on": "2020-06-02"})
    assert "该项目已有此类许可证" in again.content.decode()
    assert Permit.objects.count() == 1


def test_land_batch_good_and_bad(staff_client, project):
    bad = post(staff_client, "land-batch", {"year": 2020, "number": "1", "submitted_on": "2020-03-01",
                                             "approved_on": "2020-02-01", "area_mu": "-5",
                                             "projects": [project.pk]})
    assert "不能为负数" in field_error(bad, "area_mu")
    assert "不能早于报批日期" in field_error(bad, "approved_on")
    assert not LandBatch.objects.exists()
    good = post(staff_client, "land-batch", {"year": 2020, "number": "1", "submitted_on": "2020-03-01",
                                              "approved_on": "2020-04-01", "area_mu": "69.5",
                                              "projects": [project.pk]})
    assert good.status_code == 302
    batch = LandBatch.objects.get()
    assert batch.area_mu == Decimal("69.5") and list(batch.projects.all()) == [project]


def test_acquisition_good_and_bad(staff_client, project):
    bad = post(staff_client, "acquisition", {"project": project.pk, "year": 2020, "acquired_mu": "-1",
                                              "buildings_signed": 3})
    assert "征地面积不能为负数" in field_error(bad, "acquired_mu")
    assert not Acquisition.objects.exists()
    good = post(staff_client, "acquisition", {"project": project.pk, "year": 2020, "acquired_mu": "35.5",
                                               "buildings_signed": 3, "full_access_on": "2020-08-01"})
    assert good.status_code == 302
    assert Acquisition.objects.get().acquired_mu == Decimal("35.5")


def test_funding_and_saving_good_and_bad(staff_client, project):
    bad = post(staff_client, "funding", {"project": project.pk, "source": "special_bond", "amount": "0",
                                          "received_on": "2020-04-01"})
    assert "金额必须大于0" in field_error(bad, "amount")
    # A 录入员 cannot keep a center-level record (no project).
    no_project = post(staff_client, "funding", {"project": "", "source": "special_bond", "amount": "10",
                                                 "received_on": "2020-04-01"})
    assert field_error(no_project, "project")
    assert not Funding.objects.exists()
    assert post(staff_client, "funding", {"project": project.pk, "source": "special_bond", "amount": "500",
                                          "received_on": "2020-04-01"}).status_code == 302
    assert Funding.objects.get().amount == Decimal("500")
    bad = post(staff_client, "saving", {"project": project.pk, "kind": "design", "amount": "-3",
                                         "recorded_on": "2020-04-01"})
    assert "金额必须大于0" in field_error(bad, "amount")
    assert post(staff_client, "saving", {"project": project.pk, "kind": "design", "amount": "80",
                                         "recorded_on": "2020-04-01"}).status_code == 302
    assert Saving.objects.get().amount == Decimal("80")


def test_category_change_good_and_bad(staff_client, project):
    no_reason = post(staff_client, "category-change", {"project": project.pk, "year": 2020,
                                                       "to_category": PlanCategory.NEW, "changed_on": "2020-09-10"})
    assert field_error(no_reason, "reason")
    same = post(staff_client, "category-change", {"project": project.pk, "year": 2020, "reason": "x",
                                                  "to_category": PlanCategory.PRELIMINARY, "changed_on": "2020-09-10"})
    assert "无需调整" in field_error(same, "to_category")
    other_year = post(staff_client, "category-change", {"project": project.pk, "year": 2021, "reason": "x",
                                                        "to_category": PlanCategory.NEW, "changed_on": "2021-01-10"})
    assert "未列入2021年度计划" in field_error(other_year, "year")
    wrong_date = post(staff_client, "category-change", {"project": project.pk, "year": 2020, "reason": "x",
                                                        "to_category": PlanCategory.NEW, "changed_on": "2021-01-10"})
    assert "所属年度内" in field_error(wrong_date, "changed_on")
    assert not CategoryChange.objects.exists()
    good = post(staff_client, "category-change", {
        "project": project.pk, "year": 2020, "to_category": PlanCategory.NEW, "changed_on": "2020-09-10",
        "reason": "前期工作完成，具备开工条件", "instruction": "同意转实施"})
    assert good.status_code == 302
    change = CategoryChange.objects.get()
    # The starting category is the project's category at that date, not typed by the user.
    assert (change.from_category, change.to_category, change.instruction) == (
        PlanCategory.PRELIMINARY, PlanCategory.NEW, "同意转实施")


def test_milestone_good_and_bad(staff_client, project):
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    bad = post(staff_client, "milestone", {"project": project.pk, "name": "路基", "order": 1,
                                            "planned_on": "2021-03-01", "done_on": future})
    assert "不能晚于今天" in field_error(bad, "done_on")
    missing = post(staff_client, "milestone", {"project": project.pk, "name": "路基", "order": 1})
    assert field_error(missing, "planned_on")
    assert not Milestone.objects.exists()
    assert post(staff_client, "milestone", {"project": project.pk, "name": "路基", "order": 1,
                                            "planned_on": "2021-03-01"}).status_code == 302
    assert Milestone.objects.get().planned_on == dt.date(2021, 3, 1)


def test_delete_goes_through_a_confirmation(staff_client, project):
    tender = factories.tender(project=project, kind=TenderKind.SUPERVISION, title="监理")
    page = staff_client.get(reverse("records:tender_delete", args=[tender.pk]))
    assert "确定删除" in page.content.decode()
    assert Tender.objects.exists()
    response = submit(staff_client, reverse("records:tender_delete", args=[tender.pk]))
    assert response.status_code == 302
    assert not Tender.objects.exists()


class TestPhaseTransitions:
    def transition(self, client, project, to_phase, on, reason=""):
        return post(client, "phase", {"project": project.pk, "to_phase": to_phase, "occurred_on": on,
                                      "reason": reason})

    def test_forward_moves_keep_the_projects_phase(self, staff_client, project):
        assert self.transition(staff_client, project, Phase.CONSTRUCTION, "2020-04-01").status_code == 302
        project.refresh_from_db()
        assert project.phase == Phase.CONSTRUCTION
        assert self.transition(staff_client, project, Phase.COMPLETED, "2020-12-01").status_code == 302
        project.refresh_from_db()
        assert project.phase == Phase.COMPLETED
        t = PhaseTransition.objects.order_by("id").last()
        assert (t.from_phase, t.to_phase) == (Phase.CONSTRUCTION, Phase.COMPLETED)

    def test_staff_cannot_move_back(self, staff_client, project):
        self.transition(staff_client, project, Phase.CONSTRUCTION, "2020-04-01")
        back = self.transition(staff_client, project, Phase.PRELIMINARY, "2020-05-01", reason="设计变更")
        assert "只能向前推进" in field_error(back, "to_phase")
        project.refresh_from_db()
        assert project.phase == Phase.CONSTRUCTION and PhaseTransition.objects.count() == 1

    def test_dates_in_order_and_phase_must_change(self, staff_client, project):
        self.transition(staff_client, project, Phase.CONSTRUCTION, "2020-04-01")
        early = self.transition(staff_client, project, Phase.COMPLETED, "2020-03-01")
        assert "不能早于上一次阶段变更" in field_error(early, "occurred_on")
        same = self.transition(staff_client, project, Phase.CONSTRUCTION, "2020-05-01")
        assert "已处于" in field_error(same, "to_phase")
        assert PhaseTransition.objects.count() == 1

    def test_admin_reverses_with_a_reason(self, client, project):
        admin = factories.admin_user()
        client.force_login(admin)
        self.transition(client, project, Phase.CONSTRUCTION, "2020-04-01")
        no_reason = self.transition(client, project, Phase.PRELIMINARY, "2020-05-01")
        assert "须填写原因" in field_error(no_reason, "reason")
        ok = self.transition(client, project, Phase.PRELIMINARY, "2020-05-01", reason="规划调整，暂缓建设")
        assert ok.status_code == 302
        project.refresh_from_db()
        assert project.phase == Phase.PRELIMINARY
        # Undoing the latest transition puts the phase back as well.
        latest = PhaseTransition.objects.order_by("id").last()
        assert submit(client, reverse("records:phase_delete", args=[latest.pk])).status_code == 302
        project.refresh_from_db()
        assert project.phase == Phase.CONSTRUCTION

    def test_only_the_date_and_note_of_a_transition_are_edited(self, staff_client, project):
        self.transition(staff_client, project, Phase.CONSTRUCTION, "2020-04-01")
        t = PhaseTransition.objects.get()
        response = post(staff_client, "phase", {"occurred_on": "2020-04-03", "reason": "补记",
                                                "to_phase": Phase.DELIVERED}, pk=t.pk)
        assert response.status_code == 302
        t.refresh_from_db()
        assert (t.occurred_on, t.reason, t.to_phase) == (dt.date(2020, 4, 3), "补记", Phase.CONSTRUCTION)
        assert Project.objects.get(pk=project.pk).phase == Phase.CONSTRUCTION
