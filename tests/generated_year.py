"""A generated year of a key-project portfolio, built with the factories from a fixed seed: the
second year (besides the 2020 data set) that the month-by-month agreement tests walk.

It has what makes "as of the month" matter: 续建 projects resuming in February–April, 新建
projects planned to start all through the year (some early, some late, some not at all), 预备
projects moved to implementation and back, 计划外 projects added mid-year, projects completed
and delivered during the year, tenders, permits, land batches, dated land acquisition, funding,
savings, firms opening local branches and node plans done on time, late or not at all."""
import datetime as dt
import random
from decimal import Decimal

from land.models import Acquisition
from land.services import acquisition_totals_refresh
from procurement.models import PermitKind, TenderKind
from projects.models import OrganisationRole, Phase, PlanCategory
from tests import factories

D = dt.date


def _day(rng, year, month):
    return D(year, month, rng.randint(1, 28))


def build_year(year=2023, seed=2023):
    rng = random.Random(seed)
    south, north = factories.area("南片", order=1), factories.area("北片", order=2)
    serial = iter(range(1, 1000))

    def project(**kw):
        n = next(serial)
        return factories.project(code=f"{year - 1}-430112-48-01-{700000 + n:06d}", name=f"生成项目{n}号",
                                 area=rng.choice([south, north]), **kw)

    def works(p, start):
        """Construction and supervision tenders before the start, permits after the opening."""
        opened = start - dt.timedelta(days=rng.randint(20, 60))
        factories.tender(p, kind=TenderKind.CONSTRUCTION, bid_opened_on=opened,
                         published_on=opened - dt.timedelta(days=21), amount=Decimal(rng.randint(2000, 9000)))
        factories.tender(p, kind=TenderKind.SUPERVISION, bid_opened_on=opened + dt.timedelta(days=3),
                         published_on=opened - dt.timedelta(days=18), amount=Decimal(rng.randint(50, 300)))
        factories.permit(p, kind=PermitKind.PLANNING, issued_on=opened + dt.timedelta(days=rng.randint(5, 30)))
        factories.permit(p, kind=PermitKind.CONSTRUCTION, issued_on=opened + dt.timedelta(days=rng.randint(10, 50)))

    def monthly(entry, first_month, last_month=12, size=300):
        for m in range(first_month, last_month + 1):
            factories.progress(entry, m, Decimal(rng.randint(size // 3, size * 2)) + Decimal(rng.randint(0, 99)) / 100,
                               physical_percent=min(100, 8 * (m - first_month + 1)))

    entries = []
    # 续建: started last year, resumed after the Spring Festival, some finished during the year
    for i in range(10):
        p = project(planned_start=D(year - 1, rng.randint(3, 10), 1))
        p.actual_start = p.planned_start + dt.timedelta(days=rng.randint(-20, 40))
        p.save()
        works(p, p.actual_start)
        factories.phase_transition(p, to_phase=Phase.CONSTRUCTION, occurred_on=p.actual_start)
        resumed = _day(rng, year, rng.choice([2, 2, 3, 4])) if i != 9 else None  # one never resumes
        entry = factories.plan_entry(p, year=year, category=PlanCategory.CONTINUING, target=Decimal(rng.randint(1500, 6000)),
                                     is_municipal_key=i % 3 == 0, resumed_on=resumed, added_on=D(year, 2, 10))
        last = 12
        if i in (1, 4):  # completed and delivered during the year
            last = rng.randint(5, 9)
            factories.phase_transition(p, from_phase=Phase.CONSTRUCTION, to_phase=Phase.COMPLETED,
                                       occurred_on=_day(rng, year, last))
            factories.phase_transition(p, from_phase=Phase.COMPLETED, to_phase=Phase.DELIVERED,
                                       occurred_on=_day(rng, year, last + 2))
        if resumed:
            monthly(entry, resumed.month, last)
        entries.append(entry)
    # 新建: planned to start through the year; early, on time, late, not started
    for i in range(10):
        planned = D(year, rng.randint(2, 11), 15)
        p = project(planned_start=planned)
        shift = [-45, -10, 0, 20, 70, None][i % 6]
        if shift is not None and planned + dt.timedelta(days=shift) <= D(year, 12, 31):
            p.actual_start = planned + dt.timedelta(days=shift)
            p.save()
            works(p, p.actual_start)
            factories.phase_transition(p, to_phase=Phase.CONSTRUCTION, occurred_on=p.actual_start)
        entry = factories.plan_entry(p, year=year, category=PlanCategory.NEW, target=Decimal(rng.randint(800, 4000)),
                                     is_municipal_key=i % 4 == 0, added_on=D(year, 2, 10))
        if p.actual_start and p.actual_start.year == year:
            monthly(entry, p.actual_start.month)
        entries.append(entry)
    # 预备: two move to implementation (one starts early), one is moved back to 预备 from 新建
    for i in range(4):
        p = project(planned_start=D(year, 9, 1) if i < 2 else None)
        entry = factories.plan_entry(p, year=year, category=PlanCategory.PRELIMINARY, target=Decimal(rng.randint(200, 900)),
                                     added_on=D(year, 2, 10))
        if i < 2:
            factories.category_change(p, year=year, from_category=PlanCategory.PRELIMINARY,
                                      to_category=PlanCategory.NEW, changed_on=D(year, 4 + i, 20))
            start = D(year, 6 + i, 10)
            p.actual_start = start
            p.preliminary_done_on = start - dt.timedelta(days=30)
            p.save()
            works(p, start)
            factories.phase_transition(p, to_phase=Phase.CONSTRUCTION, occurred_on=start)
            monthly(entry, start.month, size=120)
        entries.append(entry)
    back = entries[15].project
    factories.category_change(back, year=year, from_category=PlanCategory.NEW, to_category=PlanCategory.PRELIMINARY,
                              changed_on=D(year, 8, 5), reason="用地未落实，调整为预备")
    # 计划外: added during the year, one with a target
    for month, target in ((5, "0"), (9, "600")):
        start = D(year, month, 3)
        p = project(planned_start=start + dt.timedelta(days=10), actual_start=start)
        works(p, start)
        entry = factories.plan_entry(p, year=year, category=PlanCategory.NEW, unplanned=True, target=Decimal(target),
                                     added_on=D(year, month, 1), instruction="区政府专题会议纪要")
        monthly(entry, month, size=80)
        entries.append(entry)
    # land: batches through the year, acquisition dated month by month
    plan_projects = [e.project for e in entries]
    for month in (3, 5, 8, 11):
        factories.land_batch(rng.sample(plan_projects, 3), year=year, submitted_on=_day(rng, year, month),
                             area_mu=Decimal(rng.randint(20, 200)))
    for p in rng.sample(plan_projects, 6):
        task = factories.acquisition(p, year=year)
        for month in sorted(rng.sample(range(1, 13), 3)):
            factories.acquisition_progress(task, recorded_on=_day(rng, year, month),
                                           acquired_mu=Decimal(rng.randint(3, 40)),
                                           buildings_signed=rng.randint(0, 6))
        acquisition_totals_refresh(task)
        if rng.random() < 0.7:
            Acquisition.objects.filter(pk=task.pk).update(full_access_on=_day(rng, year, rng.randint(4, 12)))
    # money, firms, preliminary work, node plans
    for month in (2, 4, 7, 10, 12):
        factories.funding(rng.choice(plan_projects), amount=Decimal(rng.randint(300, 3000)),
                          received_on=_day(rng, year, month))
        factories.saving(rng.choice(plan_projects), amount=Decimal(rng.randint(10, 400)),
                         recorded_on=_day(rng, year, month))
    for month, role in ((3, OrganisationRole.CONTRACTOR), (6, OrganisationRole.CONTRACTOR),
                        (6, OrganisationRole.SUPERVISOR), (10, OrganisationRole.CONTRACTOR)):
        factories.organisation(role=role, is_from_outside=True, local_branch_on=_day(rng, year, month))
    for p in plan_projects:
        for order, month in enumerate(sorted(rng.sample(range(1, 13), 3)), start=1):
            planned = _day(rng, year, month)
            done = rng.choice([None, planned - dt.timedelta(days=3), planned + dt.timedelta(days=25)])
            factories.milestone(p, name=f"节点{order}", order=order, planned_on=planned,
                                done_on=done if done and done.year == year else None)
    return entries
