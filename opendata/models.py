"""Which projects the center publishes as open data (OC4IDS), set by an administrator."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from projects.models import Project


class Publication(models.Model):
    """A project's open-data flag: only projects with ``publishable`` set appear in the OC4IDS
    package and on the coverage page. No row = not published."""

    project = models.OneToOneField(Project, models.CASCADE, related_name="publication", verbose_name=_("项目"))
    publishable = models.BooleanField(_("公开发布"), default=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("设置人"),
    )
    changed_at = models.DateTimeField(_("设置时间"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["project__code"]
        verbose_name = _("开放数据发布")
        verbose_name_plural = _("开放数据发布")

    def __str__(self):
        return f"{self.project} {'公开' if self.publishable else '不公开'}"
