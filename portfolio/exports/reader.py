"""Reading one sheet of an uploaded .xlsx without trusting the file.

Why not openpyxl's ``load_workbook``: it inflates every part whatever its size (a 1.9 MB file
whose shared strings unpack to 1.9 GB), fills the gap up to a declared ``<dimension>`` or a far
row number with empty rows (100 million for ``A1:M99999999``), reads styles and themes we do not
need, and fails on a hostile file with any of a dozen exception types (``ParseError``,
``ValueError`` for ``<v>INF</v>``, ``KeyError``, …).

This reader checks the zip's directory first (number of parts, each part's and the total
uncompressed size, no encryption, deflate or stored only); Python's ``zipfile`` never inflates a
part past its declared size (it stops there and the CRC check fails), so the declared sizes bound
the work. Then it streams only the parts it needs — the workbook and its relations, the shared
strings and the one sheet asked for by name — through defusedxml (no DTD, no entities), and
stops at the first row past ``Limits.max_row`` that holds a value. Every failure becomes
``UnreadableWorkbook`` with a Chinese message.
"""
import logging
import posixpath
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal

from defusedxml.ElementTree import iterparse
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

MB = 1024 * 1024
NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d{1,4})?")
CELL_REF = re.compile(r"([A-Za-z]{1,3})(\d{1,12})")
OFFICE_DOCUMENT = "/officeDocument"
SHARED_STRINGS = "/sharedStrings"


class UnreadableWorkbook(Exception):
    """The file was refused; ``message`` says why and what to do, in Chinese. ``sheets``: the
    sheet names found when the one asked for is missing."""

    def __init__(self, message, sheets=()):
        super().__init__(message)
        self.message, self.sheets = message, tuple(sheets)


@dataclass(frozen=True)
class Limits:
    """What one upload may cost. ``max_row``: the last sheet row that may hold a value (the
    caller sizes it to what the upload can need)."""

    max_row: int
    max_part_bytes: int = 8 * MB
    max_total_bytes: int = 24 * MB
    max_parts: int = 200
    max_shared_strings: int = 200_000
    max_cells: int = 200_000
    """Cell elements in the sheet, empty ones included (a row of 200,000 cells takes seconds)."""


@dataclass(frozen=True)
class InvalidNumber:
    """A numeric cell whose stored text is not a finite number (``INF``, ``NaN``, ``1,2``)."""

    text: str

    def __str__(self):
        return self.text


def corrupt_message():
    return _("文件不是有效的Excel工作簿（.xlsx）或已损坏，无法读取。请使用“下载模板”得到的文件，"
             "在Excel或WPS中填写后另存为.xlsx再上传。")


def check_upload_size(upload):
    """An uploaded workbook over ``PROGRESS_UPLOAD_MAX_BYTES`` is refused before it is read (the
    month upload, the plan import and the attendance import)."""
    limit = settings.PROGRESS_UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("文件过大（%(size)s KB），上限为 %(limit)s KB。") % {"size": upload.size // 1024, "limit": limit // 1024})


def read_sheet(fileobj, *, sheet_name, limits, max_column):
    """{sheet row number: [values of columns 1..max_column]} for the rows of the sheet named
    ``sheet_name`` that hold a value. Values: ``str``, ``Decimal`` (numbers, exactly as stored),
    ``bool``, ``InvalidNumber`` or ``None``. Raises ``UnreadableWorkbook``."""
    try:
        with zipfile.ZipFile(fileobj) as archive:
            names = _check_archive(archive, limits)
            sheet_path, strings_path = _locate(archive, names, sheet_name)
            strings = _shared_strings(archive, strings_path, limits) if strings_path in names else []
            return _rows(archive, sheet_path, strings, limits, max_column)
    except UnreadableWorkbook:
        raise
    except Exception as exc:  # any zip, inflate or XML error of an untrusted file; no I/O but the file
        logger.info("unreadable upload: %s: %s", type(exc).__name__, exc)
        raise UnreadableWorkbook(corrupt_message()) from exc


def _size(n):
    return f"{n / MB:.1f} MB"


def _check_archive(archive, limits):
    infos = archive.infolist()
    if len(infos) > limits.max_parts:
        raise UnreadableWorkbook(_("文件包含%(n)s个部件，超过上限%(max)s个，不是本系统的填报模板。")
                                 % {"n": len(infos), "max": limits.max_parts})
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise UnreadableWorkbook(_("文件已加密，请取消密码保护后另存再上传。"))
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise UnreadableWorkbook(corrupt_message())
        if info.file_size > limits.max_part_bytes:
            raise UnreadableWorkbook(
                _("文件中的“%(part)s”解压后为%(size)s，超过上限%(max)s；本月填报用不到这么多内容，"
                  "请使用“下载模板”得到的文件填写。")
                % {"part": info.filename[:80], "size": _size(info.file_size), "max": _size(limits.max_part_bytes)})
        total += info.file_size
    if total > limits.max_total_bytes:
        raise UnreadableWorkbook(
            _("文件解压后共%(size)s，超过上限%(max)s；请使用“下载模板”得到的文件填写。")
            % {"size": _size(total), "max": _size(limits.max_total_bytes)})
    return {info.filename for info in infos}


def _local(tag):
    return tag.rsplit("}", 1)[-1]


def _attr(el, name):
    """An attribute by local name (r:id is namespaced, and the namespace differs in Strict files)."""
    for key, value in el.attrib.items():
        if _local(key) == name:
            return value
    return None


def _parse(archive, path):
    with archive.open(path) as stream:
        return [el for _event, el in iterparse(stream, forbid_dtd=True)]


def _relations(archive, names, part):
    folder, base = posixpath.split(part)
    rels_path = posixpath.join(folder, "_rels", base + ".rels")
    if rels_path not in names:
        return {}
    found = {}
    for el in _parse(archive, rels_path):
        if _local(el.tag) == "Relationship" and el.get("TargetMode") != "External":
            target = el.get("Target") or ""
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            found[el.get("Id")] = (el.get("Type") or "", path)
    return found


def _locate(archive, names, sheet_name):
    """(path of the sheet named ``sheet_name``, path of the shared strings part)."""
    workbook = next((path for _id, (kind, path) in _relations(archive, names, "").items()
                     if kind.endswith(OFFICE_DOCUMENT)), "xl/workbook.xml")
    if workbook not in names:
        raise UnreadableWorkbook(corrupt_message())
    relations = _relations(archive, names, workbook)
    sheets = [(el.get("name"), el.get("state") or "visible", _attr(el, "id"))
              for el in _parse(archive, workbook) if _local(el.tag) == "sheet"]
    match = next((s for s in sheets if s[0] == sheet_name), None)
    if match is None:
        shown = "、".join(f"“{name}”" for name, _state, _id in sheets[:10] if name) or _("（无）")
        raise UnreadableWorkbook(
            _("文件中没有名为“%(name)s”的工作表（文件中的工作表：%(sheets)s）。请使用“下载模板”得到的文件，"
              "不要修改工作表名称。") % {"name": sheet_name, "sheets": shown},
            sheets=[name for name, _state, _id in sheets if name])
    _name, state, rel_id = match
    if state != "visible":
        raise UnreadableWorkbook(_("工作表“%(name)s”被隐藏了。请取消隐藏、核对其中的数据后再上传。") % {"name": sheet_name})
    kind, path = relations.get(rel_id, ("", ""))
    if path not in names or not kind.endswith("/worksheet"):
        raise UnreadableWorkbook(corrupt_message())
    strings = next((p for k, p in relations.values() if k.endswith(SHARED_STRINGS)), "xl/sharedStrings.xml")
    return path, strings


def _text_of(el):
    """The text of a shared or inline string: its ``<t>`` and its runs' ``<t>``, without the
    phonetic guides (``<rPh>``)."""
    parts = []
    for child in el:
        name = _local(child.tag)
        if name == "t":
            parts.append(child.text or "")
        elif name == "r":
            parts.extend(t.text or "" for t in child if _local(t.tag) == "t")
    return "".join(parts)


def _shared_strings(archive, path, limits):
    strings = []
    root = None
    with archive.open(path) as stream:
        for event, el in iterparse(stream, events=("start", "end"), forbid_dtd=True):
            if root is None:
                root = el
            if event == "end" and _local(el.tag) == "si":
                strings.append(_text_of(el))
                if len(strings) > limits.max_shared_strings:
                    raise UnreadableWorkbook(
                        _("文件中的文字条目超过%(max)s条，本月填报用不到这么多内容；请使用“下载模板”得到的文件填写。")
                        % {"max": limits.max_shared_strings})
                root.clear()
    return strings


def column_index(letters):
    index = 0
    for ch in letters.upper():
        index = index * 26 + ord(ch) - 64
    return index


def _too_many_rows(limits, row):
    return UnreadableWorkbook(
        _("工作表第%(row)s行有内容，超出了本月填报需要的范围（最多到第%(max)s行）。请使用“下载模板”得到的文件，"
          "只在已有的行中填写，删除多余的行后再上传。") % {"row": row, "max": limits.max_row})


def _rows(archive, path, strings, limits, max_column):
    rows = {}
    sheet_data = None
    row_number, values, column, cells = 0, None, 0, 0
    with archive.open(path) as stream:
        for event, el in iterparse(stream, events=("start", "end"), forbid_dtd=True):
            name = _local(el.tag)
            if event == "start":
                if name == "dimension":
                    _check_dimension(el.get("ref") or "", limits)
                elif name == "sheetData":
                    sheet_data = el
                elif name == "row":
                    r = el.get("r")
                    row_number = int(r) if r and r.isdecimal() and len(r) <= 12 else row_number + 1
                    values, column = [None] * max_column, 0
                continue
            if name == "c" and values is not None:
                cells += 1
                if cells > limits.max_cells:
                    raise UnreadableWorkbook(
                        _("工作表的单元格超过%(max)s个（第%(row)s行），本月填报用不到这么多；请使用“下载模板”得到的文件，"
                          "不要在模板的列以外填写。") % {"max": limits.max_cells, "row": row_number})
                ref = CELL_REF.fullmatch(el.get("r") or "")
                column = column_index(ref.group(1)) if ref else column + 1
                if column <= max_column:
                    values[column - 1] = _value(el, strings)
                el.clear()
            elif name == "row" and values is not None:
                if any(v not in (None, "") for v in values):
                    if row_number > limits.max_row:
                        raise _too_many_rows(limits, row_number)
                    rows[row_number] = values
                values = None
                if sheet_data is not None:
                    sheet_data.clear()  # keep memory flat: the rows read are in ``rows``
    return rows


def _check_dimension(ref, limits):
    last = ref.split(":")[-1]
    match = CELL_REF.fullmatch(last)
    if match and int(match.group(2)) > limits.max_row:
        raise UnreadableWorkbook(
            _("工作表声明的范围为%(ref)s，超出了本月填报需要的范围（最多到第%(max)s行）。请使用“下载模板”得到的文件，"
              "只在已有的行中填写，删除多余的行后再上传。") % {"ref": ref[:40], "max": limits.max_row})


def _value(cell, strings):
    kind = cell.get("t") or "n"
    if kind == "inlineStr":
        inline = next((child for child in cell if _local(child.tag) == "is"), None)
        return None if inline is None else _text_of(inline)
    v = next((child.text for child in cell if _local(child.tag) == "v"), None)
    if v is None:
        return None
    if kind == "n":
        text = v.strip()
        return Decimal(text) if len(text) <= 40 and NUMBER.fullmatch(text) else InvalidNumber(text[:40])
    if kind == "s":
        index = v.strip()
        if not index.isdecimal() or int(index) >= len(strings):
            raise UnreadableWorkbook(corrupt_message())
        return strings[int(index)]
    if kind == "b":
        return {"1": True, "0": False}.get(v.strip(), InvalidNumber(v.strip()[:40]))
    return v  # "str" (a formula's text), "e" (#DIV/0! …), "d" (an ISO date)
