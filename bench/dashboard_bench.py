"""The leader dashboard against its floor.

Dashboard: GET / as a leader for the latest month (the default), through the whole Django stack
(middleware, session, selectors, template), median of BENCH_REPEAT runs, and its query count.

Floor: the same figures — everything ``portfolio.selectors.report_figures`` computes, which is
what the dashboard shows — as ONE hand-written PostgreSQL query (CTEs, DISTINCT ON for the
as-of category and phase, FILTER aggregates, percentile for the permit median), timed on the
same database. Before timing, the floor's figures are compared with the selectors' figures, so
the floor is known to compute the same thing.

Targets (issue 19): dashboard ≤ 2 × floor in ≤ 12 queries; the same number of queries at every size
(checked by run.py).
"""
from decimal import Decimal

from common import REPEAT, client_for, get_ok, result, timed

HEADLINE_CTES = """
e AS (
  SELECT pe.id, pe.project_id, pe.category, pe.is_municipal_key, pe.unplanned, pe.added_on,
         pe.target, pe.resumed_on, p.planned_start, p.actual_start
  FROM investment_planentry pe
  JOIN investment_annualplan ap ON ap.id = pe.plan_id
  JOIN projects_project p ON p.id = pe.project_id
  WHERE ap.year = %(year)s
),
latest_cat AS (
  SELECT DISTINCT ON (project_id) project_id, to_category FROM projects_categorychange
  WHERE year = %(year)s AND changed_on <= %(end)s ORDER BY project_id, changed_on DESC, id DESC
),
latest_phase AS (
  SELECT DISTINCT ON (project_id) project_id, to_phase FROM projects_phasetransition
  WHERE occurred_on <= %(end)s ORDER BY project_id, occurred_on DESC, id DESC
),
asof AS (
  SELECT e.category, e.unplanned, COALESCE(lc.to_category, e.category) AS cur_cat,
         COALESCE(lp.to_phase, 'preliminary') AS cur_phase
  FROM e LEFT JOIN latest_cat lc ON lc.project_id = e.project_id
         LEFT JOIN latest_phase lp ON lp.project_id = e.project_id
  WHERE e.added_on IS NULL OR e.added_on <= %(end)s
),
done AS (
  -- per entry through the (entry_id) index: twice as fast here as a join over all progress
  SELECT COALESCE(SUM(s.v), 0) AS overall,
         COALESCE(SUM(s.v) FILTER (WHERE e.is_municipal_key), 0) AS municipal
  FROM e CROSS JOIN LATERAL (SELECT SUM(mp.completed) AS v FROM investment_monthlyprogress mp
                             WHERE mp.entry_id = e.id AND mp.month <= %(month)s) s
),
first_open AS (
  SELECT project_id, MIN(bid_opened_on) AS opened FROM procurement_tender
  WHERE kind = 'construction' AND bid_opened_on IS NOT NULL GROUP BY project_id
),
permit_days AS (
  SELECT pm.issued_on - fo.opened AS days FROM procurement_permit pm
  JOIN first_open fo ON fo.project_id = pm.project_id
  WHERE pm.issued_on BETWEEN %(start)s AND %(end)s
),
batches AS (
  SELECT id, area_mu FROM land_landbatch WHERE year = %(year)s AND submitted_on <= %(end)s
)"""

HEADLINE_COLUMNS = """  (SELECT COALESCE(SUM(target), 0) FROM e) AS target,
  (SELECT COALESCE(SUM(target) FILTER (WHERE is_municipal_key), 0) FROM e) AS municipal_target,
  (SELECT overall FROM done) AS completed,
  (SELECT municipal FROM done) AS municipal_completed,
  (SELECT json_object_agg(category, n) FROM (SELECT category, COUNT(*) n FROM asof
      WHERE NOT unplanned GROUP BY category) x) AS planned,
  (SELECT json_object_agg(cur_cat, n) FROM (SELECT cur_cat, COUNT(*) n FROM asof GROUP BY cur_cat) x) AS current,
  (SELECT json_object_agg(cur_phase, n) FROM (SELECT cur_phase, COUNT(*) n FROM asof GROUP BY cur_phase) x) AS phases,
  (SELECT COUNT(*) FILTER (WHERE to_category = 'preliminary') FROM projects_categorychange
      WHERE year = %(year)s AND changed_on <= %(end)s) AS to_preliminary,
  (SELECT COUNT(*) FILTER (WHERE from_category = 'preliminary' AND to_category IN ('continuing', 'new'))
      FROM projects_categorychange WHERE year = %(year)s AND changed_on <= %(end)s) AS to_implementation,
  (SELECT COUNT(*) FROM e WHERE unplanned AND (added_on IS NULL OR added_on <= %(end)s)) AS unplanned,
  (SELECT COUNT(*) FROM e WHERE category = 'continuing' AND NOT unplanned) AS resumption_total,
  (SELECT COUNT(*) FROM e WHERE category = 'continuing' AND NOT unplanned
      AND resumed_on BETWEEN %(start)s AND %(end)s) AS resumed,
  (SELECT COUNT(*) FROM e WHERE category = 'new' AND NOT unplanned
      AND planned_start <= %(end)s) AS due,
  (SELECT COUNT(*) FROM e WHERE category = 'new' AND NOT unplanned
      AND planned_start <= %(end)s AND actual_start <= %(end)s) AS started,
  (SELECT COUNT(*) FROM e WHERE category = 'new' AND NOT unplanned AND is_municipal_key
      AND planned_start <= %(end)s) AS municipal_due,
  (SELECT COUNT(*) FROM e WHERE category = 'new' AND NOT unplanned AND is_municipal_key
      AND planned_start <= %(end)s AND actual_start <= %(end)s) AS municipal_started,
  (SELECT COUNT(*) FROM e WHERE category = 'new' AND NOT unplanned
      AND actual_start BETWEEN %(start)s AND %(end)s) AS new_starts,
  (SELECT COUNT(*) FROM e WHERE actual_start BETWEEN %(start)s AND %(end)s
      AND actual_start < planned_start) AS early,
  (SELECT COUNT(*) FROM batches) AS batches,
  (SELECT COALESCE(SUM(area_mu), 0) FROM batches) AS batch_area_mu,
  (SELECT COUNT(DISTINCT lp.project_id) FROM batches b
      JOIN land_landbatch_projects lp ON lp.landbatch_id = b.id) AS batch_projects,
  (SELECT COUNT(*) FROM land_acquisition WHERE year = %(year)s) AS with_task,
  (SELECT COUNT(*) FROM land_acquisition WHERE year = %(year)s AND full_access_on <= %(end)s) AS full_access,
  (SELECT COALESCE(SUM(ap.acquired_mu), 0) FROM land_acquisitionprogress ap
      JOIN land_acquisition a ON a.id = ap.acquisition_id
      WHERE a.year = %(year)s AND ap.recorded_on BETWEEN %(start)s AND %(end)s) AS acquired_mu,
  (SELECT COALESCE(SUM(ap.buildings_signed), 0) FROM land_acquisitionprogress ap
      JOIN land_acquisition a ON a.id = ap.acquisition_id
      WHERE a.year = %(year)s AND ap.recorded_on BETWEEN %(start)s AND %(end)s) AS buildings_signed,
  (SELECT COUNT(*) FROM projects_project WHERE preliminary_done_on BETWEEN %(start)s AND %(end)s) AS preliminary_done,
  (SELECT json_object_agg(kind, n) FROM (SELECT kind, COUNT(*) n FROM procurement_tender
      WHERE bid_opened_on BETWEEN %(start)s AND %(end)s GROUP BY kind) x) AS tenders,
  (SELECT COUNT(*) FROM permit_days) AS permits,
  (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY days) FROM permit_days) AS permit_median,
  (SELECT MAX(days) FROM permit_days) AS permit_max,
  (SELECT COUNT(*) FILTER (WHERE days <= 45) FROM permit_days) AS permits_within,
  (SELECT json_object_agg(source, s) FROM (SELECT source, SUM(amount) s FROM investment_funding
      WHERE received_on BETWEEN %(start)s AND %(end)s GROUP BY source) x) AS funding,
  (SELECT json_object_agg(kind, s) FROM (SELECT kind, SUM(amount) s FROM investment_saving
      WHERE recorded_on BETWEEN %(start)s AND %(end)s GROUP BY kind) x) AS savings,
  (SELECT COUNT(*) FROM projects_organisation WHERE is_from_outside
      AND local_branch_on BETWEEN %(start)s AND %(end)s) AS local_branches
"""

# What the dashboard shows beyond the report's figures: the monthly curve (this year and last),
# 双过半, areas (target, completion, score), red/amber/green counts and the 12 laggards, overdue
# milestones by area. The same definitions as investment/projects/portfolio selectors and rag.py.
PAGE_CTES = """,
prog_e AS MATERIALIZED (  -- this year's monthly rows, through the (entry_id) index
  SELECT entry_id, month, completed FROM investment_monthlyprogress
  WHERE entry_id = ANY(ARRAY(SELECT id FROM e))
),
entry_done AS (
  SELECT entry_id, SUM(completed) AS v FROM prog_e WHERE month <= %(month)s GROUP BY entry_id
),
per_entry AS (
  SELECT e.*, a.to_category AS cur_cat, COALESCE(d.v, 0) AS completed_to_date, p.code, p.area_id,
         COALESCE(lp.to_phase, 'preliminary') AS cur_phase
  FROM e JOIN projects_project p ON p.id = e.project_id
  LEFT JOIN latest_cat a ON a.project_id = e.project_id
  LEFT JOIN latest_phase lp ON lp.project_id = e.project_id
  LEFT JOIN entry_done d ON d.entry_id = e.id
  WHERE e.added_on IS NULL OR e.added_on <= %(end)s
),
rag AS (
  SELECT id, code, planned_start, CASE
    WHEN cur_phase IN ('completed', 'delivered') THEN 'done'
    WHEN COALESCE(cur_cat, category) NOT IN ('continuing', 'new') THEN 'none'
    WHEN planned_start > %(end)s AND (actual_start IS NULL OR actual_start > %(end)s) THEN 'not_due'
    WHEN planned_start <= %(cutoff)s AND (actual_start IS NULL OR actual_start > %(end)s) THEN 'red'
    WHEN target <= 0 THEN 'no_target'
    WHEN target * (100 * %(month)s - 360) > completed_to_date * 1200 THEN 'red'
    WHEN target * (100 * %(month)s - 120) > completed_to_date * 1200 THEN 'amber'
    ELSE 'green' END AS rag
  FROM per_entry
),
last_year AS (
  SELECT month, completed FROM investment_monthlyprogress WHERE entry_id = ANY(ARRAY(
    SELECT pe.id FROM investment_planentry pe JOIN investment_annualplan ap ON ap.id = pe.plan_id
    WHERE ap.year = %(year)s - 1))
)
"""

PAGE_COLUMNS = """,
  (SELECT json_object_agg(month, s) FROM (SELECT month, SUM(completed) s FROM prog_e GROUP BY month) x) AS curve,
  (SELECT json_object_agg(month, s) FROM (SELECT month, SUM(completed) s FROM last_year GROUP BY month) x) AS curve_last,
  (SELECT COALESCE(SUM(pe.target), 0) FROM investment_planentry pe JOIN investment_annualplan ap
      ON ap.id = pe.plan_id WHERE ap.year = %(year)s - 1) AS target_last,
  (SELECT COALESCE(SUM(pg.completed), 0) FROM prog_e pg JOIN e ON e.id = pg.entry_id
      WHERE pg.month <= 6 AND (NOT e.unplanned OR e.added_on IS NULL OR e.added_on <= %(june_end)s)) AS half_completed,
  (SELECT json_object_agg(area_id, t) FROM (SELECT p.area_id, SUM(e.target) t FROM e
      JOIN projects_project p ON p.id = e.project_id GROUP BY p.area_id) x) AS area_targets,
  (SELECT json_object_agg(area_id, s) FROM (SELECT p.area_id, SUM(d.v) s FROM entry_done d
      JOIN e ON e.id = d.entry_id JOIN projects_project p ON p.id = e.project_id GROUP BY p.area_id) x) AS area_done,
  (SELECT json_object_agg(area_id, progress * %(w_progress)s + quality * %(w_quality)s
      + safety * %(w_safety)s + image * %(w_image)s) FROM projects_monthlyscore
      WHERE year = %(year)s AND month = %(month)s AND project_id IS NULL) AS area_scores,
  (SELECT json_object_agg(rag, n) FROM (SELECT rag, COUNT(*) n FROM rag GROUP BY rag) x) AS rag,
  (SELECT array_agg(id) FROM (SELECT id FROM rag WHERE rag IN ('red', 'amber')
      ORDER BY rag = 'amber', planned_start ASC NULLS LAST, code LIMIT 12) x) AS laggards,
  (SELECT json_object_agg(area_id, n) FROM (SELECT p.area_id, COUNT(*) n FROM projects_milestone m
      JOIN projects_project p ON p.id = m.project_id WHERE m.planned_on < %(end)s
      AND m.project_id IN (SELECT project_id FROM e WHERE NOT unplanned OR added_on IS NULL OR added_on <= %(end)s)
      AND (m.done_on IS NULL OR m.done_on > %(end)s) GROUP BY p.area_id) x) AS overdue
"""

FLOOR_SQL = "WITH " + HEADLINE_CTES + "\nSELECT\n" + HEADLINE_COLUMNS
PAGE_FLOOR_SQL = "WITH " + HEADLINE_CTES + PAGE_CTES + "\nSELECT\n" + HEADLINE_COLUMNS + PAGE_COLUMNS


def floor(period, sql=FLOOR_SQL):
    from django.db import connection

    from portfolio.rag import not_started_cutoff
    from projects.scoring import WEIGHTS

    weights = {f"w_{name}": weight for name, weight in WEIGHTS.items()}
    with connection.cursor() as cursor:
        cursor.execute(sql, {"year": period.year, "month": period.month, "start": period.start,
                             "end": period.end, "cutoff": not_started_cutoff(period),
                             "june_end": period.start.replace(month=6, day=30), **weights})
        columns = [c.name for c in cursor.description]
        return dict(zip(columns, cursor.fetchone()))


def same_figures(row, figures):
    """The floor's figures equal the selectors' (raises with the first difference)."""
    c, s, land, perm = figures["completion"], figures["starts"], figures["land"], figures["permits"]
    nonzero = lambda d: {k: v for k, v in (d or {}).items() if v}  # noqa: E731
    pairs = {
        "target": (row["target"], c["overall"]["target"]),
        "municipal_target": (row["municipal_target"], c["municipal"]["target"]),
        "completed": (row["completed"], c["overall"]["completed"]),
        "municipal_completed": (row["municipal_completed"], c["municipal"]["completed"]),
        "planned": (nonzero(row["planned"]), nonzero(figures["categories"]["planned"])),
        "current": (nonzero(row["current"]), nonzero(figures["categories"]["current"])),
        "phases": (nonzero(row["phases"]), nonzero(figures["phases"])),
        "to_preliminary": (row["to_preliminary"], len(figures["changes"]["to_preliminary"])),
        "to_implementation": (row["to_implementation"], len(figures["changes"]["to_implementation"])),
        "unplanned": (row["unplanned"], len(figures["unplanned"])),
        "resumption": ((row["resumption_total"], row["resumed"]),
                       (figures["resumption"]["total"], figures["resumption"]["resumed"])),
        "starts": ((row["due"], row["started"], row["municipal_due"], row["municipal_started"],
                    row["new_starts"], row["early"]),
                   (s["due"], s["started"], s["municipal_due"], s["municipal_started"],
                    s["new_starts"], s["early"])),
        "land": ((row["batches"], row["batch_area_mu"], row["batch_projects"], row["with_task"],
                  row["full_access"], row["acquired_mu"], row["buildings_signed"]),
                 (land["batches"], land["batch_area_mu"], land["batch_projects"], land["with_task"],
                  land["full_access"], land["acquired_mu"], land["buildings_signed"])),
        "preliminary_done": (row["preliminary_done"], figures["preliminary_done"]),
        "tenders": (nonzero(row["tenders"]), nonzero({k: figures["tenders"][k]
                                                     for k in ("construction", "supervision", "equipment")})),
        "permits": ((row["permits"], float(row["permit_median"] or 0), row["permit_max"], row["permits_within"]),
                    (perm["count"], float(perm["median_days"] or 0), perm["max_days"], perm["within_target"])),
        "funding": ({k: Decimal(str(v)) for k, v in (row["funding"] or {}).items()},
                    figures["funding"]["by_source"]),
        "savings": ({k: Decimal(str(v)) for k, v in (row["savings"] or {}).items()},
                    figures["savings"]["by_kind"]),
        "local_branches": (row["local_branches"], figures["local_branches"]["total"]),
    }
    for name, (mine, theirs) in pairs.items():
        if mine != theirs:
            raise AssertionError(f"floor and selectors differ on {name}: {mine!r} != {theirs!r}")


def same_page_figures(row, figures, period):
    """The page floor's extra figures equal ``dashboard_figures``' (raises on a difference)."""
    dec = lambda d: {int(k): Decimal(str(v)) for k, v in (d or {}).items() if v}  # noqa: E731
    curve = {p["month"]: p["amount"] for p in figures["curve"] if p["amount"]}
    areas = figures["areas"]
    pairs = {
        "curve": (dec(row["curve"]), {m: v for m, v in curve.items() if v}),
        "target_last": (row["target_last"] > 0, any(p["previous_share"] is not None for p in figures["curve"])),
        "half": (row["half_completed"], figures["half"]["completed"] if figures["half"] else row["half_completed"]),
        "area_targets": (dec(row["area_targets"]), {a["area"].pk: a["target"] for a in areas if a["target"]}),
        "area_done": (dec(row["area_done"]), {a["area"].pk: a["completed"] for a in areas if a["completed"]}),
        "area_scores": (dec(row["area_scores"]), {a["area"].pk: a["score"].total for a in areas if a["score"]}),
        "rag": ({k: v for k, v in (row["rag"] or {}).items() if v}, {k: v for k, v in figures["rag"].items() if v}),
        "laggards": (list(row["laggards"] or []), [e.pk for e in figures["laggards"]]),
        "overdue": ({int(k): v for k, v in (row["overdue"] or {}).items()},
                    {r["project__area"]: r["n"] for r in figures["overdue"]}),
    }
    for name, (mine, theirs) in pairs.items():
        if mine != theirs:
            raise AssertionError(f"page floor and selectors differ on {name}: {mine!r} != {theirs!r}")


def run(ctx):
    from django.db import connection

    from portfolio import selectors

    if connection.vendor != "postgresql":
        return [result("dashboard", note="PostgreSQL only (the floor is PostgreSQL SQL)")]
    period = ctx["period"]
    same_figures(floor(period), selectors.report_figures(period=period))
    page_figures = getattr(selectors, "dashboard_figures", None)
    if page_figures:
        row = floor(period, PAGE_FLOOR_SQL)
        same_figures(row, page_figures(period=period))
        same_page_figures(row, page_figures(period=period), period)
    client = client_for("lingdao1")
    page_ms, page_queries = timed(lambda: get_ok(client, "/"))
    headline_ms, _ = timed(lambda: floor(period))
    report_ms, report_queries = timed(lambda: selectors.report_figures(period=period))
    rows = []
    if page_figures:
        page_floor_ms, _ = timed(lambda: floor(period, PAGE_FLOOR_SQL))
        figures_ms, figures_queries = timed(lambda: page_figures(period=period))
        rows.append(result(
            "dashboard", ms=page_ms, queries=page_queries, floor_ms=page_floor_ms,
            target="≤2× floor, ≤12 queries", ok=page_ms <= 2 * page_floor_ms and page_queries <= 12,
            note=f"median of {REPEAT}; floor = every figure of the page in 1 SQL; "
                 f"dashboard_figures() alone {figures_ms:.0f} ms in {figures_queries} queries"))
        rows.append(result("dashboard floor: page figures (1 SQL)", ms=page_floor_ms, queries=1,
                           note="checked equal to dashboard_figures()"))
    else:
        rows.append(result("dashboard", ms=page_ms, queries=page_queries, floor_ms=headline_ms,
                           target="≤3× floor", ok=page_ms <= 3 * headline_ms, note=f"median of {REPEAT}"))
    rows.append(result(
        "report figures", ms=report_ms, queries=report_queries, floor_ms=headline_ms,
        target="≤3× floor", ok=report_ms <= 3 * headline_ms,
        note="report_figures() (the headline figures) vs the same in 1 SQL"))
    rows.append(result("dashboard floor: headline figures (1 SQL)", ms=headline_ms, queries=1,
                       note="checked equal to report_figures()"))
    return rows
