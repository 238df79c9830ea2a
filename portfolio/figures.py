"""The catalogue of figures: every figure of the report (工作总结 part 一) and of the dashboard is
one ``Figure`` — key, selector, label, unit, precision, link to its records — and this is the one
place where a figure is rounded for display (through ``portfolio.numbers``).

The dashboard cards, the workbook's 汇总 sheet and the summary paragraph read ``figure_values``
(the figures of a period, rounded once, each with its link); they never round or recompute.
A new figure is one entry in ``CATALOGUE`` (plus a card include if it needs its own look).

Selectors read the *parts* of a period — the apps' summary selectors, computed once per period
and shared (``Parts``, seeded with ``report_figures`` when a page has it already). Figures of the
百日竞赛 ("大干一百天、实现双过半", months 1-6) are read at June of the year and shown from June on.
"""
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Callable


from contracts import selectors as contracts
from evidence import selectors as evidence
from investment import selectors as investment
from projects import selectors as projects
from projects.models import Phase, PlanCategory

from . import numbers
from .links import records_link
from .numbers import Period, rate
from .selectors import REPORT_PARTS

HUNDRED_DAY_MONTH = 6
"""The 百日竞赛 ends with June: its figures are those of 1-6月, shown from June on."""

# --- parts: the apps' selectors, once per period ------------------------------------------------

PARTS = {
    **REPORT_PARTS,
    "half": lambda p: investment.half_and_half(year=p.year) if p.month >= HUNDRED_DAY_MONTH else None,
    "overdue": lambda p: projects.overdue_by_area(as_of=p.end),
    "ledger": lambda p: contracts.four_rates(period=p),
    "evidence": lambda p: evidence.evidence_coverage(period=p),
}

YEAR_PARTS = ("half",)
"""Parts that depend on the year only (the same for every period of it where they are defined)."""


class Parts(Mapping):
    """The parts of a period, each computed on first use (``PARTS``); ``seed`` gives parts already
    computed (``report_figures``/``dashboard_figures``). ``at(period)`` is the parts of another
    period sharing this cache (the 百日竞赛's June)."""

    def __init__(self, period, seed=None, _shared=None):
        self.period = period
        self._shared = _shared if _shared is not None else {}
        self._shared[period] = self
        self._cache = {k: v for k, v in (seed or {}).items() if k in PARTS}

    def __getitem__(self, name):
        if name not in self._cache:
            self._cache[name] = PARTS[name](self.period)
        return self._cache[name]

    def __iter__(self):
        return iter(PARTS)

    def __len__(self):
        return len(PARTS)

    def at(self, period):
        if period in self._shared:
            return self._shared[period]
        # parts of the whole year (双过半) hold for any period of it from June on
        seed = {k: self._cache[k] for k in YEAR_PARTS if k in self._cache and period.month >= HUNDRED_DAY_MONTH}
        return Parts(period, seed=seed, _shared=self._shared)


# --- figures --------------------------------------------------------------------------------------

# How a value is shown (and which Excel cell kind holds it).
YI = "yi"        # 万元, shown in 亿元
WAN = "wan"      # 万元
RATE = "rate"    # exact fraction, shown as a percent
COUNT = "count"
AREA = "area"    # 亩
DAYS = "days"
FLAG = "flag"    # achieved or not (双过半)

PERIOD, HUNDRED_DAY = "period", "hundred_day"


@dataclass(frozen=True)
class Link:
    """The records behind a figure: a URL name and its query (the period's ``year``/``month`` are
    added unless ``dated`` is False; ``params`` may be a callable of the period)."""

    name: str
    params: Any = field(default_factory=dict)
    anchor: str = ""
    dated: bool = True

    def url(self, period):
        params = self.params(period) if callable(self.params) else dict(self.params)
        query = {"year": period.year, "month": period.month} if self.dated else {}
        query.update(params)
        return records_link(self.name, query, self.anchor)


@dataclass(frozen=True)
class Figure:
    """One figure. ``selector(parts)`` gives the exact value for the parts' period; ``precision``
    is the decimals it is shown with; ``approx`` (a step) writes it in running text the report's
    '余' way (720余); ``rows`` says the linked list has one row per unit of the figure (the test
    compares them); ``window`` is ``HUNDRED_DAY`` for the 百日竞赛's 1-6月 figures."""

    key: str
    label: str
    selector: Callable
    kind: str = COUNT
    unit: str = ""
    precision: int = 0
    link: Link = None
    rows: bool = False
    window: str = PERIOD
    approx: int = None
    definition: str = ""

    @property
    def slug(self):
        """The figure's name in HTML (``data-figure``)."""
        return self.key.replace("_", "-")

    def period_for(self, period):
        if self.window == HUNDRED_DAY:
            return Period(period.year, HUNDRED_DAY_MONTH) if period.month >= HUNDRED_DAY_MONTH else None
        return period

    def text(self, value):
        """The value rounded once, as running text: '17.8', '120.4%', '12247', '720余'."""
        if value is None:
            return "—"
        if self.kind == RATE:
            return numbers.percent_text(value, self.precision)
        if self.kind == YI:
            return numbers.yi(value, self.precision)
        if self.kind == FLAG:
            return "已实现" if value else "未实现"
        if self.approx:
            return numbers.approx_floor(numbers.round_half_up(value, self.precision), self.approx)
        return numbers.plain(value, self.precision)

    def card(self, value):
        """The value as a card shows it: as ``text``, but 万元 with thousands separators and areas
        with all their decimals (12,247; 419.74), never '余'."""
        if value is None:
            return "—"
        if self.kind == WAN:
            return numbers.wan(value, self.precision)
        if self.kind == AREA:
            return f"{numbers.round_half_up(value, self.precision):f}"
        if self.approx:
            return numbers.plain(value, self.precision)
        return self.text(value)

    @property
    def number_format(self):
        """The Excel format of the cell holding the exact value (万元 for money, a fraction for rates)."""
        if self.kind == RATE:
            return "0%" if not self.precision else "0." + "0" * self.precision + "%"
        if self.kind in (YI, WAN, AREA):
            return "#,##0.00"
        return "0"


def _get(*path):
    """A selector reading ``parts[path[0]][path[1]]…`` (None when a step is missing)."""
    def select(parts):
        value = parts[path[0]]
        for step in path[1:]:
            if value is None:
                return None
            value = value[step]
        return value
    return select


def projects_list(**params):
    return Link("projects:list", params)


STARTS = Link("projects:starts", anchor="starts")

_entries = [
    # 投资完成
    Figure("target", "年度计划总投资", _get("completion", "overall", "target"), YI, "亿元", 2, projects_list()),
    Figure("completed", "完成投资", _get("completion", "overall", "completed"), YI, "亿元", 1,
           projects_list(sort="-completed_to_date")),
    Figure("rate", "投资完成率", _get("completion", "overall", "rate"), RATE, "%", 1, projects_list(),
           definition="完成投资 ÷ 年度计划总投资"),
    Figure("municipal_target", "市重大项目年度计划投资", _get("completion", "municipal", "target"), YI, "亿元", 2,
           projects_list(municipal_key="true")),
    Figure("municipal_completed", "市重大项目完成投资", _get("completion", "municipal", "completed"), YI, "亿元", 1,
           projects_list(municipal_key="true", sort="-completed_to_date")),
    Figure("municipal_rate", "市重大项目投资完成率", _get("completion", "municipal", "rate"), RATE, "%", 0,
           projects_list(municipal_key="true")),
    Figure("other_target", "非市重大项目年度计划投资", _get("completion", "other", "target"), YI, "亿元", 2,
           projects_list(municipal_key="false")),
    Figure("other_completed", "非市重大项目完成投资", _get("completion", "other", "completed"), YI, "亿元", 1,
           projects_list(municipal_key="false", sort="-completed_to_date")),
    Figure("other_rate", "非市重大项目投资完成率", _get("completion", "other", "rate"), RATE, "%", 1,
           projects_list(municipal_key="false")),
    # 双过半 (the 1-6月 completion, judged from June on)
    Figure("half_rate", "1-6月投资完成率", _get("half", "rate"), RATE, "%", 1, projects_list(), window=HUNDRED_DAY,
           definition="双过半：1-6月完成投资达到年度计划的50%"),
    Figure("half_completed", "1-6月完成投资", _get("half", "completed"), YI, "亿元", 1,
           projects_list(sort="-completed_to_date"), window=HUNDRED_DAY),
    Figure("half_achieved", "双过半", _get("half", "achieved"), FLAG, "", 0, projects_list(), window=HUNDRED_DAY),
    # 计划项目
    Figure("plan_total", "年度计划项目", _get("categories", "planned_total"), COUNT, "个", 0,
           projects_list(unplanned="false"), rows=True, definition="计划内项目（不含计划外）"),
    Figure("unplanned", "计划外实施项目", lambda parts: len(parts["unplanned"]), COUNT, "个", 0,
           projects_list(unplanned="true"), rows=True),
    *[Figure(f"category_{value}", f"{label}项目", _get("categories", "planned", value), COUNT, "个", 0,
             projects_list(category=value, unplanned="false"), rows=True) for value, label in PlanCategory.choices],
    Figure("to_preliminary", "调整为预备项目", lambda parts: len(parts["changes"]["to_preliminary"]), COUNT, "个"),
    Figure("to_implementation", "预备转实施项目", lambda parts: len(parts["changes"]["to_implementation"]), COUNT, "个"),
    *[Figure(f"phase_{value}", f"{label}项目", _get("phases", value), COUNT, "个", 0,
             projects_list(phase=value), rows=True) for value, label in Phase.choices],
    # 复工与开工
    Figure("resumption_rate", "续建项目复工率", _get("resumption", "rate"), RATE, "%", 0,
           Link("projects:starts", anchor="resumption"), definition="已复工 ÷ 续建项目"),
    Figure("resumed", "续建项目复工", _get("resumption", "resumed"), COUNT, "个", 0,
           Link("projects:starts", anchor="resumption")),
    Figure("starts_due", "新建项目应开工", _get("starts", "due"), COUNT, "个", 0, STARTS,
           definition="计划开工日期在期末之前的新建项目"),
    Figure("new_starts", "新建项目已开工", _get("starts", "started"), COUNT, "个", 0, STARTS),
    Figure("start_rate", "新建项目开工率", _get("starts", "rate"), RATE, "%", 0, STARTS, definition="已开工 ÷ 应开工"),
    Figure("municipal_start_rate", "市重大项目开工率", _get("starts", "municipal_rate"), RATE, "%", 0, STARTS),
    Figure("early_starts", "提前开工项目", _get("starts", "early"), COUNT, "个", 0,
           projects_list(early_start="all"), rows=True, definition="实际开工早于计划开工日期"),
    Figure("early_new", "提前开工：新建项目", lambda parts: len(parts["early_by_kind"]["new"]), COUNT, "个", 0,
           projects_list(early_start="new"), rows=True),
    Figure("early_to_implementation", "提前开工：预备转实施项目",
           lambda parts: len(parts["early_by_kind"]["to_implementation"]), COUNT, "个", 0,
           projects_list(early_start="to_implementation"), rows=True),
    Figure("early_unplanned", "提前开工：计划外项目", lambda parts: len(parts["early_by_kind"]["unplanned"]), COUNT,
           "个", 0, projects_list(early_start="unplanned"), rows=True),
    Figure("year_new_starts", "本年新开工新建项目", _get("starts", "new_starts"), COUNT, "个"),
    # 用地
    Figure("land_batches", "用地报批批次", _get("land", "batches"), COUNT, "批", 0, Link("land:batches"), rows=True),
    Figure("land_batch_projects", "用地报批项目", _get("land", "batch_projects"), COUNT, "个", 0,
           projects_list(land_batch="true"), rows=True),
    Figure("land_area", "报批面积", _get("land", "batch_area_mu"), AREA, "亩", 2, Link("land:batches")),
    Figure("land_with_task", "有征拆任务项目", _get("land", "with_task"), COUNT, "个", 0, Link("land:acquisitions"),
           rows=True),
    Figure("land_full_access", "全面进场项目", _get("land", "full_access"), COUNT, "个", 0,
           Link("land:acquisitions", {"full_access": "true"}), rows=True),
    Figure("acquired_mu", "征地面积", _get("land", "acquired_mu"), AREA, "亩", 2, Link("land:acquisitions"), approx=10),
    Figure("buildings_signed", "签约拆房", _get("land", "buildings_signed"), COUNT, "栋", 0,
           Link("land:acquisitions", {"sort": "-buildings_signed"}), approx=10),
    # 前期、招标、许可
    Figure("preliminary_done", "完成前期工作项目", _get("preliminary_done"), COUNT, "个", 0,
           projects_list(preliminary_done="true"), rows=True),
    Figure("tenders_works", "施工、监理招标", _get("tenders", "works"), COUNT, "次", 0,
           Link("procurement:tenders", {"works": "true"}), rows=True),
    Figure("tenders_construction", "施工招标", _get("tenders", "construction"), COUNT, "次", 0,
           Link("procurement:tenders", {"kind": "construction"}), rows=True),
    Figure("tenders_supervision", "监理招标", _get("tenders", "supervision"), COUNT, "次", 0,
           Link("procurement:tenders", {"kind": "supervision"}), rows=True),
    Figure("tenders_equipment", "设备采购招标", _get("tenders", "equipment"), COUNT, "个", 0,
           Link("procurement:tenders", {"kind": "equipment"}), rows=True),
    Figure("permit_count", "核发许可证（计时）", _get("permits", "count"), COUNT, "个", 0, Link("procurement:permits"),
           definition="自施工招标开标起计算办证时长"),
    Figure("permit_median", "办证时长中位数", _get("permits", "median_days"), DAYS, "天", 1,
           Link("procurement:permits", {"sort": "lead_days"})),
    Figure("permit_max", "办证时长最长", _get("permits", "max_days"), DAYS, "天", 0,
           Link("procurement:permits", {"sort": "-lead_days"})),
    Figure("permit_within", "按时办结许可证", _get("permits", "within_target"), COUNT, "个", 0,
           Link("procurement:permits")),
    # 资金与节约
    Figure("funding", "争取上级资金", _get("funding", "total"), WAN, "万元", 0, Link("funding_list")),
    Figure("savings", "节约资金合计", _get("savings", "total"), WAN, "万元", 2, Link("saving_list")),
    Figure("savings_management", "节约财政资金", _get("savings", "management"), WAN, "万元", 2,
           Link("saving_list", {"management": "true"}), approx=100),
    Figure("savings_design", "优化设计节约造价", _get("savings", "design"), WAN, "万元", 2,
           Link("saving_list", {"kind": "design"}), approx=100),
    # 外地企业本地分公司
    Figure("branches_construction", "外地施工企业本地分公司", _get("local_branches", "construction"), COUNT, "家", 0,
           Link("projects:firms", {"role": "contractor"}), rows=True),
    Figure("branches_supervision", "外地监理企业本地分公司", _get("local_branches", "supervision"), COUNT, "家", 0,
           Link("projects:firms", {"role": "supervisor"}), rows=True),
    # 四率 (with 开工率 and 投资完成率 above), payments and the statistics ledger (contracts.selectors.four_rates)
    Figure("funds_rate", "资金到位率",
           lambda parts: contracts.funds_rate(funds_in_place=parts["ledger"]["funds_in_place"],
                                              target=parts["completion"]["overall"]["target"]),
           RATE, "%", 1, Link("contracts:payments"),
           definition="1-N月年度计划项目合同支付 ÷ 年度计划总投资"),
    Figure("funds_in_place", "到位资金（合同支付）", _get("ledger", "funds_in_place"), WAN, "万元", 2,
           Link("contracts:payments")),
    Figure("payments", "合同支付笔数", _get("ledger", "payments"), COUNT, "笔", 0, Link("contracts:payments"), rows=True),
    Figure("on_time_rate", "按期竣工率",
           lambda parts: rate(parts["ledger"]["completed_on_time"], parts["ledger"]["completion_due"]), RATE, "%", 0, Link("contracts:completions"),
           definition="按期竣工 ÷ 计划1-N月竣工的年度计划项目"),
    Figure("completion_due", "应竣工项目", _get("ledger", "completion_due"), COUNT, "个", 0,
           Link("contracts:completions"), rows=True, definition="计划完工日期在1-N月内"),
    Figure("completed_on_time", "按期竣工项目", _get("ledger", "completed_on_time"), COUNT, "个", 0,
           Link("contracts:completions", {"on_time": "true"}), rows=True, definition="实际完工不晚于计划完工日期"),
    Figure("payment_warnings", "支付预警合同", _get("ledger", "payment_warnings"), COUNT, "个", 0,
           Link("contracts:payment_review"), rows=True, definition="超进度支付或超合同价支付"),
    Figure("started_unregistered", "开工未入库项目", _get("ledger", "started_unregistered"), COUNT, "个", 0,
           Link("contracts:unregistered"), rows=True, definition="期末前已开工、期末时尚未入库"),
    Figure("reconciliation_gaps", "调度与统计差异超限项目", _get("ledger", "reconciliation_gaps"), COUNT, "个", 0,
           Link("contracts:reconciliation", {"flagged": "true"}), rows=True),
    # 逾期节点 (at the end of the period)
    Figure("overdue_milestones", "逾期节点", lambda parts: sum(r["n"] for r in parts["overdue"]), COUNT, "个", 0,
           Link("projects:milestones", {"overdue": "true"}), rows=True,
           definition="期末时计划完成日期已过且尚未完成"),
    # 形象进度照片 (issue 17)
    Figure("evidence_missing", "在建项目本月无形象进度照片", _get("evidence", "missing"), COUNT, "个", 0,
           Link("evidence:missing"), rows=True, definition="期末在建、本月未上传形象进度照片的项目"),
    Figure("evidence_coverage", "形象进度照片覆盖率", _get("evidence", "rate"), RATE, "%", 0, Link("evidence:missing"),
           definition="本月已上传形象进度照片的在建项目 ÷ 期末在建项目"),
]

HUNDRED_DAY_KEYS = ("resumption_rate", "resumed", "starts_due", "new_starts", "start_rate", "municipal_start_rate",
                    "early_starts", "early_new")
"""The 百日竞赛 block: these figures again, for 1-6月 (keys ``hundred_day_<key>``)."""


def _hundred_day(figure):
    return replace(figure, key=f"hundred_day_{figure.key}", label=f"1-6月{figure.label}", window=HUNDRED_DAY)


CATALOGUE = {f.key: f for f in _entries}
CATALOGUE.update({f"hundred_day_{k}": _hundred_day(CATALOGUE[k]) for k in HUNDRED_DAY_KEYS})


# --- the figures of a period ----------------------------------------------------------------------

@dataclass(frozen=True)
class Shown:
    """A figure of a period: the exact ``value``, its ``text`` (rounded once), its ``card`` text and
    the ``url`` of its records (None when the figure has no list or no value in this period)."""

    figure: Figure
    period: Period
    value: Any
    text: str
    card: str
    url: str

    @property
    def slug(self):
        return self.figure.slug

    @property
    def label(self):
        return self.figure.label

    @property
    def unit(self):
        return self.figure.unit

    def __str__(self):
        return self.card


class FigureValues(Mapping):
    """``{key: Shown}`` for a period, each figure computed on first use. Figures whose window has
    not begun (the 百日竞赛 before June) are absent (``key in values`` is False)."""

    def __init__(self, period, parts=None):
        self.period = period
        self.parts = parts if parts is not None else Parts(period)
        self._cache = {}

    def _available(self, key):
        return key in CATALOGUE and CATALOGUE[key].period_for(self.period) is not None

    def __getitem__(self, key):
        if key not in self._cache:
            if not self._available(key):
                raise KeyError(key)
            figure = CATALOGUE[key]
            period = figure.period_for(self.period)
            value = figure.selector(self.parts.at(period))
            url = figure.link.url(period) if figure.link else None
            self._cache[key] = Shown(figure, period, value, figure.text(value), figure.card(value), url)
        return self._cache[key]

    def __contains__(self, key):
        return self._available(key)

    def __iter__(self):
        return (key for key in CATALOGUE if self._available(key))

    def __len__(self):
        return sum(1 for _ in self)

    @property
    def hundred_day(self):
        """True when the 百日竞赛 block is shown (from June on)."""
        return self.period.month >= HUNDRED_DAY_MONTH


def figure_values(*, period, figures=None):
    """The catalogue's figures for ``period``; ``figures`` = ``report_figures``/``dashboard_figures``
    already computed for it (their parts are not computed again)."""
    parts = Parts(period, seed=figures)
    if figures and figures.get("june_parts"):  # the 百日竞赛's parts, read with the dashboard's (portfolio.selectors)
        Parts(Period(period.year, HUNDRED_DAY_MONTH), seed=figures["june_parts"], _shared=parts._shared)
    return FigureValues(period, parts)


def linked_counts(*, period, values=None):
    """Each figure that counts the rows of the list it links to: [(key, count, url)] for the period,
    so a test can open the url and compare its rows with the count."""
    values = values or figure_values(period=period)
    return [(key, values[key].value, values[key].url) for key in values
            if CATALOGUE[key].rows and values[key].url is not None]
