"""Hostile uploads of the month template (issue 14): each builder turns a good template (bytes
of 下载模板) into one attack. The zip bombs are built here, at run time, streaming, so that
no multi-MB file is kept in git; ``python -m tests.hostile_uploads DIR`` writes the corpus to
DIR for trying by hand (built from a template of two made-up projects).

``ATTACKS``: name → (builder, text the refusal must contain). The upload tests run each one
through the page, ``bench/upload_bench.py`` times each one through the reader.
"""
import io
import re
import struct
import sys
import zipfile
from pathlib import Path

SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"
WORKBOOK = "xl/workbook.xml"
MB = 1024 * 1024
BOMB_BYTES = 256 * MB  # what the shared-strings bomb unpacks to (the was 1.9 GB)

CORRUPT = "文件不是有效的Excel工作簿"
TOO_FAR = "超出了本月填报需要的范围"


def parts(data):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {info.filename: z.read(info) for info in z.infolist()}


def rezip(data, replace=None, extra=None, drop=()):
    """The template with parts replaced (name → bytes), extra parts added (name → bytes or a
    generator of chunks, written streaming) and parts dropped."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for name, content in parts(data).items():
            if name in drop:
                continue
            z.writestr(name, (replace or {}).get(name, content))
        for name, content in (extra or {}).items():
            if isinstance(content, bytes):
                z.writestr(name, content)
            else:
                with z.open(name, "w", force_zip64=False) as f:
                    for chunk in content:
                        f.write(chunk)
    return out.getvalue()


def sheet_xml(data):
    return parts(data)[SHEET].decode()


def with_sheet(data, xml):
    return rezip(data, replace={SHEET: xml.encode()})


def _chunks(head, filler, size, tail):
    yield head
    block = filler * (MB // len(filler))
    for _ in range(size // len(block)):
        yield block
    yield tail


# --- size ------------------------------------------------------------------------------------

def shared_strings_bomb(data):
    """A shared strings part (with its relation) of one string that unpacks to 256 MB (a
    ~260 KB file)."""
    rels = "xl/_rels/workbook.xml.rels"
    relation = ('<Relationship Id="rIdStrings" Target="sharedStrings.xml" Type="http://schemas.'
                'openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/></Relationships>')
    return rezip(data, replace={rels: parts(data)[rels].decode().replace("</Relationships>", relation).encode()},
                 extra={STRINGS: _chunks(
                     b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                     b"<si><t>", b"A", BOMB_BYTES, b"</t></si></sst>")})


def lying_sizes(data):
    """The bomb again, its zip headers claiming the part unpacks to 1 KB."""
    bomb = shared_strings_bomb(data)
    buf = bytearray(bomb)
    name = STRINGS.encode()
    for signature, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := buf.find(signature, start)) != -1:
            name_at = start + (30 if signature == b"PK\x03\x04" else 46)
            if buf[name_at:name_at + len(name)] == name:
                struct.pack_into("<I", buf, start + size_at, 1024)
            start += 4
    return bytes(buf)


def many_parts(data):
    return rezip(data, extra={f"xl/media/junk{i}.bin": b"x" for i in range(300)})


def total_size(data):
    """Parts each under the per-part limit, together over the total."""
    return rezip(data, extra={f"xl/media/junk{i}.bin": _chunks(b"", b"\0", 2 * MB, b"") for i in range(8)})


def wide_row(data):
    """A row with 20,000 cells (past the template's columns)."""
    cells = "".join(f'<c r="{_col(i)}4"><v>1</v></c>' for i in range(14, 20_014))
    xml = sheet_xml(data)
    return with_sheet(data, xml.replace("</sheetData>", f'<row r="9">{cells}</row></sheetData>', 1))


def _col(index):
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# --- rows -------------------------------------------------------------------------------------

def huge_dimension(data):
    """A declared <dimension> of 99,999,999 rows (added where the writer — write-only openpyxl,
    which writes none — left it out)."""
    xml, huge = sheet_xml(data), '<dimension ref="A1:M99999999"/>'
    if "<dimension" in xml:
        return with_sheet(data, re.sub(r'<dimension ref="[^"]*"/>', huge, xml))
    return with_sheet(data, xml.replace("<sheetViews>", huge + "<sheetViews>", 1))


def far_row(data):
    """A value in row 99,999,999 (openpyxl fills the gap with empty rows)."""
    xml = sheet_xml(data).replace(
        "</sheetData>", '<row r="99999999"><c r="A99999999" t="inlineStr"><is><t>x</t></is></c></row></sheetData>')
    return with_sheet(data, xml)


def hundred_thousand_rows(data):
    rows = "".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>1</t></is></c><c r="H{r}"><v>1</v></c></row>'
                   for r in range(4, 100_004))
    xml = re.sub(r"<sheetData>.*</sheetData>", lambda m: _header_rows(m.group(0)) + rows + "</sheetData>",
                 sheet_xml(data), flags=re.S)
    return with_sheet(data, re.sub(r'<dimension ref="[^"]*"/>', "", xml))


def _header_rows(sheet_data):
    """The title, instruction and header rows of the template's sheetData (rows 1–3)."""
    return "<sheetData>" + "".join(re.findall(r'<row r="[123]".*?</row>', sheet_data, flags=re.S))


# --- sheets -----------------------------------------------------------------------------------

def hidden_month_sheet(data):
    """The month's sheet hidden (a visible decoy would be what the user checked)."""
    xml = parts(data)[WORKBOOK].decode()
    xml = re.sub(r'(<sheet [^>]*?)\s*state="[^"]*"', r"\1", xml, count=1)
    return rezip(data, replace={WORKBOOK: xml.replace("<sheet ", '<sheet state="hidden" ', 1).encode()})


# --- broken XML and cells ---------------------------------------------------------------------

def malformed_workbook(data):
    return rezip(data, replace={WORKBOOK: parts(data)[WORKBOOK][:-40]})


def truncated_sheet(data):
    raw = parts(data)[SHEET]
    return rezip(data, replace={SHEET: raw[:len(raw) // 2]})


def _completed_cell(data, text):
    """The first data row's 本月完成 (H4) holding the raw ``<v>`` text."""
    xml = sheet_xml(data)
    xml = re.sub(r'<c r="H4"[^>]*?(/>|>.*?</c>)', f'<c r="H4"><v>{text}</v></c>', xml, count=1, flags=re.S)
    return with_sheet(data, xml)


def inf_cell(data):
    return _completed_cell(data, "INF")


def nan_cell(data):
    return _completed_cell(data, "NaN")


def bad_string_index(data):
    xml = re.sub(r'<c r="A4"[^>]*?(/>|>.*?</c>)', '<c r="A4" t="s"><v>99999999</v></c>', sheet_xml(data),
                 count=1, flags=re.S)
    return with_sheet(data, xml)


def _in_sheet(data, doctype, text):
    """A DTD before the sheet and ``text`` as the first inline string's text."""
    xml = sheet_xml(data).replace("<worksheet ", doctype + "<worksheet ", 1)
    return with_sheet(data, re.sub(r"<t>[^<]*</t>", f"<t>{text}</t>", xml, count=1))


def billion_laughs(data):
    lol = '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)) + "]>"
    return _in_sheet(data, lol, "&j;")


def external_entity(data):
    return _in_sheet(data, '<!DOCTYPE worksheet [<!ENTITY x SYSTEM "file:///etc/passwd">]>', "&x;")


def deep_nesting(data):
    """100,000 nested elements inside the title's inline string."""
    depth = 100_000
    xml = sheet_xml(data).replace("<is>", "<is>" + "<r>" * depth + "</r>" * depth, 1)
    return with_sheet(data, xml)


def not_a_zip(_data):
    return "项目代码,本月完成\n1,2\n".encode()


def empty_file(_data):
    return b""


def truncated_zip(data):
    return data[:len(data) // 2]


def encrypted_flag(data):
    buf = bytearray(data)
    for signature, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (start := buf.find(signature, start)) != -1:
            buf[start + flag_at] |= 0x1
            start += 4
    return bytes(buf)


def bzip2_part(data):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, content in parts(data).items():
            z.writestr(name, content, compress_type=zipfile.ZIP_BZIP2 if name == SHEET else zipfile.ZIP_DEFLATED)
    return out.getvalue()


ATTACKS = {
    "shared_strings_bomb": (shared_strings_bomb, "解压后为256.0 MB"),
    "lying_sizes": (lying_sizes, CORRUPT),
    "many_parts": (many_parts, "超过上限200个"),
    "total_size": (total_size, "文件解压后共"),
    "wide_row": (wide_row, "工作表的单元格超过"),
    "huge_dimension": (huge_dimension, "工作表声明的范围为A1:M99999999"),
    "far_row": (far_row, "工作表第99999999行有内容"),
    "hundred_thousand_rows": (hundred_thousand_rows, "超过上限"),
    "hidden_month_sheet": (hidden_month_sheet, "被隐藏了"),
    "malformed_workbook": (malformed_workbook, CORRUPT),
    "truncated_sheet": (truncated_sheet, CORRUPT),
    "inf_cell": (inf_cell, "单元格中的数值“INF”无效"),
    "nan_cell": (nan_cell, "单元格中的数值“NaN”无效"),
    "bad_string_index": (bad_string_index, CORRUPT),
    "billion_laughs": (billion_laughs, CORRUPT),
    "external_entity": (external_entity, CORRUPT),
    "deep_nesting": (deep_nesting, None),  # read without harm: the file is saved
    "not_a_zip": (not_a_zip, CORRUPT),
    "empty_file": (empty_file, None),  # Django's own "提交的文件为空"
    "truncated_zip": (truncated_zip, CORRUPT),
    "encrypted_flag": (encrypted_flag, "文件已加密"),
    "bzip2_part": (bzip2_part, CORRUPT),
}


def sample_template(rows=2, year=2020, month=6):
    """A month template of ``rows`` made-up projects, built without a database."""
    from types import SimpleNamespace

    from investment.exports import month_template

    fake = [SimpleNamespace(
        project=SimpleNamespace(code=f"2020-{i:06d}-48-01-000001", name=f"示例项目{i}",
                                area=SimpleNamespace(name="南片")),
        entry=SimpleNamespace(target=1000), completed_before=0, progress=None) for i in range(1, rows + 1)]
    return month_template(year=year, month=month, rows=fake).to_bytes()


def main(out_dir):
    import django

    django.setup()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    base = sample_template()
    (out / "good.xlsx").write_bytes(base)
    for name, (build, _expected) in ATTACKS.items():
        (out / f"{name}.xlsx").write_bytes(build(base))
        print(name, (out / f"{name}.xlsx").stat().st_size, "bytes")



def with_cell(data, ref, xml_value):
    """The template with cell ``ref`` (e.g. "H5") replaced by ``<c r=ref …>xml_value</c>``
    (``xml_value`` like ``<v>10</v>`` or ``t="inlineStr"><is><t>x</t></is>`` after the attributes)."""
    xml = sheet_xml(data)
    cell = f'<c r="{ref}">{xml_value}</c>' if xml_value.startswith("<") else f'<c r="{ref}" {xml_value}</c>'
    new, count = re.subn(rf'<c r="{ref}"[^>]*?(/>|>.*?</c>)', cell, xml, count=1, flags=re.S)
    if not count:
        row = int(re.sub(r"[A-Z]", "", ref))
        new, count = re.subn(rf'(<row r="{row}"[^>]*>)(.*?)(</row>)',
                             lambda m: m.group(1) + m.group(2) + cell + m.group(3), xml, count=1, flags=re.S)
    if not count:
        new = xml.replace("</sheetData>", f'<row r="{row}">{cell}</row></sheetData>', 1)
    return with_sheet(data, new)
