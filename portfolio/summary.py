"""The figures part of the year's work summary (工作总结 part 一), drafted from live data.

``draft_summary(period)`` is the one function behind the page ``/reports/summary/`` and the
command ``manage.py draft_summary YEAR MONTH``. Every number comes from
``portfolio.selectors.report_figures`` (the dashboard's source) and is formatted through
``portfolio.numbers`` — nothing is computed or rounded here.

Rounding follows the report: the headline completion rate to one decimal (120.4%), the
sub-rates (市重大完成率, 开工率, 复工率) to whole percent (145%, 69%), amounts in 亿 to one
decimal, areas as recorded (419.74亩), acquisition and demolition with '余' to the ten
(720余亩, 130余栋), savings with '余' to the hundred 万元 (3500余万元).
"""
from django.utils.translation import gettext as _

from investment.models import FundingSource
from projects.models import Phase, PlanCategory
from projects.selectors import plan_entries_as_of

from . import numbers
from .selectors import report_figures

NAMES_SHOWN = 3
"""How many project names a sentence lists before '等N个项目'."""


def _names(projects, limit=None):
    names = [p.name for p in projects]
    if limit is not None and len(names) > limit:
        return "、".join(names[:limit]) + _("等")
    return "、".join(names)


def _pct(fraction, places):
    text = numbers.percent(fraction, places)
    return text if text == "—" else f"{text}%"


def _investment(f):
    c = f["completion"]
    p = f["period"]
    return _(
        "{year}年固定资产计划总投资{target}亿，其中市重大目标金额为{m_target}亿，非市重大{o_target}亿。"
        "截至目前，{label}已完成投资{done}亿，占年度计划的{rate}，其中市重大项目完成投资{m_done}亿，"
        "完成率{m_rate}。"
    ).format(
        year=p.year, label=p.label,
        target=numbers.yi(c["overall"]["target"]), m_target=numbers.yi(c["municipal"]["target"]),
        o_target=numbers.yi(c["other"]["target"]),
        done=numbers.yi(c["overall"]["completed"], 1), rate=_pct(c["overall"]["rate"], 1),
        m_done=numbers.yi(c["municipal"]["completed"], 1), m_rate=_pct(c["municipal"]["rate"], 0),
    )


def _starts(f):
    r, s, p = f["resumption"], f["starts"], f["period"]
    parts = []
    if r["total"]:
        parts.append(_("{label}续建项目复工率{resume}").format(label=p.label, resume=_pct(r["rate"], 0)))
    if s["due"]:
        text = _("新建项目中{started}个实现开工，开工率{rate}").format(started=s["started"], rate=_pct(s["rate"], 0))
        if s["municipal_due"]:
            text += _("，市重大项目开工率{m_rate}").format(m_rate=_pct(s["municipal_rate"], 0))
        if s["early"]:
            text += _("，其中{n}个项目实现提前开工").format(n=s["early"])
        parts.append(text)
    elif s["early"]:
        parts.append(_("{n}个项目实现提前开工").format(n=s["early"]))
    return "；".join(parts) + "。" if parts else ""


def _categories(f):
    cats = f["categories"]
    planned = cats["planned"]
    if not cats["planned_total"]:
        return ""  # the year's plan is not yet approved at the end of the period
    parts = [
        _("{label}项目{n}个").format(label=label, n=planned[value])
        for value, label in PlanCategory.choices if planned[value]
    ]
    text = _("{year}年由我中心负责实施代建的政府投资项目共计{n}个，其中{parts}").format(
        year=f["period"].year, n=cats["planned_total"], parts="，".join(parts))
    changes = f["changes"]
    if changes["to_preliminary"]:
        text += _("；{names}{n}个项目已调整为预备项目").format(
            names=_names(c.project for c in changes["to_preliminary"]), n=len(changes["to_preliminary"]))
    if changes["to_implementation"]:
        text += _("，{names}{n}个项目已调整为实施项目").format(
            names=_names(c.project for c in changes["to_implementation"]), n=len(changes["to_implementation"]))
    if f["unplanned"]:
        text += _("；另外根据区领导相关批示增加计划外实施{names}项目{n}个").format(
            names=_names(e.project for e in f["unplanned"]), n=len(f["unplanned"]))
    return text + "。"


def _phases(f):
    counts = f["phases"]
    by_phase = {Phase.DELIVERED: [], Phase.CONSTRUCTION: []}
    for entry in plan_entries_as_of(period=f["period"]).select_related("project").order_by("project__code"):
        if entry.current_phase in by_phase:
            by_phase[entry.current_phase].append(entry.project)
    parts = []
    if counts[Phase.DELIVERED]:
        parts.append(_("{names}{n}个项目已全部完成建设并交付使用").format(
            names=_names(by_phase[Phase.DELIVERED], NAMES_SHOWN), n=counts[Phase.DELIVERED]))
    if counts[Phase.CONSTRUCTION]:
        parts.append(_("{names}{n}个项目正在快速推进").format(
            names=_names(by_phase[Phase.CONSTRUCTION], NAMES_SHOWN), n=counts[Phase.CONSTRUCTION]))
    if not parts:
        return ""
    return _("目前") + "，".join(parts) + "。"


def _land_and_preparation(f):
    land, t = f["land"], f["tenders"]
    if land["batches"]:
        text = _("共完成了{batches}个批次{projects}个项目共计{area}亩地的用地报批工作").format(
            batches=land["batches"], projects=land["batch_projects"], area=numbers.plain(land["batch_area_mu"]))
    else:
        text = _("用地报批工作正在推进")
    if land["with_task"] and land["full_access"] == land["with_task"]:
        text += _("；有征拆任务的{n}个项目已实现施工全面进场").format(n=land["with_task"])
    elif land["with_task"] and not land["full_access"]:
        text += _("；有征拆任务的{n}个项目正在推进征拆").format(n=land["with_task"])
    elif land["with_task"]:
        text += _("；有征拆任务的{n}个项目中{access}个已实现施工全面进场").format(
            n=land["with_task"], access=land["full_access"])
    # acquisitions are recorded as the year's totals: "全年" once the year is over
    text += _("，{span}征地{mu}亩，签约拆房{buildings}栋").format(
        span=_("全年共") if f["period"].month == 12 else _("本年度已"),
        mu=numbers.approx_floor(land["acquired_mu"], 10), buildings=numbers.approx_floor(land["buildings_signed"], 10))
    done = [
        (f["preliminary_done"], _("{n}个项目的前期工作")),
        (t["works"], _("{n}次施工或监理招标工作")),
        (t["equipment"], _("{n}个设备采购招标")),
        (len(f["changes"]["to_implementation"]), _("{n}个项目预备转实施")),
    ]
    done = [template.format(n=n) for n, template in done if n]
    if done:
        text += _("；完成了") + "、".join(done)
    return text + "。"


def _permits(f):
    p = f["permits"]
    if not p["count"]:
        return ""
    text = _("{n}个许可证中{within}个在开标后{days}天内办结，办证时长中位数{median}天、最长{max}天").format(
        n=p["count"], within=p["within_target"], days=p["target_days"],
        median=numbers.plain(p["median_days"], 1), max=p["max_days"])
    if p["all_within_target"]:
        text += _("，实现在项目开标一个半月内完成所有报建工作")
    return text + "。"


def _money(f):
    funding, savings = f["funding"], f["savings"]
    parts = []
    if funding["total"]:
        sources = [FundingSource(s).label for s in FundingSource.values if funding["by_source"].get(s)]
        parts.append(_("争取{sources}等上级资金{total}万元").format(
            sources="、".join(str(s) for s in sources), total=numbers.plain(funding["total"])))
    if savings["management"]:
        parts.append(_("通过跨项目平衡土方供需或者将项目合并进行施工招标，节约财政资金{n}万元").format(
            n=numbers.approx_floor(savings["management"], 100)))
    if savings["design"]:
        parts.append(_("优化设计方案，节约造价{n}万元").format(n=numbers.approx_floor(savings["design"], 100)))
    return "；".join(parts) + "。" if parts else ""


def _branches(f):
    b = f["local_branches"]
    if not b["total"]:
        return ""
    return _("推动{c}家外地建筑企业、{s}家监理企业在望城成立了分公司。").format(
        c=b["construction"], s=b["supervision"])


def draft_summary(*, period, figures=None):
    """The summary's figures as a list of paragraphs (plain text, in the report's order)."""
    f = figures or report_figures(period=period)
    paragraphs = [
        _investment(f), _starts(f), _categories(f) + _phases(f),
        _land_and_preparation(f), _permits(f), _money(f), _branches(f),
    ]
    return [p for p in paragraphs if p]


def draft_summary_text(*, period):
    """The paragraphs joined as a plain-text document (the .txt download and the command)."""
    title = _("{period}重点项目建设情况").format(period=period)
    return "\n\n".join([title, *draft_summary(period=period)]) + "\n"
