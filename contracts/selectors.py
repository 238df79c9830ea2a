"""Reading contracts, payments and the statistics ledger — every figure of them is computed here.

- **Current price** (现合同价) at a date = the signed price + the variations approved on or before
  it (``approved_variations_sum``; a variation not yet approved does not count).
- **Paid** (累计支付) at a date = the payments paid on or before it; **work completed** (累计完成产值)
  at a date = the ``work_completed`` certified with the latest payment on or before it. Work
  completed is kept per contract on the payment request (as a 进度款 is certified) rather than
  pro-rated from the project's 调度 completion: a project has several contracts (施工, 监理, 设计)
  whose progress does not follow the project's amount, and the request is what the rule is applied
  to in practice.
- **Warnings** (``payment_warnings``): paid > ratio × work completed (超进度支付; exactly the ratio
  is allowed), paid > current price (超合同价支付).
- **统计对账**: per project of the year's plan, 调度 completion 1-N月 (MonthlyProgress), payments
  1-N月 and the 统计 figure 1-N月 (StatisticsReport); a gap |调度 − 统计| above
  ``settings.RECONCILIATION_GAP_WAN`` is flagged.
"""
from decimal import Decimal

from django.conf import settings
from django.db.models import Case, Count, DateField, DecimalField, IntegerField, When, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from investment.models import PlanEntry
from investment.selectors import completed_in, completed_through
from portfolio.filters import narrow
from portfolio.numbers import rate
from projects.selectors import started_by_q

from .models import Contract, Payment, StatisticsRegistration, StatisticsReport, Variation

CENT = Decimal("0.01")
MONEY_FIELD = DecimalField(max_digits=14, decimal_places=2)
ZERO = Value(Decimal(0), output_field=MONEY_FIELD)


def approved_variations_sum(as_of, contract_ref="pk"):
    """Expression: the amounts of the contract's variations approved on or before ``as_of``."""
    qs = (Variation.objects.filter(contract=OuterRef(contract_ref), approved_on__isnull=False,
                                   approved_on__lte=as_of)
          .order_by().values("contract").annotate(s=Sum("amount")).values("s"))
    return Coalesce(Subquery(qs, output_field=MONEY_FIELD), ZERO, output_field=MONEY_FIELD)


def approved_days_sum(as_of, contract_ref="pk"):
    """Expression: the days added (or cut) by the contract's variations approved on or before ``as_of``."""
    qs = (Variation.objects.filter(contract=OuterRef(contract_ref), approved_on__isnull=False,
                                   approved_on__lte=as_of)
          .order_by().values("contract").annotate(s=Sum("days")).values("s"))
    return Coalesce(Subquery(qs, output_field=IntegerField()), 0, output_field=IntegerField())


def paid_sum(as_of, contract_ref="pk", since=None):
    """Expression: the contract's payments paid on or before ``as_of`` (and from ``since`` on)."""
    qs = Payment.objects.filter(contract=OuterRef(contract_ref), paid_on__lte=as_of)
    if since is not None:
        qs = qs.filter(paid_on__gte=since)
    qs = qs.order_by().values("contract").annotate(s=Sum("amount")).values("s")
    return Coalesce(Subquery(qs, output_field=MONEY_FIELD), ZERO, output_field=MONEY_FIELD)


def work_completed_at(as_of, contract_ref="pk"):
    """Expression: the work completed certified with the contract's latest payment by ``as_of``."""
    qs = (Payment.objects.filter(contract=OuterRef(contract_ref), paid_on__lte=as_of)
          .order_by("-paid_on", "-id").values("work_completed")[:1])
    return Coalesce(Subquery(qs, output_field=MONEY_FIELD), ZERO, output_field=MONEY_FIELD)


def contracts_as_of(as_of):
    """Every contract with its figures at ``as_of``: ``approved_variations``, ``current_price``
    (price + approved variations), ``current_duration`` (days + approved changes of time; None
    without a contract duration), ``paid_to_date``, ``work_completed_to_date``."""
    return (Contract.objects.select_related("project", "project__area", "firm", "tender")
            .annotate(approved_variations=approved_variations_sum(as_of), approved_days=approved_days_sum(as_of),
                      paid_to_date=paid_sum(as_of), work_completed_to_date=work_completed_at(as_of))
            .annotate(current_price=F("price") + F("approved_variations"),
                      current_duration=F("duration_days") + F("approved_days")))


def current_price(contract, as_of):
    """现合同价 of one contract at ``as_of`` = price + variations approved by then."""
    return contracts_as_of(as_of).values_list("current_price", flat=True).get(pk=contract.pk)


OVER_PROGRESS = "over_progress"
OVER_PRICE = "over_price"
WARNING_LABELS = {OVER_PROGRESS: "超进度支付", OVER_PRICE: "超合同价支付"}


def payment_warnings(*, paid, work_completed, ratio, price):
    """The warnings of one contract's figures (exact decimals): 超进度支付 when paid exceeds
    ``ratio`` % of the work completed (exactly the ratio is allowed), 超合同价支付 when paid exceeds
    the current price. Amounts are taken to the cent first (SQLite sums carry float noise)."""
    paid, work_completed, price = (Decimal(v).quantize(CENT) for v in (paid, work_completed, price))
    warnings = []
    if paid * 100 > work_completed * ratio:
        warnings.append(OVER_PROGRESS)
    if paid > price:
        warnings.append(OVER_PRICE)
    return warnings


def allowed_to_date(contract):
    """允许支付 of a row of ``contracts_as_of``: 累计完成产值 × the contract's 进度款支付比例."""
    return contract.work_completed_to_date * contract.progress_payment_ratio / 100


def paid_share(contract):
    """支付占现合同价 of a row of ``contracts_as_of``: paid ÷ current price (None without a price)."""
    return rate(contract.paid_to_date, contract.current_price)


def contract_warnings(contract):
    """``payment_warnings`` of a row of ``contracts_as_of`` (its annotations; no query)."""
    return payment_warnings(paid=contract.paid_to_date, work_completed=contract.work_completed_to_date,
                            ratio=contract.progress_payment_ratio, price=contract.current_price)


def _with_warnings(contract):
    contract.allowed_to_date = allowed_to_date(contract)
    contract.warnings = contract_warnings(contract)
    contract.warning_labels = [WARNING_LABELS[w] for w in contract.warnings]
    contract.paid_share = paid_share(contract)
    return contract


def contracts_in_period(*, period, filters=None):
    """Contracts of the projects in the year's plan as of the period, signed by its end, with their
    figures at the period's end (``contracts_as_of``)."""
    qs = contracts_as_of(period.end).filter(
        signed_on__lte=period.end, project__in=PlanEntry.objects.in_plan(period).values("project"))
    return narrow(qs, "contracts.filters.ContractFilterSet", filters)


def contract_rows(queryset):
    """The rows of a contract queryset, each with ``warnings`` (``payment_warnings``)."""
    return [_with_warnings(c) for c in queryset]


def warned_contract_ids(*, period):
    """Ids of the contracts of ``contracts_in_period`` with a payment warning at the period's end,
    decided on exact decimals in Python (``payment_warnings``) from the four figures the rule reads
    (the contracts' other columns and joins are not loaded)."""
    rows = contracts_in_period(period=period).order_by().values_list(
        "pk", "paid_to_date", "work_completed_to_date", "progress_payment_ratio", "current_price")
    return [pk for pk, paid, work_completed, ratio, price in rows
            if payment_warnings(paid=paid, work_completed=work_completed, ratio=ratio, price=price)]


def payment_review(*, period, filters=None):
    """资金支付审查: the contracts of ``contracts_in_period`` with a payment warning at the period's
    end (``warned_contract_ids``)."""
    qs = contracts_in_period(period=period).filter(pk__in=warned_contract_ids(period=period))
    return narrow(qs, "contracts.filters.ContractFilterSet", filters)


def variations_in_period(*, period, filters=None):
    """Variations requested (申报) in months 1..N, with contract and project."""
    qs = (Variation.objects.filter(requested_on__range=(period.start, period.end))
          .select_related("contract", "contract__project", "contract__project__area"))
    return narrow(qs, "contracts.filters.VariationFilterSet", filters)


def _payments(period):
    """The period's rule for payments: paid in months 1..N, on contracts of the year's plan."""
    return Payment.objects.filter(
        paid_on__range=(period.start, period.end),
        contract__project__in=PlanEntry.objects.in_plan(period).values("project"))


def payments_in_period(*, period, filters=None):
    """Payments paid in months 1..N on contracts of the projects in the year's plan as of the period."""
    qs = _payments(period).select_related("contract", "contract__firm", "contract__project",
                                          "contract__project__area")
    return narrow(qs, "contracts.filters.PaymentFilterSet", filters)


def registrations_in_period(*, period, filters=None):
    """入库 records of the year's plan projects registered by the period's end (入库 status)."""
    qs = (StatisticsRegistration.objects.filter(
        registered_on__lte=period.end, project__in=PlanEntry.objects.in_plan(period).values("project"))
        .select_related("project", "project__area"))
    return narrow(qs, "contracts.filters.RegistrationFilterSet", filters)


def statistics_reports_in_period(*, period, filters=None):
    """统计月报 of months 1..N of the year."""
    qs = (StatisticsReport.objects.filter(year=period.year, month__lte=period.month)
          .select_related("project", "project__area"))
    return narrow(qs, "contracts.filters.StatisticsReportFilterSet", filters)


def registered_by_q(date, prefix="project__"):
    """Registered (入库) with the statistics bureau on or before ``date``."""
    return Q(**{f"{prefix}statistics_registration__registered_on__lte": date})


def not_registered_by_q(date, prefix="project__"):
    """Not registered (入库) on or before ``date``: no registration, or a later one."""
    return (Q(**{f"{prefix}statistics_registration__isnull": True})
            | Q(**{f"{prefix}statistics_registration__registered_on__gt": date}))


def started_unregistered_q(date):
    """On PlanEntry: 开工未入库 at ``date`` — started by then (``projects.selectors.started_by_q``, the
    product's start rule) and not registered by then."""
    return started_by_q(date) & not_registered_by_q(date)


def started_unregistered(*, period, filters=None):
    """开工未入库: plan entries of the year's plan as of the period whose project started by its end
    (the start rule ``projects.selectors.started_by_q``) and was not registered (入库) by then."""
    qs = (PlanEntry.objects.in_plan(period).filter(started_unregistered_q(period.end))
          .select_related("project", "project__area").order_by("project__actual_start", "project__code"))
    return narrow(qs, "contracts.filters.PlanEntryFilterSet", filters)


def _project_sum(model_qs, field):
    qs = model_qs.order_by().values("project_key").annotate(s=Sum(field)).values("s")
    return Coalesce(Subquery(qs, output_field=MONEY_FIELD), ZERO, output_field=MONEY_FIELD)


def reconciliation_entries(*, period):
    """The year's plan entries as of the period with the three figures of 统计对账, 1-N月 and N月:
    ``dispatch_to_date``/``dispatch_in_month`` (调度: MonthlyProgress), ``paid_to_date``/
    ``paid_in_month`` (payments on the project's contracts), ``statistics_to_date``/
    ``statistics_in_month`` (统计: StatisticsReport), ``registered_on`` (入库 date by the period's end, or None) and
    ``gap`` = 调度 − 统计 (1-N月)."""
    month_start = period.month_start
    payments = Payment.objects.filter(contract__project=OuterRef("project")).annotate(project_key=F("contract__project"))
    reports = StatisticsReport.objects.filter(project=OuterRef("project"), year=period.year).annotate(
        project_key=F("project"))
    return (
        PlanEntry.objects.in_plan(period).select_related("project", "project__area")
        .annotate(
            dispatch_to_date=completed_through(period.month),  # the read model (investment.rollups)
            dispatch_in_month=completed_in(period.month),
            paid_to_date=_project_sum(payments.filter(paid_on__range=(period.start, period.end)), "amount"),
            paid_in_month=_project_sum(payments.filter(paid_on__range=(month_start, period.end)), "amount"),
            statistics_to_date=_project_sum(reports.filter(month__lte=period.month), "amount"),
            statistics_in_month=_project_sum(reports.filter(month=period.month), "amount"),
            registered_on=Case(When(registered_by_q(period.end), then=F("project__statistics_registration__registered_on")),
                               default=None, output_field=DateField()),
        )
        .annotate(gap=F("dispatch_to_date") - F("statistics_to_date"))
        .order_by("project__code")
    )


def gap_threshold():
    return Decimal(settings.RECONCILIATION_GAP_WAN)


def reconciliation_flagged(row, threshold=None):
    """True when |调度 − 统计| (1-N月) is above the threshold (``settings.RECONCILIATION_GAP_WAN``)."""
    threshold = gap_threshold() if threshold is None else threshold
    return abs(row.dispatch_to_date - row.statistics_to_date) > threshold


def reconciliation_in_period(*, period, filters=None):
    """统计对账 rows (``reconciliation_entries``); ``filters`` may narrow them (``flagged``, area, …)."""
    return narrow(reconciliation_entries(period=period), "contracts.filters.ReconciliationFilterSet", filters)


def flagged_entry_ids(*, period):
    """Ids of the plan entries whose gap is above the threshold (decided on exact decimals)."""
    from types import SimpleNamespace

    threshold = gap_threshold()
    # only the two sums the rule reads (the other annotations and joins are not computed)
    rows = reconciliation_entries(period=period).order_by().values_list("pk", "dispatch_to_date", "statistics_to_date")
    return [pk for pk, dispatch, statistics in rows
            if reconciliation_flagged(SimpleNamespace(dispatch_to_date=dispatch, statistics_to_date=statistics), threshold)]


def due_for_completion_q(period):
    """On PlanEntry: planned to complete (计划完工日期) in months 1..N of the period."""
    return Q(project__planned_finish__range=(period.start, period.end))


def completions_due(*, period, filters=None):
    """按期竣工: plan entries of the year's plan as of the period whose planned completion
    (计划完工日期) falls in months 1..N, each with ``on_time`` = actually completed (实际完工日期)
    on or before the planned date."""
    qs = (PlanEntry.objects.in_plan(period).filter(due_for_completion_q(period))
          .select_related("project", "project__area").order_by("project__planned_finish", "project__code"))
    return narrow(qs, "contracts.filters.CompletionFilterSet", filters)


def on_time_q():
    """On PlanEntry: 按期竣工 — actually completed (实际完工日期) on or before the planned date."""
    return Q(project__actual_finish__isnull=False, project__actual_finish__lte=F("project__planned_finish"))


def completed_on_time(project):
    """``on_time_q`` for one project (a row of ``completions_due``)."""
    return project.actual_finish is not None and project.actual_finish <= project.planned_finish


def four_rates(*, period):
    """The counts and sums behind the 四率 this app adds (each count is its list's rows), in
    four queries; the rates themselves are the figure catalogue's (``portfolio.figures``):

    - 资金到位率 = funds in place 1-N月 ÷ the year's target (年度计划总投资). Funds in place
      (``funds_in_place``) = the payments made in months 1..N on contracts of the year's plan projects
      (``payments_in_period``): the money that reached the works. ``investment.Funding`` (争取上级资金)
      is not used: it is only the money secured from higher levels, a part of the funds, and not
      dated to when it reaches a project.
    - 按期竣工率 = ``completed_on_time`` ÷ ``completion_due``: plan projects planned to complete in
      months 1..N, and those of them completed by their planned date (``completions_due``).
    - ``started_unregistered`` (开工未入库), ``payment_warnings`` (contracts of ``payment_review``),
      ``reconciliation_gaps`` (plan entries above the gap threshold).
    """
    return four_rates_spec(period=period).run()


def four_rates_spec(*, period):
    """``four_rates`` with its two aggregates as ``portfolio.fused`` specs (read with other summaries
    in one statement); the warnings and gaps are decided in Python on their lists, as before."""
    from portfolio.fused import Aggregate, Combine

    due_q = due_for_completion_q(period)
    return Combine({
        "payments": Aggregate(_payments(period), {"n": Count("id"), "total": Coalesce(Sum("amount"), ZERO)}),
        "entries": Aggregate(PlanEntry.objects.in_plan(period), {
            "due": Count("id", filter=due_q), "on_time": Count("id", filter=due_q & on_time_q()),
            "unregistered": Count("id", filter=started_unregistered_q(period.end))}),
    }, lambda parts: _four_rates(period, parts["payments"], parts["entries"]))


def _four_rates(period, payments, entries):
    return {
        "payments": payments["n"],
        "funds_in_place": Decimal(payments["total"]).quantize(CENT),  # SQLite sums carry float noise
        "completion_due": entries["due"], "completed_on_time": entries["on_time"],
        "started_unregistered": entries["unregistered"],
        "payment_warnings": len(warned_contract_ids(period=period)),
        "reconciliation_gaps": len(flagged_entry_ids(period=period)),
    }


def funds_rate(*, funds_in_place, target):
    """资金到位率 = funds in place ÷ the year's target (see ``four_rates``)."""
    return rate(funds_in_place, target)
