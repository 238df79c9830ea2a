"""Tables of the problem list and the 督办 list."""
import django_tables2 as tables
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from portfolio.links import pk_url
from portfolio.tables import NUM, AreaColumn, BaseTable, DateColumn, ProjectLinkColumn

from .models import Order, OrderState, Problem
from .selectors import COLOUR_LABELS, closed_by, deadline_colour


def colour_badge(colour):
    css = {"red": "danger", "amber": "warning", "green": "success", "done": "secondary"}[colour]
    return format_html('<span class="badge text-bg-{}" data-colour="{}">{}</span>', css, colour, COLOUR_LABELS[colour])


class AsOfTable(BaseTable):
    """A table whose rows are shown as they stood at ``as_of`` (a date; None: now)."""

    def __init__(self, *args, as_of=None, **kwargs):
        self.as_of = as_of
        super().__init__(*args, **kwargs)


class ProblemTable(AsOfTable):
    """Rows of ``problems_in_period``; the status is as of ``as_of`` (the period's end)."""

    id = tables.Column(_("编号"), linkify=lambda record: pk_url("problem_detail", record.pk))
    project = ProjectLinkColumn()
    area = AreaColumn()
    type = tables.Column(_("问题类型"))
    description = tables.Column(_("问题描述"))
    responsible_unit = tables.Column(_("责任单位"), accessor="responsible_unit__name", default="—")
    deadline = DateColumn(verbose_name=_("解决时限"))
    raised_at = DateColumn(verbose_name=_("提出日期"))
    status = tables.Column(_("状态"), order_by=("status", "closed_at"))
    closed_at = DateColumn(verbose_name=_("解决日期"))
    resolution = tables.Column(_("解决情况"))

    class Meta(BaseTable.Meta):
        model = Problem
        default_columns = ("id", "project", "area", "type", "description", "responsible_unit", "deadline",
                           "raised_at", "status")
        order_by = ("-raised_at",)

    def render_description(self, value):
        return Truncator(value).chars(60)

    def closed(self, record):
        """Closed by ``as_of`` (the period's end: ``selectors.closed_by``, the rule of ``open_q``)."""
        return closed_by(record, self.as_of) if self.as_of is not None else record.closed_at is not None

    def render_status(self, record):
        if self.closed(record):
            return format_html('<span class="badge text-bg-secondary">{}</span>', _("已解决"))
        return format_html('<span class="badge text-bg-danger">{}</span>', _("待解决"))

    def value_status(self, record):
        return _("已解决") if self.closed(record) else _("待解决")


class OrderTable(AsOfTable):
    """Rows of ``orders_in_period``; the state at the period's end, the colour at ``as_of``
    (``selectors.status_date``: the period's end, or today while it runs: ``deadline_colour``)."""

    id = tables.Column(_("编号"), linkify=lambda record: pk_url("order_detail", record.pk))
    project = ProjectLinkColumn()
    area = AreaColumn()
    source = tables.Column(_("来源"))
    content = tables.Column(_("督办内容"))
    responsible_unit = tables.Column(_("责任单位"), accessor="responsible_unit__name")
    issued_at = DateColumn(verbose_name=_("下发日期"))
    deadline = DateColumn(verbose_name=_("办理时限"))
    colour = tables.Column(_("时限"), accessor="deadline", order_by=("deadline",), empty_values=())
    state = tables.Column(_("状态"), accessor="state_at_end", order_by=("state_at_end",))
    times_returned = tables.Column(_("退回次数"), attrs=NUM)
    closed_at = DateColumn(verbose_name=_("办结日期"))

    class Meta(BaseTable.Meta):
        model = Order
        default_columns = ("id", "project", "area", "source", "content", "responsible_unit", "issued_at",
                           "deadline", "colour", "state", "times_returned")
        order_by = ("-issued_at",)

    def render_content(self, value):
        return Truncator(value).chars(60)

    def render_state(self, value):
        """The state at the period's end (``selectors.with_state_at``), as the 办结 figures count it."""
        return OrderState(value).label

    def value_state(self, value):
        return str(OrderState(value).label)

    def render_colour(self, record):
        return colour_badge(deadline_colour(record, self.as_of))

    def value_colour(self, record):
        return str(COLOUR_LABELS[deadline_colour(record, self.as_of)])
