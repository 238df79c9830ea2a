"""Reading evidence: the photo gallery, evidence coverage of the projects under construction,
working days and on-site rates of key personnel, open and overdue findings, the 质量/安全 score
suggestion and awards. Figures are as of the end of a Period."""
import calendar
import datetime as dt
from collections import defaultdict
from decimal import Decimal
from itertools import groupby

from django.db.models import Exists, OuterRef, Q

from portfolio.numbers import rate
from projects.models import Phase
from projects.selectors import plan_entries_as_of

from .models import (Attendance, Award, Finding, FindingStatus, InspectionKind, KeyPerson, Photo, PhotoKind, Post,
                     PostThreshold, Severity)

# --- photos and coverage ------------------------------------------------------------------------


def photos_by_month(*, project, kind=PhotoKind.PROGRESS):
    """The project's photos grouped by month, newest month first: [((year, month), [Photo…])]."""
    photos = Photo.objects.filter(project=project, kind=kind).order_by("-year", "-month", "taken_at", "id")
    return [(key, list(group)) for key, group in groupby(photos, key=lambda p: (p.year, p.month))]


def has_photo(period):
    """Expression on PlanEntry: the project has a progress photo of the period's month."""
    return Exists(Photo.objects.filter(project=OuterRef("project"), year=period.year, month=period.month,
                                       kind=PhotoKind.PROGRESS))


def construction_entries(*, period):
    """The year's plan projects under construction (在建) at the end of the period — the rule of
    the dashboard's phase counts (``projects.selectors.phase_counts``) — with ``has_photo``."""
    return (plan_entries_as_of(period=period).filter(current_phase=Phase.CONSTRUCTION)
            .annotate(has_photo=has_photo(period)))


def entries_without_photo(*, period):
    """The rows of 本月无形象进度照片: projects under construction without a photo of the month."""
    return (construction_entries(period=period).filter(has_photo=False)
            .select_related("project", "project__area", "project__contractor"))


def evidence_coverage(*, period, entries=None):
    """证据覆盖率 = projects under construction with a progress photo of the month ÷ projects under
    construction, overall and by area (one query). ``entries``: the period's plan rows already
    read with ``current_phase``, ``has_photo`` (``has_photo``) and the area's id, name and order
    (``portfolio.selectors.plan_pass``); those under construction are counted instead of a query."""
    if entries is None:
        rows = construction_entries(period=period).values("project__area_id", "project__area__name",
                                                          "project__area__order", "has_photo")
    else:
        rows = [{**row, "project__area_id": row["project__area"]} for row in entries
                if row["current_phase"] == Phase.CONSTRUCTION]
    areas = {}
    for row in rows:
        a = areas.setdefault(row["project__area_id"], {"area_id": row["project__area_id"],
                                                       "name": row["project__area__name"],
                                                       "order": row["project__area__order"], "total": 0, "with_photo": 0})
        a["total"] += 1
        a["with_photo"] += bool(row["has_photo"])
    by_area = sorted(areas.values(), key=lambda a: (a["order"], a["name"]))
    for a in by_area:
        a["missing"], a["rate"] = a["total"] - a["with_photo"], rate(a["with_photo"], a["total"])
    total = sum(a["total"] for a in by_area)
    with_photo = sum(a["with_photo"] for a in by_area)
    return {"total": total, "with_photo": with_photo, "missing": total - with_photo,
            "rate": rate(with_photo, total), "areas": by_area}


# --- working days and on-site rates -------------------------------------------------------------

HOLIDAYS = {
    # 国务院办公厅 holiday notices: the weekdays off (春节 2020 as extended to 2 February)
    2020: ["01-01", "01-24", "01-27", "01-28", "01-29", "01-30", "01-31", "04-06", "05-01", "05-04", "05-05",
           "06-25", "06-26", "10-01", "10-02", "10-05", "10-06", "10-07", "10-08"],
    2021: ["01-01", "02-11", "02-12", "02-15", "02-16", "02-17", "04-05", "05-03", "05-04", "05-05", "06-14",
           "09-20", "09-21", "10-01", "10-04", "10-05", "10-06", "10-07"],
}
MAKEUP_WORKDAYS = {
    # weekends worked instead (调休上班)
    2020: ["01-19", "04-26", "05-09", "06-28", "09-27", "10-10"],
    2021: ["02-07", "02-20", "04-25", "05-08", "09-18", "09-26", "10-09"],
}


def working_days(year, month):
    """The month's working days: Monday–Friday, less the public holidays and plus the weekends
    worked instead (tables for 2020–2021; other years: weekdays only)."""
    prefix = f"{month:02d}-"
    off = {d for d in HOLIDAYS.get(year, []) if d.startswith(prefix)}
    extra = {d for d in MAKEUP_WORKDAYS.get(year, []) if d.startswith(prefix)}
    days = calendar.monthrange(year, month)[1]
    count = 0
    for day in range(1, days + 1):
        key = f"{prefix}{day:02d}"
        weekday = dt.date(year, month, day).weekday() < 5
        count += (weekday and key not in off) or key in extra
    return count


DEFAULT_THRESHOLD = 80
"""Minimum on-site rate (%) of a post the administrator has not set (``PostThreshold``)."""


def thresholds():
    """{post: minimum percent} for every post."""
    chosen = dict(PostThreshold.objects.values_list("post", "minimum_percent"))
    return {post: chosen.get(post, DEFAULT_THRESHOLD) for post in Post.values}


def on_site_rate(days_present, year, month):
    """到岗率 = days present ÷ working days of the month (None when the month has none)."""
    return rate(days_present, working_days(year, month))


def below_threshold(days_present, working, minimum_percent):
    """Below the post's minimum: days ÷ working days < minimum %, compared exactly in integers
    (at exactly the minimum there is no warning)."""
    return days_present is not None and working > 0 and days_present * 100 < minimum_percent * working


def personnel_month(*, period, projects=None):
    """Key people (of ``projects``, a queryset or list, or all) with the month's attendance:
    each with ``days_present`` (None = not entered), ``rate``, ``threshold`` and ``warning``
    (below the post's threshold). Two queries."""
    people = KeyPerson.objects.select_related("project", "project__area", "organisation").annotate(
        month_days=Attendance.objects.filter(person=OuterRef("pk"), year=period.year, month=period.month)
        .values("days_present")[:1])
    if projects is not None:
        people = people.filter(project__in=projects)
    limits = thresholds()
    working = working_days(period.year, period.month)
    result = []
    for person in people.order_by("project__code", "post", "name"):
        person.days_present = person.month_days
        person.working_days = working
        person.threshold = limits[person.post]
        person.rate = on_site_rate(person.days_present, period.year, period.month) \
            if person.days_present is not None else None
        person.warning = below_threshold(person.days_present, working, person.threshold)
        result.append(person)
    return result


# --- inspections ---------------------------------------------------------------------------------

def finding_open_at(*, closed_on, as_of):
    """A finding is open (未销项) at ``as_of`` when it was not accepted (销项) on or before it —
    whatever its status today: one closed later was open at an earlier month's end."""
    return closed_on is None or closed_on > as_of


def finding_open_q(as_of):
    """``finding_open_at`` as a filter on Finding (found by then, not accepted by then)."""
    return Q(inspection__inspected_on__lte=as_of) & (Q(closed_on__isnull=True) | Q(closed_on__gt=as_of))


def open_findings_count(*, project, as_of):
    """The project's findings open at ``as_of`` (``finding_open_q``): its row of 未销项问题（按项目）
    on the inspections page of that month."""
    return Finding.objects.filter(finding_open_q(as_of), inspection__project=project).count()


def finding_overdue_at(*, closed_on, deadline, as_of):
    """Overdue (逾期) at ``as_of``: open then (``finding_open_at``) and its deadline before it."""
    return finding_open_at(closed_on=closed_on, as_of=as_of) and deadline < as_of


def findings_in_period(*, period):
    """Findings of inspections up to the end of the period, each with ``open`` (not closed by the
    period's end: ``finding_open_at``) and ``overdue`` (``finding_overdue_at``) as of then."""
    rows = list(Finding.objects.filter(inspection__inspected_on__lte=period.end)
                .select_related("inspection__project__area", "inspection__project__contractor", "evidence")
                .order_by("deadline", "id"))
    for f in rows:
        f.open = finding_open_at(closed_on=f.closed_on, as_of=period.end)
        f.overdue = finding_overdue_at(closed_on=f.closed_on, deadline=f.deadline, as_of=period.end)
    return rows


def open_findings_by(*, period, key):
    """Findings open and overdue at the period's end (``findings_in_period``) counted by ``key``
    ('project' or 'contractor')."""
    counts = defaultdict(lambda: {"open": 0, "overdue": 0, "obj": None})
    for f in findings_in_period(period=period):
        if not f.open:
            continue
        project = f.inspection.project
        obj = project if key == "project" else project.contractor
        c = counts[obj.pk if obj else None]
        c["obj"] = obj
        c["open"] += 1
        c["overdue"] += f.overdue
    return sorted(counts.values(), key=lambda c: (-c["overdue"], -c["open"], str(c["obj"] or "")))


DEDUCTION = {Severity.MINOR: 2, Severity.MAJOR: 5, Severity.SEVERE: 10}
OVERDUE_DEDUCTION = 5


def score_suggestions(*, period):
    """流动红旗 质量/安全 suggestion per area for the month: 100 less, for each finding of the
    month's quality (safety) inspections of the area's projects, 2/5/10 points by severity, and
    5 more for each such finding still open past its deadline at the month's end. A suggestion
    only: the scorer's number is never changed."""
    findings = (Finding.objects.filter(inspection__inspected_on__year=period.year,
                                       inspection__inspected_on__month=period.month,
                                       inspection__kind__in=[InspectionKind.QUALITY, InspectionKind.SAFETY])
                .values("inspection__project__area_id", "inspection__kind", "severity", "status", "deadline",
                        "closed_on"))
    result = defaultdict(lambda: {InspectionKind.QUALITY: Decimal(100), InspectionKind.SAFETY: Decimal(100),
                                  "findings": 0})
    for f in findings:
        area = result[f["inspection__project__area_id"]]
        points = DEDUCTION[f["severity"]]
        if finding_overdue_at(closed_on=f["closed_on"], deadline=f["deadline"], as_of=period.end):
            points += OVERDUE_DEDUCTION
        area[f["inspection__kind"]] = max(Decimal(0), area[f["inspection__kind"]] - points)
        area["findings"] += 1
    return dict(result)


# --- awards ---------------------------------------------------------------------------------------

def awards_in_period(*, period):
    """Awards of the period's year recorded by its end (awarded_on, when given, up to the end)."""
    return list(Award.objects.filter(year=period.year)
                .filter(Q(awarded_on__isnull=True) | Q(awarded_on__lte=period.end))
                .select_related("project").order_by("name", "project__name"))


