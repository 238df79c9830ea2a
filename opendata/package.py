"""The OC4IDS project package of a year: the publishable projects of the year's plan, as of the
year's end (``portfolio.period``'s rule), one dict ready for ``json.dumps``.

Amounts in the product are 万元; OC4IDS amounts are yuan (``CNY``): × 10 000, exact since 万元 are
kept to two decimals. Dates are the day's start in the district's time zone (``+08:00``). Fields
with nothing to say are left out (OC4IDS asks that empty fields be omitted). What each product
value maps to is in ``opendata.codelists``; the data come from ``opendata.selectors`` in a fixed
number of queries.
"""
import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from portfolio.numbers import Period
from projects.codes import is_provisional
from projects.models import Phase

from . import codelists
from .selectors import PackageData, package_data

OC4IDS_VERSION = "0.9"
CURRENCY = "CNY"
NATIONAL_SCHEME = "全国投资项目在线审批监管平台项目代码"
PROVISIONAL_SCHEME = "临时项目代码（未赋码项目）"
CENTER_PARTY_ID = "center"


def publisher_name():
    return settings.OC4IDS_PUBLISHER


def project_id_prefix():
    return settings.OC4IDS_PREFIX


def package_uri(year, base_url=None):
    base = (base_url or settings.OPEN_DATA_BASE_URL).rstrip("/")
    return f"{base}{reverse('opendata:package')}?year={year}"


def yuan(amount_wan):
    """万元 → {"amount": yuan, "currency": "CNY"}; an int when whole (always, at two decimals)."""
    value = (Decimal(amount_wan) * 10000).quantize(Decimal("0.01"))
    return {"amount": int(value) if value == value.to_integral_value() else float(value), "currency": CURRENCY}


def day(date):
    """A date → the start of that day in the district's time zone, ISO 8601."""
    return dt.datetime.combine(date, dt.time(), tzinfo=timezone.get_default_timezone()).isoformat()


def build_package(year, *, uri=None, published_at=None, data=None):
    """The package of ``year``. ``data`` (``selectors.package_data``) may be given to reuse a read."""
    data = data or package_data(year=year)
    published_at = published_at or timezone.now()
    return {
        "version": OC4IDS_VERSION,
        "uri": uri or package_uri(year),
        "publishedDate": published_at.astimezone(timezone.get_default_timezone()).isoformat(timespec="seconds"),
        "publisher": {"name": publisher_name()},
        "projects": [project_dict(entry, data) for entry in data.entries],
    }


def project_dict(entry, data: PackageData):
    project = entry.project
    out = {
        "id": f"{project_id_prefix()}{project.code}",
        "identifiers": [{"id": project.code,
                         "scheme": PROVISIONAL_SCHEME if is_provisional(project.code) else NATIONAL_SCHEME}],
        "title": project.name,
    }
    if project.description.strip():
        out["description"] = project.description.strip()
    out["status"] = codelists.project_status(entry.current_phase, entry.current_category)
    out["type"] = codelists.project_type(project.name)
    if project.kind in codelists.KIND_SECTOR:
        out["sector"] = [codelists.KIND_SECTOR[project.kind]]
    out["locations"] = [{"id": "1", "description": f"{settings.OPEN_DATA_LOCALITY} {project.area.name}",
                         "address": {"locality": settings.OPEN_DATA_LOCALITY, "countryName": "中国"}}]
    period = {}
    if project.planned_start:
        period["startDate"] = day(project.planned_start)
    if project.planned_finish:
        period["endDate"] = day(project.planned_finish)
    if period:
        out["period"] = period
    budget = {"amount": yuan(project.total_investment),
              "description": f"总投资 {project.total_investment} 万元；{entry.plan.year}年度计划投资 {entry.target} 万元"}
    if entry.plan.approved_on:
        budget["approvalDate"] = day(entry.plan.approved_on)
    fundings = data.fundings.get(project.pk, [])
    if fundings:
        budget["budgetBreakdowns"] = [{
            "id": "higher-level-funding",
            "description": "争取的上级资金（已到位）",
            "budgetBreakdown": [
                {"id": f"funding-{f.pk}", "amount": yuan(f.amount),
                 "description": "；".join(x for x in (f.get_source_display(), f.note, f"{f.received_on:%Y-%m-%d}到位") if x)}
                for f in fundings],
        }]
    out["budget"] = budget
    parties = _parties(project, data)
    if project.owner_unit_id:
        out["publicAuthority"] = {"id": _org_id(project.owner_unit_id), "name": project.owner_unit.name}
    out["parties"] = parties
    processes = _contracting_processes(project, data)
    if processes:
        out["contractingProcesses"] = processes
    metrics = _metrics(project, data)
    if metrics:
        out["metrics"] = metrics
    completion = _completion(project, entry, data)
    if completion:
        out["completion"] = completion
    return out


def _org_id(pk):
    return f"org-{pk}"


def _parties(project, data):
    """The owner unit, the center, and every firm that won a tender or signed a contract of the
    project, each once, with all its roles."""
    parties = {}

    def add(party_id, name, roles):
        party = parties.setdefault(party_id, {"id": party_id, "name": name, "roles": []})
        party["roles"] += [r for r in roles if r not in party["roles"]]

    if project.owner_unit_id:
        add(_org_id(project.owner_unit_id), project.owner_unit.name, codelists.OWNER_ROLES)
    add(CENTER_PARTY_ID, publisher_name(), codelists.CENTER_ROLES)
    for tender in data.tenders.get(project.pk, []):
        if tender.winner_id:
            add(_org_id(tender.winner_id), tender.winner.name, codelists.SUPPLIER_ROLES)
    for contract in data.contracts.get(project.pk, []):
        add(_org_id(contract.firm_id), contract.firm.name, codelists.SUPPLIER_ROLES)
    for firm in (project.contractor, project.supervisor):
        if firm is not None:
            add(_org_id(firm.pk), firm.name, codelists.SUPPLIER_ROLES)
    return list(parties.values())


def _contracting_processes(project, data):
    """One process per tender with the contracts it awarded; one per contract signed without a
    tender (直接委托)."""
    contracts = data.contracts.get(project.pk, [])
    by_tender = {}
    for contract in contracts:
        by_tender.setdefault(contract.tender_id, []).append(contract)
    processes = []
    for tender in data.tenders.get(project.pk, []):
        processes.append(_process(f"tender-{tender.pk}", tender, by_tender.get(tender.pk, [])))
    for contract in by_tender.get(None, []):
        processes.append(_process(f"contract-{contract.pk}", None, [contract]))
    return processes


def _process(process_id, tender, contracts):
    summary = {"title": tender.title if tender else contracts[0].title}
    nature = None
    if contracts:
        nature = codelists.CONTRACT_NATURE.get(contracts[0].kind)
    elif tender:
        nature = codelists.TENDER_NATURE.get(tender.kind)
    if nature:
        summary["nature"] = [nature]
    scopes = [c.scope.strip() for c in contracts if c.scope.strip()]
    if scopes:
        summary["description"] = "；".join(scopes)
    if contracts:
        summary["status"] = "closed" if all(c.settled_amount is not None for c in contracts) else "active"
    else:
        summary["status"] = "active" if tender.winner_id else "pre-award"
    centre = {"id": CENTER_PARTY_ID, "name": publisher_name()}
    if tender:
        tender_part = {"procurementMethod": "open", "procurementMethodDetails": "公开招标",
                       "procuringEntity": centre, "administrativeEntity": centre}
        if tender.published_on:
            tender_part["datePublished"] = day(tender.published_on)
    else:
        tender_part = {"procurementMethod": "direct", "procurementMethodDetails": "直接委托",
                       "procuringEntity": centre, "administrativeEntity": centre}
    summary["tender"] = tender_part
    suppliers = {}
    if tender and tender.winner_id:
        suppliers[tender.winner_id] = tender.winner.name
    for contract in contracts:
        suppliers[contract.firm_id] = contract.firm.name
    if suppliers:
        summary["suppliers"] = [{"id": _org_id(pk), "name": name} for pk, name in suppliers.items()]
    if contracts:
        summary["contractValue"] = yuan(sum((c.price for c in contracts), Decimal(0)))
        first = min(contracts, key=lambda c: c.signed_on)
        period = {"startDate": day(first.signed_on)}
        if first.duration_days:
            period["durationInDays"] = first.duration_days
            period["endDate"] = day(first.signed_on + dt.timedelta(days=first.duration_days))
        summary["contractPeriod"] = period
        finals = [c.audited_amount if c.audited_amount is not None else c.settled_amount for c in contracts]
        if all(f is not None for f in finals):
            summary["finalValue"] = yuan(sum(finals, Decimal(0)))
        modifications = [m for c in contracts for m in _modifications(c)]
        if modifications:
            summary["modifications"] = modifications
        transactions = [{"id": f"payment-{p.pk}", "date": day(p.paid_on), "value": yuan(p.amount),
                         "payer": centre, "payee": {"id": _org_id(c.firm_id), "name": c.firm.name}}
                        for c in contracts for p in c.payments.all()]
        if transactions:
            summary["transactions"] = transactions
    elif tender and tender.amount is not None:
        summary["contractValue"] = yuan(tender.amount)
    return {"id": process_id, "summary": summary}


def _modifications(contract):
    """The contract's approved variations in order, with the price before and after each."""
    price = contract.price
    out = []
    for variation in contract.variations.all():  # approved by the year's end (selectors)
        item = {
            "id": f"variation-{variation.pk}",
            "date": day(variation.approved_on),
            "description": f"{contract.title}：{variation.get_kind_display()}",
            "rationale": variation.reason,
            "type": codelists.MODIFICATION_TYPE[variation.kind],
        }
        if variation.amount:
            item["oldContractValue"] = yuan(price)
            price += variation.amount
            item["newContractValue"] = yuan(price)
        if variation.days:
            item["description"] += f"，工期{'延长' if variation.days > 0 else '缩短'}{abs(variation.days)}天"
        out.append(item)
    return out


def _metrics(project, data):
    """财务进度: cumulative completed investment (all years the system holds) at each month's end, in yuan; 形象进度:
    the percent entered for the month, where there is one."""
    rows = data.progress.get(project.pk, [])
    financial, physical = [], []
    total = Decimal(0)
    for year, month, completed, percent in rows:
        total += completed
        end = day(Period(year, month).end)
        financial.append({"id": f"{year}-{month:02d}", "period": {"startDate": end, "endDate": end},
                          "value": yuan(total), "notes": f"截至{year}年{month}月末系统内月报累计完成投资 {total} 万元"})
        if percent is not None:
            physical.append({"id": f"{year}-{month:02d}", "period": {"startDate": end, "endDate": end},
                             "measure": float(percent),
                             "unit": {"name": "percent", "id": "P1", "scheme": "UNCEFACT"}})
    metrics = []
    if financial:
        metrics.append({"id": "financialProgress", "title": "财务进度（累计完成投资）", "observations": financial})
    if physical:
        metrics.append({"id": "physicalProgress", "title": "形象进度（%）", "observations": physical})
    return metrics


def _completion(project, entry, data):
    if (entry.current_phase not in (Phase.COMPLETED, Phase.DELIVERED) or not project.actual_finish
            or project.actual_finish > data.as_of):
        return None
    completion = {"endDate": day(project.actual_finish)}
    if project.planned_finish and project.actual_finish != project.planned_finish:
        late = (project.actual_finish - project.planned_finish).days
        completion["endDateDetails"] = (f"较计划完工日期推迟{late}天" if late > 0 else f"较计划完工日期提前{-late}天")
    if entry.current_phase == Phase.DELIVERED:
        total = sum((row[2] for row in data.progress.get(project.pk, [])), Decimal(0))
        completion["finalValue"] = yuan(total)
        completion["finalValueDetails"] = "交付时系统内月报累计完成投资（调度口径）；结算审计后以审计金额为准"
    return completion
