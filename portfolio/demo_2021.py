"""The demo's 2021 (``manage.py load_demo``, after the 2020 data set): the year the center's
report plans — the 2021 plan with its 23 projects to complete, node plans per area, and January–
March progress — built the way an administrator and the area clerks would build it, through the
product's own services (no rows are inserted by hand):

1. **Plan.** The plan table template of 2021 (``plan_exports.plan_template``: the roll-forward of
   2020 filled in) is filled as the district would — targets, four 预备 roads moved to 新建, 普瑞大道
   made 市重大 — and eight new projects appended (two 预备 ones without a national code); it is read
   by the upload form the plan page uses, checked (``plan_rows_validate``), reviewed
   (``plan_review``) and confirmed (``annual_plan_create``). The new projects get their kind, total
   investment and description, as on their page. 中南路, 普瑞大道 and 湖南信息学院电力工程 (计划外 in 2020,
   their total being their 2020 completion) get their approved total investment.
2. **Node plans**, area by area (``plan_milestones_apply``).
3. **Land, tenders and permits** (the record forms' service ``record_save``): two land approval
   batches of the new projects, the first approved before its projects start; the tenders and
   permits of the three new projects that start in March (tendered after the plan was issued,
   opened before the Spring Festival, permits after it), and the tenders of two projects due to
   start in March that slip to April (养老中心配套道路, 普瑞大道).
4. **Starts**: phase 在建 (``phase_transition_create``), 实际开工 and the winners on the project.
5. **复工** of the 21 continuing projects after the Spring Festival, on their plan entries.
6. **Progress** January–March through the month page's service (``progress_save_month``), entered
   by the area's 录入员: the year's target spread by season (January 4, February 2 — the Spring
   Festival on 12 February —, March 8, other months 10), three laggards at half pace with their
   problem stated; January and February locked after they were reported (``month_lock``), March
   still open; the areas' 流动红旗 scores (``score_save``). Nodes due in the quarter are marked
   done, except those of the laggards and of projects not started.

Running it again changes no row: every step looks first whether it was done (a plan exists, a
tender of that title, a month locked, a field already holding its value) and the month saves
write nothing when the values are those stored. The 2020 data set is reloaded before it, which
puts back the loaded value of the few 2020 rows this year changes (three projects' total
investment, the nodes done in the quarter, two tendered nodes); those are set again without a
second history row, their history already holding the change.
"""
import datetime as dt
import io
import random
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Sum
from openpyxl import load_workbook

from investment import plan_exports, plan_services
from investment.models import AnnualPlan, MonthlyProgress, PlanEntry
from investment.plan_forms import PlanUploadForm
from investment.selectors import month_entries, month_is_locked
from investment.services import ProgressInput, month_lock, progress_save_month
from land.models import LandBatch
from land.services import land_batch_validate
from portfolio.exports.writer import FIRST_DATA_ROW
from portfolio.progress_stages import STAGES
from procurement.models import Permit, PermitKind, Tender, TenderKind
from procurement.services import tender_validate
from projects.models import (
    Area, Milestone, MonthlyScore, Organisation, Phase, PlanCategory, Project, Role, StaffAssignment,
)
from projects.services import phase_transition_create, record_save, score_save

YEAR = 2021
LAST_MONTH = 3
APPROVED_ON = dt.date(2021, 1, 15)
LOCKED_ON = {1: "1月报表已报区发改局", 2: "2月报表已报区发改局"}
SEASON = {1: 4, 2: 2, 3: 8}
"""Monthly weight of a year's work; the other months weigh 10 (February: the Spring Festival)."""
OTHER_MONTH_WEIGHT = 10
ADMIN_USERNAME = "admin"
CLERKS = {"南片": "luru_nan", "北片": "luru_bei"}

# --- the district's plan table ----------------------------------------------------------------

NEW_CATEGORY = {"滨水新城一路": "新建", "斑马湖路": "新建", "高塘岭路": "新建", "书堂山路": "新建"}
"""预备 roads of 2020 the district lists as 新建 in 2021 (planned start 30 June 2021)."""
MUNICIPAL = {"普瑞大道（三环线-金星路）提质改造"}
"""Carried projects the 2021 table makes 市重大."""
TARGETS = {
    "普瑞大道（三环线-金星路）提质改造": 24000, "中南路": 5600, "湖南信息学院电力工程": 2200,
    "养老中心配套道路": 5000, "滨水新城一路": 1200, "斑马湖路": 1500, "高塘岭路": 1800, "书堂山路": 2000,
    "滨江片区安置房": 1500, "望城经开区标准厂房": 1500, "高星物流园配套道路": 1500, "谷山片区综合管廊": 20,
    "对家塘路": 60, "雅湖路": 60, "杨江街路": 50, "靖港路": 90, "格塘路": 80, "乔口大道提质改造": 70,
    "铜官大道拓宽": 90,
}
"""2021 targets (万元) of the carried projects not due to complete; the 23 due get 85 % of what
is left of their total investment (the rest is paid at settlement)."""
SHARE_OF_REST = Decimal("0.85")
TOTALS = {"中南路": 6800, "普瑞大道（三环线-金星路）提质改造": 32000, "湖南信息学院电力工程": 2600}
"""Approved total investment (概算, 万元) of the 2020 计划外 projects, recorded in 2021."""

NEW_PROJECTS = [
    # code, name, category, 市重大, target, planned start, planned finish, owner unit, area,
    # kind, total investment, description
    ("2021-430112-83-01-102017", "滨水新城小学", "新建", "是", 7800, dt.date(2021, 3, 15), dt.date(2022, 8, 20),
     "望城区教育局", "南片", "school", 28600, "新建36班小学，建筑面积约2.6万平方米"),
    ("2021-430112-78-01-102054", "斑马湖公园", "新建", "否", 2600, dt.date(2021, 3, 20), dt.date(2022, 4, 30),
     "望城区城市管理和综合执法局", "南片", "park", 5200, "湖岸生态修复、园路及绿化景观，约12公顷"),
    ("2021-430112-48-01-102091", "月亮岛路南延", "新建", "否", 4000, dt.date(2021, 5, 15), dt.date(2022, 6, 30),
     "望城区交通运输局", "南片", "road", 16800, "城市次干道，长约2.1公里，红线宽30米"),
    ("", "滨水新城邻里中心", "预备", "否", 120, None, None,
     "望城区住房和城乡建设局", "南片", "building", 9000, "社区服务、文化活动及养老托育用房"),
    ("2021-430112-48-01-102128", "黄金园路北延", "新建", "否", 3600, dt.date(2021, 3, 10), dt.date(2022, 3, 31),
     "望城区交通运输局", "北片", "road", 9600, "城市支路，长约1.3公里，红线宽24米"),
    ("2021-430112-83-01-102165", "腾飞路小学", "新建", "是", 6500, dt.date(2021, 6, 30), dt.date(2022, 8, 31),
     "望城区教育局", "北片", "school", 24800, "新建30班小学，建筑面积约2.3万平方米"),
    ("2021-430112-44-01-102202", "高星物流园雨污分流改造", "新建", "否", 1500, dt.date(2021, 7, 1),
     dt.date(2022, 5, 31), "望城经济技术开发区管理委员会", "北片", "utility", 4200, "园区雨污分流管网改造约8公里"),
    ("", "丁字湾公园二期", "预备", "否", 60, None, None,
     "望城区城市管理和综合执法局", "北片", "park", 3800, "丁字湾公园向北扩建，约6公顷"),
]

# --- the first quarter's tenders, permits and starts --------------------------------------------

STARTS = {
    # tendered after the plan was issued (15 January), 20 days or more from notice to opening, opened
    # before the Spring Festival, permits within 45 days of the opening
    # name: construction tender (published, opened, winner, amount), supervision tender or None,
    #       planning permit, construction permit, start, supervisor
    "滨水新城小学": ((dt.date(2021, 1, 18), dt.date(2021, 2, 8), "砚川建工有限公司", 25630),
                 (dt.date(2021, 1, 19), dt.date(2021, 2, 9), "岑衡工程项目管理有限公司", 386),
                 dt.date(2021, 2, 22), dt.date(2021, 3, 4), dt.date(2021, 3, 8)),
    "斑马湖公园": ((dt.date(2021, 1, 20), dt.date(2021, 2, 9), "溪棠市政建设有限公司", 4690), None,
              dt.date(2021, 3, 1), dt.date(2021, 3, 16), dt.date(2021, 3, 22)),
    "黄金园路北延": ((dt.date(2021, 1, 18), dt.date(2021, 2, 8), "栎阳路桥工程有限公司", 8520), None,
                dt.date(2021, 2, 23), dt.date(2021, 3, 9), dt.date(2021, 3, 15)),
}
SLIPPING = {
    # due to start in March, tendered, start in April: construction tender, planning permit or None
    "养老中心配套道路": ((dt.date(2021, 1, 12), dt.date(2021, 2, 3), "望城桐麓市政工程有限公司", 8890),
                 dt.date(2021, 3, 19)),
    "普瑞大道（三环线-金星路）提质改造": ((dt.date(2021, 3, 8), dt.date(2021, 3, 30), "砥石路桥建设有限公司", 27150), None),
}
LAND_BATCHES = [
    # number, submitted, approved, 亩, projects — approved before any of its projects starts
    ("1", dt.date(2021, 1, 5), dt.date(2021, 3, 3), "58.36", ["滨水新城小学", "斑马湖公园", "黄金园路北延"]),
    ("2", dt.date(2021, 3, 16), None, "46.80", ["养老中心配套道路", "月亮岛路南延"]),
]
LAGGARDS = {
    "华灿路": "征拆进度滞后，部分红线范围内尚未交地",
    "腾飞路": "管线迁改协调难度大，影响施工进度",
    "青竹湖路": "春节后劳务人员返岗不足，施工进度滞后",
}
"""Projects at half pace in the quarter; their nodes due in the quarter are not done."""
RESUMED = {"华灿路": dt.date(2021, 3, 5), "腾飞路": dt.date(2021, 3, 3), "青竹湖路": dt.date(2021, 3, 8)}
"""复工 after the Spring Festival (12 February): the continuing projects 19–26 February (正月初八
on), the laggards in early March."""
NODES_DONE = {
    "养老中心配套道路": {"施工图审查": dt.date(2021, 1, 8), "招标": dt.date(2021, 2, 3)},
    "普瑞大道（三环线-金星路）提质改造": {"施工图审查": dt.date(2021, 2, 26), "招标": dt.date(2021, 3, 30)},
    "滨水新城一路": {"施工图审查": dt.date(2021, 3, 18)}, "斑马湖路": {"施工图审查": dt.date(2021, 3, 25)},
    "月亮岛路南延": {"施工图审查": dt.date(2021, 2, 23)}, "腾飞路小学": {"施工图审查": dt.date(2021, 3, 12)},
}
"""Nodes of projects not started that were done in the quarter (the others' wait)."""
SCORES = {  # month: {area: (进度, 质量, 安全, 形象)}
    1: {"南片": (90, 92, 95, 90), "北片": (92, 91, 94, 91)},
    2: {"南片": (88, 91, 96, 89), "北片": (87, 90, 95, 90)},
    3: {"南片": (93, 92, 95, 92), "北片": (89, 93, 94, 91)},
}
"""流动红旗 area scores of the quarter (北片: two laggards in March)."""

CENT = Decimal("0.01")


def load_2021(*, stdout=None):
    """Build the demo's 2021 on the 2020 data set (module doc). Safe to run again."""
    say = stdout.write if stdout else (lambda _text: None)
    with transaction.atomic():
        admin, clerks = _users()
        plan = _plan(admin, say)
        _correct_projects(admin)
        _node_plans(admin, say)
        _land_batches(admin)
        _tenders_permits_starts(admin)
        _resumptions(admin)
        for month in range(1, LAST_MONTH + 1):
            _progress(clerks, month)
            if month in LOCKED_ON and not _locked(month):
                month_lock(user=admin, year=YEAR, month=month, reason=LOCKED_ON[month])
            _scores(admin, month)
        _nodes_done(admin)
    say(f"已生成 {plan.title}：{plan.entries.count()}个项目，1-{LAST_MONTH}月进度")
    return plan


# --- the people who do it ---------------------------------------------------------------------

def _users():
    """The administrator and the area clerks of the demo (``ensure_admin`` and
    ``ensure_demo_users`` set their passwords afterwards; until then they cannot log in)."""
    User = get_user_model()
    admin, created = User.objects.get_or_create(username=ADMIN_USERNAME)
    if created:
        admin.is_staff = admin.is_superuser = True
        admin.set_unusable_password()
        admin.save()
        admin.groups.add(Group.objects.get_or_create(name=Role.ADMIN)[0])  # a flushed test database has none
    clerks = {}
    for area in Area.objects.all():
        clerk, created = User.objects.get_or_create(username=CLERKS.get(area.name, f"luru_{area.pk}"))
        if created:
            clerk.first_name = f"{area.name}录入员"
            clerk.set_unusable_password()
            clerk.save()
            clerk.groups.add(Group.objects.get_or_create(name=Role.STAFF)[0])
            StaffAssignment.objects.get_or_create(user=clerk, area=area)
        clerks[area.pk] = clerk
    return admin, clerks


# --- 1. the plan ------------------------------------------------------------------------------

def plan_table():
    """The 2021 plan table as the district returns it: the product's template (the roll-forward
    of 2020) with targets and changes filled in and the new projects appended (.xlsx bytes)."""
    proposals = plan_services.plan_roll_forward(year=YEAR)
    book = load_workbook(io.BytesIO(plan_exports.plan_template(year=YEAR, proposals=proposals).to_bytes()))
    sheet = book[plan_exports.sheet_title(YEAR)]
    rests = _rests([p.project for p in proposals])
    for number, proposal in enumerate(proposals, start=FIRST_DATA_ROW):
        name = proposal.project.name
        assert sheet.cell(number, 2).value == name, (number, name)
        if name in NEW_CATEGORY:
            sheet.cell(number, 3, NEW_CATEGORY[name])
        if name in MUNICIPAL:
            sheet.cell(number, 4, "是")
        sheet.cell(number, 5, TARGETS.get(name) or _tens(rests[proposal.project.pk] * SHARE_OF_REST))
    for row in NEW_PROJECTS:
        sheet.append(list(row[:9]))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _rests(projects):
    """What is left of each project's total investment after all its months so far."""
    done = dict(MonthlyProgress.objects.filter(entry__project__in=projects).values("entry__project")
                .annotate(s=Sum("completed")).values_list("entry__project", "s"))
    return {p.pk: max(p.total_investment - (done.get(p.pk) or 0), Decimal(0)) for p in projects}


def _tens(amount):
    return int((Decimal(amount) / 10).quantize(Decimal(1), ROUND_HALF_UP) * 10)


def _plan(admin, say):
    plan = AnnualPlan.objects.filter(year=YEAR).first()
    if plan:
        return plan
    content = plan_table()
    form = PlanUploadForm({}, {"file": SimpleUploadedFile(f"{YEAR}年度计划表.xlsx", content)}, year=YEAR)
    if not form.is_valid():
        raise RuntimeError(f"{YEAR}年度计划表未通过导入：{form.errors}")
    errors = form.row_errors + plan_services.plan_rows_validate(year=YEAR, rows=form.plan_rows)
    if errors:
        raise plan_services.PlanImportError(errors)
    review = plan_services.plan_review(year=YEAR, rows=form.plan_rows)
    say(f"{YEAR}年度计划：结转{len(review.carried)}个，新增{len(review.added)}个，"
        f"调出{len(review.dropped)}个，合计{review.total['count']}个、{review.total['target']}万元")
    return plan_services.annual_plan_create(user=admin, year=YEAR, rows=form.plan_rows, approved_on=APPROVED_ON,
                                            title=f"{YEAR}年望城区重点建设项目事务中心固定资产投资计划")


def _ensure(user, obj, **values):
    """Set the fields that differ and save through the record forms' service."""
    changed = {k: v for k, v in values.items() if getattr(obj, k) != v}
    if not changed:
        return obj
    latest = obj.history.order_by("-history_date", "-history_id").first()
    for key, value in changed.items():
        setattr(obj, key, value)
    # A reload of the 2020 data set put back a value this loader had set: its history already
    # says so, so it is set again without recording the same change twice.
    restoring = latest is not None and all(getattr(latest, k) == getattr(obj, k) for k in changed)
    if restoring:
        obj.skip_history_when_saving = True
    try:
        record_save(user=user, instance=obj)
    finally:
        if restoring:
            del obj.skip_history_when_saving
    return obj


def _project(name):
    return Project.objects.get(name=name)


def _correct_projects(admin):
    """What the import cannot know: the new projects' kind, total and content; the approved totals."""
    for row in NEW_PROJECTS:
        _ensure(admin, _project(row[1]), kind=row[9], total_investment=Decimal(row[10]), description=row[11])
    for name, total in TOTALS.items():
        _ensure(admin, _project(name), total_investment=Decimal(total))


# --- 2. node plans ----------------------------------------------------------------------------

def _node_plans(admin, say):
    for area in Area.objects.order_by("order", "name"):
        done, created = plan_services.plan_milestones_apply(user=admin, year=YEAR, area=area)
        if done:
            say(f"{area.name}：{len(done)}个项目生成节点计划，{created}个节点")


# --- 3./4. tenders, permits, starts -------------------------------------------------------------

def _firm(name):
    return Organisation.objects.get(name=name)


def _land_batches(admin):
    for number, submitted, approved, area_mu, names in LAND_BATCHES:
        if LandBatch.objects.filter(year=YEAR, number=number).exists():
            continue
        record_save(user=admin, instance=LandBatch(
            year=YEAR, number=number, name=f"望城区{YEAR}年度第{number}批次建设用地", submitted_on=submitted,
            approved_on=approved, area_mu=Decimal(area_mu)),
            m2m={"projects": list(Project.objects.filter(name__in=names))}, validate=land_batch_validate)


def _tender(admin, project, kind, dates_winner_amount):
    published, opened, winner, amount = dates_winner_amount
    title = f"{project.name}{TenderKind(kind).label}"
    if Tender.objects.filter(project=project, kind=kind, title=title).exists():
        return
    record_save(user=admin, instance=Tender(project=project, kind=kind, title=title, published_on=published,
                                            bid_opened_on=opened, winner=_firm(winner), amount=Decimal(amount)),
                validate=tender_validate)


def _permit(admin, project, kind, issued_on, serial):
    if issued_on is None or Permit.objects.filter(project=project, kind=kind).exists():
        return
    prefix = "建字第" if kind == PermitKind.PLANNING else "施工许字第"
    record_save(user=admin, instance=Permit(project=project, kind=kind, issued_on=issued_on,
                                            number=f"{prefix}430112{YEAR}{serial:04d}号"))


def _tenders_permits_starts(admin):
    serial = 1
    for name, (construction, supervision, planning, building, start) in STARTS.items():
        project = _project(name)
        _tender(admin, project, TenderKind.CONSTRUCTION, construction)
        if supervision:
            _tender(admin, project, TenderKind.SUPERVISION, supervision)
        _permit(admin, project, PermitKind.PLANNING, planning, serial)
        _permit(admin, project, PermitKind.CONSTRUCTION, building, serial)
        serial += 1
        if project.phase == Phase.PRELIMINARY:
            phase_transition_create(user=admin, project=project, to_phase=Phase.CONSTRUCTION, occurred_on=start,
                                    reason="施工许可证已核发，正式开工")
            project.refresh_from_db()
        _ensure(admin, project, actual_start=start, preliminary_done_on=construction[0] - dt.timedelta(days=5),
                contractor=_firm(construction[2]),
                supervisor=_firm(supervision[2]) if supervision else project.supervisor)
    for name, (construction, planning) in SLIPPING.items():
        project = _project(name)
        _tender(admin, project, TenderKind.CONSTRUCTION, construction)
        _permit(admin, project, PermitKind.PLANNING, planning, serial)
        serial += 1


def _resumptions(admin):
    """复工 of the continuing projects after the Spring Festival (``RESUMED``)."""
    entries = (PlanEntry.objects.filter(plan__year=YEAR, category=PlanCategory.CONTINUING,
                                        project__actual_start__year__lt=YEAR)
               .select_related("project").order_by("project__code"))
    for entry in entries:
        day = RESUMED.get(entry.project.name) or dt.date(YEAR, 2, random.Random(entry.project.code).randint(19, 26))
        _ensure(admin, entry, resumed_on=day)


# --- 5. progress ------------------------------------------------------------------------------

def _locked(month):
    return month_is_locked(year=YEAR, month=month)


def _month_end(month):
    return dt.date(YEAR, month + 1, 1) - dt.timedelta(days=1)


def _q(value):
    return Decimal(value).quantize(CENT, ROUND_HALF_UP)


def _weights(finish):
    """Month → weight of the year's work, up to the month of the planned finish."""
    last = finish.month if finish and finish.year == YEAR else 12
    return {m: SEASON.get(m, OTHER_MONTH_WEIGHT) for m in range(1, last + 1)}


def month_values(entry, month):
    """(本月完成, 形象进度 %, 形象进度, 存在问题) of one plan entry in one month of the quarter."""
    project = entry.project
    rng = random.Random(f"{project.code}-{YEAR}-{month}")
    end = _month_end(month)
    previous = entry.previous_percent
    problems = LAGGARDS.get(project.name, "")
    if entry.category == PlanCategory.SUPERVISED:
        percent = min(Decimal(100), (previous or Decimal(90)) + rng.choice([1, 2]))
        amount = _q(entry.target * Decimal(SEASON[month]) / 30 * Decimal(rng.uniform(0.8, 1.2)))
        return amount, percent, "社会投资建设，中心监管：" + _stage(project.kind, percent), ""
    if entry.category == PlanCategory.RESERVE:
        return _q(rng.uniform(0.5, 2)), Decimal(0), "储备项目：项目策划及可行性研究", ""
    if project.actual_start and project.actual_start <= end:
        span = (project.planned_finish - project.actual_start).days
        percent = _q(Decimal(100) * (end - project.actual_start).days / span)
        if problems and previous is not None:
            percent = _q(previous + (percent - previous) / 2)
        percent = min(max(percent, previous or Decimal(1), Decimal(1)), Decimal(98))
        weights = _weights(project.planned_finish)
        if project.actual_start.year == YEAR:  # from the start month on
            weights = {m: w for m, w in weights.items() if m >= project.actual_start.month}
        share = Decimal(weights[month]) / sum(weights.values())
        pace = Decimal(rng.uniform(0.4, 0.55) if problems else rng.uniform(0.85, 1.15))
        return _q(entry.target * share * pace), percent, _stage(project.kind, percent), problems
    # not started: preliminary work, design and tender fees
    if project.tenders.filter(bid_opened_on__lte=end).exists():
        text = "施工招标已完成，办理报建手续，做好开工准备"
    elif project.tenders.filter(published_on__lte=end).exists():
        text = "施工招标及报建手续办理"
    elif entry.category == PlanCategory.NEW:
        text = "施工图设计及预算编制"
    else:
        text = "前期工作：方案设计、勘察及手续办理"
    fee = max(Decimal(1), min(entry.target * Decimal("0.01"), Decimal(60)))
    return _q(fee * Decimal(SEASON[month]) / 6 * Decimal(rng.uniform(0.7, 1.3))), Decimal(0), text, ""


def _stage(kind, percent):
    return next(text for bound, text in STAGES.get(kind, STAGES["other"]) if percent < bound or bound == 100)


def _progress(clerks, month):
    """One month as the area's 录入员 enters it on the month page (all rows at once)."""
    if _locked(month):
        return
    entries = list(month_entries(year=YEAR, month=month))
    for area_id, clerk in clerks.items():
        rows = []
        for entry in entries:
            if entry.project.area_id != area_id:
                continue
            current = entry.current_rows[0] if entry.current_rows else None
            completed, percent, text, problems = month_values(entry, month)
            rows.append(ProgressInput(entry_id=entry.pk, completed=completed, physical_percent=percent,
                                      physical_progress=text, problems=problems,
                                      version=current.version if current else 0, key=entry.pk))
        if rows:
            progress_save_month(user=clerk, year=YEAR, month=month, rows=rows)


def _scores(admin, month):
    for area in Area.objects.filter(name__in=SCORES[month]):
        if MonthlyScore.objects.filter(year=YEAR, month=month, area=area, project__isnull=True).exists():
            continue
        progress, quality, safety, image = SCORES[month][area.name]
        score_save(user=admin, instance=MonthlyScore(year=YEAR, month=month, area=area, progress=progress,
                                                     quality=quality, safety=safety, image=image,
                                                     note="流动红旗月度考评"))


def _nodes_done(admin):
    """Nodes due by the end of the quarter, done (a few days either side of their date), except
    the laggards'; the started projects' 施工图审查, 招标 and 开工 nodes on their real dates, and
    the few nodes of projects not started yet that were done (``NODES_DONE``)."""
    end = _month_end(LAST_MONTH)
    in_plan = PlanEntry.objects.filter(plan__year=YEAR).values("project")
    due = (Milestone.objects.filter(project__in=in_plan, planned_on__range=(dt.date(YEAR, 1, 1), end),
                                    project__phase=Phase.CONSTRUCTION)
           .exclude(project__name__in=[*LAGGARDS, *STARTS]).select_related("project")
           .order_by("project__code", "order"))
    for milestone in due:
        rng = random.Random(f"{milestone.project.code}-{milestone.name}")
        done_on = min(milestone.planned_on + dt.timedelta(days=rng.randint(-3, 9)), end)
        if milestone.done_on is None or milestone.done_on.year == YEAR:
            _ensure(admin, milestone, done_on=done_on)
    for name, (construction, _supervision, _planning, _building, start) in STARTS.items():
        dates = {"施工图审查": construction[0] - dt.timedelta(days=12), "招标": construction[1], "开工": start}
        for milestone in Milestone.objects.filter(project__name=name, name__in=dates):
            _ensure(admin, milestone, done_on=dates[milestone.name])
    for name, dates in NODES_DONE.items():
        for milestone in Milestone.objects.filter(project__name=name, name__in=dates):
            _ensure(admin, milestone, done_on=dates[milestone.name])
