"""The 2020 data set's contracts, payments and statistics ledger, derived from the loaded data set
(its tenders, projects and monthly progress) by fixed rules — no randomness, so loading twice writes
the same rows. ``load_demo`` calls ``load()`` (through the services, idempotent: rows are keyed by
contract number, payment date, project and month); the tests insert the same rows in bulk
(``bulk_load``, from ``tests/demo.py``). The story:

- every tender gives its contract: the winner, the bid amount as price, signed 15 days after the bid
  opening; 施工/监理 at 80 % 进度款, 设备 at 70 %;
- work completed (累计完成产值) certified each month of 2020 = price × the project's cumulative
  completion (调度, all years) ÷ its total investment, at most the price; each month the payment
  brings the paid amount to the agreed share of it (paid on the 25th);
- a few contracts were paid too much in their last payment month (90 % instead of 80 %), and one
  监理 contract was paid above its price (a variation asked for, not yet approved) — the 资金支付
  review finds them;
- variations: a 设计变更 (+3 %, approved) on every fourth construction contract, a 现场签证 (+1 %,
  not approved) on some others, a 工期调整 (+60 days);
- 结算/审计 for the contracts of projects completed by 2020: 结算 = current price × 1.02, 审计 = 95 %;
- 入库: the 2020 plan projects that started, registered in the month after their start (some
  three months after); three started projects are not registered (开工未入库);
- the statistics figure from the 入库 month: the 调度 figure rounded to whole 万元; the first month
  reports the year's amount so far (补报); projects with land costs report 90 % (统计口径不含土地购置费).
"""
import datetime as dt
from collections import defaultdict
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.db import transaction

from investment.models import MonthlyProgress, PlanEntry
from procurement.models import Tender, TenderKind
from projects.models import Phase, Project

from . import services
from .models import Contract, ContractKind, Payment, StatisticsRegistration, StatisticsReport, Variation, VariationKind

YEAR = 2020
CENT = Decimal("0.01")
KIND = {TenderKind.CONSTRUCTION: ContractKind.CONSTRUCTION, TenderKind.SUPERVISION: ContractKind.SUPERVISION,
        TenderKind.EQUIPMENT: ContractKind.EQUIPMENT}
DURATION = {ContractKind.CONSTRUCTION: 540, ContractKind.SUPERVISION: 600, ContractKind.EQUIPMENT: 120}
OVERPAID = (2, 5, 9)
"""Positions (in tender order) of the construction contracts paid 90 % in their last payment month."""
UNREGISTERED = 3
"""The last three started projects (by code) of the 2020 plan are not registered."""


def _money(value):
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _cumulative_completion():
    """{project id: {month of 2020: cumulative completion of all years up to that month}}."""
    by_project = defaultdict(lambda: defaultdict(Decimal))
    before = defaultdict(Decimal)
    for project_id, year, month, amount in MonthlyProgress.objects.values_list(
            "entry__project", "entry__plan__year", "month", "completed"):
        if year < YEAR:
            before[project_id] += amount
        elif year == YEAR:
            by_project[project_id][month] += amount
    cumulative = {}
    for project_id in set(before) | set(by_project):
        total, months = before[project_id], {}
        for m in range(1, 13):
            total += by_project[project_id][m]
            months[m] = total
        cumulative[project_id] = months
    return cumulative, by_project


def rows():
    """The data set's rows, unsaved and in insertion order: (model, natural key, instance)."""
    out = []
    cumulative, monthly = _cumulative_completion()
    projects = {p.pk: p for p in Project.objects.all()}
    tenders = list(Tender.objects.filter(winner__isnull=False, amount__isnull=False, bid_opened_on__year__lte=YEAR)
                   .order_by("bid_opened_on", "id"))
    construction_index = 0
    supervision_done = False
    for tender in tenders:
        kind = KIND[tender.kind]
        project = projects[tender.project_id]
        contract = Contract(
            project_id=tender.project_id, tender_id=tender.pk, firm_id=tender.winner_id, kind=kind,
            number=f"WCZX-{tender.bid_opened_on.year}-{tender.pk:03d}",
            title=tender.title.replace("招标", "合同").replace("采购", "采购合同"),
            price=tender.amount, signed_on=tender.bid_opened_on + dt.timedelta(days=15),
            duration_days=DURATION[kind],
            progress_payment_ratio=Decimal(70 if kind == ContractKind.EQUIPMENT else 80))
        variations = []
        if kind == ContractKind.CONSTRUCTION:
            construction_index += 1
            if construction_index % 4 == 0:
                variations.append(Variation(kind=VariationKind.DESIGN_CHANGE, amount=_money(contract.price * Decimal("0.03")),
                                            reason="优化地下室结构及管线综合，增加工程量", requested_on=dt.date(YEAR, 4, 10),
                                            approved_on=dt.date(YEAR, 5, 20)))
            if construction_index % 6 == 1:
                variations.append(Variation(kind=VariationKind.SITE_INSTRUCTION, amount=_money(contract.price * Decimal("0.01")),
                                            reason="地下障碍物清除及临时排水现场签证", requested_on=dt.date(YEAR, 9, 15)))
            if construction_index % 7 == 3:
                variations.append(Variation(kind=VariationKind.DURATION, amount=Decimal(0), days=60,
                                            reason="征地拆迁滞后，顺延工期", requested_on=dt.date(YEAR, 3, 5),
                                            approved_on=dt.date(YEAR, 3, 25)))
        over_price = kind == ContractKind.SUPERVISION and not supervision_done and project.pk in cumulative \
            and bool(monthly[project.pk][12])
        if over_price:
            supervision_done = True
            variations.append(Variation(kind=VariationKind.SCOPE, amount=_money(contract.price * Decimal("0.10")),
                                        reason="增加配套道路监理服务范围", requested_on=dt.date(YEAR, 10, 12)))
        for v in variations:  # not before the contract: a month after signing at the earliest
            earliest = contract.signed_on + dt.timedelta(days=30)
            if v.requested_on < earliest:
                shift = earliest - v.requested_on
                v.requested_on += shift
                v.approved_on = v.approved_on + shift if v.approved_on else None
        variations = [v for v in variations if (v.approved_on or v.requested_on).year <= YEAR]
        approved_extra = sum((v.amount for v in variations if v.approved_on), Decimal(0))
        current = contract.price + approved_extra
        if project.phase in (Phase.COMPLETED, Phase.DELIVERED) and project.actual_finish \
                and project.actual_finish.year <= YEAR:
            contract.settled_amount = _money(current * Decimal("1.02"))
            contract.audited_amount = _money(contract.settled_amount * Decimal("0.95"))
        key = contract.number
        out.append((Contract, key, contract))
        for v in variations:
            out.append((Variation, (key, v.kind, v.requested_on), v))
        # payments month by month
        paid = Decimal(0)
        months = cumulative.get(project.pk)
        if not months or not project.total_investment:
            continue
        planned = []
        for m in range(1, 13):
            paid_on = dt.date(YEAR, m, 25)
            if paid_on < contract.signed_on or not monthly[project.pk][m]:
                continue
            share = min(Decimal(1), months[m] / project.total_investment)
            work = _money(current * share)
            planned.append((m, paid_on, work))
        for i, (m, paid_on, work) in enumerate(planned):
            last = i == len(planned) - 1
            ratio = contract.progress_payment_ratio
            if last and kind == ContractKind.CONSTRUCTION and construction_index in OVERPAID:
                ratio = Decimal(90)
            target = (work * ratio / 100).quantize(CENT, rounding=ROUND_DOWN)  # never above the share
            if last and over_price:  # the whole service certified, paid with the scope not yet approved
                work = current
                target = _money(contract.price * Decimal("1.05"))
            amount = target - paid
            if amount < Decimal("0.5"):
                continue
            paid += amount
            out.append((Payment, (key, paid_on), Payment(work_completed=work, amount=amount, paid_on=paid_on,
                                                          note="进度款" if not last else "进度款（本年末次）")))
    out.extend(_ledger(projects, monthly))
    return out


def _ledger(projects, monthly):
    entries = list(PlanEntry.objects.filter(plan__year=YEAR).select_related("project").order_by("project__code"))
    started = [e.project for e in entries if e.project.actual_start and e.project.actual_start.year <= YEAR]
    unregistered = {p.pk for p in started[-UNREGISTERED:]}
    out = []
    for index, project in enumerate(started):
        if project.pk in unregistered:
            continue
        start = project.actual_start
        lag = 3 if index % 5 == 2 else 1
        month_index = start.year * 12 + start.month - 1 + lag
        registered_on = dt.date(month_index // 12, month_index % 12 + 1, 15)
        out.append((StatisticsRegistration, project.pk,
                    StatisticsRegistration(project_id=project.pk, registered_on=registered_on,
                                           statistics_code=f"430112{project.pk:06d}")))
        land_costs = index % 4 == 1
        if registered_on.year > YEAR:
            continue
        first = (YEAR, registered_on.month if registered_on.year == YEAR else 1)
        carried = Decimal(0)
        for m in range(1, 13):
            amount = monthly.get(project.pk, {}).get(m, Decimal(0))
            if m < first[1]:
                carried += amount  # reported with the 入库 month (补报)
                continue
            amount += carried
            carried = Decimal(0)
            if land_costs:
                amount = amount * Decimal("0.9")
            if not amount:
                continue
            reported = amount.quantize(Decimal(1), rounding=ROUND_HALF_UP)
            out.append((StatisticsReport, (project.pk, m),
                        StatisticsReport(project_id=project.pk, year=YEAR, month=m, amount=reported)))
    return out


def _existing():
    """{(model, natural key): row} of the rows already there (one query per model)."""
    rows_ = {(Contract, c.number): c for c in Contract.objects.all()}
    rows_.update({(Variation, (v.contract.number, v.kind, v.requested_on)): v
                  for v in Variation.objects.select_related("contract")})
    rows_.update({(Payment, (p.contract.number, p.paid_on)): p for p in Payment.objects.select_related("contract")})
    rows_.update({(StatisticsRegistration, r.project_id): r for r in StatisticsRegistration.objects.all()})
    rows_.update({(StatisticsReport, (r.project_id, r.month)): r for r in StatisticsReport.objects.filter(year=YEAR)})
    return rows_


def _same(obj, stored):
    return all(getattr(obj, f.attname) == getattr(stored, f.attname)
               for f in obj._meta.concrete_fields if not f.primary_key)


def load():
    """Write the rows through the services (checks, ``full_clean``), updating rows that exist and
    differ: loading again changes nothing. Like ``loaddata``, the loading keeps no history of its
    own. Returns the number of rows written."""
    written = 0
    with transaction.atomic():
        contracts, existing = {}, _existing()
        for model, key, obj in rows():
            if model in (Variation, Payment):
                obj.contract = contracts[key[0]]
            stored = existing.get((model, key))
            if stored is not None:
                obj.pk, obj._state.adding = stored.pk, False
            if model is Contract:
                contracts[key] = obj
            if stored is not None and _same(obj, stored):
                continue  # loaded before, unchanged: not saved again
            obj.skip_history_when_saving = True
            services.ledger_save(obj, services.VALIDATORS[model.__name__])
            del obj.skip_history_when_saving
            written += 1
    return written


def bulk_load():
    """The same rows in one bulk INSERT per model (the tests' fast loader)."""
    by_model = defaultdict(list)
    contracts = {}
    for model, key, obj in rows():
        by_model[model].append((key, obj))
    Contract.objects.bulk_create([obj for _key, obj in by_model[Contract]])
    for key, obj in by_model[Contract]:
        contracts[key] = obj
    for model in (Variation, Payment):
        for key, obj in by_model[model]:
            obj.contract = contracts[key[0]]
        model.objects.bulk_create([obj for _key, obj in by_model[model]])
    for model in (StatisticsRegistration, StatisticsReport):
        model.objects.bulk_create([obj for _key, obj in by_model[model]])
