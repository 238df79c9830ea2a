"""Excel exports: ``writer`` is the one openpyxl write-only writer every export uses (layout,
styles, formula escaping, streaming response, the download's file name); ``lists`` is
「导出Excel」 for every list page."""
from .lists import ListExportMixin, write_table
from .writer import (AREA, CHUNK_SIZE, CODE, COUNT, DATA, DATE, DAYS, DECIMAL, FORMULA_PREFIXES, GROUP,
                     HIGHLIGHT, MONEY, NAME, NUMBER_FORMATS, NUMERIC_KINDS, PAPER_A3, PAPER_A4, RATE, SUBTOTAL,
                     TEXT, TOTAL, XLSX_CONTENT_TYPE, CachedFormula, Column, SheetWriter, WorkbookWriter,
                     content_disposition, download_name, looks_like_formula, make_cell, stream, width_for, xlsx_response)

__all__ = [
    "AREA", "CHUNK_SIZE", "CODE", "COUNT", "DATA", "DATE", "DAYS", "DECIMAL", "FORMULA_PREFIXES", "GROUP",
    "HIGHLIGHT", "MONEY", "NAME", "NUMBER_FORMATS", "NUMERIC_KINDS", "PAPER_A3", "PAPER_A4", "RATE", "SUBTOTAL",
    "TEXT", "TOTAL", "XLSX_CONTENT_TYPE", "CachedFormula", "Column", "ListExportMixin", "SheetWriter",
    "WorkbookWriter", "content_disposition", "download_name", "looks_like_formula", "make_cell", "stream", "width_for",
    "write_table", "xlsx_response",
]
