"""/ranking/?year=&month=: the month's 红黑榜 — areas and responsible units, 红榜 at the top,
黑榜 at the bottom, every component of every row with the figures behind it, the exempted rows
with their reasons; administrators record (and withdraw) exemptions on the same page."""
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from investment.selectors import plan_years
from portfolio.numbers import Period
from portfolio.period import parse_period, request_period
from projects.permissions import is_admin

from . import rules, selectors, services
from .forms import ExemptionForm
from .models import Exemption


def _subjects(ranking):
    """The rows an exemption may name: {"area:<id>"|"unit:<id>": (label, object)}."""
    subjects = {}
    for kind, prefix, label in ((selectors.AREAS, "area", _("片区")), (selectors.UNITS, "unit", _("责任单位"))):
        for row in ranking[kind]:
            if row.exemption is None:
                subjects[f"{prefix}:{row.subject.pk}"] = (f"{label}：{row.name}", row.subject)
    return subjects


def ranking_url(period):
    return reverse("ranking:month") + "?" + urlencode({"year": period.year, "month": period.month})


def page_context(request, choice, form=None):
    """The page's context for the request's period (``choice``: a ``RequestPeriod``)."""
    period = choice.period
    ranking = selectors.monthly_ranking(period=period)
    admin = is_admin(request.user)
    if admin and form is None:
        form = ExemptionForm(subjects=_subjects(ranking))
    return {
        "period_choice": choice, "period": period, "years": plan_years() or [period.year], "ranking": ranking,
        "sections": [(selectors.AREAS, _("片区排名"), ranking[selectors.AREAS]),
                     (selectors.UNITS, _("责任单位排名"), ranking[selectors.UNITS])],
        "rules": [(rules.LABELS[k], w, rules.DEFINITIONS[k]) for k, w in rules.WEIGHTS.items()],
        "list_size": rules.LIST_SIZE, "is_admin": admin, "form": form,
    }


class RankingView(LoginRequiredMixin, TemplateView):
    template_name = "ranking/ranking.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **page_context(self.request, request_period(self.request))}


class ExemptionCreateView(LoginRequiredMixin, View):
    """POST year, month, subject, reason (administrators) → the exemption, back to the month's
    page; a bad form is shown again on the page with its Chinese messages, nothing saved."""

    def post(self, request):
        services.require_admin(request.user)
        choice = parse_period(request.POST)
        form = ExemptionForm(request.POST, subjects=_subjects(selectors.monthly_ranking(period=choice.period)))
        valid = form.is_valid()
        if choice.errors or choice.defaulted:
            form.add_error(None, _("年度或月份有误，未登记。"))
            valid = False
        if valid:
            try:
                services.exemption_create(user=request.user, year=choice.period.year, month=choice.period.month,
                                          reason=form.cleaned_data["reason"], **form.subject_kwargs())
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                return redirect(ranking_url(choice.period))
        return render(request, "ranking/ranking.html", page_context(request, choice, form))


class ExemptionDeleteView(LoginRequiredMixin, View):
    def post(self, request, pk):
        services.require_admin(request.user)
        exemption = get_object_or_404(Exemption, pk=pk)
        services.exemption_delete(user=request.user, exemption=exemption)
        return redirect(ranking_url(Period(exemption.year, exemption.month)))
