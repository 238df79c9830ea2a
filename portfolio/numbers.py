"""The one place where rates are computed and figures are rounded for display.

Selectors return exact ``Decimal`` 万元 and exact rates; templates, workbooks and the report
paragraph round only when they show a number, through the functions here (and the template
filters in ``portfolio.templatetags.figures`` that call them).
"""
import calendar
import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

WAN_PER_YI = Decimal(10000)


def rate(numerator, denominator):
    """numerator ÷ denominator as an exact Decimal fraction (1 = 100 %); None when undefined."""
    if not denominator:
        return None
    return Decimal(numerator or 0) / Decimal(denominator)


def round_half_up(value, places):
    if value is None:
        return None
    exp = Decimal(1).scaleb(-places)
    return Decimal(value).quantize(exp, rounding=ROUND_HALF_UP)


def percent(fraction, places=1):
    """A rate as a percent string: Decimal('1.20397') → '120.4'."""
    if fraction is None:
        return "—"
    return f"{round_half_up(Decimal(fraction) * 100, places):f}"


def percent_text(fraction, places=1):
    """A rate as every page, sheet and document shows it: Decimal('1.20397') → '120.4%', None → '—'."""
    text = percent(fraction, places)
    return text if fraction is None else f"{text}%"


def yi(wan, places=2):
    """万元 → 亿元 string: Decimal('147900') → '14.79'."""
    if wan is None:
        return "—"
    return f"{round_half_up(Decimal(wan) / WAN_PER_YI, places):f}"


def wan(value, places=2):
    """万元 with thousands separators: Decimal('12247') → '12,247.00'."""
    if value is None:
        return "—"
    return f"{round_half_up(value, places):,f}"


def approx_floor(value, step):
    """The report's '余' style: 723.56 with step 10 → '720余'; an exact multiple has no '余'."""
    value = Decimal(value or 0)
    floor = (value / step).to_integral_value(rounding=ROUND_FLOOR) * step
    return f"{floor:f}" + ("余" if value > floor else "")


@dataclass(frozen=True)
class Period:
    """Months 1..month of a year: the '1-N月' every figure is reported for."""

    year: int
    month: int

    def __post_init__(self):
        if not 1 <= self.month <= 12:
            raise ValueError("month must be 1..12")

    @property
    def start(self):
        return dt.date(self.year, 1, 1)

    @cached_property  # read per row by portfolio.rag.rag_of (frozen: the fields never change)
    def end(self):
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def month_start(self):
        """The first day of month N (``N月``: from it to ``end``)."""
        return dt.date(self.year, self.month, 1)

    def following(self):
        """Months 1..N+1 — the next month (January of the next year after December)."""
        return Period(self.year + self.month // 12, self.month % 12 + 1)

    def preceding(self):
        """The previous month (December of the year before after January)."""
        return Period(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    @property
    def elapsed(self):
        """Share of the year elapsed at the end of the period (June → 0.5)."""
        return Decimal(self.month) / 12

    @property
    def label(self):
        return f"1-{self.month}月" if self.month > 1 else "1月"

    def __str__(self):
        return f"{self.year}年{self.label}"


def plain(value, places=2):
    """A number as the report writes it in running text: rounded, no separators, no trailing
    zeros — Decimal('12247.00') → '12247', Decimal('419.740') → '419.74'."""
    if value is None:
        return "—"
    text = f"{round_half_up(value, places):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
