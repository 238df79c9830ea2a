"""WSGI entry point (gunicorn portfolio.wsgi; gunicorn's settings in portfolio/gunicorn_conf.py)."""
import os
from pathlib import Path

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portfolio.settings")
application = get_wsgi_application()


def warm_up():
    """What each worker would otherwise do on its first requests, done once before gunicorn forks
    the workers (``preload_app``): import every view through the URLconf, load the translations
    and compile every template (the cached template loader keeps them). No database: a
    connection opened here would be shared by the forked workers."""
    from django.db import connections
    from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines
    from django.urls import get_resolver, reverse
    from django.utils import translation

    get_resolver().url_patterns  # imports every app's urls and views
    reverse("dashboard")  # builds the reverse index every {% url %} reads
    with translation.override(settings.LANGUAGE_CODE):
        translation.gettext("登录")  # loads the catalogues
    backend = engines["django"]
    for directory in backend.template_dirs:
        for path in sorted(Path(directory).rglob("*.html")):
            try:
                backend.engine.get_template(path.relative_to(directory).as_posix())
            except (TemplateDoesNotExist, TemplateSyntaxError):
                pass  # as before: such a template fails when a page uses it
    connections.close_all()


# Only where a master forks workers from it (gunicorn, production's settings): the development
# server (`make run`, DEBUG on) imports this module too, on every reload, and would pay ~1 s for it.
if os.environ.get("WSGI_WARM_UP", "0" if settings.DEBUG else "1") == "1":
    warm_up()
