"""The leader dashboard against its floor.

Dashboard: GET / as a leader for the latest month (the default), through the whole Django stack
(middleware, session, selectors, template), median of BENCH_REPEAT runs, and its query count.

Floor: the same figures — everything ``portfolio.selectors.report_figures`` computes, which is
what the dashboard shows — as ONE hand-written PostgreSQL query (CTEs, DISTINCT ON for the
as-of category and phase, FILTER aggregates, percentile for the permit median), timed on the
same database. Before timing, the floor's figures are compared with the selectors' figures, so
the floor is known to compute the same thing.

Targets: dashboard ≤ 3 × floor; the same number of queries at every size (checked by run.py).
"""
from decimal import Decimal

from common import REPEAT, client_for, get_ok, result, timed

FLOOR_SQL = """
WITH e AS (
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
)
SELECT
  (SELECT COALESCE(SUM(target), 0) FROM e) AS target,
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
  (SELECT COALESCE(SUM(acquired_mu), 0) FROM land_acquisition WHERE year = %(year)s) AS acquired_mu,
  (SELECT COALESCE(SUM(buildings_signed), 0) FROM land_acquisition WHERE year = %(year)s) AS buildings_signed,
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


def floor(period):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL, {"year": period.year, "month": period.month,
                                   "start": period.start, "end": period.end})
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


def run(ctx):
    from django.db import connection

    from portfolio.selectors import report_figures

    if connection.vendor != "postgresql":
        return [result("dashboard", note="PostgreSQL only (the floor is PostgreSQL SQL)")]
    period = ctx["period"]
    same_figures(floor(period), report_figures(period=period))
    client = client_for("lingdao1")
    page_ms, page_queries = timed(lambda: get_ok(client, "/"))
    floor_ms, _ = timed(lambda: floor(period))
    figures_ms, figures_queries = timed(lambda: report_figures(period=period))
    return [
        result("dashboard", ms=page_ms, queries=page_queries, floor_ms=floor_ms,
               target="≤3× floor", ok=page_ms <= 3 * floor_ms,
               note=f"median of {REPEAT}; selectors alone {figures_ms:.0f} ms, {figures_queries} queries"),
        result("dashboard floor (1 SQL)", ms=floor_ms, queries=1, note="same figures, checked equal"),
    ]
