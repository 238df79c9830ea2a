"""Open data pages: the OC4IDS package of a year as JSON, the CoST IDS coverage page, and the
administrator's choice of what is published. The package and the coverage page need a login
unless ``OPEN_DATA_PUBLIC`` is set (then anyone may read them — they hold only what an
administrator marked publishable); the choice page is for administrators only.

Served to anonymous readers, the package is kept in the cache for ``PUBLIC_CACHE_SECONDS``: however
often it is asked for, it is built at most once per year and period (a few hundred KB, 6 queries).
Logged-in users always get it fresh."""
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from portfolio.exports.responses import content_disposition
from portfolio.validators import parse_id
from projects.permissions import is_admin

from . import cost_ids
from .package import build_package, package_uri
from .selectors import package_data, publication_rows, publishable_years
from .services import publications_set


PUBLIC_CACHE_SECONDS = 300


class OpenDataAccessMixin:
    def dispatch(self, request, *args, **kwargs):
        if not (settings.OPEN_DATA_PUBLIC or request.user.is_authenticated):
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)


def _ids(values):
    """Posted project ids; ValueError for one that is no id (``parse_id``)."""
    ids = [parse_id(v) for v in values]
    if None in ids:
        raise ValueError
    return ids


def chosen_year(request, years):
    """(year, error): the ``year`` asked for when it has a plan, else the newest plan year."""
    raw = (request.GET.get("year") or "").strip()
    if not raw:
        return (years[0] if years else None), None
    if raw.isdecimal() and len(raw) <= 4 and int(raw) in years:
        return int(raw), None
    return None, _("没有“%(value)s”年度的计划，可选年度：%(years)s。") % {
        "value": raw[:20], "years": "、".join(str(y) for y in years) or "无"}


def year_context(request):
    """The pages' year: the years with a plan, the year asked for (``chosen_year``) and why not."""
    years = publishable_years()
    year, error = chosen_year(request, years)
    return {"years": years, "year": year, "error": error}


class PackageView(OpenDataAccessMixin, View):
    """/open-data/oc4ids.json?year= — the year's OC4IDS project package (``?download=1``: as a file)."""

    http_method_names = ["get", "head"]

    def get(self, request):
        year, error = chosen_year(request, publishable_years())
        if year is None:
            return JsonResponse({"error": error or _("尚无年度计划。")}, status=404,
                                json_dumps_params={"ensure_ascii": False})
        uri = package_uri(year, request.build_absolute_uri("/"))

        def body():
            return json.dumps(build_package(year, uri=uri), ensure_ascii=False, indent=1)

        if request.user.is_authenticated:
            text = body()
        else:
            text = cache.get_or_set(f"opendata:package:{uri}", body, PUBLIC_CACHE_SECONDS)
        response = HttpResponse(text, content_type="application/json; charset=utf-8")
        if request.GET.get("download"):
            response["Content-Disposition"] = content_disposition(f"oc4ids-{year}.json")
        return response


class CoverageView(OpenDataAccessMixin, TemplateView):
    """/open-data/?year= — per published project, the CoST IDS items the package discloses."""

    template_name = "opendata/coverage.html"

    def get_context_data(self, **kwargs):
        context = {**super().get_context_data(**kwargs), **year_context(self.request)}
        context.update(items=cost_ids.ITEMS, can_publish=is_admin(self.request.user))
        year = context["year"]
        if year is not None:
            package = build_package(year, data=package_data(year=year))
            rows, counts = cost_ids.coverage(package)
            context.update(rows=rows, item_counts=[(item, counts[item.key]) for item in cost_ids.ITEMS],
                           json_url=f"{reverse('opendata:package')}?year={year}",
                           can_validate=self.request.user.is_authenticated)
            # Validation costs about a second of CPU: on request, and for logged-in users only.
            if self.request.GET.get("validate") and self.request.user.is_authenticated and rows:
                # imported here: the validator's libraries (libcove, flattentool, jsonschema) cost
                # ~0.5 s of CPU to import, which every process loading the URLs (each worker,
                # `manage.py` command, `check --deploy`) paid at start-up for a page seldom asked for
                from .validation import validate_package

                context["validation"] = validate_package(package)
        return context


class PublicationView(TemplateView):
    """/open-data/publish/?year= — 管理员 ticks the projects of the year's plan to publish."""

    template_name = "opendata/publish.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_admin(request.user):
            raise PermissionDenied(_("只有管理员可以设置开放数据发布。"))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = {**super().get_context_data(**kwargs), **year_context(self.request)}
        context["rows"] = publication_rows(year=context["year"]) if context["year"] is not None else []
        return context

    def post(self, request):
        years = publishable_years()
        year, error = chosen_year(request, years)
        if year is None:
            messages.error(request, error or _("尚无年度计划。"))
            return redirect("opendata:publish")
        try:
            listed, chosen = _ids(request.POST.getlist("listed")), _ids(request.POST.getlist("publishable"))
        except ValueError:
            messages.error(request, _("提交的项目编号无效，请刷新页面后重试。"))
            return redirect(f"{reverse('opendata:publish')}?year={year}")
        try:
            changed = publications_set(user=request.user, project_ids=listed, publishable_ids=chosen)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("已保存：%(n)s个项目的发布设置有变化。") % {"n": changed})
        return redirect(f"{reverse('opendata:publish')}?year={year}")
