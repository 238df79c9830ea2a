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
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

D = Decimal
CENT = D("0.01")
rng = random.Random(2020)
OUT = Path(__file__).resolve().parent.parent / "fixtures" / "demo_2020.json"


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
            to_category=None, changed=None, reason="", instruction="", resumed=None):
    P.append(dict(name=name, kind=kind, area=area, category=category, key=key, target=target,
                  weight=weight, planned=day(planned) if planned else None,
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
project("对家塘路", "road", SOUTH, "new", weight=0.08,
        planned="2020-05-30", to_category="preliminary", changed="2020-08-18",
        reason="征拆及管线迁改未完成，年内不具备开工条件，调整为预备项目")
project("雅湖路", "road", NORTH, "new", weight=0.08,
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
project("华灿路", "road", SOUTH, "preliminary", weight=0.7,
        planned="2021-02-01", started="2020-10-15", to_category="new", changed="2020-09-10",
        reason="前期工作提前完成，具备开工条件，预备转实施")
project("七峰路", "road", NORTH, "preliminary", weight=0.7,
        planned="2021-02-15", started="2020-10-20", to_category="new", changed="2020-09-10",
        reason="前期工作提前完成，具备开工条件，预备转实施")
project("金塘路", "road", NORTH, "preliminary", weight=0.6,
        planned="2021-03-15", started="2020-11-05", to_category="new", changed="2020-10-12",
        reason="配合片区开发，预备转实施")
project("养老中心配套道路", "road", NORTH, "preliminary", weight=0.12,
        planned="2021-03-01", to_category="new", changed="2020-09-10",
        reason="配合养老中心交付使用，预备转实施")
for name, area in [("滨水新城一路", SOUTH), ("高塘岭路", NORTH), ("斑马湖路", SOUTH),
                   ("书堂山路", NORTH), ("乔口大道提质改造", NORTH), ("铜官大道拓宽", NORTH),
                   ("靖港路", SOUTH), ("格塘路", SOUTH)]:
    project(name, "road", area, "preliminary", weight=0.05, invented=True, planned="2021-06-30")

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
for p, t in zip(other, split(OTHER_TARGET, [p["weight"] for p in other])):
    p["target"] = q(round(t / 10) * 10) if t > 100 else t
other[0]["target"] += OTHER_TARGET - sum(p["target"] for p in other)
for p in P:
    p["target"] = D(p["target"]) if p["target"] is not None else D(0)

# Completion for the year: municipal ~145 %, others ~77 %, spread by a per-project factor.
def completions(group, total, lo, hi):
    factors = [p["target"] * D(str(round(rng.uniform(lo, hi), 3))) if p["target"] else
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

# --- Organisations ------------------------------------------------------------------------------
orgs = []
OWNERS = ["望城区教育局", "望城区住房和城乡建设局", "望城区民政局", "望城区交通运输局", "中共望城区委党校",
          "望城区卫生健康局", "望城区城市管理和综合执法局"]
OUT_CONTRACTORS = ["湖南建工集团", "中国建筑第五工程局", "中铁五局集团", "中交第二公路工程局",
                   "湖南路桥建设集团", "中建五局第三建设", "湖南省第六工程公司", "中国水利水电第八工程局",
                   "湖南省第四工程公司", "中冶建工集团", "湖南天禹设备安装", "中铁建工集团",
                   "湖南望新建设集团", "湖南省交通建设集团"]
LOCAL_CONTRACTORS = ["望城城建工程公司", "望城市政工程公司", "雷锋建筑工程公司"]
OUT_SUPERVISORS = ["湖南省建设监理公司", "长沙华星建设监理", "湖南长顺项目管理", "湖南天鉴工程项目管理",
                   "中咨工程管理咨询", "湖南和天工程项目管理"]
LOCAL_SUPERVISORS = ["望城建设监理事务所"]
EQUIPMENT_SUPPLIERS = ["长沙教学设备有限公司", "湖南康养设备有限公司"]
for name in OWNERS:
    orgs.append(dict(name=name, role="owner", out=False, branch=None))
for i, name in enumerate(OUT_CONTRACTORS):
    orgs.append(dict(name=name, role="contractor", out=True,
                     branch=day("2020-03-01") + dt.timedelta(days=17 * i)))
for name in LOCAL_CONTRACTORS:
    orgs.append(dict(name=name, role="contractor", out=False, branch=None))
for i, name in enumerate(OUT_SUPERVISORS):
    orgs.append(dict(name=name, role="supervisor", out=True,
                     branch=day("2020-04-01") + dt.timedelta(days=29 * i)))
for name in LOCAL_SUPERVISORS:
    orgs.append(dict(name=name, role="supervisor", out=False, branch=None))
for name in EQUIPMENT_SUPPLIERS:
    orgs.append(dict(name=name, role="other", out=False, branch=None))
# One outside contractor whose branch came in 2019: it must not count for 2020.
orgs.append(dict(name="湖南顺天建设集团", role="contractor", out=True, branch=day("2019-08-20")))
org_pk = {o["name"]: i + 1 for i, o in enumerate(orgs)}
contractors = OUT_CONTRACTORS + LOCAL_CONTRACTORS + ["湖南顺天建设集团"]
supervisors = OUT_SUPERVISORS + LOCAL_SUPERVISORS

# --- Build fixture objects ----------------------------------------------------------------------
objs = []


def add(model, pk, **fields):
    objs.append({"model": model, "pk": pk, "fields": fields})


def iso(d):
    return d.isoformat() if d else None


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
    p["pk"] = i
    code_year = (p["started"] or p["planned"] or day("2020-01-01")).year
    if p["category"] == "continuing":
        code_year = p["started"].year - 1
    code_year = min(code_year, 2020)
    code = f"{code_year}-430112-{INDUSTRY[p['kind']]}-01-{100000 + i * 37:06d}"
    finished = p["finished"]
    delivered = finished + dt.timedelta(days=20) if finished else None
    if delivered and delivered.year > 2020:
        delivered = None
    # The 21 projects under construction at the end of 2020 (and 2 more starting early 2021)
    # are due to finish in 2021: the 2021 node plans.
    planned_finish = None
    if p["started"] and not finished:
        planned_finish = day("2021-06-30") + dt.timedelta(days=9 * i % 150)
    if p["unplanned"] and not p["started"]:
        planned_finish = day("2021-12-20")
    if finished:
        planned_finish = finished - dt.timedelta(days=10)
    phase = "preliminary"
    if p["started"] and p["started"] <= day("2020-12-31"):
        phase = "construction"
    if delivered:
        phase = "delivered"
    total_investment = q(p["target"] * D("2.6") + p["completed"]) if p["category"] != "preliminary" else q(p["target"] * 40 + 2000)
    # preliminary work (前期工作) finished in 2020 for the projects that started from April on
    pd = None
    if p["started"] and p["started"].year == 2020 and p["started"] >= day("2020-04-10"):
        pd = p["started"] - dt.timedelta(days=25)
    elif p["name"] == "养老中心配套道路":
        pd = day("2020-12-18")
    elif p["started"] and p["started"].year == 2020:
        pd = day("2019-12-20")
    if pd and pd.year == 2020:
        prelim_done.append(p["name"])
    ci = i % len(contractors)
    add("projects.project", i, code=code, name=p["name"], kind=p["kind"], area=p["area"],
        owner_unit=org_pk[OWNERS[i % len(OWNERS)]],
        contractor=org_pk[contractors[ci]] if p["started"] else None,
        supervisor=org_pk[supervisors[i % len(supervisors)]] if p["started"] else None,
        total_investment=str(total_investment), phase=phase, preliminary_done_on=iso(pd),
        planned_start=iso(p["planned"]), actual_start=iso(p["started"]),
        planned_finish=iso(planned_finish), actual_finish=iso(finished),
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
    cum = D(0)
    start_pct = D(35) if p["category"] == "continuing" else D(0)
    for m in range(1, 13):
        amount = p["monthly"].get(m)
        if amount is None:
            continue
        cum += amount
        share = cum / p["completed"] if p["completed"] else D(1)
        if finished:
            pct = q(start_pct + (D(100) - start_pct) * share) if m < finished.month else D(100)
        elif p["started"]:
            pct = q(start_pct + D(70) * share)
        else:
            pct = D(0)
        text = {
            "continuing": "主体结构施工" if not finished or m < finished.month - 2 else "装饰装修及室外配套",
            "new": "路基及管网施工" if p["kind"] == "road" else "基础及主体结构施工",
        }.get(p["category"], "前期工作：方案设计、勘察及手续办理")
        if not p["started"] or (p["started"].year == 2020 and p["started"].month > m):
            text = "前期工作：方案设计、勘察及手续办理"
        if finished and m == finished.month:
            text = "完工验收"
        progress_pk += 1
        add("investment.monthlyprogress", progress_pk, entry=entry_pk, month=m,
            completed=str(amount), physical_percent=str(min(pct, D(100))),
            physical_progress=text,
            problems=PROBLEMS[(i + m) % len(PROBLEMS)] if (i + m) % 4 == 0 else "",
            version=1, updated_by=None, updated_at=f"2020-{m:02d}-25T10:00:00+08:00")

# 2019: the continuing projects' previous year, for the year-on-year curve.
for p in P:
    if p["category"] != "continuing":
        continue
    entry_pk += 1
    target19 = q(p["target"] * D("1.1"))
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

by_name = {p["name"]: p for p in P}

# --- Land approval batches: 6 batches, 18 projects, 419.74 亩 -----------------------------------
batches = [
    ("1", "2020-03-10", "2020-05-06", "68.52", ["香桥小学", "旺旺路", "腾飞路"]),
    ("2", "2020-04-08", "2020-06-12", "95.36", ["区一中改扩建", "月亮岛路北延", "白沙洲路", "马桥河路"]),
    ("3", "2020-05-20", "2020-07-15", "41.18", ["金峰路", "丁字湾公园"]),
    ("4", "2020-07-02", "2020-08-28", "72.40", ["银星路", "普瑞西路", "青竹湖路"]),
    ("5", "2020-08-25", "2020-10-20", "88.65", ["同心路", "银杉九年一贯制学校", "华灿路", "七峰路"]),
    ("6", "2020-10-15", "2020-12-10", "53.63", ["金塘路", "养老中心配套道路"]),
]
for n, (number, sub, appr, mu, names) in enumerate(batches, start=1):
    add("land.landbatch", n, year=2020, number=number, name=f"望城区2020年度第{number}批次建设用地",
        submitted_on=sub, approved_on=appr, area_mu=mu, projects=[by_name[x]["pk"] for x in names])

# --- Acquisition and demolition: 21 projects with the task, all with full site access --------
acq_projects = [p for p in P if p["started"] and p["started"].year == 2020][:21]
acq_projects = acq_projects[:20] + [by_name["高裕九年一贯制学校"]]
mus = split(D("723.56"), [rng.uniform(0.5, 1.5) for _ in acq_projects])
houses = [6, 8, 5, 9, 4, 7, 6, 10, 3, 5, 8, 6, 7, 4, 9, 5, 6, 8, 7, 5, 6]
assert sum(houses) == 134 and len(acq_projects) == 21
for n, (p, mu, h) in enumerate(zip(acq_projects, mus, houses), start=1):
    access = (p["started"] if p["started"].year == 2020 else day("2020-03-01")) + dt.timedelta(days=12)
    add("land.acquisition", n, project=p["pk"], year=2020, acquired_mu=str(mu), buildings_signed=h,
        full_access_on=iso(access), note="")

# --- Tenders: 19 construction or supervision, 6 equipment procurements ------------------------
tender_pk = 0
permit_pk = 0
constr = [p for p in P if p["started"] and p["started"].year == 2020 and not p["unplanned"]]
supervised = constr[:7]
constr_tenders = constr[:12]
assert len(constr) >= 12
for p in constr_tenders:
    opened = p["started"] - dt.timedelta(days=40)
    tender_pk += 1
    add("procurement.tender", tender_pk, project=p["pk"], kind="construction",
        title=f"{p['name']}施工招标", published_on=iso(opened - dt.timedelta(days=22)),
        bid_opened_on=iso(opened), winner=org_pk[contractors[p["pk"] % len(contractors)]],
        amount=str(q(p["target"] * D("1.8")) if p["target"] else D(1000)))
    # permits: planning and construction, within 1.5 months of the bid opening
    for kind, days in [("planning", 18 + p["pk"] % 11), ("construction", 30 + p["pk"] % 13)]:
        permit_pk += 1
        add("procurement.permit", permit_pk, project=p["pk"], kind=kind,
            number=f"{'建字' if kind == 'planning' else '施'}第4301122020{permit_pk:04d}号",
            issued_on=iso(opened + dt.timedelta(days=days)))
for p in supervised:
    opened = p["started"] - dt.timedelta(days=35)
    tender_pk += 1
    add("procurement.tender", tender_pk, project=p["pk"], kind="supervision",
        title=f"{p['name']}监理招标", published_on=iso(opened - dt.timedelta(days=20)),
        bid_opened_on=iso(opened), winner=org_pk[supervisors[p["pk"] % len(supervisors)]],
        amount=str(q(p["target"] * D("0.02")) if p["target"] else D(30)))
for name, item, opened in [("区委党校（雷锋学院）", "教学及会议设备", "2020-06-18"),
                           ("莲湖九年一贯制学校", "教学设备", "2020-05-26"),
                           ("长沙市一中金山桥学校", "教学及体育设备", "2020-05-12"),
                           ("湖南师大附中星城实验中学二小", "教学设备", "2020-06-05"),
                           ("养老中心", "康养及厨房设备", "2020-10-22"),
                           ("区人民医院发热门诊楼", "医疗净化设备", "2020-03-20")]:
    p = by_name[name]
    tender_pk += 1
    add("procurement.tender", tender_pk, project=p["pk"], kind="equipment",
        title=f"{name}{item}采购", published_on=iso(day(opened) - dt.timedelta(days=20)),
        bid_opened_on=opened, winner=org_pk[EQUIPMENT_SUPPLIERS[tender_pk % 2]],
        amount=str(D(300 + 37 * tender_pk)))

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

OUT.parent.mkdir(exist_ok=True)
OUT.write_text(json.dumps(objs, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
print(f"wrote {OUT} ({len(objs)} objects); 2020 completed {total} 万元, by June {june} 万元")
