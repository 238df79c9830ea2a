"""Charts drawn on the server as inline SVG: this module computes the geometry (coordinates,
ticks, labels); ``templates/includes/line_chart.svg.html`` draws it. No JavaScript, no CDN, and
the SVG prints as crisply as the text around it.

Values are exact Decimals from the selectors; only the tick labels are formatted here, through
``portfolio.numbers``.
"""
from dataclasses import dataclass, field
from decimal import Decimal

from . import numbers


@dataclass
class Series:
    label: str
    values: list  # one value (or None for "no data") per x label
    css: str  # class of the line: actual, plan, previous, bar
    titles: list = field(default_factory=list)  # tooltip text per point
    bars: bool = False


def _nice_max(value, step):
    value = Decimal(value or 0)
    if value <= 0:
        return Decimal(step)
    return ((value / step).to_integral_value(rounding="ROUND_CEILING")) * step


def line_chart(*, x_labels, series, y_step, y_format="percent", width=720, height=280,
               y_min_top=None, marker=None):
    """Geometry of a chart with one x slot per label and lines (or bars) over a 0-based y axis.

    ``y_format``: "percent" (values are fractions, 1 = 100 %) or "wan" (万元 amounts).
    ``marker``: index of the x slot to highlight (the chosen month).
    """
    left, right, top, bottom = 56, 16, 28, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    highest = max((v for s in series for v in s.values if v is not None), default=Decimal(0))
    if y_min_top is not None:
        highest = max(highest, Decimal(y_min_top))
    y_max = _nice_max(highest, Decimal(y_step))
    n = len(x_labels)
    slot = plot_w / n

    def x(i):
        return left + slot * (i + 0.5)

    def y(v):
        return top + plot_h - float(Decimal(v) / y_max) * plot_h

    ticks = []
    t = Decimal(0)
    while t <= y_max:
        label = f"{numbers.percent(t, 0)}%" if y_format == "percent" else numbers.wan(t, 0)
        ticks.append({"y": round(y(t), 1), "label": label})
        t += Decimal(y_step)
    drawn = []
    bar_series = [s for s in series if s.bars]
    bar_w = slot * 0.6 / max(len(bar_series), 1)
    for s in series:
        points = []
        for i, v in enumerate(s.values):
            if v is None:
                continue
            title = s.titles[i] if i < len(s.titles) else ""
            point = {"x": round(x(i), 1), "y": round(y(v), 1), "title": title}
            if s.bars:
                k = bar_series.index(s)
                point["bx"] = round(x(i) - slot * 0.3 + k * bar_w, 1)
                point["bw"] = round(bar_w, 1)
                point["bh"] = round(top + plot_h - y(v), 1)
            points.append(point)
        drawn.append({
            "label": s.label, "css": s.css, "bars": s.bars, "points": points,
            "path": " ".join(f"{p['x']},{p['y']}" for p in points),
        })
    legend, lx = [], left
    for s in series:
        legend.append({"x": lx, "label": s.label, "css": s.css, "bars": s.bars})
        lx += 24 + 14 * len(s.label) + 16
    return {
        "width": width, "height": height, "left": left, "top": top,
        "plot_w": plot_w, "plot_h": plot_h, "base_y": top + plot_h, "right_x": left + plot_w,
        "ticks": ticks, "series": drawn, "legend": legend,
        "x_labels": [{"x": round(x(i), 1), "label": lab} for i, lab in enumerate(x_labels)],
        "marker": round(x(marker), 1) if marker is not None else None,
    }


def completion_curve_chart(curve, *, month):
    """The dashboard's chart: cumulative completion share of the target, month by month, against
    the plan's straight line (m/12) and the previous year's cumulative share."""
    labels = [f"{p['month']}月" for p in curve]
    actual = [p["share"] if p["month"] <= month else None for p in curve]
    series = [
        Series("计划进度（时间进度）", [p["plan_share"] for p in curve], "plan",
               [f"{p['month']}月 时间进度 {numbers.percent(p['plan_share'])}%" for p in curve]),
        Series("上年累计完成率", [p["previous_share"] for p in curve], "previous",
               [f"上年1-{p['month']}月 {numbers.percent(p['previous_share'])}%" for p in curve]),
        Series("本年累计完成率", actual, "actual",
               [f"1-{p['month']}月 累计完成 {numbers.yi(p['cumulative'], 2)}亿元，"
                f"{numbers.percent(p['share'])}%" for p in curve]),
    ]
    return line_chart(x_labels=labels, series=series, y_step="0.25", y_min_top=1, marker=month - 1)


def project_monthly_chart(rows, *, target):
    """A project's year: monthly amounts as bars and the cumulative amount as a line, in 万元,
    with the target as the top of the axis at least."""
    labels = [f"{r['month']}月" for r in rows]
    series = [
        Series("本月完成（万元）", [r["completed"] for r in rows], "bar",
               [f"{r['month']}月 {numbers.wan(r['completed'])}万元" if r["completed"] is not None else ""
                for r in rows], bars=True),
        Series("累计完成（万元）", [r["cumulative"] for r in rows], "actual",
               [f"1-{r['month']}月 {numbers.wan(r['cumulative'])}万元" if r["cumulative"] is not None else ""
                for r in rows]),
    ]
    if target:
        series.insert(0, Series("年度计划投资", [target] * len(rows), "plan",
                                [f"年度计划 {numbers.wan(target)}万元"] * len(rows)))
    top = max([target or 0] + [r["cumulative"] or 0 for r in rows])
    step = _nice_max(Decimal(top) / 4, Decimal(100)) if top else Decimal(100)
    return line_chart(x_labels=labels, series=series, y_step=step, y_format="wan", y_min_top=target)
