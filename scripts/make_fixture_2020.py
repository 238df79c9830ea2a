"""Generate fixtures/demo_2020.json: the 2020 data set that reproduces the center's report.

Run: .venv/bin/python scripts/make_fixture_2020.py  (deterministic; no database needed)

The report's figures are NOT written into the fixture: the fixture holds records (projects, plan
entries, monthly amounts, dates, batches, tenders, ...) and the product computes the figures.
This script picks the records so that the computed figures match the report; the asserts at the
bottom re-derive the main figures from the generated records as a guard while tuning.
See fixtures/README.md for the story the data tell.
"""
import datetime as dt
import json
import random
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

D = Decimal
CENT = D("0.01")
rng = random.Random(2020)
OUT = Path(__file__).resolve().parent.parent / "fixtures" / "demo_2020.json"
sys.path.insert(0, str(OUT.parent.parent))  # portfolio.progress_stages: the 形象进度 texts (no Django)
from portfolio.progress_stages import STAGES  # noqa: E402


def day(s):
    return dt.date.fromisoformat(s)


SOUTH, NORTH = 1, 2

# --- Projects ------------------------------------------------------------------------------------
# name, kind, area, category (as planned), municipal key, target 万元 (None = scaled share),
# planned_start, actual_start, actual_finish (delivery = finish + 20 days), story flags.
# Names marked * are invented (fixtures/README.md lists them).
P = []


def project(name, kind, area, category, *, key=False, target=None, weight=1.0, planned=None,
            started=None, finished=None, invented=False, unplanned=False, added=None,
            to_category=None, changed=None, reason="", instruction="", resumed=None, target_weight=None):
    # weight: share of the other projects' target and completion; target_weight (if given) its
    # share of the target only, so that similar projects get distinct targets while every
    # monthly amount stays what it was.
    P.append(dict(name=name, kind=kind, area=area, category=category, key=key, target=target,
                  weight=weight, target_weight=target_weight or weight, planned=day(planned) if planned else None,
                  started=day(started) if started else None,
                  finished=day(finished) if finished else None, invented=invented,
                  unplanned=unplanned, added=day(added) if added else None,
                  to_category=to_category, changed=day(changed) if changed else None,
                  reason=reason, instruction=instruction,
                  resumed=day(resumed) if resumed else None))


# 续建 (10): under construction since 2019; all resumed after the Spring Festival by March.
project("区委党校（雷锋学院）", "building", NORTH, "continuing", key=True, target=6200,
        planned="2019-03-01", started="2019-03-20", finished="2020-08-28", resumed="2020-02-24")
project("莲湖九年一贯制学校", "school", NORTH, "continuing", key=True, target=7500,
        planned="2019-04-01", started="2019-04-18", finished="2020-07-31", resumed="2020-02-26")
project("长沙市一中金山桥学校", "school", SOUTH, "continuing", key=True, target=8200,
        planned="2019-05-01", started="2019-05-10", finished="2020-07-25", resumed="2020-02-21")
project("高裕九年一贯制学校", "school", SOUTH, "continuing", key=True, target=9800,
        planned="2019-09-01", started="2019-09-16", resumed="2020-02-28")
project("养老中心", "building", NORTH, "continuing", key=True, target=17400,
        planned="2019-10-01", started="2019-10-12", resumed="2020-03-02")
project("湖南师大附中星城实验中学二小", "school", SOUTH, "continuing", weight=3.0,
        planned="2019-03-01", started="2019-03-05", finished="2020-08-10", resumed="2020-02-25")
project("金坪路", "road", SOUTH, "continuing", weight=2.2, invented=True,
        planned="2019-06-01", started="2019-06-15", finished="2020-06-20", resumed="2020-03-03")
project("黄金园路", "road", NORTH, "continuing", weight=2.0, invented=True,
        planned="2019-07-01", started="2019-07-08", finished="2020-09-15", resumed="2020-03-05")
project("区人民医院发热门诊楼", "building", NORTH, "continuing", weight=1.6, invented=True,
        planned="2019-11-01", started="2019-11-10", finished="2020-05-30", resumed="2020-02-18")
project("郭亮路", "road", SOUTH, "continuing", weight=2.4, invented=True,
        planned="2019-05-01", started="2019-05-20", finished="2020-10-30", resumed="2020-03-06")

# 新建 (18): 16 due to start by June, of which 11 started by June (3 ahead of plan);
# 2 more started in July and August; the other 3 were moved to 预备 in August.
# 2 were due after June and started on time. Municipal key new starts all started by June.
project("香桥小学", "school", SOUTH, "new", key=True, target=7400,
        planned="2020-04-15", started="2020-04-18")
project("金星大道（滨水四医院院区）地下通道工程", "road", NORTH, "new", key=True, target=11300,
        planned="2020-03-31", started="2020-04-02")
project("区一中改扩建", "school", NORTH, "new", key=True, target=9600,
        planned="2020-05-15", started="2020-04-22")  # early
project("旺旺路", "road", SOUTH, "new", key=True, target=8900, invented=True,
        planned="2020-04-30", started="2020-04-16")  # early
project("月亮岛路北延", "road", SOUTH, "new", key=True, target=7800, invented=True,
        planned="2020-05-31", started="2020-05-06")  # early
project("腾飞路", "road", NORTH, "new", weight=2.0, invented=True,
        planned="2020-03-15", started="2020-03-25")
project("白沙洲路", "road", SOUTH, "new", weight=1.8, invented=True,
        planned="2020-04-01", started="2020-04-20")
project("马桥河路", "road", NORTH, "new", weight=1.5, invented=True,
        planned="2020-05-01", started="2020-05-18")
project("金峰路", "road", SOUTH, "new", weight=1.5, invented=True,
        planned="2020-05-20", started="2020-06-08")
project("桐林坳社区服务中心", "building", NORTH, "new", weight=0.9, invented=True,
        planned="2020-03-10", started="2020-03-16", finished="2020-11-20")
project("丁字湾公园", "park", NORTH, "new", weight=1.2, invented=True,
        planned="2020-06-15", started="2020-06-28")
project("银星路", "road", SOUTH, "new", weight=1.2, invented=True,
        planned="2020-05-15", started="2020-07-20")
project("普瑞西路", "road", SOUTH, "new", weight=1.0, invented=True,
        planned="2020-06-10", started="2020-08-12")
project("对家塘路", "road", SOUTH, "new", weight=0.08, target_weight=0.085,
        planned="2020-05-30", to_category="preliminary", changed="2020-08-18",
        reason="征拆及管线迁改未完成，年内不具备开工条件，调整为预备项目")
project("雅湖路", "road", NORTH, "new", weight=0.08, target_weight=0.075,
        planned="2020-06-20", to_category="preliminary", changed="2020-08-18",
        reason="规划方案调整，年内不具备开工条件，调整为预备项目")
project("杨江街路", "road", NORTH, "new", weight=0.06,
        planned="2020-06-30", to_category="preliminary", changed="2020-08-18",
        reason="用地报批未完成，年内不具备开工条件，调整为预备项目")
project("青竹湖路", "road", NORTH, "new", weight=0.9, invented=True,
        planned="2020-09-01", started="2020-09-08")
project("同心路", "road", SOUTH, "new", weight=0.7, invented=True,
        planned="2020-10-01", started="2020-10-10")

# 预备 (13): 5 moved to implementation during the year; 4 of them started early (planned 2021).
project("银杉九年一贯制学校", "school", SOUTH, "preliminary", weight=0.9,
        planned="2021-03-01", started="2020-10-26", to_category="new", changed="2020-09-10",
        reason="前期工作提前完成，具备开工条件，预备转实施")
project("华灿路", "road", SOUTH, "preliminary", weight=0.7, target_weight=0.72,
        planned="2021-02-01", started="2020-10-15", to_category="new", changed="2020-09-10",
        reason="前期工作提前完成，具备开工条件，预备转实施")
project("七峰路", "road", NORTH, "preliminary", weight=0.7, target_weight=0.68,
        planned="2021-02-15", started="2020-10-20", to_category="new", changed="2020-09-10",
        reason="前期工作提前完成，具备开工条件，预备转实施")
project("金塘路", "road", NORTH, "preliminary", weight=0.6,
        planned="2021-03-15", started="2020-11-05", to_category="new", changed="2020-10-12",
        reason="配合片区开发，预备转实施")
project("养老中心配套道路", "road", NORTH, "preliminary", weight=0.12,
        planned="2021-03-01", to_category="new", changed="2020-09-10",
        reason="配合养老中心交付使用，预备转实施")
# Distinct target weights adding up to 8 × 0.05: the other projects' targets do not move.
for name, area, target_weight in [("滨水新城一路", SOUTH, 0.03), ("高塘岭路", NORTH, 0.06), ("斑马湖路", SOUTH, 0.045),
                           ("书堂山路", NORTH, 0.07), ("乔口大道提质改造", NORTH, 0.04),
                           ("铜官大道拓宽", NORTH, 0.065), ("靖港路", SOUTH, 0.055), ("格塘路", SOUTH, 0.035)]:
    project(name, "road", area, "preliminary", weight=0.05, target_weight=target_weight, invented=True,
            planned="2021-06-30")

# 社会监管 (3) and 储备 (1)
project("望城经开区标准厂房", "building", NORTH, "supervised", weight=1.6, invented=True)
project("高星物流园配套道路", "road", NORTH, "supervised", weight=1.3, invented=True)
project("滨江片区安置房", "building", SOUTH, "supervised", weight=1.8, invented=True)
project("谷山片区综合管廊", "utility", SOUTH, "reserve", weight=0.01, invented=True)

# 计划外 (3): added on district leaders' instructions.
project("普瑞大道（三环线-金星路）提质改造", "road", SOUTH, "new", unplanned=True, weight=0.03,
        planned="2021-03-01", added="2020-11-16",
        instruction="区领导批示：启动普瑞大道提质改造前期工作")
project("中南路", "road", SOUTH, "new", unplanned=True, weight=0.5,
        planned="2021-01-15", started="2020-11-25", added="2020-10-28",
        instruction="区领导批示：加快中南路建设")
project("湖南信息学院电力工程", "utility", NORTH, "new", unplanned=True, weight=0.04,
        planned="2021-04-01", added="2020-12-02",
        instruction="区领导批示：保障湖南信息学院用电")

assert len([p for p in P if not p["unplanned"]]) == 45

# --- Targets (万元) -------------------------------------------------------------------------------
KEY_TARGET, OTHER_TARGET = D(94100), D(53800)
MUNICIPAL_COMPLETED = D("136712.35")   # 13.67亿 → "13.7亿", 145.3% → "145%"
TOTAL_COMPLETED = D("178066.80")       # 17.81亿 → "17.8亿", 120.4%


def q(x):
    return D(x).quantize(CENT, rounding=ROUND_HALF_UP)


def split(total, weights):
    """Split a Decimal total by weights into cents that add up exactly."""
    s = sum(weights)
    parts = [q(total * D(str(w)) / D(str(s))) for w in weights]
    parts[-1] += total - sum(parts)
    return parts


key = [p for p in P if p["key"]]
assert sum(D(p["target"]) for p in key) == KEY_TARGET
other = [p for p in P if not p["key"] and not p["unplanned"]]


def other_targets(weight):
    """The other projects' targets: OTHER_TARGET split by ``weight``, rounded to 10 万元."""
    targets = [q(round(t / 10) * 10) if t > 100 else t for t in split(OTHER_TARGET, [p[weight] for p in other])]
    targets[0] += OTHER_TARGET - sum(targets)
    return targets


for p, basis, t in zip(other, other_targets("weight"), other_targets("target_weight")):
    p["basis"], p["target"] = basis, t
for p in P:
    p["target"] = D(p["target"]) if p["target"] is not None else D(0)
    p.setdefault("basis", p["target"])

# Completion for the year: municipal ~145 %, others ~77 %, spread by a per-project factor of its
# share (``basis``: the target by ``weight``).
def completions(group, total, lo, hi):
    factors = [p["basis"] * D(str(round(rng.uniform(lo, hi), 3))) if p["basis"] else
               D(str(p["weight"] * 400)) for p in group]
    return split(total, factors)

for p, c in zip(key, completions(key, MUNICIPAL_COMPLETED, 1.25, 1.65)):
    p["completed"] = c
rest = [p for p in P if not p["key"]]
for p, c in zip(rest, completions(rest, TOTAL_COMPLETED - MUNICIPAL_COMPLETED, 0.55, 1.0)):
    p["completed"] = c

# --- Monthly split --------------------------------------------------------------------------------
SEASON = [4, 3, 8, 9, 10, 11, 9, 9, 9, 9, 9, 10]


def active_months(p):
    if p["category"] == "continuing":
        last = p["finished"].month if p["finished"] else 12
        return [m for m in range(1, last + 1) if m == 1 or m >= p["resumed"].month]
    first = 3
    if p["started"] and p["started"].year == 2020:
        first = p["started"].month
    if p["added"]:
        first = p["added"].month
    last = 12
    if p["finished"]:
        last = p["finished"].month
    if p["to_category"] == "preliminary":
        last = p["changed"].month
    return list(range(first, last + 1))


PROBLEMS = [
    "征拆进度滞后，部分红线范围内尚未交地",
    "管线迁改协调难度大，影响施工进度",
    "雨季施工，土方外运受限",
    "设计变更待审批",
    "",
]

for p in P:
    months = active_months(p)
    amounts = split(p["completed"], [SEASON[m - 1] * rng.uniform(0.8, 1.2) for m in months])
    p["monthly"] = dict(zip(months, amounts))

# --- Checks of the story (the product's tests re-derive these through its selectors) -----------
total = sum(p["completed"] for p in P)
assert total == TOTAL_COMPLETED, total
june = sum(a for p in P for m, a in p["monthly"].items() if m <= 6)
assert june >= (KEY_TARGET + OTHER_TARGET) / 2, ("双过半 fails", june)
due = [p for p in P if p["category"] == "new" and not p["unplanned"] and p["planned"] <= day("2020-06-30")]
started = [p for p in due if p["started"] and p["started"] <= day("2020-06-30")]
assert (len(due), len(started)) == (16, 11), (len(due), len(started))

# --- Dates every project needs before its records are written ----------------------------------
by_name = {p["name"]: p for p in P}
for i, p in enumerate(P, start=1):
    p["pk"] = i
    # The 21 projects under construction at the end of 2020 (and 2 more starting early 2021)
    # are due to finish in 2021: the 2021 node plans.
    p["planned_finish"] = None
    if p["started"] and not p["finished"]:
        p["planned_finish"] = day("2021-06-30") + dt.timedelta(days=9 * i % 150)
    if p["unplanned"] and not p["started"]:
        p["planned_finish"] = day("2021-12-20")
    if p["finished"]:
        p["planned_finish"] = p["finished"] - dt.timedelta(days=10)


def workday(d):
    """Tenders open and permits are issued on working days: a weekend date moves back to Friday."""
    return d - dt.timedelta(days=max(0, d.weekday() - 4))


# --- Procurement and permits of every project that started ------------------------------------
# Each started project has a construction tender and both permits, in this order: tender published
# → bid opening → 工程规划许可证 → 施工许可证 → start. Preliminary work (前期工作) is finished just
# before the tender is published. Permit lead times are counted from the bid opening:
# - 2020 (the report's 报规报建提速): planning 6–15 days, construction 30–42 days (all within 45);
# - the old process (tenders of 2018–2019): planning 80–86 days, construction 88–98 days, so the
#   2020 medians are more than 2 months (planning) and more than 1 month (construction) shorter.
# Three projects that started in March–April 2020 were tendered and permitted in 2019 (the
# Spring Festival and the epidemic stop came between permit and start).
TENDERED_IN_2019 = {"腾飞路": "2019-08-23", "金星大道（滨水四医院院区）地下通道工程": "2019-09-06",
                    "桐林坳社区服务中心": "2019-09-16"}
started_all = [p for p in P if p["started"]]
for p in started_all:
    k = p["pk"]
    if p["started"].year == 2019 or p["name"] in TENDERED_IN_2019:
        planning_days = 80 + k % 7
        construction_days = planning_days + 8 + k % 5
        opened = (day(TENDERED_IN_2019[p["name"]]) if p["name"] in TENDERED_IN_2019
                  else p["started"] - dt.timedelta(days=construction_days + 4 + k % 12))
    else:
        planning_days = 6 + k % 10
        construction_days = 30 + k % 13
        opened = p["started"] - dt.timedelta(days=construction_days + 3 + k % 9)
    p["opened"] = workday(opened)
    p["published"] = workday(p["opened"] - dt.timedelta(days=20 + k % 6))
    p["planning_permit"] = workday(p["opened"] + dt.timedelta(days=planning_days))
    p["construction_permit"] = workday(p["opened"] + dt.timedelta(days=construction_days))
    p["prelim_done"] = p["published"] - dt.timedelta(days=4 + k % 5)
    assert p["published"] < p["opened"] < p["planning_permit"] < p["construction_permit"] <= p["started"], p["name"]
    if p["construction_permit"].year == 2020:
        assert (p["construction_permit"] - p["opened"]).days <= 45, p["name"]
by_name["养老中心配套道路"]["prelim_done"] = day("2020-12-18")  # ready to start in 2021

# --- Organisations: every firm name is invented ---------------------------------------------------
# Owner units (责任单位) are the district's departments, chosen by what the project is.
OWNERS = ["望城区教育局", "望城区住房和城乡建设局", "望城区民政局", "望城区交通运输局", "中共望城区委党校",
          "望城区卫生健康局", "望城区城市管理和综合执法局", "望城经济技术开发区管理委员会"]
OWNER_BY_NAME = {"区委党校（雷锋学院）": "中共望城区委党校", "养老中心": "望城区民政局",
                 "桐林坳社区服务中心": "望城区民政局", "区人民医院发热门诊楼": "望城区卫生健康局",
                 "望城经开区标准厂房": "望城经济技术开发区管理委员会",
                 "高星物流园配套道路": "望城经济技术开发区管理委员会"}


def owner_of(p):
    if p["name"] in OWNER_BY_NAME:
        return OWNER_BY_NAME[p["name"]]
    if p["kind"] == "school":
        return "望城区教育局"
    if p["kind"] == "park":
        return "望城区城市管理和综合执法局"
    if p["kind"] == "road" and "大道" in p["name"]:
        return "望城区交通运输局"  # the arterial roads
    return "望城区住房和城乡建设局"  # town roads, housing, utilities


# Contractors and supervisors: invented trade names (any likeness to a registered firm is chance).
OUT_CONTRACTORS = ["岚峤建设集团有限公司", "砚川建工有限公司", "栎阳路桥工程有限公司", "溪棠市政建设有限公司",
                   "沅芷建设工程有限公司", "朔禾建设集团有限公司", "峙衡建筑工程有限公司", "泠州建设工程有限公司",
                   "汀岚建工集团有限公司", "槐序建设有限公司", "砥石路桥建设有限公司", "渚澜建设工程有限公司",
                   "翎峰建筑安装工程有限公司", "漱溪市政工程有限公司"]
LOCAL_CONTRACTORS = ["望城岭湾建筑工程有限公司", "望城桐麓市政工程有限公司", "望城榉川建设有限公司"]
OUT_2019 = "泓屹建设集团有限公司"  # outside firm whose local branch dates from 2019: not counted for 2020
OUT_SUPERVISORS = ["岑衡工程项目管理有限公司", "澈石建设监理有限公司", "昀川工程咨询有限公司",
                   "弈准项目管理有限公司", "槿源建设监理有限公司", "晖度工程管理有限公司"]
LOCAL_SUPERVISORS = ["望城岚湾建设监理有限公司"]
EQUIPMENT_SUPPLIERS = ["长沙煦学教学设备有限公司", "湖南颐年康养设备有限公司", "湖南净衡医疗净化工程有限公司"]

# Construction tenders by bid opening: the 2019-branch firm wins the first (2018); each later one
# goes to the firm with the fewest wins among those that build that kind of works (路桥/市政 firms
# roads, parks and utilities; 建工/建筑 firms schools and buildings; 建设 firms both), so that each
# of the 14 outside firms has won here before it set up its branch.
ROAD_FIRMS = {"栎阳路桥工程有限公司", "溪棠市政建设有限公司", "砥石路桥建设有限公司", "漱溪市政工程有限公司",
              "望城桐麓市政工程有限公司"}
BUILDING_FIRMS = {"砚川建工有限公司", "峙衡建筑工程有限公司", "汀岚建工集团有限公司", "翎峰建筑安装工程有限公司",
                  "望城岭湾建筑工程有限公司"}
by_opening = sorted(started_all, key=lambda p: (p["opened"], p["pk"]))
wins = {name: 0 for name in OUT_CONTRACTORS + LOCAL_CONTRACTORS}
for n, p in enumerate(by_opening):
    if n == 0:
        p["contractor"] = OUT_2019
        continue
    unfit = ROAD_FIRMS if p["kind"] in ("school", "building") else BUILDING_FIRMS
    fit = [name for name in wins if name not in unfit]
    p["contractor"] = min(fit, key=lambda name: wins[name])
    wins[p["contractor"]] += 1
assert by_opening[0]["opened"] < day("2019-08-20")
assert all(wins[name] for name in OUT_CONTRACTORS), wins
# Supervisors by start, in turn; two projects' supervision was tendered in 2020 (one tender for
# 旺旺路 and 月亮岛路北延 together), the others' below the tender threshold was commissioned.
by_start = sorted(started_all, key=lambda p: (p["started"], p["pk"]))
supervisors = OUT_SUPERVISORS + LOCAL_SUPERVISORS
for n, p in enumerate(by_start):
    p["supervisor"] = supervisors[n % len(supervisors)]
by_name["月亮岛路北延"]["supervisor"] = by_name["旺旺路"]["supervisor"]


def first_job(firm, role):
    return min(p["opened"] if role == "contractor" else p["started"] for p in started_all if p[role] == firm)


orgs = []
for name in OWNERS:
    orgs.append(dict(name=name, role="owner", out=False, branch=None))
for j, name in enumerate(OUT_CONTRACTORS):
    # branches set up after the firm won here, most after the contractors' meeting (座谈会)
    branch = max(first_job(name, "contractor"), day("2020-03-01")) + dt.timedelta(days=20 + 16 * j)
    orgs.append(dict(name=name, role="contractor", out=True, branch=branch))
for name in LOCAL_CONTRACTORS:
    orgs.append(dict(name=name, role="contractor", out=False, branch=None))
for j, name in enumerate(OUT_SUPERVISORS):
    branch = max(first_job(name, "supervisor") - dt.timedelta(days=30), day("2020-03-01")) + \
        dt.timedelta(days=20 + 30 * j)
    orgs.append(dict(name=name, role="supervisor", out=True, branch=branch))
for name in LOCAL_SUPERVISORS:
    orgs.append(dict(name=name, role="supervisor", out=False, branch=None))
for name in EQUIPMENT_SUPPLIERS:
    orgs.append(dict(name=name, role="other", out=False, branch=None))
orgs.append(dict(name=OUT_2019, role="contractor", out=True, branch=day("2019-08-20")))
assert all(o["branch"].year == 2020 for o in orgs if o["out"] and o["name"] != OUT_2019)
org_pk = {o["name"]: i + 1 for i, o in enumerate(orgs)}

# --- Build fixture objects ----------------------------------------------------------------------
objs = []


def add(model, pk, **fields):
    objs.append({"model": model, "pk": pk, "fields": fields})


def iso(d):
    return d.isoformat() if d else None


def month_end(year, m):
    return (dt.date(year + m // 12, m % 12 + 1, 1) - dt.timedelta(days=1))


PRELIM_TEXT = "前期工作：方案设计、勘察及手续办理"


def stage_text(kind, pct):
    return next(text for bound, text in STAGES[kind] if pct < bound or bound == 100)


def progress_of(p, m):
    """(physical percent, 形象进度) of a 2020 month: elapsed share of the works' planned time once
    started, the preliminary step before."""
    end = month_end(2020, m)
    if p["category"] == "supervised":  # built by others; the center supervises
        pct = D(10 + 7 * m)
        return pct, "社会投资建设，中心监管：" + stage_text(p["kind"], pct)
    if p["category"] == "reserve":
        return D(0), "储备项目：项目策划及可行性研究"
    if p["finished"] and m == p["finished"].month and p["finished"].year == 2020:
        return D(100), "完工验收"
    if p["started"] and p["started"] <= end:
        t1 = p["finished"] or p["planned_finish"]
        pct = q(D(100) * (end - p["started"]).days / (t1 - p["started"]).days)
        pct = min(max(pct, D(1)), D(98))
        return pct, stage_text(p["kind"], pct)
    if p["to_category"] == "preliminary" and m == p["changed"].month:
        return D(0), "已调整为预备项目，继续推进前期工作"
    if p.get("prelim_done"):
        if p.get("construction_permit") and p["construction_permit"] <= end:
            return D(0), "报建手续已完成，施工准备"
        if p.get("published") and p["published"] <= end:
            return D(0), "施工招标及报建手续办理"
        if p["prelim_done"] <= end:
            return D(0), "前期工作已完成，待2021年开工"
    return D(0), PRELIM_TEXT


add("projects.area", SOUTH, name="南片", order=1)
add("projects.area", NORTH, name="北片", order=2)
for o in orgs:
    add("projects.organisation", org_pk[o["name"]], name=o["name"], role=o["role"],
        is_from_outside=o["out"], local_branch_on=iso(o["branch"]))

INDUSTRY = {"road": "48", "school": "83", "building": "47", "park": "78", "utility": "44"}
add("investment.annualplan", 2020, year=2020, title="2020年固定资产投资计划", approved_on="2020-02-10",
    note="望城区重点建设项目事务中心年度计划")
add("investment.annualplan", 2019, year=2019, title="2019年固定资产投资计划", approved_on="2019-02-12",
    note="仅含2020年续建项目的2019年数据，用于同比曲线")

prelim_done = []
transition_pk = entry_pk = progress_pk = change_pk = milestone_pk = 0
for i, p in enumerate(P, start=1):
    code_year = (p["started"] or p["planned"] or day("2020-01-01")).year
    if p["category"] == "continuing":
        code_year = p["started"].year - 1
    code_year = min(code_year, 2020)
    code = f"{code_year}-430112-{INDUSTRY[p['kind']]}-01-{100000 + i * 37:06d}"
    finished = p["finished"]
    delivered = finished + dt.timedelta(days=20) if finished else None
    if delivered and delivered.year > 2020:
        delivered = None
    phase = "preliminary"
    if p["started"] and p["started"] <= day("2020-12-31"):
        phase = "construction"
    if delivered:
        phase = "delivered"
    total_investment = q(p["target"] * D("2.6") + p["completed"]) if p["category"] != "preliminary" else q(p["target"] * 40 + 2000)
    pd = p.get("prelim_done")
    if pd and pd.year == 2020:
        prelim_done.append(p["name"])
    add("projects.project", i, code=code, name=p["name"], kind=p["kind"], area=p["area"],
        owner_unit=org_pk[owner_of(p)],
        contractor=org_pk[p["contractor"]] if p["started"] else None,
        supervisor=org_pk[p["supervisor"]] if p["started"] else None,
        total_investment=str(total_investment), phase=phase, preliminary_done_on=iso(pd),
        planned_start=iso(p["planned"]), actual_start=iso(p["started"]),
        planned_finish=iso(p["planned_finish"]), actual_finish=iso(finished),
        description="")
    p["code"] = code
    p["delivered"] = delivered
    # phase transitions
    if p["started"]:
        transition_pk += 1
        add("projects.phasetransition", transition_pk, project=i, from_phase="preliminary",
            to_phase="construction", occurred_on=iso(p["started"]), reason="开工")
    if finished:
        transition_pk += 1
        add("projects.phasetransition", transition_pk, project=i, from_phase="construction",
            to_phase="completed", occurred_on=iso(finished), reason="完工验收")
    if delivered:
        transition_pk += 1
        add("projects.phasetransition", transition_pk, project=i, from_phase="completed",
            to_phase="delivered", occurred_on=iso(delivered), reason="交付使用")
    # plan entry 2020
    entry_pk += 1
    p["entry"] = entry_pk
    add("investment.planentry", entry_pk, plan=2020, project=i, category=p["category"],
        is_municipal_key=p["key"], unplanned=p["unplanned"], added_on=iso(p["added"] or day("2020-02-10")),
        instruction=p["instruction"], target=str(p["target"]), resumed_on=iso(p["resumed"]))
    if p["to_category"]:
        change_pk += 1
        add("projects.categorychange", change_pk, project=i, year=2020, from_category=p["category"],
            to_category=p["to_category"], changed_on=iso(p["changed"]), reason=p["reason"],
            instruction="")
    # monthly progress
    for m in range(1, 13):
        amount = p["monthly"].get(m)
        if amount is None:
            continue
        pct, text = progress_of(p, m)
        progress_pk += 1
        add("investment.monthlyprogress", progress_pk, entry=entry_pk, month=m,
            completed=str(amount), physical_percent=str(pct), physical_progress=text,
            problems=PROBLEMS[(i + m) % len(PROBLEMS)] if (i + m) % 4 == 0 else "",
            version=1, updated_by=None, updated_at=f"2020-{m:02d}-25T10:00:00+08:00")

# 2019: the continuing projects' previous year, for the year-on-year curve.
for p in P:
    if p["category"] != "continuing":
        continue
    entry_pk += 1
    target19 = q(p["basis"] * D("1.1"))
    add("investment.planentry", entry_pk, plan=2019, project=p["pk"], category="new",
        is_municipal_key=p["key"], unplanned=False, added_on="2019-02-12", instruction="",
        target=str(target19), resumed_on=None)
    months = [m for m in range(p["started"].month, 13)]
    done19 = q(target19 * D(str(round(rng.uniform(0.85, 1.1), 2))))
    for m, a in zip(months, split(done19, [SEASON[m - 1] for m in months])):
        progress_pk += 1
        add("investment.monthlyprogress", progress_pk, entry=entry_pk, month=m, completed=str(a),
            physical_percent=None, physical_progress="", problems="", version=1, updated_by=None,
            updated_at=f"2019-{m:02d}-25T10:00:00+08:00")

assert len(prelim_done) == 18, (len(prelim_done), prelim_done)

# --- Land approval batches: 6 batches, 18 projects, 419.74 亩, each approved before its works start
batches = [
    ("1", "2020-01-08", "2020-03-06", "68.52", ["腾飞路", "香桥小学", "旺旺路"]),
    ("2", "2020-02-20", "2020-04-10", "95.36", ["区一中改扩建", "月亮岛路北延", "白沙洲路", "马桥河路"]),
    ("3", "2020-04-02", "2020-05-28", "41.18", ["金峰路", "丁字湾公园"]),
    ("4", "2020-05-12", "2020-07-08", "72.40", ["银星路", "普瑞西路", "青竹湖路"]),
    ("5", "2020-07-20", "2020-09-18", "88.65", ["同心路", "银杉九年一贯制学校", "华灿路", "七峰路"]),
    ("6", "2020-08-28", "2020-10-22", "53.63", ["金塘路", "养老中心配套道路"]),
]
for n, (number, sub, appr, mu, names) in enumerate(batches, start=1):
    for x in names:
        assert not by_name[x]["started"] or by_name[x]["started"] > day(appr), (number, x)
    add("land.landbatch", n, year=2020, number=number, name=f"望城区2020年度第{number}批次建设用地",
        submitted_on=sub, approved_on=appr, area_mu=mu, projects=[by_name[x]["pk"] for x in names])

# --- Acquisition and demolition: 21 projects with the task, all with full site access ---------
# Land (亩) and demolition agreements (栋) are dated: each task's totals are spread over the months
# from about three months before its start to its full site access (全面进场), one row a month
# (an agreement batch), so that 1-N月 sums grow through the year to 723.56 亩 and 134 栋.
acq_projects = [p for p in P if p["started"] and p["started"].year == 2020][:20] + [by_name["高裕九年一贯制学校"]]
mus = split(D("723.56"), [rng.uniform(0.5, 1.5) for _ in acq_projects])
houses = [6, 8, 5, 9, 4, 7, 6, 10, 3, 5, 8, 6, 7, 4, 9, 5, 6, 8, 7, 5, 6]
assert sum(houses) == 134 and len(acq_projects) == 21


def split_int(total, weights):
    """Split an integer total by weights (largest remainder)."""
    raw = [total * w / sum(weights) for w in weights]
    parts = [int(r) for r in raw]
    for j in sorted(range(len(raw)), key=lambda j: raw[j] - parts[j], reverse=True)[:total - sum(parts)]:
        parts[j] += 1
    return parts


progress_row = 0
used_access = set()
for n, (p, mu, h) in enumerate(zip(acq_projects, mus, houses), start=1):
    if p["category"] == "continuing":  # the remaining plot of a school started in 2019
        begin, access = day("2020-03-01"), day("2020-05-22")
    else:
        begin = max(day("2020-01-01"), p["started"] - dt.timedelta(days=90))
        access = p["started"] + dt.timedelta(days=14 + 11 * n % 70)
        if access > day("2020-12-28"):  # late starters: full access within the year still
            access = p["started"] + dt.timedelta(days=(day("2020-12-28") - p["started"]).days * (3 + n % 7) // 10)
    while access in used_access:  # two sites are not handed over on the same day
        access += dt.timedelta(days=2 if access < day("2020-12-27") else -3)
    used_access.add(access)
    add("land.acquisition", n, project=p["pk"], year=2020, acquired_mu=str(mu), buildings_signed=h,
        full_access_on=iso(access), note="")
    months = list(range(begin.month, access.month + 1))
    weights = [rng.uniform(0.6, 1.4) for _ in months]
    for m, a, b in zip(months, split(mu, weights), split_int(h, weights)):
        on = min(dt.date(2020, m, 8 + (3 * n + 5 * m) % 20), access)
        on = max(on, begin)
        progress_row += 1
        add("land.acquisitionprogress", progress_row, acquisition=n, recorded_on=iso(on),
            acquired_mu=str(a), buildings_signed=b,
            note=f"第{m}批征地补偿及房屋拆迁协议" if b else f"第{m}批征地补偿协议")

accesses = [o["fields"]["full_access_on"] for o in objs if o["model"] == "land.acquisition"]
assert len(set(accesses)) == len(accesses) == 21, sorted(accesses)

# --- Tenders: 19 construction or supervision and 6 equipment procurements opened in 2020 -------
tender_pk = 0
permit_pk = 0
for p in by_opening:
    tender_pk += 1
    add("procurement.tender", tender_pk, project=p["pk"], kind="construction",
        title=f"{p['name']}施工招标", published_on=iso(p["published"]), bid_opened_on=iso(p["opened"]),
        winner=org_pk[p["contractor"]],
        amount=str(q(p["target"] * D("1.8")) if p["target"] else D(1000)))
    for kind, issued in [("planning", p["planning_permit"]), ("construction", p["construction_permit"])]:
        permit_pk += 1
        add("procurement.permit", permit_pk, project=p["pk"], kind=kind,
            number=f"{'建字' if kind == 'planning' else '施'}第430112{issued.year}{permit_pk:04d}号",
            issued_on=iso(issued))
for name, title in [("旺旺路", "旺旺路、月亮岛路北延施工监理（合并招标）"), ("区一中改扩建", "区一中改扩建施工监理")]:
    p = by_name[name]
    opened = workday(p["opened"] + dt.timedelta(days=6))
    tender_pk += 1
    add("procurement.tender", tender_pk, project=p["pk"], kind="supervision", title=title,
        published_on=iso(workday(opened - dt.timedelta(days=20))), bid_opened_on=iso(opened),
        winner=org_pk[p["supervisor"]], amount=str(q(p["target"] * D("0.02"))))
for name, item, opened, supplier in [
        ("区委党校（雷锋学院）", "教学及会议设备", "2020-06-18", 0), ("莲湖九年一贯制学校", "教学设备", "2020-05-26", 0),
        ("长沙市一中金山桥学校", "教学及体育设备", "2020-05-12", 0),
        ("湖南师大附中星城实验中学二小", "教学设备", "2020-06-05", 0),
        ("养老中心", "康养及厨房设备", "2020-10-22", 1), ("区人民医院发热门诊楼", "医疗净化设备", "2020-03-20", 2)]:
    p = by_name[name]
    tender_pk += 1
    add("procurement.tender", tender_pk, project=p["pk"], kind="equipment",
        title=f"{name}{item}采购", published_on=iso(day(opened) - dt.timedelta(days=20)),
        bid_opened_on=opened, winner=org_pk[EQUIPMENT_SUPPLIERS[supplier]],
        amount=str(D(300 + 37 * tender_pk)))
opened_2020 = [o for o in objs if o["model"] == "procurement.tender" and o["fields"]["bid_opened_on"] >= "2020"]
assert len([o for o in opened_2020 if o["fields"]["kind"] != "equipment"]) == 19
assert len([o for o in opened_2020 if o["fields"]["kind"] == "equipment"]) == 6

# --- Funding (12,247 万元) and savings (3,500余 + 2,600余 万元) --------------------------------------
funding = [("special_bond", "5000.00", "2020-04-15", "养老中心", "2020年新增专项债券"),
           ("special_bond", "3000.00", "2020-07-20", "高裕九年一贯制学校", "2020年新增专项债券"),
           ("central_budget", "2647.00", "2020-06-30", "金坪路", "棚改配套基础设施中央预算内资金"),
           ("central_budget", "1600.00", "2020-09-28", "郭亮路", "棚改配套基础设施中央预算内资金")]
for n, (src, amount, on, name, note) in enumerate(funding, start=1):
    add("investment.funding", n, project=by_name[name]["pk"], source=src, amount=amount,
        received_on=on, note=note)
savings = [("earthwork", "1265.30", "2020-06-20", "旺旺路", "与月亮岛路北延跨项目平衡土方"),
           ("earthwork", "865.20", "2020-09-10", "腾飞路", "与马桥河路跨项目平衡土方"),
           ("merged_tender", "1386.20", "2020-05-10", "白沙洲路", "与金峰路合并施工招标"),
           ("design", "1420.60", "2020-04-30", "区一中改扩建", "优化基础设计方案"),
           ("design", "702.80", "2020-07-15", "香桥小学", "推广装配式新型工艺"),
           ("design", "495.00", "2020-10-08", "金星大道（滨水四医院院区）地下通道工程", "优化支护方案")]
for n, (kind, amount, on, name, desc) in enumerate(savings, start=1):
    add("investment.saving", n, project=by_name[name]["pk"], kind=kind, amount=amount,
        recorded_on=on, description=desc)

# --- 流动红旗: 百日冲刺 area scores, October–December -------------------------------------------------
score_pk = 0
for m, (south, north) in {10: ((92, 90, 95, 88), (89, 93, 94, 91)),
                          11: ((90, 91, 93, 90), (94, 92, 95, 93)),
                          12: ((95, 93, 96, 94), (92, 91, 94, 90))}.items():
    for area, s in [(SOUTH, south), (NORTH, north)]:
        score_pk += 1
        add("projects.monthlyscore", score_pk, year=2020, month=m, area=area, project=None,
            progress=str(s[0]), quality=str(s[1]), safety=str(s[2]), image=str(s[3]),
            note="百日冲刺、决胜攻坚月度考评", scored_by=None)

# --- Node plans (节点计划): the 23 projects due to finish in 2021 ----------------------------------
NODES = {
    "road": ["施工图审查", "招标", "开工", "路基", "路面", "交工验收"],
    "school": ["施工图审查", "招标", "开工", "主体封顶", "装饰装修", "竣工验收"],
    "building": ["施工图审查", "招标", "开工", "主体封顶", "装饰装修", "竣工验收"],
    "park": ["方案设计", "招标", "开工", "绿化种植", "竣工验收"],
    "utility": ["方案设计", "招标", "开工", "设备安装", "竣工验收"],
}
due_2021 = [p for p in P if p["started"] and not p["finished"]] + \
           [by_name["普瑞大道（三环线-金星路）提质改造"], by_name["湖南信息学院电力工程"]]
due_2021 = [p for p in due_2021 if p["category"] not in ("supervised",)]
assert len(due_2021) == 23, len(due_2021)
for p in due_2021:
    nodes = NODES[p["kind"]]
    start = p["started"] or day("2021-03-01")
    finish = day("2021-06-30") + dt.timedelta(days=9 * p["pk"] % 150)
    step = (finish - start) / (len(nodes) - 1)
    for k, node in enumerate(nodes):
        milestone_pk += 1
        planned = start + step * k if k >= 2 else start - dt.timedelta(days=60 - 30 * k)
        done = planned if planned <= day("2020-12-31") and milestone_pk % 7 else None
        if node == "开工":
            planned, done = p["planned"] or start, p["started"]
        add("projects.milestone", milestone_pk, project=p["pk"], name=node, order=k + 1,
            planned_on=iso(planned), done_on=iso(done), note="")

def negotiations_2020():
    """四零采购 (洽商活动): two matchmaking meetings, one per area command, at which the contractors
    of 17 road and building projects under construction met 32 material suppliers ("为17个市政道路和
    房建项目施工单位及30余个材料供应商开展面对面洽谈")."""
    meetings = [(SOUTH, "2020-10-23", "南片在建项目建筑材料采购对接会", 17),
                (NORTH, "2020-10-30", "北片在建项目建筑材料采购对接会", 15)]
    for n, (area, on, title, suppliers) in enumerate(meetings, start=1):
        present = [p for p in P if p["area"] == area and p["kind"] in ("road", "school", "building")
                   and p.get("contractor") and p["started"] and p["started"] <= day(on)
                   and not (p["finished"] and p["finished"] <= day(on))]
        present = present[:9 if area == SOUTH else 8]
        add("procurement.negotiation", n, held_on=on, title=title, suppliers_attending=suppliers,
            projects=[p["pk"] for p in present],
            contractors=sorted({org_pk[p["contractor"]] for p in present}),
            note="四零采购：零障碍、零仓储、零物流、零损耗的区域内互相采购")
    rows = [o for o in objs if o["model"] == "procurement.negotiation"]
    assert len({pk for o in rows for pk in o["fields"]["projects"]}) == 17
    assert sum(o["fields"]["suppliers_attending"] for o in rows) == 32


negotiations_2020()

OUT.parent.mkdir(exist_ok=True)
OUT.write_text(json.dumps(objs, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
print(f"wrote {OUT} ({len(objs)} objects); 2020 completed {total} 万元, by June {june} 万元")
