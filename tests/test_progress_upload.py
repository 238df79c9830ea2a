"""The month's Excel template and its upload: the template's locks, validation and instructions;
a good file is saved in one go and a second upload changes nothing; every kind of bad file is
refused with a Chinese row/column/message table and saves nothing."""
import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from investment import exports
from investment.models import MonthlyProgress
from tests import factories
from tests.progress_support import MONTH, YEAR, world  # noqa: F401

COL = exports.COLUMN_INDEX
FIRST = exports.FIRST_DATA_ROW


def template(client, year=YEAR, month=MONTH):
    response = client.get(reverse("investment:template", args=[year, month]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(BytesIO(response.content))


def row_of(ws, code):
    for r in range(FIRST, ws.max_row + 1):
        if ws.cell(r, COL["code"]).value == code:
            return r
    raise AssertionError(f"{code} not in template")


def upload(client, wb_or_bytes, year=YEAR, month=MONTH, name="progress.xlsx"):
    if isinstance(wb_or_bytes, bytes):
        content = wb_or_bytes
    else:
        out = BytesIO()
        wb_or_bytes.save(out)
        content = out.getvalue()
    return client.post(reverse("investment:upload", args=[year, month]),
                       {"file": SimpleUploadedFile(name, content)})


def error_table(response):
    """The (row, column, message) lines of the error table, as text."""
    html = response.content.decode()
    assert 'id="upload-errors"' in html, html[html.find("<main"):][:3000]
    table = html[html.index('id="upload-errors"'):]
    return table[:table.index("</table>")]


def fill(ws, code, completed=None, percent=None, progress=None, problems=None):
    r = row_of(ws, code)
    for key, value in (("completed", completed), ("physical_percent", percent),
                       ("physical_progress", progress), ("problems", problems)):
        if value is not None:
            ws.cell(r, COL[key]).value = value
    return r


# --- the template -----------------------------------------------------------------------------

def test_template_has_the_users_projects_locked_and_validated(client, world):
    factories.progress(world.s1, MONTH, "12.5", physical_percent=Decimal("30"), problems="=HYPERLINK(\"x\")")
    client.force_login(world.staff_s)
    wb = template(client)
    ws = wb.worksheets[0]
    assert "2020年6月" in ws.cell(exports.TITLE_ROW, 1).value
    assert ws.cell(exports.NOTE_ROW, 1).value.startswith("只填写浅黄色列")
    assert [ws.cell(exports.HEADER_ROW, i).value for i in range(1, 6)] == ["项目代码", "项目名称", "片区", "年度", "月份"]
    codes = {ws.cell(r, COL["code"]).value for r in range(FIRST, ws.max_row + 1)}
    assert codes == {world.s1.project.code, world.s2.project.code}  # not 北片's project
    assert ws.protection.sheet
    r = row_of(ws, world.s1.project.code)
    assert ws.cell(r, COL["code"]).protection.locked and ws.cell(r, COL["name"]).protection.locked
    for key in exports.INPUT_KEYS:
        assert not ws.cell(r, COL[key]).protection.locked, key
    assert ws.cell(r, COL["completed"]).value == 12.5 and ws.cell(r, COL["physical_percent"]).value == 30
    # a text that looks like a formula stays text
    problems = ws.cell(r, COL["problems"])
    assert problems.data_type == "s" and problems.value == '=HYPERLINK("x")'
    validations = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    amount = validations[f"H{FIRST}:H{FIRST + 1}"]
    assert amount.type == "decimal" and amount.operator == "greaterThanOrEqual" and amount.formula1 == "0"
    percent = validations[f"I{FIRST}:I{FIRST + 1}"]
    assert (percent.formula1, percent.formula2) == ("0", "100")
    assert ws.column_dimensions["L"].hidden and ws.column_dimensions["M"].hidden


def test_template_is_named_after_area_and_month(client, world):
    from urllib.parse import quote

    client.force_login(world.staff_s)
    response = client.get(reverse("investment:template", args=[2020, 12]))
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="progress-2020-12.xlsx"')  # old clients
    assert f"filename*=UTF-8''{quote('南片_2020年12月_月度进度填报.xlsx')}" in disposition
    client.force_login(world.admin)
    disposition = client.get(reverse("investment:template", args=[2020, 12]))["Content-Disposition"]
    assert f"filename*=UTF-8''{quote('全区_2020年12月_月度进度填报.xlsx')}" in disposition


def test_template_hides_and_locks_its_technical_columns_and_explains_itself(client, world):
    factories.progress(world.s1, MONTH, "12.5", updated_by=world.staff_s)
    client.force_login(world.staff_s)
    wb = template(client)
    assert wb.sheetnames == ["2020年6月", "填报说明"]
    ws = wb["2020年6月"]
    assert ws.protection.sheet and not ws.protection.password  # protected, no password needed
    r = row_of(ws, world.s1.project.code)
    for key, title in (("version", "版本"), ("fingerprint", "校验码")):
        letter = ws.cell(exports.HEADER_ROW, COL[key]).column_letter
        assert ws.cell(exports.HEADER_ROW, COL[key]).value == title
        assert ws.column_dimensions[letter].hidden, title
        assert ws.cell(r, COL[key]).protection.locked, title
    assert ws.cell(r, COL["version"]).value == 1 and len(ws.cell(r, COL["fingerprint"]).value) == 16
    locked = {key for key, *_rest in exports.COLUMNS if ws.cell(r, COL[key]).protection.locked}
    assert locked == set(COL) - set(exports.INPUT_KEYS)  # only the four input cells are unlocked
    text = "\n".join(str(c.value) for row in wb["填报说明"].iter_rows() for c in row if c.value)
    for phrase in ("南片2020年6月", "只填写浅黄色的四列", "万元", "不能为负数", "0到100",
                   "“版本”和“校验码”两列已隐藏并锁定，请勿取消隐藏或改动", "一行也不保存"):
        assert phrase in text, phrase


def test_leader_gets_no_template(client, world):
    client.force_login(world.leader)
    assert client.get(reverse("investment:template", args=[YEAR, MONTH])).status_code == 403


# --- a good file -------------------------------------------------------------------------------

def test_good_file_is_saved_and_a_second_upload_changes_nothing(client, world):
    factories.progress(world.s2, MONTH, "5", updated_by=world.staff_s)
    client.force_login(world.staff_s)
    wb = template(client)
    ws = wb.worksheets[0]
    fill(ws, world.s1.project.code, completed=123.45, percent=40, progress="主线贯通", problems="")
    fill(ws, world.s2.project.code, completed="66")
    response = upload(client, wb)
    assert response.status_code == 302, error_table(response)
    assert MonthlyProgress.objects.get(entry=world.s1).completed == Decimal("123.45")
    row2 = MonthlyProgress.objects.get(entry=world.s2)
    assert row2.completed == Decimal("66") and row2.version == 2 and row2.updated_by == world.staff_s
    history = MonthlyProgress.history.count()

    response = upload(client, wb)  # the same file again
    assert response.status_code == 302
    assert MonthlyProgress.history.count() == history
    assert MonthlyProgress.objects.get(entry=world.s2).version == 2
    page = client.get(response["Location"]).content.decode()
    assert "上传成功：新增0行，修改0行，未变2行" in page


def test_rows_left_blank_are_not_reported(client, world):
    client.force_login(world.staff_s)
    wb = template(client)
    fill(wb.worksheets[0], world.s1.project.code, completed=1)
    assert upload(client, wb).status_code == 302
    assert list(MonthlyProgress.objects.values_list("entry", flat=True)) == [world.s1.pk]


# --- bad files: a table of row/column/message, and nothing saved -------------------------------

@pytest.fixture
def staff_wb(client, world):
    client.force_login(world.staff_s)
    wb = template(client)
    fill(wb.worksheets[0], world.s2.project.code, completed=10)  # a good row that must not be saved
    return wb


def refused(client, wb, *expected):
    response = upload(client, wb)
    assert response.status_code == 200
    table = error_table(response)
    for text in expected:
        assert text in table, (text, table)
    assert not MonthlyProgress.objects.exists()
    return table


def test_unknown_code(client, world, staff_wb):
    r = fill(staff_wb.worksheets[0], world.s1.project.code, completed=1)
    staff_wb.worksheets[0].cell(r, COL["code"]).value = "2099-000000-00-00-000000"
    refused(client, staff_wb, f"<td class=\"num\">{r}</td>", "A 项目代码", "项目代码“2099-000000-00-00-000000”不存在")


def test_a_row_of_an_unknown_project_still_has_its_cells_checked(client, world, staff_wb):
    r = fill(staff_wb.worksheets[0], world.s1.project.code, completed="十万", percent=30)
    staff_wb.worksheets[0].cell(r, COL["code"]).value = "2099-000000-00-00-000000"
    table = refused(client, staff_wb, "项目代码“2099-000000-00-00-000000”不存在")
    assert f'<td class="num">{r}</td><td>H 本月完成投资（万元）</td><td>请输入数字，不能填写文字（“十万”）' in table


def test_project_not_yours(client, world, staff_wb):
    r = fill(staff_wb.worksheets[0], world.s1.project.code, completed=1)
    staff_wb.worksheets[0].cell(r, COL["code"]).value = world.n1.project.code
    refused(client, staff_wb, "“北片一号路”不在您的填报范围内")


def test_wrong_month(client, world, staff_wb):
    r = fill(staff_wb.worksheets[0], world.s1.project.code, completed=1)
    staff_wb.worksheets[0].cell(r, COL["month"]).value = 7
    refused(client, staff_wb, "E 月份", "该行为2020年7月的数据，本次上传的是2020年6月")


def test_whole_file_of_another_month(client, world, staff_wb):
    client.force_login(world.staff_s)
    response = upload(client, staff_wb, month=5)
    assert "这是“2020年6月”的填报文件，本次上传的是2020年5月" in response.content.decode()
    assert not MonthlyProgress.objects.exists()


def test_negative_number(client, world, staff_wb):
    fill(staff_wb.worksheets[0], world.s1.project.code, completed=-3)
    refused(client, staff_wb, "H 本月完成投资（万元）", "本月完成投资不能为负数")


def test_text_in_number_cell(client, world, staff_wb):
    fill(staff_wb.worksheets[0], world.s1.project.code, completed=1, percent="过半")
    refused(client, staff_wb, "I 形象进度（%）", "请输入数字，不能填写文字（“过半”）")


def test_percent_over_100(client, world, staff_wb):
    fill(staff_wb.worksheets[0], world.s1.project.code, completed=1, percent=120)
    refused(client, staff_wb, "形象进度须在0到100之间")


def test_duplicate_rows(client, world, staff_wb):
    ws = staff_wb.worksheets[0]
    r = fill(ws, world.s1.project.code, completed=1)
    extra = ws.max_row + 1
    for c in range(1, len(exports.COLUMNS) + 1):
        ws.cell(extra, c).value = ws.cell(r, c).value
    refused(client, staff_wb, f"<td class=\"num\">{extra}</td>", f"与第{r}行的项目重复")


def test_amount_above_remaining_total_is_refused_on_upload(client, world, staff_wb):
    factories.progress(world.s1, 1, "9900")
    fill(staff_wb.worksheets[0], world.s1.project.code, completed=500)
    response = upload(client, staff_wb)
    assert "请在网页填报页面勾选“确认超额”后保存" in error_table(response)
    assert not MonthlyProgress.objects.filter(month=MONTH).exists()


def test_locked_month(client, world, staff_wb):
    factories.month_lock(year=YEAR, month=MONTH, reason="已上报")
    response = upload(client, staff_wb)
    assert "2020年6月已锁定，不能修改" in response.content.decode()
    assert not MonthlyProgress.objects.exists()


def test_locked_month_still_lists_the_rows_errors(client, world, staff_wb):
    factories.month_lock(year=YEAR, month=MONTH, reason="已上报")
    r = fill(staff_wb.worksheets[0], world.s1.project.code, completed=-1)
    response = upload(client, staff_wb)
    html = response.content.decode()
    assert "2020年6月已锁定，不能修改" in html
    assert f'<td class="num">{r}</td><td>H 本月完成投资（万元）</td><td>本月完成投资不能为负数。' in error_table(response)
    assert not MonthlyProgress.objects.exists()


def test_three_bad_rows_of_three_kinds_are_reported_in_one_pass_then_the_fixed_file_saves(client, world):
    """A text where a number belongs, an amount above the project's remaining total investment and
    an unknown project: all three in the first answer, each with its row and column; nothing is
    saved; with the three cells fixed the same file saves."""
    client.force_login(world.staff_s)
    wb = template(client)
    ws = wb.worksheets[0]
    text_row = fill(ws, world.s1.project.code, completed=10, percent="过半")
    over_row = fill(ws, world.s2.project.code, completed=60000)  # total investment 50000
    unknown_row = ws.max_row + 1
    for c in range(1, len(exports.COLUMNS) + 1):
        ws.cell(unknown_row, c).value = ws.cell(over_row, c).value
    ws.cell(unknown_row, COL["code"]).value = "2020-430112-48-01-999999"
    ws.cell(unknown_row, COL["completed"]).value = 5

    response = upload(client, wb)
    table = error_table(response)
    lines = re.findall(r'<tr><td class="num">(\d+)</td><td>([^<]*)</td><td>([^<]*)</td></tr>', table)
    assert [(int(row), column) for row, column, _message in lines] == [
        (text_row, "I 形象进度（%）"), (over_row, "H 本月完成投资（万元）"), (unknown_row, "A 项目代码")]
    assert "请输入数字，不能填写文字（“过半”）" in lines[0][2]
    assert "本月完成 60,000.00 万元，超过项目剩余总投资 50,000.00 万元" in lines[1][2]
    assert "项目代码“2020-430112-48-01-999999”不存在" in lines[2][2]
    assert "文件中有 3 处错误，未保存任何数据" in response.content.decode()
    assert not MonthlyProgress.objects.exists()

    ws.cell(text_row, COL["physical_percent"]).value = 40
    ws.cell(over_row, COL["completed"]).value = 600
    ws.delete_rows(unknown_row)
    response = upload(client, wb)
    assert response.status_code == 302
    saved = dict(MonthlyProgress.objects.values_list("entry", "completed"))
    assert saved == {world.s1.pk: Decimal("10"), world.s2.pk: Decimal("600")}
    assert MonthlyProgress.objects.get(entry=world.s1).physical_percent == Decimal("40")


def test_not_a_workbook(client, world):
    client.force_login(world.staff_s)
    response = upload(client, "项目代码,本月完成\n1,2\n".encode(), name="progress.xlsx")
    assert "文件不是有效的Excel工作簿" in response.content.decode()
    assert not MonthlyProgress.objects.exists()


def test_a_workbook_that_is_not_the_template(client, world):
    from openpyxl import Workbook
    client.force_login(world.staff_s)
    response = upload(client, Workbook())
    assert "文件中没有名为“2020年6月”的工作表（文件中的工作表：“Sheet”）" in response.content.decode()
    wb = Workbook()
    wb.active.title = "2020年6月"
    response = upload(client, wb)
    assert "不是本系统的月度填报模板" in response.content.decode()


def test_file_too_large(client, world, settings):
    settings.PROGRESS_UPLOAD_MAX_BYTES = 1024
    client.force_login(world.staff_s)
    response = upload(client, b"x" * 2048)
    assert "文件过大" in response.content.decode() and "上限为 1 KB" in response.content.decode()


def test_stale_row_in_file_is_refused_naming_who(client, world):
    factories.progress(world.s1, MONTH, "10", updated_by=world.staff_s)
    client.force_login(world.staff_s)
    wb = template(client)
    other = factories.staff("staff_s2", areas=[world.south])
    row = MonthlyProgress.objects.get()
    row.completed, row.version, row.updated_by = Decimal("11"), 2, other
    row.save()
    fill(wb.worksheets[0], world.s1.project.code, completed=12)
    response = upload(client, wb)
    assert "该行已被 staff_s2 于" in error_table(response)
    assert MonthlyProgress.objects.get().completed == Decimal("11")


def test_leader_cannot_upload(client, world, staff_wb):
    client.force_login(world.leader)
    assert upload(client, staff_wb).status_code == 403
