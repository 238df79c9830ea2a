"""Excel exports: ``writer`` is the one openpyxl write-only writer every export uses (layout,
styles, formula escaping, streaming response); ``lists`` is 「导出Excel」 for every list page."""
from .lists import ListExportMixin, write_table
from .writer import (AREA, CHUNK_SIZE, COUNT, DATA, DATE, DAYS, FORMULA_PREFIXES, GROUP, HIGHLIGHT, MONEY,
                     NUMBER_FORMATS, NUMERIC_KINDS, PAPER_A3, PAPER_A4, RATE, SUBTOTAL, TEXT, TOTAL,
                     XLSX_CONTENT_TYPE, CachedFormula, Column, SheetWriter, WorkbookWriter, content_disposition,
                     looks_like_formula, make_cell, stream, xlsx_response)

__all__ = [
    "AREA", "CHUNK_SIZE", "COUNT", "DATA", "DATE", "DAYS", "FORMULA_PREFIXES", "GROUP", "HIGHLIGHT", "MONEY",
    "NUMBER_FORMATS", "NUMERIC_KINDS", "PAPER_A3", "PAPER_A4", "RATE", "SUBTOTAL", "TEXT", "TOTAL",
    "XLSX_CONTENT_TYPE", "CachedFormula", "Column", "ListExportMixin", "SheetWriter", "WorkbookWriter",
    "content_disposition", "looks_like_formula", "make_cell", "stream", "write_table", "xlsx_response",
]
