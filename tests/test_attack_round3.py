"""Attacks, round 3, on contracts and payments, site evidence, problems and 督办, the next year's
plan import and open data: what a hostile or careless user can send with the test client. Each
test is a defect found and fixed: a Chinese message beside the field, nothing (wrong) saved, no 500."""
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from contracts.models import Contract, Payment, StatisticsRegistration, StatisticsReport, Variation
from evidence import services
from evidence.models import FindingStatus, Inspection, Photo
from investment.models import AnnualPlan, Funding, Saving
from procurement.models import Permit, Tender
from projects.models import Milestone, Project
from tests import factories
from tests.demo import shared_fixture
from tests.evidence_support import jpeg, upload
from supervision import services as supervision_services
from supervision.models import OrderState, Problem, ProblemStatus, UnitMember
from tests.forms_support import field_error, post, submit
from tests.test_plan_next_year import error_rows, plan_rows, upload as upload_plan, workbook
from tests.urlwalk import World

walk_world = shared_fixture("url_world", World, fixture_name="walk_world")


def signed_in(user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def alerts(response):
    return re.findall(r'class="alert[^"]*"[^>]*>\s*([^<]*?)\s*<', response.content.decode())


# --- photos ---------------------------------------------------------------------------------------

def jpeg_taken(when):
    image = Image.new("RGB", (120, 90), (90, 140, 60))
    exif = Image.Exif()
    exif[0x0132] = when  # DateTime, as a camera whose clock was never set writes it
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_a_photo_from_a_camera_whose_clock_says_year_1_is_stored_without_a_time(walk_world):
    """EXIF 0001-01-01 in the district's zone is before year 1 in UTC: the upload was a 500."""
    client = signed_in(walk_world.admin)
    url = reverse("evidence:project_photos", args=[walk_world.project.pk]) + "?year=2020&month=6"
    response = client.post(url, {"photos": [upload(jpeg_taken("0001:01:01 00:00:00"), "旧相机.jpg")]}, follow=True)
    assert "已上传 1 张照片。" in alerts(response)
    photo = Photo.objects.get(original_name="旧相机.jpg")
    assert photo.taken_at is None
    figure = re.search(rf'<figure [^>]*data-photo="{photo.pk}">.*?</figure>', response.content.decode(), re.S)
    assert "无拍摄时间" in figure.group(0)


def test_last_months_photo_does_not_back_this_months_progress(walk_world):
    """A photo taken on 31 May was taken for June's 形象进度 and the project left the list of those
    without a photo of the month; every later month could be covered the same way."""
    client = signed_in(walk_world.admin)
    url = reverse("evidence:project_photos", args=[walk_world.project.pk]) + "?year=2020&month=6"
    before = Photo.objects.count()
    response = client.post(url, {"photos": [upload(jpeg_taken("2020:06:01 08:00:00"), "六月一日.jpg"),
                                            upload(jpeg_taken("2020:05:31 18:00:00"), "五月底.jpg")]})
    assert response.status_code == 400
    assert "五月底.jpg：拍摄于2020-05-31，早于2020年6月，不能作为本月的形象进度照片。" in response.content.decode()
    assert Photo.objects.count() == before
    response = client.post(url, {"photos": [upload(jpeg_taken("2020:06:01 08:00:00"), "六月一日.jpg")]})
    assert response.status_code == 302 and Photo.objects.count() == before + 1


# --- contracts ------------------------------------------------------------------------------------

def test_an_edited_contract_keeps_its_approved_cuts_and_its_payments(walk_world):
    """Variations and payments were checked against the contract, the contract not against them:
    its price could be cut below its approved 核减 (现合同价 negative on every page) and its signing
    moved after its own payments."""
    client = signed_in(walk_world.admin)
    contract = factories.contract(walk_world.project, firm=walk_world.org)
    factories.variation(contract, amount=Decimal("-900"), requested_on=dt.date(2020, 3, 1),
                        approved_on=dt.date(2020, 3, 5))
    factories.payment(contract, work_completed=Decimal("50"), amount=Decimal("10"), paid_on=dt.date(2020, 3, 25))
    form = {"project": walk_world.project.pk, "firm": walk_world.org.pk, "kind": "construction",
            "title": "施工合同", "price": "1000", "signed_on": "2020-02-01", "progress_payment_ratio": "80"}
    response = post(client, "contract", {**form, "price": "100"}, pk=contract.pk)
    assert field_error(response, "price") == "已批准变更合计-900万元，合同价不能低于900万元（否则现合同价为负数）。"
    response = post(client, "contract", {**form, "signed_on": "2020-03-28"}, pk=contract.pk)
    assert field_error(response, "signed_on") == "该合同已有2020-03-25的支付，签订日期不能晚于该日。"
    response = post(client, "contract", {**form, "signed_on": "2020-03-10"}, pk=contract.pk)
    assert field_error(response, "signed_on") == "该合同已有2020-03-01申报的变更，签订日期不能晚于该日。"
    contract.refresh_from_db()
    assert (contract.price, contract.signed_on) == (Decimal("1000"), dt.date(2020, 2, 1))
    assert post(client, "contract", {**form, "price": "900", "signed_on": "2020-03-01"}, pk=contract.pk).status_code == 302
    contract.refresh_from_db()
    assert (contract.price, contract.signed_on) == (Decimal("900"), dt.date(2020, 3, 1))


def test_a_tender_opening_is_not_moved_after_its_contract_was_signed(walk_world):
    """The contract was checked against its tender's opening, the tender not against its contracts:
    the opening moved after the signing was saved."""
    client, w = signed_in(walk_world.admin), walk_world
    factories.contract(w.project, firm=w.org, tender=w.tender, title="施工总承包合同", signed_on=dt.date(2020, 2, 20))
    form = {"project": w.project.pk, "kind": w.tender.kind, "title": "施工招标", "published_on": "2020-01-10",
            "winner": w.org.pk, "amount": "2800"}
    response = post(client, "tender", {**form, "bid_opened_on": "2020-03-01"}, pk=w.tender.pk)
    assert field_error(response, "bid_opened_on") == "该招标的合同“施工总承包合同”已于2020-02-20签订，开标日期不能晚于签订日期。"
    w.tender.refresh_from_db()
    assert w.tender.bid_opened_on == dt.date(2020, 2, 10)
    assert post(client, "tender", {**form, "bid_opened_on": "2020-02-15"}, pk=w.tender.pk).status_code == 302


def test_a_payments_cumulative_work_value_does_not_fall(walk_world):
    """累计完成产值 is cumulative; the month's value typed in its place was saved, and the 资金支付审查,
    which reads the latest payment's figure, then took payments within the ratio for 超进度支付."""
    client = signed_in(walk_world.admin)
    contract = factories.contract(walk_world.project, firm=walk_world.org)
    factories.payment(contract, work_completed=Decimal("300"), amount=Decimal("200"), paid_on=dt.date(2020, 3, 25))
    factories.payment(contract, work_completed=Decimal("600"), amount=Decimal("200"), paid_on=dt.date(2020, 5, 25))
    form = {"contract": contract.pk, "amount": "40"}
    response = post(client, "payment", {**form, "paid_on": "2020-06-25", "work_completed": "50"})
    assert field_error(response, "work_completed") == \
        "累计完成产值不能低于此前2020-05-25支付时确认的600万元（填累计数，不是当期数）。"
    response = post(client, "payment", {**form, "paid_on": "2020-04-25", "work_completed": "700"})
    assert field_error(response, "work_completed") == "累计完成产值不能高于此后2020-05-25支付时确认的600万元。"
    assert Payment.objects.filter(contract=contract).count() == 2
    assert post(client, "payment", {**form, "paid_on": "2020-06-25", "work_completed": "650"}).status_code == 302
    assert Payment.objects.filter(contract=contract).count() == 3


def test_a_record_form_sent_twice_saves_one_record(walk_world):
    """A double click on 保存 (or the browser's resend) saved every kind of record twice: a 800 万元
    special bond counted 1,600 in the funds secured, a payment twice in the 累计支付."""
    client, w = signed_in(walk_world.admin), walk_world
    contract = factories.contract(w.project, firm=w.org)
    cases = [
        ("funding", {"project": w.project.pk, "source": "special_bond", "amount": "800", "received_on": "2020-05-06"},
         Funding, "争取资金"),
        ("payment", {"contract": contract.pk, "paid_on": "2020-04-25", "work_completed": "300", "amount": "200"},
         Payment, "进度款支付"),
        ("saving", {"project": w.project.pk, "kind": "earthwork", "amount": "35", "recorded_on": "2020-05-06"},
         Saving, "节约资金"),
    ]
    for slug, data, model, label in cases:
        before = model.objects.count()
        assert post(client, slug, data).status_code == 302, slug
        kept = model.objects.latest("pk")
        html = post(client, slug, data).content.decode()
        assert f"已有完全相同的{label}记录（#{kept.pk}），未重复保存；如确需再录一笔，请在备注或说明中注明。" in html, slug
        assert model.objects.count() == before + 1, slug
    assert post(client, "payment", {**cases[1][1], "note": "同日第二笔"}).status_code == 302
    assert Payment.objects.filter(contract=contract).count() == 2


def test_an_approved_increase_a_later_cut_counts_on_is_not_deleted(walk_world):
    """Deleting an approved variation was not checked: with it went the increase a later 核减 had been
    checked against, and the 现合同价 was negative."""
    client = signed_in(walk_world.admin)
    contract = factories.contract(walk_world.project, firm=walk_world.org, price=Decimal("100"))
    increase = factories.variation(contract, amount=Decimal("900"), approved_on=dt.date(2020, 3, 2))
    factories.variation(contract, amount=Decimal("-950"), requested_on=dt.date(2020, 4, 1),
                        approved_on=dt.date(2020, 4, 2))
    response = submit(client, reverse("records:variation_delete", args=[increase.pk]))
    assert "删除该变更后现合同价为负数（合同价100万元，其余已批准变更-950万元），不能删除。" in response.content.decode()
    assert Variation.objects.filter(pk=increase.pk).exists()
    pending = factories.variation(contract, amount=Decimal("500"), requested_on=dt.date(2020, 5, 1))
    assert submit(client, reverse("records:variation_delete", args=[pending.pk])).status_code == 302


def test_a_contract_with_payments_is_not_deleted_with_them(walk_world):
    """Deleting a contract took its payments and variations with it (CASCADE), without a word on
    the confirmation page: a 录入员 deleting it to enter it again lost its 累计支付."""
    client = signed_in(walk_world.admin)
    contract = factories.contract(walk_world.project, firm=walk_world.org)
    factories.payment(contract, work_completed=Decimal("300"), amount=Decimal("200"))
    factories.variation(contract, amount=Decimal("50"))
    response = submit(client, reverse("records:contract_delete", args=[contract.pk]))
    assert "该合同已有1笔进度款支付、1项变更签证，不能删除；请先删除这些记录。" in response.content.decode()
    assert (Contract.objects.filter(pk=contract.pk).exists(), Payment.objects.filter(contract=contract).count(),
            Variation.objects.filter(contract=contract).count()) == (True, 1, 1)
    Payment.objects.filter(contract=contract).delete()
    Variation.objects.filter(contract=contract).delete()
    assert submit(client, reverse("records:contract_delete", args=[contract.pk])).status_code == 302
    assert not Contract.objects.filter(pk=contract.pk).exists()


def test_the_registration_of_a_project_with_statistics_figures_stays(walk_world):
    """先入库，后有数: deleting the 入库 of a project with figures, or moving it to another project,
    left figures of an unregistered project (the reconciliation counted them all the same)."""
    client, w = signed_in(walk_world.admin), walk_world
    registration = factories.statistics_registration(w.project, registered_on=dt.date(2020, 3, 15))
    factories.statistics_report(w.project, month=4, amount=Decimal("120"))
    response = submit(client, reverse("records:statistics-registration_delete", args=[registration.pk]))
    assert "该项目已有2020年4月起的统计数，不能删除入库记录；先入库，后有数。" in response.content.decode()
    other = factories.project(area=w.area, name="第二个项目")
    response = post(client, "statistics-registration", {"project": other.pk, "registered_on": "2020-03-15"},
                    pk=registration.pk)
    assert field_error(response, "project") == "原项目已有统计数，入库记录不能改到其他项目；先入库，后有数。"
    registration.refresh_from_db()
    assert registration.project_id == w.project.pk
    StatisticsReport.objects.filter(project=w.project).delete()
    assert submit(client, reverse("records:statistics-registration_delete", args=[registration.pk])).status_code == 302
    assert not StatisticsRegistration.objects.exists()


# --- inspections ----------------------------------------------------------------------------------

def test_a_leader_is_not_named_inspector_and_accepts_no_fix(walk_world):
    """Policy: the 检查人 accepts the contractor's fix (验收销项), a write; a 领导 reads. A leader who
    leads an inspection is noted in its 说明. A leader named in a crafted POST was saved as 检查人
    and could then close the finding."""
    admin, leader = signed_in(walk_world.admin), signed_in(walk_world.leader)
    url = reverse("evidence:inspection_add", args=[walk_world.project.pk])
    form = admin.get(url).content.decode()
    assert f'value="{walk_world.admin.pk}"' in form and f'value="{walk_world.leader.pk}"' not in form
    before = Inspection.objects.count()
    response = admin.post(url, {"kind": "quality", "inspected_on": "2020-06-02", "inspectors": [walk_world.leader.pk],
                                "description": "钢筋间距超标", "severity": "minor", "deadline": "2020-06-20"})
    assert response.status_code == 400
    assert field_error(response, "inspectors") == f"选择一个有效的选项。 {walk_world.leader.pk} 不在可用的选项中。"
    with pytest.raises(ValidationError, match="不能作为检查人：检查人须为录入员或管理员"):  # commands call the service
        services.inspection_create(project=walk_world.project, kind="quality", inspected_on=dt.date(2020, 6, 2),
                                   inspectors=[walk_world.leader])
    assert Inspection.objects.count() == before
    # an inspection naming the leader from before this rule: the leader's POST closes nothing
    finding = walk_world.finding
    finding.inspection.inspectors.add(walk_world.leader)
    admin.post(reverse("evidence:finding_submit", args=[finding.pk]), {"photo": upload(jpeg())})
    page = leader.get(reverse("evidence:inspections") + "?year=2020&month=6").content.decode()
    row = re.search(rf'<tr id="finding-{finding.pk}".*?</tr>', page, re.S).group(0)
    assert "待验收" in row and "验收销项" not in row
    assert leader.post(reverse("evidence:finding_accept", args=[finding.pk])).status_code == 403
    finding.refresh_from_db()
    assert finding.status == FindingStatus.SUBMITTED


def test_an_inspection_submitted_twice_is_saved_once(walk_world):
    """A double click saved the inspection twice, and its findings counted twice in the month's
    质量/安全 score suggestions."""
    client = signed_in(walk_world.admin)
    url = reverse("evidence:inspection_add", args=[walk_world.project.pk])
    data = {"kind": "safety", "inspected_on": "2020-06-09", "inspectors": [walk_world.admin.pk],
            "description": "脚手架连墙件缺失", "severity": "major", "deadline": "2020-06-16"}
    before = Inspection.objects.count()
    assert client.post(url, data).status_code == 302
    first = Inspection.objects.latest("pk")
    response = client.post(url, data)
    assert response.status_code == 400
    assert f"该项目2020-06-09已登记相同的检查（#{first.pk}），未重复登记。" in response.content.decode()
    assert Inspection.objects.count() == before + 1
    assert client.post(url, {**data, "description": "安全网破损"}).status_code == 302  # another finding: saved


def test_a_fix_photo_taken_before_the_inspection_is_refused(walk_world):
    """Any old photo of the site was taken as the 整改照片 of a finding made later."""
    client = signed_in(walk_world.admin)
    finding = walk_world.finding  # inspected 2020-06-01
    response = client.post(reverse("evidence:finding_submit", args=[finding.pk]),
                           {"photo": upload(jpeg_taken("2020:05:20 09:00:00"), "旧照片.jpg")}, follow=True)
    assert alerts(response) == ["旧照片.jpg：拍摄于2020-05-20，早于检查日期2020-06-01，不能证明已整改。"]
    finding.refresh_from_db()
    assert (finding.status, finding.evidence_id) == (FindingStatus.OPEN, None)


def test_a_finding_accepted_in_another_tab_says_it_is_closed(walk_world):
    """The second accept (a double click, a second tab) said 尚未提交整改照片 of a finding whose fix
    had just been accepted; a send-back then said there was no fix to review."""
    client = signed_in(walk_world.admin)
    finding = walk_world.finding
    signed_in(factories.admin_user("zhenggai_r3")).post(reverse("evidence:finding_submit", args=[finding.pk]),
                                                        {"photo": upload(jpeg())})
    assert "已验收，问题销项。" in alerts(client.post(reverse("evidence:finding_accept", args=[finding.pk]), follow=True))
    finding.refresh_from_db()
    closed = f"该问题已于{finding.closed_on.isoformat()}验收销项，不能重复验收或退回。"
    for step in ("finding_accept", "finding_reject"):
        assert alerts(client.post(reverse(f"evidence:{step}", args=[finding.pk]), follow=True)) == [closed]
    finding.refresh_from_db()
    assert finding.status == FindingStatus.CLOSED


# --- the next year's plan -------------------------------------------------------------------------

def test_plan_import_refuses_dates_outside_the_years_and_out_of_order_with_a_projects_own(demo_2020, admin_client_):
    """A known project keeps its dates and gets only the empty ones from the table: a 计划完工 before
    its own 计划开工 was saved; 0001-01-01, 9999-12-31 and Excel serials 1 and 99,999 (1899, 2173)
    were saved as planned dates."""
    rows = plan_rows(2)
    project = Project.objects.get(code=rows[0][0])
    own_start = project.planned_start
    Project.objects.filter(pk=project.pk).update(planned_finish=None)
    rows[0][5], rows[0][6] = None, own_start.replace(year=own_start.year - 1)
    rows.append(["2021-430112-48-01-300001", "时间错乱路", "新建", "否", 10, "0001-01-01", "9999-12-31", None, "南片"])
    rows.append(["2021-430112-48-01-300002", "序号日期路", "新建", "否", 10, 1, 99999, None, "南片"])
    errors = error_rows(upload_plan(admin_client_, workbook(rows)).content.decode())
    assert errors == [
        (4, "计划完工", f"计划完工日期不能早于项目已有的计划开工日期（{own_start.isoformat()}）。"),
        (6, "计划完工", "日期9999-12-31不在2000年至2100年之间。"),
        (6, "计划开工", "日期0001-01-01不在2000年至2100年之间。"),
        (7, "计划完工", "日期2173-10-13不在2000年至2100年之间。"),
        (7, "计划开工", "日期1899-12-31不在2000年至2100年之间。"),
    ]
    project.refresh_from_db()
    assert project.planned_finish is None and not AnnualPlan.objects.filter(year=2021).exists()
    rows[0][6] = own_start.replace(year=own_start.year + 1)
    assert upload_plan(admin_client_, workbook(rows[:2])).status_code == 302



def test_whoever_sent_the_fix_does_not_accept_it(walk_world):
    """A 录入员 named 检查人 of an inspection on their own project sent the fix and accepted it
    themselves: no second pair of eyes ever saw it. Policy: another inspector (or administrator) accepts."""
    w = walk_world
    clerk = factories.staff("luru_r3", projects=[w.project])
    w.finding.inspection.inspectors.add(clerk, w.admin)
    client = signed_in(clerk)
    client.post(reverse("evidence:finding_submit", args=[w.finding.pk]), {"photo": upload(jpeg())})
    page = client.get(reverse("evidence:inspections") + "?year=2020&month=6").content.decode()
    row = re.search(rf'<tr id="finding-{w.finding.pk}".*?</tr>', page, re.S).group(0)
    assert "待验收" in row and "验收销项" not in row
    response = client.post(reverse("evidence:finding_accept", args=[w.finding.pk]))
    assert response.status_code == 403
    assert "整改照片是您本人提交的，须由该次检查的其他检查人验收。" in response.content.decode()
    w.finding.refresh_from_db()
    assert w.finding.status == FindingStatus.SUBMITTED
    signed_in(w.admin).post(reverse("evidence:finding_accept", args=[w.finding.pk]))
    w.finding.refresh_from_db()
    assert (w.finding.status, w.finding.accepted_by) == (FindingStatus.CLOSED, w.admin)


# --- dates far in the past or future --------------------------------------------------------------

def test_record_dates_before_2000_or_far_ahead_are_refused_beside_the_field(walk_world):
    """A contract signed in 1999 (or 0001), a node planned for 9999 (never overdue), a permit issued
    in 9999 (its lead time in centuries) were saved; no period of the product shows them."""
    client, w = signed_in(walk_world.admin), walk_world
    cases = [
        ("contract", {"project": w.project.pk, "firm": w.org.pk, "kind": "design", "title": "设计合同", "price": "50",
                      "signed_on": "1999-12-31", "progress_payment_ratio": "80"},
         "signed_on", "签订日期须在2000年至2100年之间。", Contract),
        ("funding", {"project": w.project.pk, "source": "special_bond", "amount": "80", "received_on": "0001-01-01"},
         "received_on", "到位日期须在2000年至2100年之间。", Funding),
        ("milestone", {"project": w.project.pk, "name": "主体封顶", "order": "2", "planned_on": "9999-12-31"},
         "planned_on", "计划完成日期须在2000年至2100年之间。", Milestone),
        ("tender", {"project": w.project.pk, "kind": "supervision", "title": "监理招标", "bid_opened_on": "2101-01-01"},
         "bid_opened_on", "开标日期须在2000年至2100年之间。", Tender),
        ("permit", {"project": w.project.pk, "kind": "planning", "number": "规字1号", "issued_on": "2099-06-01"},
         "issued_on", f"核发日期不能晚于今天（{timezone.localdate().isoformat()}）：记录的是已经发生的事。", Permit),
    ]
    for slug, data, field, message, model in cases:
        before = model.objects.count()
        response = post(client, slug, data)
        assert field_error(response, field) == message, slug
        assert model.objects.count() == before, slug
    response = post(client, "milestone", {"project": w.project.pk, "name": "主体封顶", "order": "2",
                                          "planned_on": "2100-12-31"})
    assert response.status_code == 302


def test_a_problem_due_before_2000_is_refused(walk_world):
    """A 解决时限 of 1900-01-01 was saved: the problem was overdue by 120 years on every list."""
    client, w = signed_in(walk_world.admin), walk_world
    before = Problem.objects.count()
    response = client.post(reverse("problem_create"), {"project": w.project.pk, "type": "land",
                                                       "description": "红线内杆线未迁改", "deadline": "1900-01-01"})
    assert field_error(response, "deadline") == "解决时限不能早于2000年。"
    assert Problem.objects.count() == before
    response = submit(client, reverse("problem_edit", args=[w.problem.pk]),
                      {"type": "land", "description": "改期", "deadline": "1999-12-31"})
    assert field_error(response, "deadline") == "解决时限不能早于2000年。"
    w.problem.refresh_from_db()
    assert w.problem.deadline is None



def test_a_problem_is_not_closed_while_its_order_is_open(walk_world):
    """The clerk's 销号 of a problem skipped the 督办 loop: the order issued on it was still waiting for
    the unit's reply and the leader's review, and the problem counted as solved."""
    w = walk_world
    client = signed_in(w.admin)
    url = reverse("problem_detail", args=[w.problem.pk])
    response = client.post(url, {"resolution": "已协调解决"})
    assert re.search(rf'id="form-errors">\s*<div>该问题的督办（#{w.order.pk}）尚未办结，须经复核办结后再销号。</div>',
                     response.content.decode())
    w.problem.refresh_from_db()
    assert w.problem.status == ProblemStatus.OPEN
    liaison = factories.user("danwei_close_r3")
    UnitMember.objects.create(user=liaison, organisation=w.org)
    supervision_services.order_sign(user=liaison, order=w.order)
    supervision_services.order_reply(user=liaison, order=w.order, text="已迁改完毕")
    supervision_services.order_accept(user=w.leader, order=w.order)
    assert client.post(url, {"resolution": "已协调解决"}).status_code == 302
    w.problem.refresh_from_db()
    w.order.refresh_from_db()
    assert (w.problem.status, w.order.state) == (ProblemStatus.CLOSED, OrderState.CLOSED)


# --- a login without a role -----------------------------------------------------------------------

def test_a_unit_liaison_reads_its_supervision_pages_and_not_the_centres_data(walk_world):
    """A 责任单位 liaison (a login with no role) read the dashboard, every project, contract and
    payment, the district workbook and the 调度会 pack; only the month page and the photo files
    refused it. Policy: it opens 问题, 督办 and its messages (the loop's 通报 is for every unit)."""
    w = walk_world
    liaison = factories.user("danwei_round3")
    UnitMember.objects.create(user=liaison, organisation=w.org)
    client = signed_in(liaison)
    response = client.get(reverse("dashboard"))
    assert (response.status_code, response["Location"]) == (302, reverse("order_list"))
    for url in (reverse("order_list"), reverse("order_detail", args=[w.order.pk]), reverse("inbox"),
                reverse("problem_detail", args=[w.problem.pk])):
        assert client.get(url).status_code == 200, url
    for url in (reverse("contracts:payments"), reverse("records:project", args=[w.project.pk]),
                reverse("district_workbook") + "?year=2020&month=6", reverse("evidence:inspections"),
                reverse("meeting_pack") + "?year=2020&month=6"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "您的账号没有角色（管理员、领导或录入员），只能查看问题、督办和消息。" in response.content.decode(), url
    assert signed_in(w.leader).get(reverse("contracts:payments")).status_code == 200


def test_a_plan_confirmed_in_another_tab_is_not_reported_as_discarded(demo_2020, admin_client_):
    """The second tab's 确认 found no draft (the first had confirmed it) and said 草稿已放弃 — of a
    plan that had just been created."""
    admin_client_.post(reverse("plans:prepare", args=[2021]), {"action": "rollforward"})
    admin_client_.post(reverse("plans:review", args=[2021]), {"action": "confirm"})
    response = admin_client_.post(reverse("plans:review", args=[2021]), {"action": "confirm"}, follow=True)
    assert "没有待确认的草稿：2021年度计划已经生成。" in alerts(response)
    assert "草稿已放弃。" not in alerts(response)
    assert AnnualPlan.objects.filter(year=2021).count() == 1
