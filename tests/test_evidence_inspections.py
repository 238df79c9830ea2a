"""Inspections (issue 17): a finding closes only when an inspector of its inspection accepts the
photo of the fix; open and overdue findings by project and contractor; the month's 质量/安全
score suggestion next to the 流动红旗, which never changes the scorer's number."""
import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from evidence import services
from evidence.models import Finding, FindingStatus, InspectionKind, Severity
from portfolio.numbers import Period
from evidence.selectors import score_suggestions
from tests import factories
from tests.evidence_support import jpeg, media_root, upload  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(db):
    contractor = factories.organisation(name="岚峤测试建设有限公司")
    project = factories.project(name="星城二小", contractor=contractor)
    inspector = factories.staff("inspector")  # 录入员 of no project: the center's inspector
    clerk = factories.staff("clerk", projects=[project])
    inspection = services.inspection_create(
        project=project, kind=InspectionKind.SAFETY, inspected_on=dt.date(2020, 6, 3), inspectors=[inspector],
        findings=[{"description": "临边防护缺失", "severity": Severity.MAJOR, "deadline": dt.date(2020, 6, 10)},
                  {"description": "安全帽未佩戴", "severity": Severity.MINOR, "deadline": dt.date(2020, 7, 10)}])
    return {"project": project, "inspector": inspector, "clerk": clerk, "inspection": inspection,
            "findings": list(inspection.findings.order_by("deadline"))}


def test_a_finding_closes_only_with_evidence_accepted_by_an_inspector(setup):
    finding, inspector, clerk = setup["findings"][0], setup["inspector"], setup["clerk"]
    with pytest.raises(ValidationError, match="尚未提交整改照片"):
        services.finding_accept(finding=finding, user=inspector)
    with pytest.raises(PermissionDenied):  # the inspector is not the project's 录入员
        services.finding_submit_evidence(finding=finding, upload=upload(jpeg()), user=inspector)
    services.finding_submit_evidence(finding=finding, upload=upload(jpeg()), user=clerk)
    finding.refresh_from_db()
    assert finding.status == FindingStatus.SUBMITTED and finding.evidence.kind == "rectification"
    for someone in (clerk, factories.leader(), factories.staff("other")):
        with pytest.raises(PermissionDenied):
            services.finding_accept(finding=finding, user=someone)
    services.finding_accept(finding=finding, user=inspector, today=dt.date(2020, 6, 9))
    finding.refresh_from_db()
    assert (finding.status, finding.accepted_by, finding.closed_on) == (FindingStatus.CLOSED, inspector,
                                                                        dt.date(2020, 6, 9))


def test_the_database_refuses_a_closed_finding_without_accepted_evidence(setup):
    from django.db import IntegrityError, transaction

    finding = setup["findings"][1]
    with pytest.raises(IntegrityError), transaction.atomic():
        Finding.objects.filter(pk=finding.pk).update(status=FindingStatus.CLOSED)


def test_through_the_pages(client, setup):
    finding = setup["findings"][0]
    url = reverse("evidence:inspections") + "?year=2020&month=6"
    client.force_login(setup["clerk"])
    html = client.get(url).content.decode()
    assert "提交整改" in html and "验收销项" not in html
    client.post(reverse("evidence:finding_submit", args=[finding.pk]), {"photo": upload(b"not an image", "x.jpg")})
    finding.refresh_from_db()
    assert finding.status == FindingStatus.OPEN  # refused: not an image
    client.post(reverse("evidence:finding_submit", args=[finding.pk]), {"photo": upload(jpeg())})
    assert client.post(reverse("evidence:finding_accept", args=[finding.pk])).status_code == 403
    client.force_login(setup["inspector"])
    line = re.search(rf'<tr id="finding-{finding.pk}".*?</tr>', client.get(url).content.decode(), re.S).group(0)
    assert "验收销项" in line and "待验收" in line
    client.post(reverse("evidence:finding_accept", args=[finding.pk]))
    finding.refresh_from_db()
    assert finding.status == FindingStatus.CLOSED


def test_open_and_overdue_by_project_and_contractor(leader_client, setup, django_assert_max_num_queries):
    url = reverse("evidence:inspections") + "?year=2020&month=6"
    with django_assert_max_num_queries(15):
        html = leader_client.get(url).content.decode()
    by_project = html[html.index('id="by-project"'):html.index('id="by-contractor"')]
    assert re.search(r"星城二小</a></td><td class=\"num\">2</td><td class=\"num text-danger\">1</td>", by_project)
    by_contractor = html[html.index('id="by-contractor"'):]
    assert re.search(r"岚峤测试建设有限公司</td><td class=\"num\">2</td>", by_contractor)
    # on a phone the findings list scrolls sideways in its own box, its columns readable (app.css)
    assert re.search(r'<div class="table-responsive">\s*<table class="[^"]*\brecords\b[^"]*" id="findings">', html)


def test_score_suggestion_from_the_months_findings(admin_client_, setup):
    area = setup["project"].area
    # safety: 较重 5 + overdue at month end 5, 一般 2 → 88; quality untouched → 100
    suggestion = score_suggestions(period=Period(2020, 6))[area.pk]
    assert (suggestion["safety"], suggestion["quality"]) == (88, 100)
    html = admin_client_.get(reverse("evidence:inspections") + "?year=2020&month=6").content.decode()
    line = re.search(rf'<tr data-area="{area.name}">.*?</tr>', html, re.S).group(0)
    assert 'data-cell="safety">88<' in line and 'data-cell="quality">100<' in line


def test_the_scores_page_shows_the_suggestion_and_keeps_the_scorers_number(admin_client_, setup):
    area = setup["project"].area
    score = factories.monthly_score(year=2020, month=6, area=area, safety=95)
    html = admin_client_.get(reverse("records:scores") + "?year=2020&month=6").content.decode()
    block = html[html.index('id="evidence-suggestions"'):]
    assert re.search(rf'<tr data-area="{area.name}">.*?data-cell="safety">88<', block, re.S)
    score.refresh_from_db()
    assert score.safety == 95


def test_the_inspection_form_refuses_bad_input_with_messages(admin_client_, setup):
    url = reverse("evidence:inspection_add", args=[setup["project"].pk])
    response = admin_client_.post(url, {"kind": "quality", "inspected_on": "2020-06-01",
                                        "inspectors": ["9223372036854775808"], "description": "x"})
    html = response.content.decode()
    assert response.status_code == 400 and "请填写整改期限。" in html and "不在可用的选项中" in html
    response = admin_client_.post(url, {"kind": "safety", "inspected_on": "2020-06-05",
                                        "inspectors": [setup["inspector"].pk], "description": "脚手架连墙件不足",
                                        "severity": "major", "deadline": "2020-06-01"})
    assert response.status_code == 400 and "整改期限不能早于检查日期。" in response.content.decode()
    assert setup["project"].inspections.count() == 1


def test_only_an_inspector_sends_a_fix_back(setup):
    """Rejecting a fix follows the rule of accepting it (``_finding_for_inspector``): an inspector
    of the inspection, in Chinese to anyone else; the finding is open again."""
    finding, inspector, clerk = setup["findings"][0], setup["inspector"], setup["clerk"]
    with pytest.raises(ValidationError, match="该问题没有待验收的整改照片"):
        services.finding_reject(finding=finding, user=inspector)
    services.finding_submit_evidence(finding=finding, upload=upload(jpeg()), user=clerk)
    for someone in (clerk, factories.leader(), factories.staff("other")):
        with pytest.raises(PermissionDenied, match="只有该次检查的检查人才能验收整改"):
            services.finding_reject(finding=finding, user=someone)
    services.finding_reject(finding=finding, user=inspector)
    finding.refresh_from_db()
    assert finding.status == FindingStatus.OPEN
