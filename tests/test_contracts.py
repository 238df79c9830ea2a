"""Contracts, payments and the statistics ledger (issue 18): the over-payment warning at its
boundary, variations changing the contract price, the 统计对账 against hand-computed figures of the
2020 data set, the new dashboard figures against their lists, the pages' query counts, and the
record forms' Chinese messages."""
import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from contracts import selectors
from contracts.models import Contract, Payment, StatisticsReport
from portfolio.figures import figure_values, linked_counts
from portfolio.numbers import Period, percent
from tests import factories
from tests.forms_support import field_error, post

DEC = Period(2020, 12)


def rows_of(client, url):
    html = client.get(url).content.decode()
    return int(re.search(r'data-figure="row-count">(\d+)<', html).group(1))


def review_page(client, period=DEC):
    return client.get(reverse("contracts:payment_review"), {"year": period.year, "month": period.month})


# --- the warning at its boundary ----------------------------------------------------------------

@pytest.fixture
def contract_with_work(db):
    """A 1,000 万元 contract at 80 % 进度款 in the 2020 plan, 1,000 万元 of work certified in March."""
    project = factories.project()
    factories.plan_entry(project, target=Decimal("1000"))
    return factories.contract(project, price=Decimal("1000"), progress_payment_ratio=Decimal("80"))


@pytest.mark.parametrize("paid, warned", [("800.00", False), ("800.01", True)])
def test_over_progress_warning_at_exactly_the_share(leader_client, contract_with_work, paid, warned):
    factories.payment(contract_with_work, work_completed=Decimal("1000"), amount=Decimal(paid))
    rows = selectors.contract_rows(selectors.contracts_in_period(period=DEC))
    assert rows[0].warnings == (["over_progress"] if warned else [])
    html = review_page(leader_client).content.decode()
    assert (contract_with_work.title in html) is warned
    assert ("data-warning>超进度支付" in html) is warned
    if warned:  # what was allowed beside what was paid
        assert "800.00" in html and "800.01" in html


def test_paid_above_the_price_is_warned_even_within_the_share(leader_client, contract_with_work):
    # work certified above the price (an unapproved variation): 80 % of 1,300 = 1,040 allows it, the price not
    factories.variation(contract_with_work, amount=Decimal("300"))
    factories.payment(contract_with_work, work_completed=Decimal("1300"), amount=Decimal("1000.01"))
    assert selectors.contract_rows(selectors.contracts_in_period(period=DEC))[0].warnings == ["over_price"]
    assert "data-warning>超合同价支付" in review_page(leader_client).content.decode()


def test_the_warning_is_as_of_the_period(leader_client, contract_with_work):
    factories.payment(contract_with_work, work_completed=Decimal("500"), amount=Decimal("450"),
                      paid_on=dt.date(2020, 3, 25))
    factories.payment(contract_with_work, work_completed=Decimal("1000"), amount=Decimal("100"),
                      paid_on=dt.date(2020, 4, 25))
    assert rows_of(leader_client, reverse("contracts:payment_review") + "?year=2020&month=3") == 1  # 450 > 400
    assert rows_of(leader_client, reverse("contracts:payment_review") + "?year=2020&month=4") == 0  # 550 ≤ 800


# --- variations and the current price -------------------------------------------------------------

def test_only_approved_variations_change_the_price_from_their_approval(contract_with_work):
    factories.variation(contract_with_work, amount=Decimal("120.50"), approved_on=dt.date(2020, 5, 20))
    factories.variation(contract_with_work, amount=Decimal("-20.50"), approved_on=dt.date(2020, 8, 1))
    factories.variation(contract_with_work, amount=Decimal("999"), kind="site_instruction")  # not approved
    assert selectors.current_price(contract_with_work, dt.date(2020, 5, 19)) == Decimal("1000")
    assert selectors.current_price(contract_with_work, dt.date(2020, 5, 20)) == Decimal("1120.50")
    assert selectors.current_price(contract_with_work, dt.date(2020, 12, 31)) == Decimal("1100.00")


def test_an_approved_variation_lifts_the_price_cap(leader_client, contract_with_work):
    factories.payment(contract_with_work, work_completed=Decimal("1400"), amount=Decimal("1050"))
    assert rows_of(leader_client, reverse("contracts:payment_review") + "?year=2020&month=12") == 1
    factories.variation(contract_with_work, amount=Decimal("100"), approved_on=dt.date(2020, 4, 1))
    assert rows_of(leader_client, reverse("contracts:payment_review") + "?year=2020&month=12") == 0


def test_contract_list_shows_current_price_paid_and_audit_cut(leader_client, contract_with_work):
    contract_with_work.settled_amount, contract_with_work.audited_amount = Decimal("1100"), Decimal("1045.5")
    contract_with_work.save()
    factories.variation(contract_with_work, amount=Decimal("100"), approved_on=dt.date(2020, 4, 1))
    factories.payment(contract_with_work, work_completed=Decimal("500"), amount=Decimal("400"))
    html = leader_client.get(reverse("contracts:list"), {"year": 2020, "month": 12}).content.decode()
    table = html[html.index('id="records-table"'):] if 'id="records-table"' in html else html
    for text in ("1,100.00", "400.00", "36.4%", "54.50"):  # 现合同价, 累计支付, 400/1100, 审减 1100 − 1045.5
        assert text in table, text


# --- forms --------------------------------------------------------------------------------------------

def test_a_statistics_figure_before_registration_is_refused_in_chinese(admin_client_):
    project = factories.project()
    factories.statistics_registration(project, registered_on=dt.date(2020, 6, 15))
    response = post(admin_client_, "statistics-report", {"project": project.pk, "year": 2020, "month": 5,
                                                         "amount": "100"})
    assert "该项目2020年6月入库，此前月份没有统计数" in field_error(response, "month")
    assert not StatisticsReport.objects.exists()
    response = post(admin_client_, "statistics-report", {"project": project.pk, "year": 2020, "month": 6,
                                                         "amount": "100"})
    assert response.status_code == 302 and StatisticsReport.objects.count() == 1


def test_a_payment_before_signing_or_not_positive_is_refused(admin_client_, contract_with_work):
    response = post(admin_client_, "payment", {"contract": contract_with_work.pk, "paid_on": "2020-01-10",
                                               "work_completed": "10", "amount": "5"})
    assert "支付日期不能早于合同签订日期" in field_error(response, "paid_on")
    response = post(admin_client_, "payment", {"contract": contract_with_work.pk, "paid_on": "2020-03-10",
                                               "work_completed": "10", "amount": "0"})
    assert "支付金额应大于0" in field_error(response, "amount")
    assert not Payment.objects.exists()


def test_a_staff_member_cannot_pay_on_another_areas_contract(client, contract_with_work):
    north = factories.area("北片")
    factories.plan_entry(factories.project(area=north))  # their own project: they may open the form
    client.force_login(factories.staff("luru_bei", areas=[north]))
    response = client.post(reverse("records:payment_add"), {"contract": contract_with_work.pk,
                                                            "paid_on": "2020-03-10", "work_completed": "10",
                                                            "amount": "5"})
    assert response.status_code == 200  # the form does not offer the contract: a choice error, nothing saved
    assert not Payment.objects.exists()


# --- the 2020 data set ------------------------------------------------------------------------------

pytestmark_demo = pytest.mark.usefixtures("demo_2020")


@pytestmark_demo
def test_reconciliation_against_hand_computed_figures(leader_client):
    # 月亮岛路北延: 调度 5月 1,314.97 + 6月 1,366.88 = 2,681.85; 入库 2020-06-15, so June reports the
    # year so far (补报), without land costs (×0.9): 2,681.85 × 0.9 = 2,413.665 → 2,414; paid on the
    # construction contract 482.78 (5月) + 501.84 (6月) = 984.62. Gap 267.85 ≤ 300: not flagged.
    june = {e.project.name: e for e in selectors.reconciliation_entries(period=Period(2020, 6))}
    row = june["月亮岛路北延"]
    assert (row.dispatch_to_date, row.dispatch_in_month) == (Decimal("2681.85"), Decimal("1366.88"))
    assert (row.statistics_to_date, row.statistics_in_month) == (Decimal("2414"), Decimal("2414"))
    assert row.paid_to_date == Decimal("984.62") and row.paid_in_month == Decimal("501.84")
    assert row.registered_on == dt.date(2020, 6, 15)
    assert not selectors.reconciliation_flagged(row)
    # 养老中心 (registered 2019, land costs): 调度 1-6月 1,115.54 + 2,083.17 + 2,324.82 + 2,634.66 +
    # 3,019.09 = 11,177.28; 统计 1,004 + 1,875 + 2,092 + 2,371 + 2,717 = 10,059; gap 1,118.28 > 300.
    row = june["养老中心"]
    assert (row.dispatch_to_date, row.statistics_to_date) == (Decimal("11177.28"), Decimal("10059"))
    assert row.gap == Decimal("1118.28") and selectors.reconciliation_flagged(row)
    # 旺旺路 registers in July: in June it has no 入库 date and no statistics figure
    assert june["旺旺路"].registered_on is None and june["旺旺路"].statistics_to_date == 0
    html = leader_client.get(reverse("contracts:reconciliation"),
                             {"year": 2020, "month": 6, "flagged": "true"}).content.decode()
    assert "养老中心" in html and "月亮岛路北延" not in html


@pytestmark_demo
def test_the_demo_has_over_payments_to_find(leader_client):
    rows = selectors.contract_rows(selectors.payment_review(period=DEC))
    assert len(rows) == 4
    assert sum(1 for c in rows if "over_price" in c.warnings) == 1
    assert all(c.warnings for c in rows)


@pytestmark_demo
@pytest.mark.parametrize("month", [6])  # every month: tests/test_month_walk.py
def test_new_figures_equal_their_lists(leader_client, month):
    period = Period(2020, month)
    values = figure_values(period=period)
    keys = {"payments", "completion_due", "completed_on_time", "payment_warnings", "started_unregistered",
            "reconciliation_gaps"}
    counts = {key: (count, url) for key, count, url in linked_counts(period=period, values=values) if key in keys}
    assert set(counts) == keys
    for key, (count, url) in counts.items():
        assert rows_of(leader_client, url) == count, (key, url)
    assert values["started_unregistered"].value > 0 and values["payments"].value > 0
    html = leader_client.get(reverse("dashboard"), {"year": 2020, "month": month}).content.decode()
    block = html[html.index('id="four-rates"'):]
    for key in ("funds_rate", "on_time_rate", "start_rate", "rate"):
        assert f'data-figure="{values[key].slug}">{values[key].card}<' in block, key


@pytestmark_demo
def test_funds_rate_is_the_payments_over_the_target(leader_client):
    values = figure_values(period=DEC)
    paid = sum(Payment.objects.filter(paid_on__year=2020).values_list("amount", flat=True))
    assert values["funds_in_place"].value == paid  # every 2020 payment is on a 2020 plan project
    assert values["funds_rate"].value == paid / values["target"].value


@pytestmark_demo
@pytest.mark.parametrize("name, params", [
    ("contracts:list", {}), ("contracts:payments", {}), ("contracts:variations", {}),
    ("contracts:registrations", {}), ("contracts:statistics_reports", {}), ("contracts:payment_review", {}),
    ("contracts:unregistered", {}), ("contracts:reconciliation", {}), ("contracts:reconciliation", {"flagged": "true"}),
    ("contracts:completions", {"on_time": "false"}),
])
def test_pages_have_a_bounded_number_of_queries(admin_client_, django_assert_max_num_queries, name, params):
    with django_assert_max_num_queries(16):
        response = admin_client_.get(reverse(name), {"year": 2020, "month": 12, "per_page": 100, **params})
    html = response.content.decode()
    assert int(re.search(r'data-figure="row-count">(\d+)<', html).group(1)) > 0


@pytestmark_demo
def test_project_page_shows_contracts_and_payments(leader_client):
    contract = Contract.objects.filter(payments__isnull=False).select_related("project").first()
    html = leader_client.get(reverse("records:project", args=[contract.project_id])).content.decode()
    for section in ("contract", "payment", "variation", "statistics-registration", "statistics-report"):
        assert f'data-section="{section}"' in html
    assert contract.title in html


# --- the district workbook -------------------------------------------------------------------------

@pytestmark_demo
def test_workbook_sheets_hold_the_lists_rows(leader_client):
    from tests.xlsx import download, find_row, numbered_runs, workbooks

    period = Period(2020, 9)
    values = figure_values(period=period)
    response = leader_client.get(reverse("district_workbook"), {"year": 2020, "month": 9})
    formulas, book = workbooks(download(response))
    contracts, review = numbered_runs(book["合同与支付"])
    assert len(contracts) == rows_of(leader_client, reverse("contracts:list") + "?year=2020&month=9")
    assert len(review) == values["payment_warnings"].value > 0
    assert sorted(r[2] for r in review) == sorted(r[2] for r in contracts if r[12])  # the 预警 column
    total = find_row(book["合同与支付"], "合计", column=2)
    assert Decimal(str(total[10].value)).quantize(Decimal("0.01")) == sum(
        Decimal(str(r[10])) for r in contracts).quantize(Decimal("0.01"))
    assert str(formulas["合同与支付"].cell(total[10].row, 11).value).startswith("=SUBTOTAL(9,K")
    entries, unregistered = numbered_runs(book["统计对账"])
    assert len(entries) == rows_of(leader_client, reverse("contracts:reconciliation") + "?year=2020&month=9")
    assert sum(1 for r in entries if r[12] == "差异超限") == values["reconciliation_gaps"].value > 0
    assert len(unregistered) == values["started_unregistered"].value
    summary = book["汇总"]
    cell = find_row(summary, "资金到位率")[1]
    assert cell.number_format == "0.0%"
    assert f"{percent(Decimal(str(cell.value)), 1)}%" == values["funds_rate"].text
    assert find_row(summary, "开工未入库项目")[1].value == values["started_unregistered"].value
    moon = next(r for r in entries if r[2] == "月亮岛路北延")
    # 调度 1-9月 = 1,314.97 + 1,366.88 + 1,158.70 + 1,184.16 + 1,342.81 = 6,367.52
    assert Decimal(str(moon[6])) == Decimal("6367.52")


@pytest.mark.slow  # the services write ~500 rows (3 s)
@pytest.mark.django_db
def test_load_writes_what_the_tests_bulk_load_and_again_changes_nothing():
    """``contracts.demo.load`` (load_demo, through the services) and ``bulk_load`` (tests/demo.py)
    write the same rows; loading again changes nothing."""
    from contracts import demo
    from contracts.models import StatisticsRegistration, Variation
    from tests.demo import load_demo_data

    def snapshot():
        return {
            "contracts": sorted(Contract.objects.values_list(
                "number", "project", "tender", "firm", "kind", "title", "price", "signed_on", "duration_days",
                "progress_payment_ratio", "settled_amount", "audited_amount")),
            "variations": sorted(Variation.objects.values_list("contract__number", "kind", "amount", "days",
                                                               "reason", "requested_on", "approved_on")),
            "payments": sorted(Payment.objects.values_list("contract__number", "paid_on", "work_completed",
                                                           "amount", "note")),
            "registrations": sorted(StatisticsRegistration.objects.values_list("project", "registered_on")),
            "reports": sorted(StatisticsReport.objects.values_list("project", "year", "month", "amount")),
        }

    load_demo_data()  # the 2020 data set with bulk_load
    bulk = snapshot()
    assert len(bulk["contracts"]) == 38 and len(bulk["payments"]) > 100
    Contract.objects.all().delete()
    StatisticsRegistration.objects.all().delete()
    StatisticsReport.objects.all().delete()
    demo.load()
    assert snapshot() == bulk
    demo.load()
    assert snapshot() == bulk
    # like loaddata, the loading keeps no history of its own (the deletions above are the only versions)
    assert not Contract.history.exclude(history_type="-").exists()
    assert not Payment.history.exclude(history_type="-").exists()


def test_a_tender_with_a_contract_is_not_deleted_and_the_page_says_why(admin_client_, contract_with_work):
    from procurement.models import Tender
    from tests.forms_support import submit

    tender = factories.tender(contract_with_work.project)
    contract_with_work.tender = tender
    contract_with_work.save()
    response = submit(admin_client_, reverse("records:tender_delete", args=[tender.pk]))
    assert response.status_code == 200
    assert "该记录已被合同“" in response.content.decode() and "引用，不能删除" in response.content.decode()
    assert Tender.objects.filter(pk=tender.pk).exists()


@pytestmark_demo
def test_a_staff_member_edits_a_payment_of_their_area_and_the_history_shows_it(client, leader):
    from portfolio.history import project_history
    from projects.models import Area

    south = Area.objects.get(name="南片")
    client.force_login(factories.staff("luru_nan", areas=[south]))
    payment = Payment.objects.filter(contract__project__area=south).select_related("contract").first()
    old = payment.amount
    response = post(client, "payment", {"contract": payment.contract_id, "paid_on": payment.paid_on.isoformat(),
                                        "work_completed": str(payment.work_completed), "amount": str(old + 1),
                                        "note": payment.note}, pk=payment.pk)
    assert response.status_code == 302
    changes = [c for c in project_history(project=payment.contract.project) if c.record == "进度款支付"]
    assert changes and changes[0].kind == "修改"
    assert [(f.old, f.new) for f in changes[0].fields if f.label == "本期支付（万元）"] == [
        (f"{old:.2f}", f"{old + 1:.2f}")]
    # a leader reads, never edits
    client.force_login(leader)
    assert client.get(reverse("records:payment_edit", args=[payment.pk])).status_code == 403


def test_a_variation_approved_before_it_was_asked_or_cutting_below_zero_is_refused(admin_client_, contract_with_work):
    from contracts.models import Variation

    base = {"contract": contract_with_work.pk, "kind": "design_change", "days": "0", "reason": "取消部分附属工程"}
    response = post(admin_client_, "variation", {**base, "amount": "-10", "requested_on": "2020-05-10",
                                                 "approved_on": "2020-05-01"})
    assert "批准日期不能早于申报日期" in field_error(response, "approved_on")
    response = post(admin_client_, "variation", {**base, "amount": "-1000.01", "requested_on": "2020-05-10",
                                                 "approved_on": "2020-05-20"})
    assert "核减后合同价为负数" in field_error(response, "amount")
    assert not Variation.objects.exists()
    response = post(admin_client_, "variation", {**base, "amount": "-1000", "requested_on": "2020-05-10",
                                                 "approved_on": "2020-05-20"})
    assert response.status_code == 302
    assert selectors.current_price(contract_with_work, dt.date(2020, 12, 31)) == 0


def test_an_approved_change_of_time_lengthens_the_duration(leader_client, contract_with_work):
    contract_with_work.duration_days = 365
    contract_with_work.save()
    factories.variation(contract_with_work, kind="duration", days=60, reason="征地拆迁滞后，顺延工期",
                        approved_on=dt.date(2020, 6, 1))
    factories.variation(contract_with_work, kind="duration", days=30, reason="雨季停工")  # not approved
    row = selectors.contracts_in_period(period=DEC).get()
    assert (row.duration_days, row.current_duration) == (365, 425)
    assert selectors.contracts_in_period(period=Period(2020, 5)).get().current_duration == 365
    html = leader_client.get(reverse("contracts:list"), {"year": 2020, "month": 12, "columns": ["title",
                             "current_duration"]}).content.decode()
    assert '<td class="num">425</td>' in html
