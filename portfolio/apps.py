from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortfolioConfig(AppConfig):
    name = "portfolio"
    verbose_name = _("综合")

    def ready(self):
        from . import security  # noqa: F401  (registers the deployment check)
        from . import versions

        versions.connect()
