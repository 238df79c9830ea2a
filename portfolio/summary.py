"""The figures part of the year's work summary (工作总结 part 一), drafted from live data.

``draft_summary(period)`` is the one function behind the page ``/reports/summary/`` and the
command ``manage.py draft_summary YEAR MONTH``. Every number is a figure of the catalogue
(``portfolio.figures``), rounded there as the report rounds it: the headline completion rate to one
decimal (120.4%), the sub-rates (市重大完成率, 开工率, 复工率) to whole percent (145%, 69%),
amounts in 亿 to one decimal, areas as recorded (419.74亩), acquisition and demolition with '余'
to the ten (720余亩, 130余栋), savings with '余' to the hundred 万元 (3500余万元). Nothing is
computed or rounded here; the lists of names come from the same selectors' records.

The report's framing: from June on, the 百日竞赛 sentence gives the 1-6月 figures ("1-6月续建项目
复工率100%；新建项目中11个实现开工……其中3个项目实现提前开工") and 双过半; the 1-N月 starts follow
it after June. The early starts of 新建 projects stay with the 新建 clause ("其中N个"); those of
预备转实施 and 计划外 projects are named with the projects under construction, as the report does
("其中七峰路、华灿路、金塘路和银杉学校4个预备转实施项目和计划外项目中南路已实现提前开工建设").
"""
from django.utils.translation import gettext as _

from investment.models import FundingSource
from projects.models import Phase, PlanCategory
from projects.selectors import plan_entries_as_of

from .figures import HUNDRED_DAY_MONTH, figure_values
from .selectors import report_figures

NAMES_SHOWN = 3
"""How many project names a sentence lists before '等N个项目'."""


def _names(projects, limit=None):
    names = [p.name for p in projects]
    if limit is not None and len(names) > limit:
        return "、".join(names[:limit]) + _("等")
    return "、".join(names)


def _and(names):
    """'A、B和C' — the report's way of listing a few names."""
    names = list(names)
    return "、".join(names[:-1]) + _("和") + names[-1] if len(names) > 1 else "".join(names)


def _investment(v):
    p = v.period
    return _(
        "{year}年固定资产计划总投资{target}亿，其中市重大目标金额为{m_target}亿，非市重大{o_target}亿。"
        "截至目前，{label}已完成投资{done}亿，占年度计划的{rate}，其中市重大项目完成投资{m_done}亿，"
        "完成率{m_rate}。"
    ).format(
        year=p.year, label=p.label, target=v["target"].text, m_target=v["municipal_target"].text,
        o_target=v["other_target"].text, done=v["completed"].text, rate=v["rate"].text,
        m_done=v["municipal_completed"].text, m_rate=v["municipal_rate"].text,
    )


def _starts_sentence(v, prefix="", resumption=True):
    """复工率 and the 新建 clause for 1-N月 (``prefix`` "hundred_day_": for 1-6月), its early starts
    being those of 新建 projects ("其中N个"); '' when nothing is due yet."""
    def f(key):
        return v[prefix + key]

    label = f("resumption_rate").period.label
    parts = []
    if resumption and f("resumption_rate").value is not None:
        parts.append(_("{label}续建项目复工率{resume}").format(label=label, resume=f("resumption_rate").text))
    if f("start_rate").value is not None:
        text = _("新建项目中{started}个实现开工，开工率{rate}").format(
            started=f("new_starts").text, rate=f("start_rate").text)
        if f("municipal_start_rate").value is not None:
            text += _("，市重大项目开工率{m_rate}").format(m_rate=f("municipal_start_rate").text)
        if f("early_new").value:
            text += _("，其中{n}个项目实现提前开工").format(n=f("early_new").text)
        parts.append(text if parts else label + text)
    return "；".join(parts) + "。" if parts else ""


def _starts(v):
    """Before June the 1-N月 starts; from June on the 百日竞赛 (1-6月) with 双过半, then the 1-N月
    starts after June."""
    if not v.hundred_day:
        return _starts_sentence(v)
    text = _starts_sentence(v, "hundred_day_")
    if v["half_achieved"].value is not None:
        text += _("{label}完成投资{done}亿，占年度计划的{rate}，{verdict}“双过半”。").format(
            label=v["half_completed"].period.label, done=v["half_completed"].text, rate=v["half_rate"].text,
            verdict=_("实现") if v["half_achieved"].value else _("未实现"))
    if v.period.month > HUNDRED_DAY_MONTH:  # the year's starts so far; 复工率 again only when it changed since June
        text += _starts_sentence(v, resumption=v["resumption_rate"].text != v["hundred_day_resumption_rate"].text)
    return text


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


def _early_by_kind(v, early):
    """The early starts of 预备转实施 and 计划外 projects, named as the report names them:
    "华灿路、七峰路和金塘路3个预备转实施项目和计划外项目中南路已实现提前开工建设"."""
    groups = []
    moved = [e.project.name for e in early["to_implementation"]]
    if moved:
        groups.append(_("{names}{n}个预备转实施项目").format(names=_and(moved), n=v["early_to_implementation"].text))
    unplanned = [e.project.name for e in early["unplanned"]]
    if len(unplanned) == 1:
        groups.append(_("计划外项目{name}").format(name=unplanned[0]))
    elif unplanned:
        groups.append(_("{names}{n}个计划外项目").format(names=_and(unplanned), n=v["early_unplanned"].text))
    return _("和").join(groups) + _("已实现提前开工建设") if groups else ""


def _phases(f, v):
    counts = f["phases"]
    by_phase = {Phase.DELIVERED: [], Phase.CONSTRUCTION: []}
    for entry in plan_entries_as_of(period=f["period"]).select_related("project").order_by("project__code"):
        if entry.current_phase in by_phase:
            by_phase[entry.current_phase].append(entry.project)
    parts = []
    if counts[Phase.DELIVERED]:
        parts.append(_("{names}{n}个项目已全部完成建设并交付使用").format(
            names=_names(by_phase[Phase.DELIVERED], NAMES_SHOWN), n=v[f"phase_{Phase.DELIVERED}"].text))
    if counts[Phase.CONSTRUCTION]:
        parts.append(_("{names}{n}个项目正在快速推进").format(
            names=_names(by_phase[Phase.CONSTRUCTION], NAMES_SHOWN), n=v[f"phase_{Phase.CONSTRUCTION}"].text))
    early = _early_by_kind(v, v.parts["early_by_kind"])
    if early:
        parts.append(_("其中") + early if counts[Phase.CONSTRUCTION] else early)
    if not parts:
        return ""
    return _("目前") + "，".join(parts) + "。"


def _land_and_preparation(f, v):
    land, t = f["land"], f["tenders"]
    if land["batches"]:
        text = _("共完成了{batches}个批次{projects}个项目共计{area}亩地的用地报批工作").format(
            batches=v["land_batches"].text, projects=v["land_batch_projects"].text, area=v["land_area"].text)
    else:
        text = _("用地报批工作正在推进")
    if land["with_task"] and land["full_access"] == land["with_task"]:
        text += _("；有征拆任务的{n}个项目已实现施工全面进场").format(n=v["land_with_task"].text)
    elif land["with_task"] and not land["full_access"]:
        text += _("；有征拆任务的{n}个项目正在推进征拆").format(n=v["land_with_task"].text)
    elif land["with_task"]:
        text += _("；有征拆任务的{n}个项目中{access}个已实现施工全面进场").format(
            n=v["land_with_task"].text, access=v["land_full_access"].text)
    if land["acquired_mu"] or land["buildings_signed"]:
        text += _("，{span}征地{mu}亩，签约拆房{buildings}栋").format(
            span=_("全年共") if f["period"].month == 12 else _("本年度已"),
            mu=v["acquired_mu"].text, buildings=v["buildings_signed"].text)
    done = [
        ("preliminary_done", _("{n}个项目的前期工作")),
        ("tenders_works", _("{n}次施工或监理招标工作")),
        ("tenders_equipment", _("{n}个设备采购招标")),
        ("to_implementation", _("{n}个项目预备转实施")),
    ]
    done = [template.format(n=v[key].text) for key, template in done if v[key].value]
    if done:
        text += _("；完成了") + "、".join(done)
    return text + "。"


def _permits(f, v):
    p = f["permits"]
    if not p["count"]:
        return ""
    text = _("{n}个许可证中{within}个在开标后{days}天内办结，办证时长中位数{median}天、最长{max}天").format(
        n=v["permit_count"].text, within=v["permit_within"].text, days=p["target_days"],
        median=v["permit_median"].text, max=v["permit_max"].text)
    if p["all_within_target"]:
        text += _("，实现在项目开标一个半月内完成所有报建工作")
    return text + "。"


def _money(f, v):
    funding = f["funding"]
    parts = []
    if funding["total"]:
        sources = [FundingSource(s).label for s in FundingSource.values if funding["by_source"].get(s)]
        parts.append(_("争取{sources}等上级资金{total}万元").format(
            sources="、".join(str(s) for s in sources), total=v["funding"].text))
    if v["savings_management"].value:
        parts.append(_("通过跨项目平衡土方供需或者将项目合并进行施工招标，节约财政资金{n}万元").format(
            n=v["savings_management"].text))
    if v["savings_design"].value:
        parts.append(_("优化设计方案，节约造价{n}万元").format(n=v["savings_design"].text))
    return "；".join(parts) + "。" if parts else ""


def _branches(f, v):
    if not f["local_branches"]["total"]:
        return ""
    return _("推动{c}家外地建筑企业、{s}家监理企业在望城成立了分公司。").format(
        c=v["branches_construction"].text, s=v["branches_supervision"].text)


def _awards(period):
    """获奖 (issue 17): '…项目获评2020年度湖南省建设工程芙蓉奖。' — only when an award of the year is recorded."""
    from evidence.selectors import awards_in_period

    awards = awards_in_period(period=period)
    return "".join(_("{project}项目获评{year}年度{name}。").format(project=a.project.name, year=a.year, name=a.name)
                   for a in awards)


def draft_summary(*, period, figures=None):
    """The summary's figures as a list of paragraphs (plain text, in the report's order)."""
    f = figures or report_figures(period=period)
    v = figure_values(period=period, figures=f)
    paragraphs = [
        _investment(v), _starts(v), _categories(f) + _phases(f, v),
        _land_and_preparation(f, v), _permits(f, v), _money(f, v), _branches(f, v), _awards(period),
    ]
    return [p for p in paragraphs if p]


def draft_summary_text(*, period):
    """The paragraphs joined as a plain-text document (the .txt download and the command)."""
    title = _("{period}重点项目建设情况").format(period=period)
    return "\n\n".join([title, *draft_summary(period=period)]) + "\n"
