"""A leader downloads the month's workbook from the dashboard and a filtered list from its page,
through the browser's own download (Chinese file name, opens with openpyxl)."""
import pytest
from openpyxl import load_workbook


@pytest.mark.django_db(transaction=True)
def test_leader_downloads_the_workbook_and_a_filtered_list(page, live_server, demo_2020_committed, login, tmp_path):
    login("lingdao")
    page.goto(f"{live_server.url}/?year=2020&month=12")
    with page.expect_download() as info:
        page.click("[data-export=district-workbook]")
    download = info.value
    assert download.suggested_filename == "望城区重点项目投资进度_2020年1-12月.xlsx"
    download.save_as(tmp_path / "district.xlsx")
    wb = load_workbook(tmp_path / "district.xlsx", data_only=True)
    assert wb.sheetnames[:2] == ["汇总", "项目明细"]

    page.goto(f"{live_server.url}/projects/?year=2020&month=12&municipal_key=true")
    shown = int(page.locator("[data-figure=row-count]").inner_text())
    with page.expect_download() as info:
        page.click("[data-export=xlsx]")
    assert info.value.suggested_filename == "项目列表_2020年12月_市重大-是.xlsx"
    info.value.save_as(tmp_path / "list.xlsx")
    ws = load_workbook(tmp_path / "list.xlsx", data_only=True).worksheets[0]
    assert ws["A1"].value == "项目列表\u30002020年12月\u3000市重大：是"
    rows = [r for r in ws.iter_rows(min_row=4, values_only=True) if any(v is not None for v in r)]
    assert rows[-1][0] == "合计"
    assert len(rows) - 1 == shown == 10
