"""The 2020 data set (fixtures/demo_2020.json) tells a believable story: invented firms, a tender
and permits before every start, land approved before the works, dated 征地 and 拆房 that add up
to the report's totals in December and are as of the month before that, permits faster than in
2019 by as much as the report says. (The report's figures themselves: tests/test_report_2020.py.)"""
import datetime as dt
from decimal import Decimal
from statistics import median

import pytest
from django.db.models import Sum

from investment.models import MonthlyProgress, PlanEntry
from land.models import Acquisition, AcquisitionProgress, LandBatch
from land.selectors import land_summary
from portfolio.numbers import Period
from procurement.models import PermitKind, Tender, TenderKind
from procurement.selectors import permit_records
from projects.models import Organisation, OrganisationRole, Project

pytestmark = pytest.mark.usefixtures("demo_2020")

# Large real construction and supervision firms (and their usual short names): the data set
# must name none of them.
REAL_FIRMS = [
    "湖南建工", "湖南省建筑工程集团", "中国建筑", "中建", "中国中铁", "中铁", "中国铁建", "中交", "中国交建",
    "中冶", "中国水利水电", "水电八局", "中国电建", "葛洲坝", "五矿", "中核", "湖南路桥", "湖南省交通建设",
    "湖南望新", "顺天建设", "湖南省第四工程", "湖南省第六工程", "湖南六建", "湖南四建", "湖南天禹", "中咨",
    "长沙华星建设监理", "长顺项目管理", "天鉴工程", "和天工程", "湖南省建设监理", "北京城建", "上海建工",
    "陕西建工", "中天建设", "浙江建工",
]
YEAR_END = dt.date(2020, 12, 31)


def test_every_firm_name_is_invented():
    firms = Organisation.objects.exclude(role=OrganisationRole.OWNER).values_list("name", flat=True)
    assert firms
    for name in firms:
        assert not any(real in name for real in REAL_FIRMS), name


def test_every_started_project_has_a_tender_and_permits_in_order():
    started = Project.objects.filter(actual_start__lte=YEAR_END).prefetch_related("tenders", "permits")
    assert started.count() == 30  # 10 continuing (2019) and 20 started in 2020
    for project in started:
        tenders = sorted((t for t in project.tenders.all() if t.kind == TenderKind.CONSTRUCTION),
                         key=lambda t: t.bid_opened_on)
        assert tenders, project.name
        tender = tenders[0]
        permits = {p.kind: p.issued_on for p in project.permits.all()}
        planning, construction = permits[PermitKind.PLANNING], permits[PermitKind.CONSTRUCTION]
        assert tender.published_on < tender.bid_opened_on < planning < construction <= project.actual_start, project.name
        assert tender.winner_id == project.contractor_id, project.name
        if project.preliminary_done_on:
            assert project.preliminary_done_on < tender.published_on, project.name


def test_permits_of_2020_within_45_days_and_faster_than_2019():
    """工程规划许可证的办理时间压缩2个月以上，施工许可证的办理压缩1个月以上 — median days from the
    construction bid opening to the permit, permits issued in 2020 against those of 2019."""
    def lead_days(year, kind):
        return [p.lead_time.days for p in permit_records().filter(issued_on__year=year, kind=kind)]

    for kind in (PermitKind.PLANNING, PermitKind.CONSTRUCTION):
        assert len(lead_days(2019, kind)) >= 10 and len(lead_days(2020, kind)) >= 15
        assert max(lead_days(2020, kind)) <= 45
    planning_cut = median(lead_days(2019, PermitKind.PLANNING)) - median(lead_days(2020, PermitKind.PLANNING))
    construction_cut = (median(lead_days(2019, PermitKind.CONSTRUCTION))
                        - median(lead_days(2020, PermitKind.CONSTRUCTION)))
    assert planning_cut > 61  # more than 2 months
    assert 31 < construction_cut  # more than 1 month
    assert Tender.objects.filter(kind=TenderKind.CONSTRUCTION, bid_opened_on__year=2019).count() >= 10


def test_land_batches_are_approved_before_their_works_start():
    batches = LandBatch.objects.prefetch_related("projects")
    assert batches.count() == 6
    for batch in batches:
        assert batch.submitted_on < batch.approved_on <= YEAR_END
        for project in batch.projects.all():
            assert project.actual_start is None or project.actual_start > batch.approved_on, (batch, project.name)


def test_site_access_dates_vary_and_follow_the_start():
    access = list(Acquisition.objects.filter(year=2020).select_related("project"))
    assert len(access) == 21
    assert len({a.full_access_on for a in access}) == 21
    for a in access:
        assert a.project.actual_start <= a.full_access_on <= YEAR_END, a.project.name


def test_dated_acquisitions_add_up_to_the_december_totals():
    dec = land_summary(period=Period(2020, 12))
    assert (dec["acquired_mu"], dec["buildings_signed"]) == (Decimal("723.56"), 134)
    for a in Acquisition.objects.annotate(mu=Sum("progress__acquired_mu"), buildings=Sum("progress__buildings_signed")):
        assert (a.mu, a.buildings) == (a.acquired_mu, a.buildings_signed), a  # totals = dated rows
    for row in AcquisitionProgress.objects.select_related("acquisition"):
        assert row.recorded_on.year == row.acquisition.year
        assert row.recorded_on <= row.acquisition.full_access_on  # acquired before full site access
    months = set(AcquisitionProgress.objects.values_list("recorded_on__month", flat=True))
    assert len(months) == 12  # spread over the year


def test_land_figures_of_june_are_as_of_june():
    june, dec = land_summary(period=Period(2020, 6)), land_summary(period=Period(2020, 12))
    by_june = AcquisitionProgress.objects.filter(recorded_on__lte=dt.date(2020, 6, 30)).aggregate(
        mu=Sum("acquired_mu"), buildings=Sum("buildings_signed"))
    assert (june["acquired_mu"], june["buildings_signed"]) == (by_june["mu"], by_june["buildings"])
    assert 0 < june["acquired_mu"] < dec["acquired_mu"]
    assert 0 < june["buildings_signed"] < dec["buildings_signed"]
    # and every month in between grows (or stays)
    figures = [land_summary(period=Period(2020, m)) for m in range(1, 13)]
    assert [f["acquired_mu"] for f in figures] == sorted(f["acquired_mu"] for f in figures)
    assert figures[0]["acquired_mu"] < figures[5]["acquired_mu"] < figures[11]["acquired_mu"]


def test_preliminary_roads_have_distinct_targets():
    roads = PlanEntry.objects.filter(plan__year=2020, category="preliminary", project__kind="road")
    targets = list(roads.values_list("target", flat=True))
    assert len(targets) == 12 and len(set(targets)) == len(targets)
    moved = PlanEntry.objects.filter(plan__year=2020, project__name__in=["对家塘路", "雅湖路", "杨江街路"])
    assert len(set(moved.values_list("target", flat=True))) == 3


def test_owner_units_fit_the_projects():
    for project in Project.objects.select_related("owner_unit"):
        owner = project.owner_unit.name
        if project.kind == "school":
            assert owner == "望城区教育局", project.name
        elif project.name == "养老中心":
            assert owner == "望城区民政局"
        elif project.name == "区人民医院发热门诊楼":
            assert owner == "望城区卫生健康局"
        elif project.kind == "road":
            assert owner in {"望城区住房和城乡建设局", "望城区交通运输局", "望城经济技术开发区管理委员会"}, project.name


def test_december_progress_text_fits_the_phase():
    rows = MonthlyProgress.objects.filter(entry__plan__year=2020, month=12).select_related("entry__project")
    assert rows.count() > 30
    for row in rows:
        project, text = row.entry.project, row.physical_progress
        if row.entry.category == "supervised" or row.entry.category == "reserve":
            continue
        if project.actual_start and project.actual_start <= YEAR_END:
            assert "前期" not in text and 0 < row.physical_percent < 100, (project.name, text)
        else:
            assert row.physical_percent == 0 and ("前期" in text or "待" in text or "报建" in text), (project.name, text)


def test_outside_firms_worked_here_before_their_branch():
    """14 外地建筑企业 and 6 监理企业 set up local branches in 2020 after winning work here."""
    for firm in Organisation.objects.filter(is_from_outside=True, local_branch_on__year=2020):
        if firm.role == OrganisationRole.CONTRACTOR:
            first = Tender.objects.filter(winner=firm).order_by("bid_opened_on").values_list("bid_opened_on", flat=True).first()
        else:
            first = (Project.objects.filter(supervisor=firm).order_by("actual_start")
                     .values_list("actual_start", flat=True).first())
        assert first is not None and first < firm.local_branch_on, firm.name
