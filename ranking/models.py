"""红黑榜: the monthly rankings are computed (``ranking.selectors``); only the exemptions are stored.

An exemption (免于排名) takes an area or a responsible unit out of one month's ranking for a
reason a leader accepts — force majeure (不可抗力: flood season, an epidemic closure, a higher
authority's halt order). It is recorded with who and when, and the page shows the reason where
the row would have been ranked.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portfolio.validators import month_constraint
from projects.models import Area, Organisation


class Exemption(models.Model):
    """One area or one responsible unit exempted from one month's 红黑榜, with the reason."""

    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    area = models.ForeignKey(Area, models.CASCADE, null=True, blank=True, related_name="ranking_exemptions",
                             verbose_name=_("片区"))
    organisation = models.ForeignKey(Organisation, models.CASCADE, null=True, blank=True,
                                     related_name="ranking_exemptions", verbose_name=_("责任单位"))
    reason = models.CharField(_("免于排名理由"), max_length=300,
                              help_text=_("如：汛期停工、疫情封控、上级通知暂停施工等不可抗力。"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
                           verbose_name=_("登记人"))
    at = models.DateTimeField(_("登记时间"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "month", "id"]
        verbose_name = _("红黑榜免于排名")
        verbose_name_plural = _("红黑榜免于排名")
        constraints = [
            month_constraint("exemption_month_valid"),
            models.CheckConstraint(
                condition=(Q(area__isnull=False) & Q(organisation__isnull=True))
                | (Q(area__isnull=True) & Q(organisation__isnull=False)),
                name="exemption_area_or_organisation",
                violation_error_message=_("免于排名须指定一个片区或一个责任单位（二选一）。"),
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="exemption_has_reason",
                                   violation_error_message=_("免于排名须填写理由。")),
            models.UniqueConstraint(fields=["year", "month", "area"], condition=Q(area__isnull=False),
                                    name="one_exemption_per_area_month",
                                    violation_error_message=_("该片区本月已登记免于排名。")),
            models.UniqueConstraint(fields=["year", "month", "organisation"],
                                    condition=Q(organisation__isnull=False),
                                    name="one_exemption_per_unit_month",
                                    violation_error_message=_("该责任单位本月已登记免于排名。")),
        ]

    def __str__(self):
        return f"{self.year}年{self.month}月 {self.area or self.organisation} 免于排名"
