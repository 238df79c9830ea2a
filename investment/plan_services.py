"""Next year's plan in one step (下一年度计划): roll forward, import check, review, confirm, node plans.

The draft between the steps is not stored in a model: it is the list of checked ``PlanRow``s
(from the district's imported table, or the roll-forward itself), kept in the administrator's
session as JSON, and checked again by ``annual_plan_create`` when it is confirmed — so a draft
that went stale (a code taken, an area renamed) is refused at the last step with the same
messages as at the import.

Decisions a user will notice (README tour documents them):

- **Roll forward** proposes every project of year N's plan (计划外 included) whose phase on
  31 December of N is not 交付: 续建 if it has started (在建 or 完工 then), 新建 if it has not
  started but was in an implementation category (新建/续建, 预备转实施 included), otherwise its
  category stays (预备 stays 预备, 储备 and 社会监管 likewise). Target to be set.
- **Import** rows are matched to projects by 项目代码. A code not known yet creates a project
  (类型 其他, to be corrected on its page); a 预备/储备 row without a code gets a provisional code
  (临-YYYY-NNNN). 计划开工/计划完工 and 责任单位 fill a known project's empty fields and never
  overwrite what it has (its dates feed last year's figures); its 片区 is the project's own.
- **Node plans** per area: every project of the year's plan in that area without any node gets
  its kind's standard nodes, spread from 1 January of the year to its planned completion (or
  31 December when that is missing or earlier).
"""
import datetime as dt
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from portfolio.numbers import Period
from portfolio.period import MAX_YEAR, MIN_YEAR, in_years
from projects.codes import next_provisional_code, validate_project_code
from projects.models import Area, Milestone, Organisation, Phase, PlanCategory, Project, ProjectKind
from projects.selectors import plan_entries_as_of
from projects.services import milestones_apply_template, require_admin

from .models import AnnualPlan, PlanEntry

NO_CODE_CATEGORIES = (PlanCategory.PRELIMINARY, PlanCategory.RESERVE)
"""Categories whose projects may not have a national code yet (they get a provisional one)."""

COLUMNS = [
    ("code", _("项目代码")), ("name", _("项目名称")), ("category", _("类别")), ("is_municipal_key", _("市重大")),
    ("target", _("年度计划投资（万元）")), ("planned_start", _("计划开工")), ("planned_finish", _("计划完工")),
    ("owner_unit", _("责任单位")), ("area", _("片区")),
]
COLUMN_LABELS = dict(COLUMNS)


@dataclass
class PlanRow:
    """One project of the draft plan, typed. ``row``: the sheet row it came from (0: roll-forward)."""

    row: int
    code: str = ""
    name: str = ""
    category: str = ""
    is_municipal_key: bool = False
    target: Decimal | None = None
    planned_start: dt.date | None = None
    planned_finish: dt.date | None = None
    owner_unit: str = ""
    area: str = ""

    @property
    def category_label(self):
        return _category_label(self.category)

    def to_json(self):
        data = asdict(self)
        data["target"] = None if self.target is None else str(self.target)
        for key in ("planned_start", "planned_finish"):
            data[key] = data[key].isoformat() if data[key] else None
        return data

    @classmethod
    def from_json(cls, data):
        data = dict(data)
        data["target"] = None if data.get("target") is None else Decimal(data["target"])
        for key in ("planned_start", "planned_finish"):
            data[key] = dt.date.fromisoformat(data[key]) if data.get(key) else None
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


def _category_label(value):
    return PlanCategory(value).label if value in PlanCategory.values else value


@dataclass(frozen=True)
class RowError:
    """A problem of one cell (``column``: its header) or of the whole row (column empty)."""

    row: int
    column: str
    message: str


class PlanImportError(ValidationError):
    """Nothing was saved; ``errors`` lists every problem of every row."""

    def __init__(self, errors):
        self.errors = sorted(errors, key=lambda e: (e.row, e.column))
        super().__init__([e.message for e in self.errors] or [_("数据有误，未保存。")])


# --- roll forward -----------------------------------------------------------------------------

@dataclass
class Proposal:
    project: Project
    category: str
    previous_category: str
    previous_target: Decimal
    is_municipal_key: bool

    @property
    def category_label(self):
        return _category_label(self.category)

    @property
    def previous_category_label(self):
        return _category_label(self.previous_category)

    def as_row(self):
        p = self.project
        return PlanRow(row=0, code=p.code, name=p.name, category=self.category,
                       is_municipal_key=self.is_municipal_key, target=None, planned_start=p.planned_start,
                       planned_finish=p.planned_finish, owner_unit=p.owner_unit.name if p.owner_unit else "",
                       area=p.area.name)


def rolled_category(*, phase, category):
    """The category a project not yet delivered carries into the next year (see module doc)."""
    if phase in (Phase.CONSTRUCTION, Phase.COMPLETED):
        return PlanCategory.CONTINUING
    if category in PlanCategory.implementation():
        return PlanCategory.NEW
    return category


def plan_roll_forward(*, year):
    """The projects proposed for ``year`` from the plan of ``year - 1``: those not delivered by
    31 December of that year, with their category rolled forward, ordered by area and code."""
    period = Period(year - 1, 12)
    entries = (plan_entries_as_of(period=period).exclude(current_phase=Phase.DELIVERED)
               .select_related("project__area", "project__owner_unit")
               .order_by("project__area__order", "project__area__name", "project__code"))
    return [Proposal(project=e.project, category=rolled_category(phase=e.current_phase, category=e.current_category),
                     previous_category=e.current_category, previous_target=e.target,
                     is_municipal_key=e.is_municipal_key)
            for e in entries]


# --- parsing the imported table ---------------------------------------------------------------

CATEGORY_BY_LABEL = {str(label): value for value, label in PlanCategory.choices}
YES = {"是", "√", "Y", "YES", "TRUE", "1", "市重大"}
NO = {"否", "", "N", "NO", "FALSE", "0"}
EXCEL_EPOCH = dt.date(1899, 12, 30)
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")


def _text(value):
    if value is None:
        return ""
    if isinstance(value, Decimal) and value == value.to_integral_value() and abs(value) < 10 ** 30:
        return str(int(value))  # 1E9999 stays "1E+9999" (its 10,000 digits are past int → str's limit: a 500)
    return str(value).strip()


def _date(value):
    """A date cell: an Excel serial number or a text date. Raises ValueError."""
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        if not 1 <= value <= 100_000:
            raise ValueError
        return EXCEL_EPOCH + dt.timedelta(days=int(value))
    text = str(value).strip()[:40]
    if "T" in text:
        text = text.split("T", 1)[0]
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError


def plan_rows_parse(raw_rows):
    """({sheet row: {column key: cell value}}) → (PlanRows, RowErrors): the type of every cell.
    A cell that cannot be read is left empty in its row and reported."""
    rows, errors = [], []
    for number, cells in raw_rows:
        row = PlanRow(row=number)

        def error(key, message):
            errors.append(RowError(number, str(COLUMN_LABELS[key]), message))

        for key in ("code", "name", "owner_unit", "area"):
            value = cells.get(key)
            if value is not None and not isinstance(value, (str, Decimal)):
                error(key, _("应填写文字。"))
                continue
            setattr(row, key, _text(value))
        category = _text(cells.get("category"))
        if category in CATEGORY_BY_LABEL:
            row.category = CATEGORY_BY_LABEL[category]
        else:
            error("category", _("类别“%(value)s”无效，应为%(labels)s之一。") % {
                "value": category[:20], "labels": "、".join(CATEGORY_BY_LABEL)})
        key_value = cells.get("is_municipal_key")
        flag = ("是" if key_value else "否") if isinstance(key_value, bool) else _text(key_value).upper()
        if flag in YES:
            row.is_municipal_key = True
        elif flag not in NO:
            error("is_municipal_key", _("市重大应填“是”或“否”（收到“%(value)s”）。") % {"value": flag[:20]})
        target = cells.get("target")
        if target is None or target == "":
            error("target", _("请填写年度计划投资（万元），没有投资计划的填0。"))
        else:
            try:
                amount = Decimal(str(target).strip().replace(",", ""))
                if not amount.is_finite():
                    raise ValueError
            except (ArithmeticError, ValueError):
                error("target", _("年度计划投资“%(value)s”不是数字。") % {"value": str(target)[:20]})
            else:
                if amount < 0:
                    error("target", _("年度计划投资不能为负数。"))
                elif amount >= Decimal("1e12"):
                    error("target", _("年度计划投资过大，请以万元为单位填写。"))
                else:
                    row.target = amount.quantize(Decimal("0.01"))
        for key in ("planned_start", "planned_finish"):
            try:
                setattr(row, key, _date(cells.get(key)))
            except (ValueError, OverflowError):
                error(key, _("日期“%(value)s”无法识别，请填写如 2021-03-01 的日期。") % {"value": str(cells.get(key))[:20]})
        rows.append(row)
    return rows, errors


# --- the rules of a plan ----------------------------------------------------------------------

def plan_rows_validate(*, year, rows):
    """Every rule of the draft, every row: RowErrors (empty when the draft may be confirmed)."""
    errors = []

    def error(row, key, message):
        errors.append(RowError(row.row, str(COLUMN_LABELS[key]) if key else "", message))

    if not rows:
        errors.append(RowError(0, "", _("计划中没有项目。")))
    codes = [r.code for r in rows if r.code]
    projects = {p.code: p for p in Project.objects.filter(code__in=codes).select_related("area")}
    areas = {a.name: a for a in Area.objects.all()}
    units = set(Organisation.objects.filter(name__in=[r.owner_unit for r in rows if r.owner_unit])
                .values_list("name", flat=True))
    first_row_of = {}
    for row in rows:
        if row.code:
            if row.code in first_row_of:
                error(row, "code", _("项目代码与第%(row)s行重复。") % {"row": first_row_of[row.code]})
            else:
                first_row_of[row.code] = row.row
            try:
                validate_project_code(row.code)
            except ValidationError as exc:
                for message in exc.messages:
                    error(row, "code", message)
        elif row.category and row.category not in NO_CODE_CATEGORIES:
            error(row, "code", _("请填写项目代码；只有预备、储备项目可以暂不填写（系统给临时代码）。"))
        project = projects.get(row.code)
        if project is None:
            if not row.name:
                error(row, "name", _("新项目须填写项目名称。"))
            if not row.area:
                error(row, "area", _("新项目须填写片区。"))
        if len(row.name) > 200:
            error(row, "name", _("项目名称不能超过200个字。"))
        if row.area and row.area not in areas:
            error(row, "area", _("片区“%(name)s”不存在，应为%(names)s之一。") % {
                "name": row.area[:20], "names": "、".join(areas)})
        if row.owner_unit and row.owner_unit not in units:
            error(row, "owner_unit", _("责任单位“%(name)s”不在单位库中，请核对名称或先在单位库中添加。")
                  % {"name": row.owner_unit[:60]})
        for key in ("planned_start", "planned_finish"):
            day = getattr(row, key)
            if day and not in_years(day.year):
                error(row, key, _("日期%(date)s不在%(min)s年至%(max)s年之间。") % {
                    "date": day.isoformat(), "min": MIN_YEAR, "max": MAX_YEAR})
        # a known project keeps the dates it has (``annual_plan_create`` fills only empty ones):
        # the dates it will have must still be in order
        start_kept, finish_kept = (project.planned_start, project.planned_finish) if project else (None, None)
        start, finish = start_kept or row.planned_start, finish_kept or row.planned_finish
        if start and finish and finish < start and not (start_kept and finish_kept):
            if start_kept:
                error(row, "planned_finish", _("计划完工日期不能早于项目已有的计划开工日期（%(date)s）。")
                      % {"date": start.isoformat()})
            elif finish_kept:
                error(row, "planned_start", _("计划开工日期不能晚于项目已有的计划完工日期（%(date)s）。")
                      % {"date": finish.isoformat()})
            else:
                error(row, "planned_finish", _("计划完工日期不能早于计划开工日期。"))
        if row.target is None and not any(e.row == row.row and e.column == str(COLUMN_LABELS["target"])
                                          for e in errors):
            error(row, "target", _("请填写年度计划投资（万元），没有投资计划的填0。"))
    return errors


# --- review -----------------------------------------------------------------------------------

@dataclass
class ReviewLine:
    row: PlanRow
    project: Project | None
    proposed_category: str | None = None
    previous_target: Decimal | None = None

    @property
    def proposed_category_label(self):
        return _category_label(self.proposed_category) if self.proposed_category else ""

    @property
    def target_change(self):
        if self.previous_target is None or self.row.target is None:
            return None
        return self.row.target - self.previous_target


@dataclass
class Review:
    added: list = field(default_factory=list)
    carried: list = field(default_factory=list)
    dropped: list = field(default_factory=list)
    changed_targets: list = field(default_factory=list)
    by_category: list = field(default_factory=list)
    municipal: dict = field(default_factory=dict)
    total: dict = field(default_factory=dict)


def plan_review(*, year, rows):
    """The draft against last year's plan: added (not in last year's plan), carried, dropped
    (proposed by the roll-forward but not in the draft), carried projects whose target differs
    from last year's, and the counts and targets by category and by 市重大."""
    proposals = {p.project.pk: p for p in plan_roll_forward(year=year)}
    previous = {e.project_id: e for e in PlanEntry.objects.in_plan(Period(year - 1, 12))}
    projects = {p.code: p for p in Project.objects.filter(code__in=[r.code for r in rows if r.code])
                .select_related("area")}
    review = Review()
    in_draft = set()
    for row in rows:
        project = projects.get(row.code)
        last = previous.get(project.pk) if project else None
        proposal = proposals.get(project.pk) if project else None
        line = ReviewLine(row=row, project=project, proposed_category=proposal.category if proposal else None,
                          previous_target=last.target if last else None)
        if project:
            in_draft.add(project.pk)
        (review.carried if last else review.added).append(line)
        if last and line.target_change:
            review.changed_targets.append(line)
    review.dropped = [p for pk, p in proposals.items() if pk not in in_draft]
    counts, targets = defaultdict(int), defaultdict(Decimal)
    for row in rows:
        counts[row.category] += 1
        targets[row.category] += row.target or 0
        counts["municipal" if row.is_municipal_key else "other"] += 1
        targets["municipal" if row.is_municipal_key else "other"] += row.target or 0
    review.by_category = [(label, counts[value], targets[value]) for value, label in PlanCategory.choices]
    review.municipal = {"municipal": (counts["municipal"], targets["municipal"]),
                        "other": (counts["other"], targets["other"])}
    review.total = {"count": len(rows), "target": sum((r.target or 0 for r in rows), Decimal(0))}
    return review


# --- confirm ----------------------------------------------------------------------------------

def annual_plan_create(*, user, year, rows, title="", approved_on=None):
    """Create the plan of ``year`` and one PlanEntry per row, in one transaction; new projects
    for codes not known yet (provisional codes for 预备/储备 rows without one). Raises
    ``PlanImportError`` listing every problem, and saves nothing then."""
    require_admin(user)
    errors = plan_rows_validate(year=year, rows=rows)
    if annual_plan_exists(year):
        errors.append(_plan_exists_error(year))
    if errors:
        raise PlanImportError(errors)
    with transaction.atomic():
        plan = AnnualPlan(year=year, title=title or _("%(year)s年固定资产投资计划") % {"year": year},
                          approved_on=approved_on)
        plan.full_clean(validate_unique=False)  # the unique year is the database's to enforce, below
        try:
            # Another administrator may confirm the same year between the check above and this
            # insert: the savepoint keeps the request's transaction usable (PostgreSQL) and the
            # second confirm gets the same message as when the plan existed before, saving nothing.
            with transaction.atomic():
                plan.save()
        except IntegrityError:
            raise PlanImportError([_plan_exists_error(year)]) from None
        areas = {a.name: a for a in Area.objects.all()}
        units = {o.name: o for o in Organisation.objects.filter(name__in=[r.owner_unit for r in rows if r.owner_unit])}
        projects = {p.code: p for p in Project.objects.filter(code__in=[r.code for r in rows if r.code])}
        provisional = []
        for row in rows:
            project = projects.get(row.code)
            if project is None:
                code = row.code or next_provisional_code(year, taken=provisional)
                if not row.code:
                    provisional.append(code)
                project = Project(code=code, name=row.name, kind=ProjectKind.OTHER, area=areas[row.area],
                                  owner_unit=units.get(row.owner_unit), planned_start=row.planned_start,
                                  planned_finish=row.planned_finish)
            else:
                changed = False
                for attr, value in (("owner_unit", units.get(row.owner_unit)), ("planned_start", row.planned_start),
                                    ("planned_finish", row.planned_finish)):
                    if value and getattr(project, attr) is None:
                        setattr(project, attr, value)
                        changed = True
                if not changed:
                    _save_entry(plan, project, row)
                    continue
            project.full_clean()
            project.save()
            _save_entry(plan, project, row)
    return plan


def annual_plan_exists(year):
    return AnnualPlan.objects.filter(year=year).exists()


def _plan_exists_error(year):
    return RowError(0, "", _("%(year)s年度计划已经存在，不能再次生成；请在年度计划中修改。") % {"year": year})


def _save_entry(plan, project, row):
    entry = PlanEntry(plan=plan, project=project, category=row.category, is_municipal_key=row.is_municipal_key,
                      target=row.target)
    entry.full_clean()
    entry.save()


# --- node plans -------------------------------------------------------------------------------

def plan_milestones_apply(*, user, year, area):
    """Standard nodes for every project of ``year``'s plan in ``area`` that has none yet, in one
    transaction. Returns (projects given nodes, number of nodes created)."""
    require_admin(user)
    start = dt.date(year, 1, 1)
    done, created = [], 0
    projects = (Project.objects.filter(plan_entries__plan__year=year, area=area)
                .exclude(pk__in=Milestone.objects.values("project_id")).distinct().order_by("code"))
    with transaction.atomic():
        for project in projects:
            finish = project.planned_finish
            if not finish or finish <= start:
                finish = dt.date(year, 12, 31)
            created += len(milestones_apply_template(user=user, project=project, start=start, finish=finish))
            done.append(project)
    return done, created
