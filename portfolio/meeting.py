"""The month's 调度会 pack (meeting material) as a Word document: /reports/meeting.docx?year=&month=.

What a key-project center hands out at its monthly 调度会, in the order the meeting goes through it:
the summary paragraph (``portfolio.summary``), the headline figures (the catalogue,
``portfolio.figures``), the areas side by side, the 红黑榜 (``ranking.selectors``), the laggards
(``portfolio.selectors.rag_overview``) with their open problems and 督办, the open 督办 orders and
each unit's 督办 figures (``supervision.selectors``), the overdue nodes and next month's nodes — everything as of the end of the chosen month, read from
the selectors the pages use; nothing is computed or rounded here.

Layout for Word, WPS and LibreOffice Writer alike: A4 portrait with the 公文 margins, fonts named
for each script (Latin ``LATIN_FONT``; East Asian ``BODY_FONT`` 宋体 and ``HEADING_FONT`` 黑体 through
``w:eastAsia`` — the names Word, WPS and LibreOffice know; fontconfig substitutes a CJK font where
they are not installed), header rows repeated on every page, page numbers in the footer (PAGE and
NUMPAGES fields, "第 N 页 共 M 页").
"""
from io import BytesIO

from django.conf import settings
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from projects.selectors import milestones_in_period, overdue_milestones_by_area
from ranking import rules as ranking_rules
from ranking.selectors import AREAS, UNITS, monthly_ranking, score_text
from supervision.models import OrderState, ProblemType
from supervision.selectors import (COLOUR_LABELS, deadline_colour, open_orders, open_problems_by_project, order_stats,
                                   problem_counts, status_date)

from . import numbers
from .exports.writer import clean_text
from .figures import RATE, figure_values
from .rag import Rag
from .selectors import area_rows, rag_overview, report_figures
from .summary import draft_summary

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
BODY_FONT, HEADING_FONT, LATIN_FONT = "宋体", "黑体", "Times New Roman"
TABLE_TEXT = "表格文字"
LAGGARDS_SHOWN = 15
"""How many laggards (red first) the pack lists with their problems and 督办."""

HEADLINE_KEYS = ("target", "completed", "rate", "municipal_target", "municipal_completed", "municipal_rate",
                 "plan_total", "resumption_rate", "start_rate", "early_starts", "overdue_milestones")
"""The headline table's figures (catalogue keys), in the order they are read out."""


def district_name():
    return getattr(settings, "DISTRICT_NAME", "望城区")


def meeting_filename(period):
    return f"{district_name()}重点项目调度会材料_{period.year}年{period.month}月.docx"


# --- reading ----------------------------------------------------------------------------------

def next_month_nodes(*, period):
    """The year's plan projects' nodes planned in the month after the period and not done by its
    end — what the next 调度会 will ask about."""
    following = period.following()
    return (milestones_in_period(period=period)
            .filter(planned_on__range=(following.month_start, following.end))
            .exclude(done_on__lte=period.end)
            .order_by("planned_on", "project__area__order", "project__code", "order"))


def meeting_contents(*, period):
    """Everything the pack shows for ``period``, read once from the selectors."""
    figures = report_figures(period=period)
    as_of = period.end
    laggards = rag_overview(period=period, limit=LAGGARDS_SHOWN)["laggards"]
    orders = list(open_orders(as_of=as_of).order_by("deadline", "id"))
    for order in orders:
        order.colour = deadline_colour(order, status_date(period))  # as the 督办 list colours it
    orders_by_project = {}
    for order in orders:
        orders_by_project.setdefault(order.project_id, []).append(order)
    problems = open_problems_by_project(as_of=as_of, project_ids=[e.project_id for e in laggards])
    for entry in laggards:
        entry.open_problems = problems.get(entry.project_id, [])
        entry.open_orders = orders_by_project.get(entry.project_id, [])
    return {
        "period": period,
        "summary": draft_summary(period=period, figures=figures),
        "values": figure_values(period=period, figures=figures),
        "areas": area_rows(period=period),
        "ranking": monthly_ranking(period=period),
        "laggards": laggards,
        "orders": orders,
        "order_stats": order_stats(period=period, by="unit"),
        "problem_counts": problem_counts(as_of=as_of),
        "overdue": overdue_milestones_by_area(as_of=as_of),
        "next_nodes": list(next_month_nodes(period=period)),
    }


# --- writing ----------------------------------------------------------------------------------

def _set_fonts(rpr_owner, east_asia, size=None, bold=None):
    """Name the fonts of a style or run for each script (``w:rFonts`` ascii/hAnsi/eastAsia),
    dropping the theme fonts that would override them."""
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:cs"), LATIN_FONT)


def _styles(document):
    styles = document.styles
    normal = styles["Normal"]
    normal.font.size = Pt(12)
    _set_fonts(normal.element, BODY_FONT)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    normal.element.get_or_add_rPr().append(lang)
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.25
    for name, size in (("Title", 18), ("Heading 1", 15), ("Heading 2", 13)):
        style = styles[name]
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = RGBColor(0, 0, 0)
        _set_fonts(style.element, HEADING_FONT)
        style.paragraph_format.space_before = Pt(12 if name != "Title" else 0)
        style.paragraph_format.space_after = Pt(6)
    table_text = styles.add_style(TABLE_TEXT, WD_STYLE_TYPE.PARAGRAPH)
    table_text.base_style = normal
    table_text.font.size = Pt(10.5)  # 五号
    table_text.paragraph_format.space_after = Pt(0)
    table_text.paragraph_format.line_spacing = 1.0
    title = styles["Title"]
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    # the Title style's bottom border line of the default template is not the 公文 look
    ppr = title.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)


def _page(document):
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)  # A4
    section.top_margin, section.bottom_margin = Cm(2.54), Cm(2.54)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("第 ")
    _field(footer, "PAGE", "1")
    footer.add_run(" 页 共 ")
    _field(footer, "NUMPAGES", "1")
    footer.add_run(" 页")


def _field(paragraph, instruction, placeholder):
    """A field (PAGE, NUMPAGES) the reader fills in; ``placeholder`` is shown until it does."""
    def char(kind):
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return element

    run = paragraph.add_run()
    run._r.append(char("begin"))
    run = paragraph.add_run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run._r.append(text)
    paragraph.add_run()._r.append(char("separate"))
    paragraph.add_run(placeholder)
    paragraph.add_run()._r.append(char("end"))


def _table(document, header, rows, widths=None):
    """A bordered table with a bold header row repeated on every page; cells at 10.5 pt (五号)."""
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    head = table.rows[0]
    tr_pr = head._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    tr_pr.append(repeat)
    style_id = document.styles[TABLE_TEXT].style_id
    for cell, title in zip(head.cells, header):
        _cell_text(cell, title, style_id, bold=True)
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values):
            _cell_text(cell, value, style_id)
    if widths:  # fixed layout: LibreOffice reads the grid's widths, Word the first row's
        table.autofit = False
        for column, width in zip(table.columns, widths):
            column.width = Cm(width)
        for cell, width in zip(head.cells, widths):
            cell.width = Cm(width)
    return table


def _cell_text(cell, value, style_id, bold=False):
    paragraph = cell.paragraphs[0]
    paragraph._p.get_or_add_pPr().style = style_id  # by id: python-docx's setter looks the name up per cell
    run = paragraph.add_run("" if value is None else clean_text(value))  # a pasted vertical tab: not XML
    if bold:
        run.bold = True


def _note(document, text):
    paragraph = document.add_paragraph()
    run = paragraph.add_run(clean_text(text))
    run.font.size = Pt(10.5)
    return paragraph


def _ranking_table(document, rows, subject):
    table_rows = []
    for row in rows:
        if row.exemption is not None:
            table_rows.append(["—", "免于排名", row.name, *[""] * len(ranking_rules.WEIGHTS),
                               f"理由：{row.exemption.reason}"])
        else:
            table_rows.append([row.rank, row.board_label, row.name, *[c.text for c in row.component_list()],
                               row.total_text])
    header = ["名次", "榜单", subject, *[str(ranking_rules.LABELS[k]) for k in ranking_rules.WEIGHTS], "总分"]
    _table(document, header, table_rows, widths=[1.2, 1.4, 5.2, 1.5, 1.5, 1.5, 1.5, 2.0])


def build_meeting_document(*, period):
    """The pack for ``period`` as a python-docx ``Document``."""
    c = meeting_contents(period=period)
    v = c["values"]
    document = Document()
    _styles(document)
    _page(document)
    props = document.core_properties
    props.title = f"{district_name()}重点项目建设调度会材料（{period.year}年{period.month}月）"
    props.author = f"{district_name()}重点建设项目事务中心"
    props.language = "zh-CN"

    document.add_paragraph(props.title, style="Title")
    subtitle = document.add_paragraph(f"（数据截至{period.end.year}年{period.end.month}月{period.end.day}日）")
    subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER

    document.add_paragraph("一、总体情况", style="Heading 1")
    for text in c["summary"]:
        paragraph = document.add_paragraph(clean_text(text))
        paragraph.paragraph_format.first_line_indent = Pt(24)

    document.add_paragraph("二、主要指标", style="Heading 1")
    _table(document, ["指标", "数值", "单位"],
           [[v[key].label, v[key].card, "" if v[key].figure.kind == RATE else v[key].unit]
            for key in HEADLINE_KEYS if key in v],
           widths=[8.5, 4.5, 2.5])

    document.add_paragraph("三、片区情况", style="Heading 1")
    _table(document, ["片区", "年度计划（万元）", f"{period.label}完成（万元）", "完成率", "流动红旗总分"],
           [[row["area"].name, numbers.wan(row["target"]), numbers.wan(row["completed"]),
             numbers.percent_text(row["rate"]),
             score_text(row["score"].total) if row["score"] else "未考评"] for row in c["areas"]],
           widths=[2.5, 3.6, 3.6, 2.4, 3.0])

    document.add_paragraph("四、红黑榜", style="Heading 1")
    weights = " + ".join(f"{ranking_rules.LABELS[k]}×{w}" for k, w in ranking_rules.WEIGHTS.items())
    _note(document, f"总分 = {weights}（各项0–100分，无可评内容的项不计）；前{ranking_rules.LIST_SIZE}名为红榜，"
                    f"后{ranking_rules.LIST_SIZE}名为黑榜。")
    document.add_paragraph("（一）片区", style="Heading 2")
    _ranking_table(document, c["ranking"][AREAS], "片区")
    document.add_paragraph("（二）责任单位", style="Heading 2")
    _ranking_table(document, c["ranking"][UNITS], "责任单位")

    document.add_paragraph("五、滞后项目及存在问题", style="Heading 1")
    counts = sorted(((ProblemType(kind).label, n) for kind, n in c["problem_counts"] if n),
                    key=lambda item: ProblemType.labels.index(item[0]))
    if counts:
        document.add_paragraph(f"期末未解决问题{sum(n for _kind, n in counts)}个，其中"
                               + "、".join(f"{label}{n}个" for label, n in counts) + "。")
    if not c["laggards"]:
        document.add_paragraph("本月无亮红灯、黄灯的项目。")
    rag_labels = dict(Rag.choices)
    rows = []
    for entry in c["laggards"]:
        problems = "；".join(f"{p.get_type_display()}：{p.description}"
                            + (f"（{p.responsible_unit.name}，{p.deadline:%m月%d日}前）" if p.responsible_unit and p.deadline
                               else f"（{p.responsible_unit.name}）" if p.responsible_unit else "")
                            for p in entry.open_problems) or "—"
        orders = "；".join(f"{OrderState(o.state_at_end).label}（{COLOUR_LABELS[o.colour]}，{o.deadline:%m月%d日}）"
                           for o in entry.open_orders) or "—"
        rows.append([entry.project.name, entry.project.area.name, str(rag_labels.get(entry.rag, entry.rag)),
                     numbers.percent_text(entry.completion_rate),
                     problems, orders])
    if rows:
        _table(document, ["项目", "片区", "亮灯", "完成率", "未解决问题", "督办"], rows,
               widths=[3.4, 1.2, 1.2, 1.6, 4.8, 3.4])

    document.add_paragraph("六、督办事项（未办结）", style="Heading 1")
    if c["orders"]:
        _table(document, ["项目", "责任单位", "督办内容", "办理时限", "期末状态", "期末环节"],
               [[o.project.name, o.responsible_unit.name, o.content, f"{o.deadline:%Y-%m-%d}",
                 COLOUR_LABELS[o.colour], OrderState(o.state_at_end).label] for o in c["orders"]],
               widths=[3.0, 2.6, 4.4, 2.8, 1.4, 1.4])
    else:
        document.add_paragraph("期末无未办结的督办事项。")
    if c["order_stats"]:
        document.add_paragraph(f"各责任单位督办办理情况（{period.label}）", style="Heading 2")
        _table(document, ["责任单位", "督办", "办结", "办结率", "按时办结", "超期未办结", "平均办结天数", "退回次数"],
               [[row["name"], row["total"], row["closed"], row["rate_text"], row["on_time"],
                 row["overdue"], row["avg_days_text"], row["returned"]] for row in c["order_stats"]],
               widths=[4.4, 1.3, 1.3, 1.6, 1.7, 1.9, 2.0, 1.4])

    document.add_paragraph("七、逾期节点", style="Heading 1")
    overdue = [m for group in c["overdue"] for m in group["milestones"]]
    if overdue:
        _table(document, ["片区", "项目", "节点", "计划完成", "逾期天数"],
               [[m.project.area.name, m.project.name, m.name, f"{m.planned_on:%Y-%m-%d}", m.days_late]
                for m in overdue], widths=[1.5, 5.2, 3.6, 2.9, 1.8])
    else:
        document.add_paragraph("期末无逾期节点。")

    document.add_paragraph("八、下月节点计划", style="Heading 1")
    if c["next_nodes"]:
        _table(document, ["片区", "项目", "节点", "计划完成"],
               [[m.project.area.name, m.project.name, m.name, f"{m.planned_on:%Y-%m-%d}"] for m in c["next_nodes"]],
               widths=[1.5, 6.4, 4.2, 2.9])
    else:
        document.add_paragraph("下月无计划完成的节点。")
    return document


def meeting_docx_bytes(*, period):
    buffer = BytesIO()
    build_meeting_document(period=period).save(buffer)
    return buffer.getvalue()
