"""Excel exports: ``writer`` is the one openpyxl write-only writer every export uses (layout,
styles, formula escaping; openpyxl itself, in ``_xlsx``, is imported with the first workbook),
``responses`` serves every download (file name, Content-Disposition, streaming), ``lists`` is
「导出Excel」 for every list page, ``reader`` reads uploads."""
from .lists import ListExportMixin, write_table
from .responses import XLSX_CONTENT_TYPE, content_disposition, download_name, xlsx_response
from .writer import (AREA, CHUNK_SIZE, CODE, COUNT, DATA, DATE, DAYS, DECIMAL, FORMULA_PREFIXES, GROUP,
                     HIGHLIGHT, MONEY, NAME, NUMBER_FORMATS, NUMERIC_KINDS, PAPER_A3, PAPER_A4, RATE, SUBTOTAL,
                     TEXT, TOTAL, CachedFormula, Column, SheetWriter, WorkbookWriter, choice_labels,
                     looks_like_formula, stream, width_for)

__all__ = [
    "AREA", "CHUNK_SIZE", "CODE", "COUNT", "DATA", "DATE", "DAYS", "DECIMAL", "FORMULA_PREFIXES", "GROUP",
    "HIGHLIGHT", "MONEY", "NAME", "NUMBER_FORMATS", "NUMERIC_KINDS", "PAPER_A3", "PAPER_A4", "RATE", "SUBTOTAL",
    "TEXT", "TOTAL", "XLSX_CONTENT_TYPE", "CachedFormula", "Column", "ListExportMixin", "SheetWriter",
    "WorkbookWriter", "choice_labels", "content_disposition", "download_name", "looks_like_formula", "stream", "width_for",
    "write_table", "xlsx_response",
]

