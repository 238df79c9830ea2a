"""Hostile month uploads (issue 14): each attack of ``tests/hostile_uploads`` is refused with a
short Chinese message and saves nothing; the month's sheet is read by its name; a file with
more errors than the table lists says how many more; Excel's float noise is rounded to the
cent; a file's unreadable cells and its rule errors are reported in one pass."""
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from investment.models import MonthlyProgress
from tests import hostile_uploads as hostile
from tests.progress_support import MONTH, YEAR, world  # noqa: F401

BOMBS = {}  # the zip bombs take a second or two to build: once per session and attack


def template_bytes(client):
    response = client.get(reverse("investment:template", args=[YEAR, MONTH]))
    assert response.status_code == 200
    return response.content


def post(client, content, month=MONTH):
    return client.post(reverse("investment:upload", args=[YEAR, month]),
                       {"file": SimpleUploadedFile("progress.xlsx", content)})


@pytest.fixture
def base(client, world):
    """The south staff's template with a good amount in row 5 (that must never be saved)."""
    client.force_login(world.staff_s)
    return hostile.with_cell(template_bytes(client), "H5", "<v>10</v>")


@pytest.mark.parametrize("attack", list(hostile.ATTACKS))
def test_attack_is_refused_with_a_short_chinese_message(client, base, attack):
    build, expected = hostile.ATTACKS[attack]
    if attack in ("shared_strings_bomb", "lying_sizes"):
        content = BOMBS.setdefault(attack, build(base))  # the bomb does not depend on the codes
    else:
        content = build(base)
    response = post(client, content)
    if attack == "deep_nesting":  # nesting in a cell's text costs nothing: the file is read and saved
        assert response.status_code == 302
        assert MonthlyProgress.objects.get().completed == Decimal("10")
        return
    assert response.status_code == 200
    html = response.content.decode()
    assert len(response.content) < 30_000, len(response.content)
    if expected:
        assert expected in html, html[html.find("<main"):][:2000]
    assert 'class="alert alert-danger"' in html
    assert not MonthlyProgress.objects.exists()


def test_a_hundred_thousand_rows_get_one_message(client, base):
    response = post(client, hostile.hundred_thousand_rows(base))
    html = response.content.decode()
    assert html.count('class="alert alert-danger"') == 1 and "超过上限" in html
    assert 'id="upload-errors"' not in html and len(response.content) < 20_000


def test_the_month_sheet_is_read_by_name_not_a_hidden_first_sheet(client, world, base):
    wb = load_workbook(BytesIO(base))
    visible = wb[f"{YEAR}年{MONTH}月"]
    decoy = wb.copy_worksheet(visible)
    decoy.title = "Sheet1"
    decoy.sheet_state = "hidden"
    wb.move_sheet(decoy, offset=-wb.index(decoy))  # first, before the month and 填报说明
    assert wb.sheetnames[0] == "Sheet1"
    decoy["H5"] = 99999
    out = BytesIO()
    wb.save(out)
    response = post(client, out.getvalue())
    assert response.status_code == 302
    assert MonthlyProgress.objects.get().completed == Decimal("10")  # the visible sheet's value


def test_excel_float_noise_is_rounded_to_the_cent(client, world, base):
    content = hostile.with_cell(base, "H4", "<v>0.30000000000000004</v>")
    content = hostile.with_cell(content, "I4", "<v>33.333333333333336</v>")
    content = hostile.with_cell(content, "I5", "<v>1.0049999999999999</v>")  # 1.005 as a float
    response = post(client, content)
    assert response.status_code == 302, response.content.decode()[:3000]
    first = MonthlyProgress.objects.get(entry=world.s1)
    assert (first.completed, first.physical_percent) == (Decimal("0.30"), Decimal("33.33"))
    assert MonthlyProgress.objects.get(entry=world.s2).physical_percent == Decimal("1.01")


def test_unreadable_cells_and_rule_errors_are_reported_together(client, world, base):
    content = hostile.with_cell(base, "H4", "<v>-3</v>")  # a rule: negative
    content = hostile.with_cell(content, "I4", 't="inlineStr"><is><t>过半</t></is>')  # unreadable
    content = hostile.with_cell(content, "I5", "<v>120</v>")  # a rule: over 100
    content = hostile.with_cell(content, "H5", "<v>INF</v>")  # unreadable
    html = post(client, content).content.decode()
    table = html[html.index('id="upload-errors"'):]
    for text in ("本月完成投资不能为负数", "请输入数字，不能填写文字（“过半”）", "形象进度须在0到100之间",
                 "单元格中的数值“INF”无效"):
        assert text in table, text
    assert "请填写本月完成投资" not in table  # no second message for the unreadable cell
    assert "文件中有 4 处错误" in html
    assert not MonthlyProgress.objects.exists()


def test_more_errors_than_listed_says_how_many_more(client, base):
    rows = "".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>NOPE-{r}</t></is></c></row>'
                   for r in range(6, 56))  # 50 rows: an unknown code and no month, 2 errors each
    xml = hostile.sheet_xml(base).replace("</sheetData>", rows + "</sheetData>")
    html = post(client, hostile.with_sheet(base, xml)).content.decode()
    assert "文件中有 100 处错误" in html and "下表列出前 100 处" not in html
    rows = "".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>NOPE-{r}</t></is></c></row>'
                   for r in range(6, 56))
    xml = hostile.sheet_xml(hostile.with_cell(base, "H4", "<v>-1</v>")).replace("</sheetData>", rows + "</sheetData>")
    html = post(client, hostile.with_sheet(base, xml)).content.decode()
    assert "文件中有 101 处错误" in html and "下表列出前 100 处，另有 1 处未列出" in html
    assert html.count('<td class="num">') == 100


def test_a_row_past_the_month_s_need_is_refused(client, base):
    # 2 projects + a margin of 100 rows: data may reach row 3 + 102 = 105
    ok = hostile.with_cell(base, "A105", 't="inlineStr"><is><t>NOPE</t></is>')
    assert "项目代码“NOPE”不存在" in post(client, ok).content.decode()
    far = hostile.with_cell(base, "A106", 't="inlineStr"><is><t>NOPE</t></is>')
    assert "工作表第106行有内容" in post(client, far).content.decode()


@pytest.mark.parametrize("text", ["＝1+1", "＋1", "－1", "＠SUM(A1)", "=1+1"])
def test_full_width_formula_prefixes_are_escaped(text):
    from portfolio.exports import looks_like_formula
    assert looks_like_formula(text)
