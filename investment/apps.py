from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvestmentConfig(AppConfig):
    name = "investment"
    verbose_name = _("投资计划与进度")

    def ready(self):
        from .rollups import connect_signals

        connect_signals()
