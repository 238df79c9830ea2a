"""A project's change history (变更记录, ``portfolio.history.project_history``): every change saved
through the month page, the Excel upload, the record forms and Django admin is listed with who,
the field's Chinese label, the old and the new value — for rows the 2020 data set loaded (no
history row of their own until their first change) and for rows created here. Newest first, 50 a
page, a fixed number of queries; the project page shows the latest changes from the same function."""
import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from simple_history.utils import bulk_update_with_history

from investment import exports
from investment.models import Funding, FundingSource, MonthlyProgress, PlanEntry, Saving, SavingKind
from land.models import LandBatch
from portfolio.history import UNRECORDED, project_history
from procurement.models import Permit, Tender
from projects.models import Area, CategoryChange, PlanCategory, Project
from tests import factories
from tests.forms_support import submit
from tests.progress_support import MONTH, YEAR, save, world  # noqa: F401


def history_html(client, project, page=None):
    response = client.get(reverse("project_history", args=[project.pk]), {"page": page} if page else {})
    assert response.status_code == 200
    return response.content.decode()


def rows(html):
    """The history table's rows as text cells, e.g. ['2020-…', '张三', '月度进度 · 2020年6月进度',
    '修改', '本月完成投资（万元）', '1518.02', '1600.00'] (a change's later fields: the last 3)."""
    table = html[html.index('id="history"'):]
    table = table[:table.index("</table>")]
    result = []
    for tr in re.findall(r'<tr class="history-row">(.*?)</tr>', table, re.S):
        cells = [re.sub(r"<[^>]+>", " ", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)]
        result.append([" ".join(c.split()) for c in cells])
    return result


def field_row(html, who, label):
    """The first (newest) change row by ``who`` that shows ``label``: (record, kind, old, new)."""
    current = None
    for cells in rows(html):
        if len(cells) == 7:
            current = cells
            if cells[1] == who and cells[4] == label:
                return cells[2], cells[3], cells[5], cells[6]
        elif current is not None and current[1] == who and cells[0] == label:
            return current[2], current[3], cells[1], cells[2]
    raise AssertionError(f"no change by {who} of {label}: {rows(html)}")


def person(username, areas=(), full_name=""):
    user = factories.staff(username, areas=areas)
    if full_name:
        get_user_model().objects.filter(pk=user.pk).update(first_name=full_name)
        user.refresh_from_db()
    return user


# --- the 2020 data set: rows loaded without history ----------------------------------------------

@pytest.fixture
def loaded(demo_2020, client):
    """A loaded project in a land batch, with its 2020 plan entry and June progress, a 录入员 of
    its area (张三) and a leader reading the history."""
    batch = LandBatch.objects.order_by("year", "number").first()
    project = batch.projects.select_related("area").order_by("pk").first()
    entry = PlanEntry.objects.get(project=project, plan__year=2020)
    june = MonthlyProgress.objects.get(entry=entry, month=6)
    assert not MonthlyProgress.history.filter(id=june.pk).exists()  # loaded: no history yet
    assert not PlanEntry.history.filter(id=entry.pk).exists()
    clerk = person("luru_zhang", Area.objects.all(), full_name="张三")  # a batch spans both areas
    leader = factories.leader("leader_li")
    return type("Loaded", (), dict(batch=batch, project=project, entry=entry, june=june, clerk=clerk,
                                   leader=leader))


def test_loaded_data_has_no_history_until_someone_saves(client, loaded):
    client.force_login(loaded.leader)
    html = history_html(client, loaded.project)
    assert "暂无变更记录" in html
    assert project_history(project=loaded.project) == []


def test_month_page_change_of_a_loaded_row_reads_old_to_new(client, loaded):
    client.force_login(loaded.clerk)
    response = save(client, {loaded.entry.pk: {"completed": "1600"}}, year=2020, month=6)
    assert response.status_code == 302
    client.force_login(loaded.leader)
    html = history_html(client, loaded.project)
    assert field_row(html, "张三", "本月完成投资（万元）") == (
        "月度进度 · 2020年6月进度 2020年6月填报", "修改", f"{loaded.june.completed:f}", "1600.00")
    # the loaded version is the "before", not a change of its own; nothing else was touched
    assert len(rows(html)) == 1


def test_upload_change_of_a_loaded_row_reads_old_to_new(client, loaded):
    july = MonthlyProgress.objects.get(entry=loaded.entry, month=7)
    client.force_login(loaded.clerk)
    wb = load_workbook(BytesIO(client.get(reverse("investment:template", args=[2020, 7])).content))
    ws = wb.worksheets[0]
    row = next(r for r in range(exports.FIRST_DATA_ROW, ws.max_row + 1)
               if ws.cell(r, exports.COLUMN_INDEX["code"]).value == loaded.project.code)
    ws.cell(row, exports.COLUMN_INDEX["physical_progress"]).value = "主体结构封顶"
    out = BytesIO()
    wb.save(out)
    response = client.post(reverse("investment:upload", args=[2020, 7]),
                           {"file": SimpleUploadedFile("progress.xlsx", out.getvalue())})
    assert response.status_code == 302
    client.force_login(loaded.leader)
    html = history_html(client, loaded.project)
    record, kind, old, new = field_row(html, "张三", "形象进度")
    assert (record, kind, old, new) == ("月度进度 · 2020年7月进度 2020年7月填报", "修改",
                                        july.physical_progress, "主体结构封顶")


def test_record_form_changes_of_loaded_rows(client, loaded):
    """A tender's amount, the land batch's projects and a permit's deletion, through /records/."""
    tender = Tender.objects.filter(project=loaded.project).order_by("pk").first()
    client.force_login(loaded.clerk)
    url = reverse("records:tender_edit", args=[tender.pk])
    form = client.get(url).context["form"]
    data = {name: "" if form[name].value() is None else form[name].value() for name in form.fields}
    assert submit(client, url, {**data, "amount": "9999.50"}).status_code == 302

    other = Project.objects.exclude(pk__in=loaded.batch.projects.values("pk")).filter(
        area=loaded.project.area).order_by("pk").first()
    members = list(loaded.batch.projects.values_list("pk", flat=True))
    url = reverse("records:land-batch_edit", args=[loaded.batch.pk])
    form = client.get(url).context["form"]
    data = {name: "" if form[name].value() is None else form[name].value() for name in form.fields}
    data["projects"] = [str(pk) for pk in members + [other.pk]]
    response = submit(client, url, data)
    assert response.status_code == 302, response.content.decode()[:3000]

    permit = Permit.objects.filter(project=loaded.project).order_by("pk").first()
    assert submit(client, reverse("records:permit_delete", args=[permit.pk])).status_code == 302

    client.force_login(loaded.leader)
    html = history_html(client, loaded.project)
    assert field_row(html, "张三", "中标金额（万元）") == (
        f"招标 · {tender.title}", "修改", f"{tender.amount:f}", "9999.50")
    record, kind, old, new = field_row(html, "张三", "涉及项目")
    assert record == f"用地报批批次 · {loaded.batch.year}年第{loaded.batch.number}批次" and kind == "修改"
    assert loaded.project.name in old and other.name not in old
    assert loaded.project.name in new and other.name in new
    assert field_row(html, "张三", "证书编号") == (
        f"许可证 · {permit.get_kind_display()}", "删除", permit.number, "")
    # the project that joined the batch sees the change on its own history
    assert "涉及项目" in history_html(client, other)


def test_admin_change_of_a_loaded_row(client, loaded):
    admin = factories.admin_user("admin_wang")
    get_user_model().objects.filter(pk=admin.pk).update(first_name="王五")
    client.force_login(admin)
    permit = Permit.objects.filter(project=loaded.project).order_by("pk").first()
    response = client.post(reverse("admin:procurement_permit_change", args=[permit.pk]), {
        "project": permit.project_id, "kind": permit.kind, "number": "施第2020新号",
        "issued_on": permit.issued_on.isoformat(), "_save": "保存"})
    assert response.status_code == 302, response.content.decode()[:3000]
    june = reverse("admin:investment_monthlyprogress_change", args=[loaded.june.pk])
    response = client.post(june, {
        "entry": loaded.entry.pk, "month": 6, "completed": f"{loaded.june.completed:f}",
        "physical_percent": f"{loaded.june.physical_percent:f}", "physical_progress": "主体结构施工",
        "problems": loaded.june.problems, "_save": "保存"})
    assert response.status_code == 302, response.content.decode()[:3000]
    client.force_login(loaded.leader)
    html = history_html(client, loaded.project)
    assert field_row(html, "王五", "证书编号") == (
        f"许可证 · {permit.get_kind_display()}", "修改", permit.number, "施第2020新号")
    assert field_row(html, "王五", "形象进度") == (
        "月度进度 · 2020年6月进度", "修改", loaded.june.physical_progress, "主体结构施工")


def test_project_page_shows_the_latest_changes_from_the_same_history(client, loaded):
    client.force_login(loaded.clerk)
    save(client, {loaded.entry.pk: {"completed": "1600"}}, year=2020, month=6)
    client.force_login(loaded.leader)
    html = client.get(reverse("projects:detail", args=[loaded.project.pk])).content.decode()
    section = html[html.index('id="history"'):]
    section = section[:section.index("</div></div></div>")]
    assert "张三 修改 月度进度 · 2020年6月进度" in section
    assert f"本月完成投资（万元）：{loaded.june.completed:f} → 1600.00" in section
    assert "全部1条" in html and reverse("project_history", args=[loaded.project.pk]) in html


def test_a_first_change_kept_before_loaded_versions_shows_its_new_values(client, loaded):
    """A change saved before loaded versions were kept has nothing to compare with: its fields
    are listed with the old value 未记录."""
    loaded.june.completed = Decimal("1700")
    bulk_update_with_history([loaded.june], MonthlyProgress, fields=["completed"], default_user=loaded.clerk)
    client.force_login(loaded.leader)
    html = history_html(client, loaded.project)
    assert field_row(html, "张三", "本月完成投资（万元）") == (
        "月度进度 · 2020年6月进度", "修改", UNRECORDED, "1700.00")


# --- new rows -------------------------------------------------------------------------------------

def test_progress_changes_listed_with_who_old_and_new(client, world):
    client.force_login(world.staff_s)
    save(client, {world.s1.pk: {"completed": "100", "physical_progress": "路基"}})
    other = factories.staff("staff_s2", areas=[world.south])
    client.force_login(other)
    save(client, {world.s1.pk: {"completed": "150.5"}})

    client.force_login(world.leader)
    html = history_html(client, world.s1.project)
    assert field_row(html, "staff_s2", "本月完成投资（万元）") == (
        "月度进度 · 2020年6月进度 2020年6月填报", "修改", "100.00", "150.50")
    assert field_row(html, "staff_s", "本月完成投资（万元）") == (
        "月度进度 · 2020年6月进度 2020年6月填报", "新增", "", "100.00")
    assert field_row(html, "staff_s", "形象进度") == (
        "月度进度 · 2020年6月进度 2020年6月填报", "新增", "", "路基")


def test_upload_of_new_rows(client, world):
    client.force_login(world.staff_s)
    wb = load_workbook(BytesIO(client.get(reverse("investment:template", args=[YEAR, MONTH])).content))
    ws = wb.worksheets[0]
    row = next(r for r in range(exports.FIRST_DATA_ROW, ws.max_row + 1)
               if ws.cell(r, exports.COLUMN_INDEX["code"]).value == world.s1.project.code)
    ws.cell(row, exports.COLUMN_INDEX["completed"]).value = 123.45
    out = BytesIO()
    wb.save(out)
    client.post(reverse("investment:upload", args=[YEAR, MONTH]),
                {"file": SimpleUploadedFile("progress.xlsx", out.getvalue())})
    client.force_login(world.leader)
    assert field_row(history_html(client, world.s1.project), "staff_s", "本月完成投资（万元）") == (
        "月度进度 · 2020年6月进度 2020年6月填报", "新增", "", "123.45")


def test_record_forms_and_admin_on_new_rows(client, world):
    project = world.s1.project
    client.force_login(world.staff_s)
    response = client.post(reverse("records:funding_add"), {
        "project": project.pk, "source": FundingSource.SPECIAL_BOND, "amount": "800",
        "received_on": "2020-05-06", "note": "专项债"})
    assert response.status_code == 302
    funding = Funding.objects.get()
    url = reverse("records:funding_edit", args=[funding.pk])
    submit(client, url, {"project": project.pk, "source": FundingSource.SPECIAL_BOND, "amount": "950",
                      "received_on": "2020-05-06", "note": "专项债"})
    client.force_login(world.admin)
    client.post(reverse("admin:investment_funding_change", args=[funding.pk]), {
        "project": project.pk, "source": FundingSource.CENTRAL_BUDGET, "amount": "950",
        "received_on": "2020-05-06", "note": "专项债", "_save": "保存"})
    client.force_login(world.leader)
    html = history_html(client, project)
    assert field_row(html, "admin1", "资金来源") == (
        "争取资金 · 中央预算内资金 2020-05-06", "修改", "专项债", "中央预算内资金")
    assert field_row(html, "staff_s", "金额（万元）")[1:] == ("修改", "800.00", "950.00")
    assert field_row(html, "staff_s", "资金来源")[1:] == ("新增", "", "专项债")


def test_project_plan_category_and_saving_changes_are_listed(client, world):
    project = world.s1.project
    project.total_investment = Decimal("12000")
    project.save()
    world.s1.target = Decimal("2500")
    world.s1.save()
    CategoryChange.objects.create(project=project, year=2020, from_category=PlanCategory.NEW,
                                  to_category=PlanCategory.PRELIMINARY, changed_on="2020-08-18",
                                  reason="征拆未完成")
    Saving.objects.create(project=project, kind=SavingKind.DESIGN, amount=Decimal("120"),
                          recorded_on="2020-07-01", description="优化桥梁结构")
    client.force_login(world.staff_n)  # any role may read a project's history
    html = history_html(client, project)
    assert field_row(html, "系统", "总投资（万元）") == ("项目 · 项目信息", "修改", "10000.00", "12000.00")
    assert field_row(html, "系统", "年度计划投资（万元）") == (
        "年度计划项目 · 2020年度计划", "修改", "2000.00", "2500.00")
    assert field_row(html, "系统", "新类别") == ("类别调整 · 2020年", "新增", "", "预备")
    assert field_row(html, "系统", "调整原因")[3] == "征拆未完成"
    assert field_row(html, "系统", "说明") == ("节约资金 · 优化设计方案 2020-07-01", "新增", "", "优化桥梁结构")


def test_every_kind_of_record_of_the_project_is_listed(world):
    """Land batches (many-to-many), funding, savings, tenders, permits, milestones, category
    changes, phases, scores, acquisitions and their dated progress: each a 新增 on the project."""
    project = world.s1.project
    factories.land_batch(projects=[project], number="7")
    factories.funding(project)
    factories.saving(project)
    factories.tender(project, title="一号路施工")
    factories.permit(project)
    factories.milestone(project, name="主体完工")
    factories.category_change(project)
    factories.phase_transition(project)
    factories.monthly_score(project=project, month=3)
    factories.acquisition_progress(factories.acquisition(project), recorded_on="2020-05-31")
    factories.progress(world.s1, 2, "10")
    factories.tender(world.s2.project)  # another project's record is not listed
    changes = project_history(project=project)
    assert {(c.record, c.kind) for c in changes} == {
        ("项目", "新增"), ("年度计划项目", "新增"), ("月度进度", "新增"), ("用地报批批次", "新增"),
        ("争取资金", "新增"), ("节约资金", "新增"), ("招标", "新增"), ("许可证", "新增"),
        ("节点计划", "新增"), ("类别调整", "新增"), ("阶段变更", "新增"), ("月度考评", "新增"),
        ("征拆进度", "新增"), ("征地拆迁", "新增")}
    by_record = {c.record: c for c in changes}
    assert by_record["用地报批批次"].subject == "2020年第7批次"
    assert ("涉及项目", "", "南片一号路") in [(f.label, f.old, f.new) for f in by_record["用地报批批次"].fields]
    assert by_record["征拆进度"].subject == "2020-05-31"
    assert [f.label for f in by_record["征拆进度"].fields if f.label == "征拆任务"] == []
    assert by_record["招标"].subject == "一号路施工" and by_record["节点计划"].subject == "主体完工"


def test_a_record_moved_to_another_project_shows_the_move_on_both(client, world):
    tender = factories.tender(world.s1.project, title="一号路施工")
    tender.project = world.s2.project
    tender.save()
    for project in (world.s1.project, world.s2.project):
        moved = [c for c in project_history(project=project) if c.kind == "修改"]
        assert [(f.label, f.old, f.new) for c in moved for f in c.fields] == [("项目", "南片一号路", "南片二号学校")]


def test_progress_of_an_entry_without_history_is_found_by_the_project(client, world):
    """Monthly progress is selected by the project id, not through its plan entry's history."""
    PlanEntry.history.all().delete()
    factories.progress(world.s1, 3, "10")
    changes = project_history(project=world.s1.project)
    assert [c.subject for c in changes if c.record == "月度进度"] == ["2020年3月进度"]


def test_a_long_history_is_paged_newest_first(client, world):
    for month in range(1, 13):
        factories.progress(world.s1, month, "10")
    for month in range(1, 13):  # 24 changes, then 40 more edits of the project
        row = MonthlyProgress.objects.get(entry=world.s1, month=month)
        row.completed += 1
        row.save()
    project = world.s1.project
    for i in range(40):
        project.total_investment += 1
        project.save()
    client.force_login(world.leader)
    first = history_html(client, project)
    assert first.count('class="history-row"') == 50
    # 64 changes made here, plus the creation of the project and its plan entry
    assert "第1页 / 共2页（66条）" in first
    second = history_html(client, project, page=2)
    assert "第2页 / 共2页（66条）" in second
    assert first.index(">10039.00</td><td>10040.00<") < first.index(">10000.00</td><td>10001.00<")
    assert "2020年1月进度" in second and "2020年1月进度" not in first


def records_of_every_kind(world):
    project = world.s1.project
    return dict(project=project, batch=factories.land_batch(projects=[project]),
                tender=factories.tender(project), milestone=factories.milestone(project),
                acquisition=factories.acquisition(project), funding=factories.funding(project),
                progress=factories.progress(world.s1, 1, "1"))


def change_every_kind(world, records, n, users=()):
    """``n`` changes of each kind of record of world.s1's project, saved by ``users`` in turn."""
    r = type("Records", (), records)
    for i in range(n):
        who = users[i % len(users)] if users else None
        for record in (r.progress, r.project, r.tender, r.milestone, r.acquisition, r.funding, r.batch):
            record._history_user = who
        r.progress.completed += 1
        r.progress.save()
        r.project.total_investment += 1
        r.project.save()
        r.tender.amount = Decimal(100 + i)
        r.tender.save()
        r.milestone.note = f"第{i}次"
        r.milestone.save()
        r.acquisition.buildings_signed = i + 1
        r.acquisition.save()
        r.funding.amount = Decimal(10 + i)
        r.funding.save()
        r.batch.area_mu = Decimal(5 + i)
        r.batch.save()


def test_the_history_reads_each_version_as_the_orm_does(world):
    """The versions come out of one UNION as JSON: each column reads back as the ORM reads it
    (amounts with their places, times with their zone, 是/否, dates, people), on both databases."""
    from portfolio.history import READ_TYPES, _sources, _versions
    from portfolio.versions import tracked_models

    kept = {f.get_internal_type() for m in tracked_models() for f in m.history.model._meta.concrete_fields}
    assert kept <= READ_TYPES, kept - READ_TYPES
    records = records_of_every_kind(world)
    change_every_kind(world, records, 2, users=[person("luru_a", full_name="赵一")])
    entry = world.s1
    entry.is_municipal_key = not entry.is_municipal_key
    entry.save()
    sources = _sources(world.s1.project.pk)
    read = _versions(sources)
    assert sum(map(len, read)) > 7 * 3
    for (model, query), versions in zip(sources, read):
        fields = model.history.model._meta.concrete_fields
        orm = model.history.filter(query).order_by("id", "history_id")
        # repr: 1600.00 is not 1600.0, True is not 1, a time in UTC is not a naive one
        assert [[repr(getattr(v, f.attname)) for f in fields] for v in versions] == [
            [repr(getattr(v, f.attname)) for f in fields] for v in orm], model


HISTORY_PAGE_QUERIES = 12
"""The history page's queries: session, user and groups, the project, one UNION for the versions of
every kind of record, the many-to-many snapshots, the labels (areas, plans, plan entries, people),
the project's plan years, the menu's unread count — however many kinds of record and changes."""


def test_history_page_query_count_is_fixed(client, world, django_assert_max_num_queries):
    client.force_login(world.leader)
    history_html(client, world.s1.project)  # warm the session
    with CaptureQueriesContext(connection) as bare:  # the project and its plan entry only
        history_html(client, world.s1.project)
    records = records_of_every_kind(world)
    clerks = [person(f"luru_{i}", full_name=name) for i, name in enumerate(["赵一", "钱二", "孙三"])]
    change_every_kind(world, records, 1, users=clerks[:1])
    with CaptureQueriesContext(connection) as small:
        history_html(client, world.s1.project)
    change_every_kind(world, records, 30, users=clerks)
    with django_assert_max_num_queries(len(small)):
        html = history_html(client, world.s1.project)
    assert int(re.search(r"第1页 / 共\d+页（(\d+)条）", html).group(1)) > 7 * 31  # 7 kinds, 31 saves each
    assert {cells[1] for cells in rows(html) if len(cells) == 7} == {"赵一", "钱二", "孙三"}
    # seven more kinds of record and a person: the versions are still one query (the people who
    # saved are one more, the land batch's projects another)
    assert len(small) <= len(bare) + 3, (len(bare), len(small))
    assert len(small) <= HISTORY_PAGE_QUERIES, len(small)
