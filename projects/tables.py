"""Tables of the project list and the milestone list."""
import django_tables2 as tables
from django.db.models import DecimalField, ExpressionWrapper, F
from django.db.models.functions import NullIf
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from portfolio import numbers
from portfolio.rag import Rag
from portfolio.tables import NUM, AreaColumn, BaseTable, DateColumn, ProjectLinkColumn, WanColumn

from .models import Milestone, Phase, PlanCategory
from .selectors import days_late

CATEGORY_LABELS = dict(PlanCategory.choices)
PHASE_LABELS = dict(Phase.choices)
RAG_LABELS = dict(Rag.choices)


def rag_badge(value):
    return format_html('<span class="rag-dot rag-{}"></span>{}', value, RAG_LABELS.get(value, ""))


class ProjectTable(BaseTable):
    """Rows are ``portfolio.selectors.project_rows`` plan entries (one project in one year)."""

    code = tables.Column(_("项目代码"), accessor="project__code", attrs={"td": {"class": "project-code"}})
    name = ProjectLinkColumn(accessor="project", verbose_name=_("项目名称"))
    area = AreaColumn()
    kind = tables.Column(_("类型"), accessor="project__kind")
    category = tables.Column(_("年初类别"))
    current_category = tables.Column(_("当前类别"))
    is_municipal_key = tables.BooleanColumn(_("市重大"), yesno="是,")
    unplanned = tables.BooleanColumn(_("计划外"), yesno="是,")
    current_phase = tables.Column(_("阶段"))
    target = WanColumn(verbose_name=_("年度计划（万元）"))
    completed_to_date = WanColumn(verbose_name=_("累计完成（万元）"))
    completed_in_month = WanColumn(verbose_name=_("本月完成（万元）"))
    rate = tables.Column(_("完成率"), empty_values=(), attrs=NUM)
    rag = tables.Column(_("亮灯"), order_by=("rag",))
    planned_start = DateColumn(verbose_name=_("计划开工"), accessor="project__planned_start")
    actual_start = DateColumn(verbose_name=_("实际开工"), accessor="project__actual_start")
    resumed_on = DateColumn(verbose_name=_("复工日期"))
    planned_finish = DateColumn(verbose_name=_("计划完工"), accessor="project__planned_finish")
    owner_unit = tables.Column(_("业主单位"), accessor="project__owner_unit__name")
    contractor = tables.Column(_("施工单位"), accessor="project__contractor__name")
    total_investment = WanColumn(verbose_name=_("总投资（万元）"), accessor="project__total_investment", places=0)

    class Meta(BaseTable.Meta):
        default_columns = ("code", "name", "area", "current_category", "is_municipal_key", "current_phase",
                           "target", "completed_to_date", "rate", "rag", "planned_start", "actual_start")
        order_by = ("code",)

    def render_category(self, value):
        return CATEGORY_LABELS.get(value, value)

    def render_current_category(self, value):
        return CATEGORY_LABELS.get(value, value)

    def render_current_phase(self, value):
        return PHASE_LABELS.get(value, value)

    def render_kind(self, record):
        return record.project.get_kind_display()

    export_kinds = {"rate": "rate"}  # the Excel export writes 完成率 as a number shown as 0.0%

    total_columns = ("target", "completed_to_date", "completed_in_month", "total_investment")

    def total_rate(self, totals):
        """完成率 of the 合计 row: the rows' 1-N月 completion ÷ their annual targets."""
        return numbers.rate(totals["completed_to_date"], totals["target"])

    def render_total_rate(self, value):
        return numbers.percent_text(value)

    def value_rate(self, record):
        return numbers.rate(record.completed_to_date, record.target)

    def render_rate(self, record):
        return numbers.percent_text(numbers.rate(record.completed_to_date, record.target))

    def order_rate(self, queryset, is_descending):
        share = ExpressionWrapper(F("completed_to_date") / NullIf(F("target"), 0),
                                  output_field=DecimalField(max_digits=20, decimal_places=6))
        order = share.desc(nulls_last=True) if is_descending else share.asc(nulls_first=True)
        return queryset.order_by(order, "project__code"), True

    def render_rag(self, value):
        return rag_badge(value)


class MilestoneTable(BaseTable):
    project = ProjectLinkColumn()
    area = AreaColumn()
    name = tables.Column(_("节点"))
    planned_on = DateColumn(verbose_name=_("计划完成"))
    done_on = DateColumn(verbose_name=_("实际完成"))
    days_late = tables.Column(_("逾期天数"), empty_values=(), orderable=False, attrs=NUM)
    note = tables.Column(_("备注"))

    class Meta(BaseTable.Meta):
        model = Milestone
        sequence = ("project", "area", "name", "planned_on", "done_on", "days_late", "note")
        order_by = ("planned_on",)

    def __init__(self, *args, as_of=None, **kwargs):
        self.as_of = as_of
        super().__init__(*args, **kwargs)

    def render_days_late(self, record):
        """Days late (``projects.selectors.days_late``) at ``as_of``: the end of the list's period."""
        days = days_late(record, self.as_of or timezone.localdate())
        return days or "—"
