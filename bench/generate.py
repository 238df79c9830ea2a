"""Generate a large, realistic portfolio for benchmarks: N projects across M areas over Y years.

    python bench/generate.py --projects 10000 --areas 20 --years 5 [--start-year 2021] [--seed 1]

Writes into the database of DATABASE_URL, which must be migrated and hold no projects (the
benchmark creates a fresh database per size). On PostgreSQL every table is loaded with COPY;
elsewhere with executemany. Primary keys are assigned here, sequences are reset afterwards.

What a project looks like (distributions chosen to resemble a district/city portfolio):
- kind: roads 35 %, utilities 20 %, buildings 18 %, schools 12 %, parks 10 %, other 5 %;
  total investment log-normal around 1.5 亿元 (0.05–50 亿); 15 % municipal key (市重大);
- planned start spread over the window (and two years before it), duration by kind
  (6–36 months); 88 % start, typically two weeks late, 10 % early (提前开工); finishing late
  by up to a third of the duration;
- one plan entry per year the project is in the plan: 预备 the year before it starts, 新建 in the
  start year, 续建 afterwards; a few 社会监管/储备, 3 % 计划外 added mid-year, category changes;
- monthly progress for months 1–12 of every plan year (0 outside construction, a dip in the
  Spring Festival month), physical percent rising to 100, problems on ~8 % of rows;
- phase transitions, 4 milestones, construction and supervision tenders (equipment for some
  buildings and schools), planning and construction permits after the bid opening,
  acquisition for 60 %, land approval batches per area and year, funding, savings, monthly area
  scores, month locks, one 录入员 per area and three leaders (password ``bench-pass-1``).
"""
import argparse
import datetime as dt
import math
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portfolio.settings")

PASSWORD = "bench-pass-1"

KINDS = [("road", 35, (12, 30), "道路工程"), ("utility", 20, (6, 18), "管网配套工程"),
         ("building", 18, (18, 36), "安置房项目"), ("school", 12, (12, 24), "学校建设项目"),
         ("park", 10, (6, 18), "公园绿化工程"), ("other", 5, (6, 24), "综合整治工程")]
PLACES = ["金星", "银杏", "雷锋", "白沙", "乌山", "丁字", "桥驿", "茶亭", "黄金", "月亮岛", "滨水",
          "高塘岭", "格塘", "靖港", "铜官", "书堂", "莲湖", "星城", "望月", "普瑞"]
PROBLEMS = ["征拆进度滞后，影响施工作业面", "雨季施工，进度受影响", "管线迁改未完成",
            "资金拨付不及时", "设计变更待批复", "材料价格上涨"]
MILESTONES = ["开工", "主体结构完成", "完工", "竣工验收"]


def month_add(d, months):
    m = d.month - 1 + months
    y = d.year + m // 12
    m = m % 12 + 1
    return dt.date(y, m, min(d.day, 28))


def rand_date(rng, start, end):
    span = (end - start).days
    return start + dt.timedelta(days=rng.randint(0, max(span, 0)))


class Tables:
    """Rows per model, as dicts of attnames; written in dependency order."""

    def __init__(self):
        self.rows = {}
        self.next_id = {}

    def add(self, model, **values):
        pk = self.next_id.get(model, 1)
        self.next_id[model] = pk + 1
        values["id"] = pk
        self.rows.setdefault(model, []).append(values)
        return pk


def build(*, projects, areas, years, start_year, seed=1):
    """Build every row in memory (plain Python; fast enough for 10,000 projects)."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from investment.models import (AnnualPlan, Funding, MonthLock, MonthlyProgress, PlanEntry,
                                   Saving)
    from land.models import Acquisition, LandBatch
    from procurement.models import Permit, Tender
    from projects.models import (Area, CategoryChange, Milestone, MonthlyScore, Organisation,
                                 PhaseTransition, Project, StaffAssignment)
    from django.contrib.auth import get_user_model

    User = get_user_model()
    rng = random.Random(seed)
    t = Tables()
    first, last = dt.date(start_year, 1, 1), dt.date(start_year + years - 1, 12, 31)
    now = timezone.now()

    area_ids = []
    for i in range(areas):
        name = ["东片", "南片", "西片", "北片", "中片"][i] if areas <= 5 else f"第{i + 1:02d}片区"
        area_ids.append(t.add(Area, name=name, order=i + 1))

    orgs = {"owner": [], "contractor": [], "supervisor": [], "designer": []}
    sizes = {"owner": max(3, projects // 40), "contractor": max(5, projects // 25),
             "supervisor": max(3, projects // 60), "designer": max(2, projects // 100)}
    suffix = {"owner": "建设投资有限公司", "contractor": "建设工程有限公司",
              "supervisor": "工程监理有限公司", "designer": "规划设计研究院"}
    for role, n in sizes.items():
        for i in range(n):
            outside = role in ("contractor", "supervisor") and rng.random() < 0.3
            branch = rand_date(rng, first, last) if outside and rng.random() < 0.5 else None
            orgs[role].append(t.add(
                Organisation, name=f"{rng.choice(PLACES)}{i + 1}号{suffix[role]}", role=role,
                is_from_outside=outside, local_branch_on=branch))

    plan_ids = {}
    for y in range(start_year, start_year + years):
        plan_ids[y] = t.add(AnnualPlan, year=y, title=f"{y}年重点项目投资计划",
                            approved_on=dt.date(y, 1, 15), note="")

    kind_weights = [k[1] for k in KINDS]
    per_area_year = {}
    for n in range(projects):
        kind, _, (dmin, dmax), label = rng.choices(KINDS, kind_weights)[0]
        area = area_ids[n % areas] if rng.random() < 0.7 else rng.choice(area_ids)
        total = Decimal(min(max(math.exp(rng.gauss(math.log(15000), 1.0)), 500), 500000)).quantize(Decimal("0.01"))
        planned_start = rand_date(rng, dt.date(start_year - 2, 1, 1), dt.date(start_year + years - 1, 10, 1))
        duration = rng.randint(dmin, dmax)
        planned_finish = month_add(planned_start, duration)
        actual_start = actual_finish = None
        if rng.random() < 0.88:
            delay = -rng.randint(5, 40) if rng.random() < 0.10 else max(0, int(rng.gauss(15, 30)))
            candidate = planned_start + dt.timedelta(days=delay)
            if candidate <= last:
                actual_start = candidate
                finish = month_add(actual_start, duration + rng.randint(0, max(1, duration // 3)))
                if finish <= last and rng.random() < 0.9:
                    actual_finish = finish
        phase = "preliminary"
        if actual_start:
            phase = "construction"
        delivered_on = None
        if actual_finish:
            phase = "completed"
            delivered = actual_finish + dt.timedelta(days=rng.randint(30, 120))
            if delivered <= last:
                phase, delivered_on = "delivered", delivered
        prelim_done = planned_start - dt.timedelta(days=rng.randint(20, 120))
        pid = t.add(
            Project, code=f"{planned_start.year}-4301{n // 100000:02d}-48-01-{n:06d}",
            name=f"{rng.choice(PLACES)}{label}（{n + 1}）", kind=kind, area_id=area,
            owner_unit_id=rng.choice(orgs["owner"]),
            contractor_id=rng.choice(orgs["contractor"]) if actual_start else None,
            supervisor_id=rng.choice(orgs["supervisor"]) if actual_start else None,
            total_investment=total, phase=phase,
            preliminary_done_on=prelim_done if prelim_done <= last else None,
            planned_start=planned_start, actual_start=actual_start, planned_finish=planned_finish,
            actual_finish=actual_finish, description=f"{label}，总投资{total}万元。")

        # Phase history.
        if actual_start:
            t.add(PhaseTransition, project_id=pid, from_phase="preliminary", to_phase="construction",
                  occurred_on=actual_start, reason="")
        if actual_finish:
            t.add(PhaseTransition, project_id=pid, from_phase="construction", to_phase="completed",
                  occurred_on=actual_finish, reason="")
        if delivered_on:
            t.add(PhaseTransition, project_id=pid, from_phase="completed", to_phase="delivered",
                  occurred_on=delivered_on, reason="")

        # Milestones.
        points = [planned_start, month_add(planned_start, duration // 2), planned_finish,
                  month_add(planned_finish, 2)]
        actuals = [actual_start, month_add(actual_start, duration // 2) if actual_start else None,
                   actual_finish, delivered_on]
        for i, (name, planned_on, done) in enumerate(zip(MILESTONES, points, actuals)):
            t.add(Milestone, project_id=pid, name=name, order=i + 1, planned_on=planned_on,
                  done_on=done if done and done <= last else None, note="")

        # Tenders and permits around the start.
        opening = (actual_start or planned_start) - dt.timedelta(days=rng.randint(20, 60))
        if opening <= last and (actual_start or rng.random() < 0.5):
            amount = (total * Decimal("0.85")).quantize(Decimal("0.01"))
            t.add(Tender, project_id=pid, kind="construction", title=f"{label}施工招标",
                  published_on=opening - dt.timedelta(days=rng.randint(20, 30)), bid_opened_on=opening,
                  winner_id=rng.choice(orgs["contractor"]), amount=amount)
            t.add(Tender, project_id=pid, kind="supervision", title=f"{label}监理招标",
                  published_on=opening - dt.timedelta(days=rng.randint(20, 30)),
                  bid_opened_on=opening + dt.timedelta(days=rng.randint(0, 10)),
                  winner_id=rng.choice(orgs["supervisor"]), amount=(total * Decimal("0.015")).quantize(Decimal("0.01")))
            if kind in ("building", "school") and rng.random() < 0.4:
                eq = opening + dt.timedelta(days=rng.randint(90, 300))
                t.add(Tender, project_id=pid, kind="equipment", title=f"{label}设备采购",
                      published_on=eq - dt.timedelta(days=20), bid_opened_on=eq,
                      winner_id=rng.choice(orgs["contractor"]), amount=(total * Decimal("0.05")).quantize(Decimal("0.01")))
            for kind_, lo, hi in (("planning", 5, 40), ("construction", 15, 60)):
                issued = opening + dt.timedelta(days=rng.randint(lo, hi))
                if issued <= last:
                    t.add(Permit, project_id=pid, kind=kind_, number=f"{kind_[:2].upper()}{pid:07d}",
                          issued_on=issued)

        # Plan entries and monthly progress.
        start_y = (actual_start or planned_start).year
        finish_y = (actual_finish or planned_finish).year
        municipal = rng.random() < 0.15
        con_start = actual_start or dt.date(9999, 1, 1)
        con_end = actual_finish or last
        con_months = max(1, (con_end.year - con_start.year) * 12 + con_end.month - con_start.month + 1)
        done_pct = Decimal(0)
        for y in range(max(start_year, start_y - 1), min(start_year + years - 1, finish_y) + 1):
            if y < start_y:
                category = rng.choices(["preliminary", "reserve", "supervised"], [90, 5, 5])[0]
            elif y == start_y:
                category = "new" if rng.random() < 0.97 else "supervised"
            else:
                category = "continuing"
            year_start, year_end = dt.date(y, 1, 1), dt.date(y, 12, 31)
            months_active = [m for m in range(1, 13)
                             if con_start <= dt.date(y, m, 28) and dt.date(y, m, 1) <= con_end]
            share = Decimal(len(months_active)) / Decimal(con_months)
            target = (total * share * Decimal(str(round(rng.uniform(0.8, 1.1), 3)))).quantize(Decimal("0.01"))
            if category in ("preliminary", "reserve"):
                target = (total * Decimal("0.01")).quantize(Decimal("0.01"))
            unplanned = rng.random() < 0.03
            added_on = rand_date(rng, dt.date(y, 3, 1), dt.date(y, 10, 31)) if unplanned else None
            eid = t.add(
                PlanEntry, plan_id=plan_ids[y], project_id=pid, category=category,
                is_municipal_key=municipal, unplanned=unplanned, added_on=added_on,
                instruction="区政府批示" if unplanned else "", target=Decimal(0) if unplanned else target,
                resumed_on=rand_date(rng, dt.date(y, 2, 5), dt.date(y, 3, 31))
                if category == "continuing" and rng.random() < 0.95 else None)
            if category == "preliminary" and y == start_y - 1 and rng.random() < 0.05:
                t.add(CategoryChange, project_id=pid, year=y, from_category="preliminary",
                      to_category="new", changed_on=rand_date(rng, dt.date(y, 4, 1), year_end),
                      reason="前期工作提前完成，转为实施", instruction="")
            elif category == "new" and rng.random() < 0.02:
                t.add(CategoryChange, project_id=pid, year=y, from_category="new",
                      to_category="preliminary", changed_on=rand_date(rng, dt.date(y, 3, 1), year_end),
                      reason="征拆未完成，调整为预备", instruction="区长办公会纪要")
            per_month = target / Decimal(max(1, len(months_active)))
            for m in range(1, 13):
                if m in months_active:
                    factor = rng.gammavariate(4, 0.25) * (0.4 if m == 2 else 1.0)
                    completed = (per_month * Decimal(str(round(factor, 3)))).quantize(Decimal("0.01"))
                    done_pct = min(Decimal(100), done_pct + Decimal(100) / con_months)
                else:
                    completed = Decimal(0)
                t.add(MonthlyProgress, entry_id=eid, month=m, completed=completed,
                      physical_percent=done_pct.quantize(Decimal("0.01")) if m in months_active else None,
                      physical_progress=f"完成形象进度{done_pct:.0f}%" if m in months_active else "",
                      problems=rng.choice(PROBLEMS) if rng.random() < 0.08 else "",
                      version=1, updated_by_id=None, updated_at=now)

        # Land.
        if start_y in plan_ids and rng.random() < 0.6:
            access = (actual_start - dt.timedelta(days=rng.randint(5, 60))) if actual_start else None
            t.add(Acquisition, project_id=pid, year=start_y,
                  acquired_mu=Decimal(str(round(rng.lognormvariate(3, 0.8), 2))),
                  buildings_signed=rng.randint(0, 40),
                  full_access_on=access if access and access.year <= start_y else None, note="")
            per_area_year.setdefault((area, start_y), []).append(pid)

        # Money.
        if rng.random() < 0.10:
            t.add(Funding, project_id=pid,
                  source=rng.choice(["special_bond", "central_budget", "other_higher"]),
                  amount=(total * Decimal("0.2")).quantize(Decimal("0.01")),
                  received_on=rand_date(rng, max(first, planned_start), last), note="")
        if actual_start and rng.random() < 0.05:
            t.add(Saving, project_id=pid, kind=rng.choice(["earthwork", "merged_tender", "design", "other"]),
                  amount=(total * Decimal("0.02")).quantize(Decimal("0.01")),
                  recorded_on=rand_date(rng, max(first, actual_start), last), description="")

    # Land approval batches: per area and year, covering that year's acquisitions.
    links = []
    for (area, y), pids in sorted(per_area_year.items()):
        rng.shuffle(pids)
        for b in range(0, len(pids), 6):
            chunk = pids[b:b + 6]
            submitted = rand_date(rng, dt.date(y, 1, 10), dt.date(y, 11, 30))
            bid = t.add(LandBatch, year=y, number=f"{area:02d}-{b // 6 + 1:03d}", name=f"{y}年用地报批",
                        submitted_on=submitted,
                        approved_on=submitted + dt.timedelta(days=rng.randint(30, 120))
                        if rng.random() < 0.8 and submitted + dt.timedelta(days=120) <= last else None,
                        area_mu=Decimal(str(round(rng.uniform(20, 300), 2))))
            links.extend((bid, p) for p in chunk)
    through = LandBatch.projects.through
    for bid, pid in links:
        t.add(through, landbatch_id=bid, project_id=pid)

    for y in plan_ids:
        for m in range(1, 13):
            for area in area_ids:
                t.add(MonthlyScore, year=y, month=m, area_id=area, project_id=None,
                      progress=Decimal(rng.randint(70, 100)), quality=Decimal(rng.randint(70, 100)),
                      safety=Decimal(rng.randint(70, 100)), image=Decimal(rng.randint(70, 100)),
                      note="", scored_by_id=None)
            if (y, m) != (last.year, 12):
                t.add(MonthLock, year=y, month=m, is_locked=True, reason="按月锁定",
                      changed_by_id=None, changed_at=now)

    # Users: one 录入员 per area, three leaders.
    groups = dict(Group.objects.values_list("name", "id"))
    hashed = make_password(PASSWORD)
    user_groups = []
    for i, area in enumerate(area_ids):
        uid = t.add(User, username=f"luru{i + 1:02d}", password=hashed, is_active=True,
                    is_staff=False, is_superuser=False, first_name="", last_name=f"录入员{i + 1}",
                    email="", date_joined=now, last_login=None)
        t.add(StaffAssignment, user_id=uid, area_id=area, project_id=None)
        user_groups.append((uid, groups["录入员"]))
    for i in range(3):
        uid = t.add(User, username=f"lingdao{i + 1}", password=hashed, is_active=True,
                    is_staff=False, is_superuser=False, first_name="", last_name=f"领导{i + 1}",
                    email="", date_joined=now, last_login=None)
        user_groups.append((uid, groups["领导"]))
    for uid, gid in user_groups:
        t.add(User.groups.through, user_id=uid, group_id=gid)
    return t


def write(tables):
    """Insert every table in creation order; COPY on PostgreSQL."""
    from django.core.management.color import no_style
    from django.db import connection, transaction

    counts = {}
    with transaction.atomic(), connection.cursor() as cursor:
        for model, rows in tables.rows.items():
            fields = [f for f in model._meta.concrete_fields]
            columns = [f.column for f in fields]
            defaults = {f.attname: (f.get_default() if f.has_default() else None) for f in fields}
            data = [tuple(r.get(f.attname, defaults[f.attname]) for f in fields) for r in rows]
            table = connection.ops.quote_name(model._meta.db_table)
            cols = ", ".join(connection.ops.quote_name(c) for c in columns)
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                    for row in data:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", data)
            counts[model._meta.label] = len(rows)
        # the read model of the monthly sums, in the same transaction (COPY sends no signals)
        from investment.rollups import rebuild_rollups

        counts["investment.ProgressRollup"] = rebuild_rollups()
        for sql in connection.ops.sequence_reset_sql(no_style(), list(tables.rows)):
            cursor.execute(sql)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return counts


def generate(*, projects, areas, years, start_year=2021, seed=1, verbose=True):
    from projects.models import Project

    if Project.objects.exists():
        raise SystemExit("The database already holds projects; generate into a fresh database.")
    t0 = time.perf_counter()
    tables = build(projects=projects, areas=areas, years=years, start_year=start_year, seed=seed)
    t1 = time.perf_counter()
    counts = write(tables)
    t2 = time.perf_counter()
    if verbose:
        total = sum(counts.values())
        print(f"generated {projects} projects, {areas} areas, {years} years: {total:,} rows "
              f"(build {t1 - t0:.1f} s, write {t2 - t1:.1f} s)")
        for label, n in counts.items():
            print(f"  {label:40s} {n:>10,}")
    return {"rows": counts, "build_s": t1 - t0, "write_s": t2 - t1}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=500)
    parser.add_argument("--areas", type=int, default=10)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--start-year", type=int, default=2021)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    import django

    django.setup()
    generate(projects=args.projects, areas=args.areas, years=args.years,
             start_year=args.start_year, seed=args.seed)


if __name__ == "__main__":
    main()
