"""The OC4IDS package (opendata.package): its structure on the 2020 data set, the codelist
mappings, what is published, and the pages and command that serve it."""
import csv
import datetime as dt
import json
from copy import deepcopy
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db.models import Sum
from django.urls import reverse

from contracts.models import Contract, ContractKind, Variation, VariationKind
from investment.models import FundingSource, MonthlyProgress
from opendata import codelists, cost_ids
from opendata import demo as opendata_demo
from opendata.models import Publication
from opendata.package import build_package
from opendata.validation import CODELIST_DIR
from portfolio.history import project_history
from procurement.models import TenderKind
from projects.models import Phase, PlanCategory, Project, ProjectKind
from tests import factories
from tests.opendata_support import no_network  # noqa: F401 (fixture)

PUBLISHED_AT = dt.datetime(2021, 1, 5, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
_BUILT = {}


@pytest.fixture
def package_2020(demo_2020):
    """The 2020 package of the demo (every 2020 plan project publishable), built once per module."""
    opendata_demo.load()
    if "package" not in _BUILT:
        _BUILT["package"] = build_package(2020, published_at=PUBLISHED_AT)
    return deepcopy(_BUILT["package"])


def by_title(package, title):
    return next(p for p in package["projects"] if p["title"] == title)


def codes(codelist):
    with open(CODELIST_DIR / codelist, encoding="utf-8") as handle:
        return {row["Code"] for row in csv.DictReader(handle)}


# --- structure on the 2020 data set --------------------------------------------------------------

def test_the_package_names_version_publisher_and_the_48_projects_of_the_2020_plan(package_2020):
    assert package_2020["version"] == "0.9"
    assert package_2020["uri"] == "http://127.0.0.1:8000/open-data/oc4ids.json?year=2020"
    assert package_2020["publishedDate"] == "2021-01-05T09:00:00+08:00"
    assert package_2020["publisher"] == {"name": "望城区重点建设项目事务中心"}
    projects = package_2020["projects"]
    assert len(projects) == 48  # 45 in the plan + 3 计划外
    first = projects[0]
    assert first["id"] == "oc4ids-xxxxxx-" + first["identifiers"][0]["id"]
    assert first["identifiers"][0]["scheme"] == "全国投资项目在线审批监管平台项目代码"
    assert len({p["id"] for p in projects}) == 48


def test_a_delivered_school_with_its_budget_parties_contracts_and_completion(package_2020):
    school = by_title(package_2020, "区委党校（雷锋学院）")
    project = Project.objects.get(name="区委党校（雷锋学院）")
    assert school["identifiers"][0]["id"] == project.code
    assert school["status"] == "completion"  # 交付 by the end of 2020
    assert school["budget"]["amount"] == {"amount": 252431700, "currency": "CNY"}  # 25,243.17 万元
    assert school["budget"]["approvalDate"] == "2020-02-10T00:00:00+08:00"  # the 2020 plan's date
    assert school["period"] == {"startDate": "2019-03-01T00:00:00+08:00", "endDate": "2020-08-18T00:00:00+08:00"}
    roles = {p["name"]: p["roles"] for p in school["parties"]}
    assert roles[project.owner_unit.name] == ["publicAuthority", "buyer"]
    assert roles["望城区重点建设项目事务中心"] == ["procuringEntity", "administrativeEntity"]
    assert roles[project.contractor.name] == ["supplier"]
    assert school["publicAuthority"]["name"] == project.owner_unit.name
    construction = next(c["summary"] for c in school["contractingProcesses"] if c["summary"].get("nature") == ["construction"])
    contract = Contract.objects.get(project=project, kind=ContractKind.CONSTRUCTION)
    assert construction["contractValue"] == {"amount": int(contract.price * 10000), "currency": "CNY"}
    assert construction["suppliers"] == [{"id": f"org-{contract.firm_id}", "name": contract.firm.name}]
    assert construction["status"] == "closed"  # settled
    assert construction["finalValue"]["amount"] == int(contract.audited_amount * 10000)
    assert school["completion"]["endDate"] == "2020-08-28T00:00:00+08:00"
    assert school["completion"]["endDateDetails"] == "较计划完工日期推迟10天"


def test_approved_variations_are_the_contracts_modifications(package_2020):
    variation = (Variation.objects.filter(approved_on__year=2020, amount__gt=0).select_related("contract__project")
                 .order_by("id").first())
    project = by_title(package_2020, variation.contract.project.name)
    modifications = [m for c in project["contractingProcesses"] for m in c["summary"].get("modifications", [])]
    item = next(m for m in modifications if m["id"] == f"variation-{variation.pk}")
    assert item["rationale"] == variation.reason
    assert item["type"] == "value"
    assert item["newContractValue"]["amount"] - item["oldContractValue"]["amount"] == int(variation.amount * 10000)
    unapproved = Variation.objects.filter(approved_on__isnull=True).values_list("pk", flat=True)
    every = {m["id"] for p in package_2020["projects"] for c in p.get("contractingProcesses", [])
             for m in c["summary"].get("modifications", [])}
    assert unapproved and not every & {f"variation-{pk}" for pk in unapproved}


def test_monthly_progress_is_a_cumulative_metric_per_month(package_2020):
    project = Project.objects.get(name="区委党校（雷锋学院）")
    metric = next(m for m in by_title(package_2020, project.name)["metrics"] if m["id"] == "financialProgress")
    last = metric["observations"][-1]
    total = MonthlyProgress.objects.filter(entry__project=project, entry__plan__year__lte=2020).aggregate(
        s=Sum("completed"))["s"]
    assert last["value"] == {"amount": int(total * 10000), "currency": "CNY"}
    june = next(o for o in metric["observations"] if o["id"] == "2020-06")
    to_june = MonthlyProgress.objects.filter(entry__project=project).filter(
        entry__plan__year__lt=2020).aggregate(s=Sum("completed"))["s"] + MonthlyProgress.objects.filter(
        entry__project=project, entry__plan__year=2020, month__lte=6).aggregate(s=Sum("completed"))["s"]
    assert june["value"]["amount"] == int(to_june * 10000)
    assert june["period"]["endDate"] == "2020-06-30T00:00:00+08:00"


def test_statuses_of_the_2020_package_follow_the_phases_at_the_years_end(package_2020):
    statuses = [p["status"] for p in package_2020["projects"]]
    assert set(statuses) <= codes("projectStatus.csv")
    assert statuses.count("completion") == 9
    assert statuses.count("identification") == 1  # the one 储备 project


# --- codelist mapping ------------------------------------------------------------------------------

def test_every_mapped_code_is_in_the_releases_codelist():
    assert {codelists.project_status(p) for p in Phase.values} <= codes("projectStatus.csv")
    assert codelists.project_status(Phase.PRELIMINARY, PlanCategory.RESERVE) == "identification"
    assert codelists.project_status(Phase.PRELIMINARY, PlanCategory.NEW) == "preparation"
    assert codelists.project_status(Phase.CONSTRUCTION) == "implementation"
    assert codelists.project_status(Phase.DELIVERED) == "completion"
    assert set(codelists.KIND_SECTOR.values()) <= codes("projectSector.csv")
    assert codelists.project_type("乔口大道提质改造") == "rehabilitation"
    assert codelists.project_type("区一中改扩建") == "expansion"
    assert codelists.project_type("金坪路") == "construction"
    assert {codelists.project_type(n) for n in ("a", "改造", "拓宽")} <= codes("projectType.csv")
    roles = codes("partyRole.csv")
    assert set(codelists.OWNER_ROLES + codelists.CENTER_ROLES + codelists.SUPPLIER_ROLES) <= roles
    assert set(codelists.CONTRACT_NATURE.values()) | set(codelists.TENDER_NATURE.values()) <= codes("contractNature.csv")
    assert set(codelists.MODIFICATION_TYPE.values()) <= codes("modificationType.csv")
    assert set(codelists.MODIFICATION_TYPE) == set(VariationKind.values)


# --- what is published ----------------------------------------------------------------------------

@pytest.fixture
def small_year(db):
    """Two projects of the 2020 plan: one publishable with a tender, its contract, an approved and an
    unapproved variation and a direct supervision contract; one not publishable."""
    plan = factories.plan(2020, approved_on=dt.date(2020, 2, 10))
    road = factories.project(name="示例路", kind=ProjectKind.ROAD, total_investment=Decimal("1234.56"),
                             phase=Phase.CONSTRUCTION)
    factories.phase_transition(road, from_phase=Phase.PRELIMINARY, to_phase=Phase.CONSTRUCTION,
                               occurred_on=dt.date(2020, 3, 1))
    hidden = factories.project(name="不公开的路", kind=ProjectKind.ROAD)
    factories.plan_entry(road, plan=plan, target=Decimal("500"))
    factories.plan_entry(hidden, plan=plan, target=Decimal("300"))
    tender = factories.tender(road, kind=TenderKind.CONSTRUCTION, published_on=dt.date(2020, 1, 10),
                              bid_opened_on=dt.date(2020, 2, 1), winner=factories.organisation(), amount=Decimal("900"))
    contract = factories.contract(road, tender=tender, firm=tender.winner, price=Decimal("900"), duration_days=300)
    factories.payment(contract, work_completed=Decimal("300"), amount=Decimal("240"), paid_on=dt.date(2020, 6, 25))
    factories.payment(contract, work_completed=Decimal("500"), amount=Decimal("160"), paid_on=dt.date(2021, 1, 25))
    factories.variation(contract, kind=VariationKind.DESIGN_CHANGE, amount=Decimal("27.5"), reason="地质条件变化，桩长增加",
                        requested_on=dt.date(2020, 5, 1), approved_on=dt.date(2020, 5, 20))
    factories.variation(contract, kind=VariationKind.SCOPE, amount=Decimal("10"), reason="增加人行道",
                        requested_on=dt.date(2020, 11, 1))
    factories.contract(road, kind=ContractKind.SUPERVISION, title="示例路监理合同", price=Decimal("30"))
    factories.funding(road, source=FundingSource.SPECIAL_BOND, amount=Decimal("200"), received_on=dt.date(2020, 4, 15),
                      note="2020年新增专项债券")
    factories.funding(road, source=FundingSource.CENTRAL_BUDGET, amount=Decimal("50"), received_on=dt.date(2021, 1, 5))
    Publication.objects.create(project=road, publishable=True)
    Publication.objects.create(project=hidden, publishable=False)
    return road, hidden


def test_only_projects_marked_publishable_are_exported(small_year):
    road, hidden = small_year
    package = build_package(2020)
    assert [p["title"] for p in package["projects"]] == ["示例路"]
    Publication.objects.filter(project=road).delete()  # no row: not published either
    assert build_package(2020)["projects"] == []


def test_contracting_processes_of_a_tender_and_of_a_direct_contract(small_year):
    road, _ = small_year
    project = build_package(2020)["projects"][0]
    assert project["status"] == "implementation"
    assert project["sector"] == ["transport.road"]
    assert project["budget"]["amount"] == {"amount": 12345600, "currency": "CNY"}
    (funding,) = project["budget"]["budgetBreakdowns"][0]["budgetBreakdown"]  # 2021's is after the year's end
    assert funding["amount"] == {"amount": 2000000, "currency": "CNY"}
    assert funding["description"] == "专项债；2020年新增专项债券；2020-04-15到位"
    tendered, direct = project["contractingProcesses"]
    assert tendered["summary"]["tender"]["procurementMethod"] == "open"
    assert tendered["summary"]["status"] == "active"
    assert tendered["summary"]["contractPeriod"]["durationInDays"] == 300
    (modification,) = tendered["summary"]["modifications"]  # the unapproved scope change is not in it
    assert modification["rationale"] == "地质条件变化，桩长增加"
    assert modification["oldContractValue"]["amount"] == 9000000
    assert modification["newContractValue"]["amount"] == 9275000
    (payment,) = tendered["summary"]["transactions"]  # January 2021's is after the year's end
    assert payment["value"] == {"amount": 2400000, "currency": "CNY"}
    assert payment["date"] == "2020-06-25T00:00:00+08:00"
    assert payment["payer"]["name"] == "望城区重点建设项目事务中心"
    assert direct["summary"]["tender"]["procurementMethod"] == "direct"
    assert direct["summary"]["nature"] == ["supervision"]
    assert direct["summary"]["title"] == "示例路监理合同"


# --- pages -----------------------------------------------------------------------------------------

def test_the_json_view_serves_the_package_in_bounded_queries(package_2020, leader_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        response = leader_client.get(reverse("opendata:package"), {"year": 2020})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    served = json.loads(response.content)
    assert served["uri"] == "http://testserver/open-data/oc4ids.json?year=2020"
    assert [p["id"] for p in served["projects"]] == [p["id"] for p in package_2020["projects"]]
    download = leader_client.get(reverse("opendata:package"), {"year": 2020, "download": 1})
    assert download["Content-Disposition"] == (
        'attachment; filename="oc4ids-2020.json"; filename*=UTF-8\'\'oc4ids-2020.json')


def test_the_json_view_refuses_a_year_without_a_plan_in_chinese(leader_client, package_2020):
    response = leader_client.get(reverse("opendata:package"), {"year": "1999"})
    assert response.status_code == 404
    assert json.loads(response.content)["error"] == "没有“1999”年度的计划，可选年度：2020、2019。"


def test_open_data_needs_a_login_unless_the_setting_opens_it(client, small_year, settings,
                                                             django_assert_max_num_queries):
    assert client.get(reverse("opendata:package")).status_code == 302
    settings.OPEN_DATA_PUBLIC = True
    cache.clear()
    response = client.get(reverse("opendata:package"), {"year": 2020})
    assert [p["title"] for p in json.loads(response.content)["projects"]] == ["示例路"]
    with django_assert_max_num_queries(1):  # the year check; the package comes from the cache
        again = client.get(reverse("opendata:package"), {"year": 2020})
    assert again.content == response.content
    cache.clear()
    assert client.get(reverse("opendata:publish")).status_code == 302  # the choice stays behind the login


def test_the_coverage_page_counts_each_cost_ids_item_in_bounded_queries(package_2020, leader_client,
                                                                        django_assert_max_num_queries):
    with django_assert_max_num_queries(13):
        response = leader_client.get(reverse("opendata:coverage"), {"year": 2020})
    html = response.content.decode()
    rows, counts = cost_ids.coverage(package_2020)
    assert counts["name"] == 48 and counts["completion_date"] == 9 and counts["environment"] == 0
    assert counts["funding"] == 4  # the four projects with 上级资金 in 2020
    variations = sum(1 for p in package_2020["projects"]
                     if any(m.get("type") == "value" for c in p.get("contractingProcesses", [])
                            for m in c["summary"].get("modifications", [])))
    assert counts["price_variation"] == variations > 0
    assert '<tr data-item="price_variation">' in html
    row = html.split('<tr data-item="price_variation">')[1].split("</tr>")[0]
    assert "合同价变更" in row and "Variation to contract price" in row and f">{variations}/48<" in row
    assert 'href="/open-data/oc4ids.json?year=2020&amp;download=1"' in html
    school = html.split('data-code="2018-430112-47-01-100037"')[1].split("</tr>")[0]
    assert "区委党校（雷锋学院）" in school
    assert '<td title="completion">完工交付</td>' in school  # handed over in 2020; the code in the tooltip only
    assert f">{next(r.count for r in rows if r.title == '区委党校（雷锋学院）')}/{len(cost_ids.ITEMS)}<" in school


def test_cost_ids_items_have_chinese_and_english_names():
    keys = [item.key for item in cost_ids.ITEMS]
    assert len(keys) == len(set(keys))
    assert {"owner", "location", "purpose", "budget", "contract_price", "price_variation", "completion_date"} <= set(keys)
    assert all(item.name and item.name_en and item.where for item in cost_ids.ITEMS)


def test_an_administrator_chooses_what_is_published(small_year, admin_client_):
    road, hidden = small_year
    url = reverse("opendata:publish") + "?year=2020"
    page = admin_client_.get(url).content.decode()
    assert f'value="{road.pk}" id="pub-{road.pk}" checked' in page
    assert f'value="{hidden.pk}" id="pub-{hidden.pk}">' in page
    response = admin_client_.post(url, {"listed": [road.pk, hidden.pk], "publishable": [hidden.pk]}, follow=True)
    assert "已保存：2个项目的发布设置有变化。" in response.content.decode()
    assert dict(Publication.objects.values_list("project__name", "publishable")) == {"示例路": False, "不公开的路": True}
    assert Publication.objects.get(project=hidden).changed_by.username == "admin1"
    changes = [c for c in project_history(project=hidden) if c.record == "开放数据发布"]
    assert changes, "the choice is in the project's change history"


def test_a_crafted_publication_post_saves_nothing(small_year, admin_client_):
    road, hidden = small_year
    url = reverse("opendata:publish") + "?year=2020"
    response = admin_client_.post(url, {"listed": [road.pk], "publishable": [hidden.pk]}, follow=True)
    assert "所选项目不在本页列出的项目中，请刷新页面后重试。" in response.content.decode()
    response = admin_client_.post(url, {"listed": ["x"], "publishable": []}, follow=True)
    assert "提交的项目编号无效，请刷新页面后重试。" in response.content.decode()
    assert dict(Publication.objects.values_list("project__name", "publishable")) == {"示例路": True, "不公开的路": False}


def test_leaders_may_not_choose_what_is_published(small_year, leader_client):
    road, hidden = small_year
    url = reverse("opendata:publish") + "?year=2020"
    assert leader_client.get(url).status_code == 403
    assert leader_client.post(url, {"listed": [hidden.pk], "publishable": [hidden.pk]}).status_code == 403
    assert not Publication.objects.get(project=hidden).publishable


# --- the command -------------------------------------------------------------------------------------

def test_the_command_writes_the_package_and_validates_it(small_year, tmp_path, capsys, no_network):
    out = tmp_path / "oc4ids-2020.json"
    call_command("export_oc4ids", "2020", "-o", str(out), "--validate")
    written = json.loads(out.read_text(encoding="utf-8"))
    assert [p["title"] for p in written["projects"]] == ["示例路"]
    assert "校验（OC4IDS 0.9.5，离线）：0 个错误，0 个提示" in capsys.readouterr().err


def test_the_command_exits_non_zero_when_the_package_has_errors(small_year, tmp_path, capsys, no_network):
    broken = build_package(2020)
    broken["projects"][0]["status"] = "在建"
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(SystemExit) as exit_:
        call_command("export_oc4ids", "2020", "--validate", "--package", str(path))
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert "第1个项目（" in err and "示例路）：状态（status） — 取值“在建”不在封闭代码表 projectStatus.csv 中" in err
    assert "1 个错误" in err


def test_the_coverage_page_opens_without_login_when_open_data_is_public(client, small_year, settings):
    assert client.get(reverse("opendata:coverage")).status_code == 302
    settings.OPEN_DATA_PUBLIC = True
    html = client.get(reverse("opendata:coverage"), {"year": 2020}).content.decode()
    assert "示例路" in html and "不公开的路" not in html
    assert "设置发布项目" not in html  # the administrator's link


def test_an_unregistered_prefix_is_written_but_fails_validation(small_year, tmp_path, capsys, settings, no_network):
    settings.OC4IDS_PREFIX = "wangcheng-"
    out = tmp_path / "oc4ids-2020.json"
    with pytest.raises(SystemExit) as exit_:
        call_command("export_oc4ids", "2020", "-o", str(out), "--validate")
    assert exit_.value.code == 1
    assert json.loads(out.read_text(encoding="utf-8"))["projects"][0]["id"].startswith("wangcheng-")
    err = capsys.readouterr().err
    assert "：标识（id） — 项目标识“wangcheng-" in err and "没有可识别的发布者前缀" in err


def test_the_command_refuses_a_year_without_a_plan(small_year):
    with pytest.raises(CommandError, match="没有1999年度的计划，可选年度：2020。"):
        call_command("export_oc4ids", "1999")


def test_the_coverage_page_validates_the_package_on_request(package_2020, leader_client, no_network):
    page = leader_client.get(reverse("opendata:coverage"), {"year": 2020}).content.decode()
    assert 'href="?year=2020&amp;validate=1"' in page and 'id="validation-result"' not in page
    page = leader_client.get(reverse("opendata:coverage"), {"year": 2020, "validate": 1}).content.decode()
    result = page.split('id="validation-result">')[1].split("</div>")[0]
    assert "离线校验（OC4IDS 0.9.5，仓库内的模式和代码表）：0 个错误，0 个提示" in result


def test_the_coverage_page_shows_validation_errors_in_chinese(small_year, leader_client, settings, no_network):
    settings.OC4IDS_PREFIX = "wangcheng-"
    page = leader_client.get(reverse("opendata:coverage"), {"year": 2020, "validate": 1}).content.decode()
    result = page.split('id="validation-result">')[1].split("</div>")[0]
    assert "1 个错误，0 个提示" in result
    assert "错误：第1个项目（" in result and "示例路）：标识（id） — 项目标识“wangcheng-" in result
