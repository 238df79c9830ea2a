"""Input parsing of the problem and 督办 pages (rules are the services')."""
from django import forms
from django.utils.translation import gettext_lazy as _

from portfolio.forms import IdChoiceField
from projects.models import Milestone, Organisation, Project

from .models import OrderSource, Problem, ProblemType


class BootstrapMixin:
    """Bootstrap's classes on every widget; dates as date pickers, text areas three rows high."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()

    def style(self):
        for f in self.fields.values():
            if isinstance(f, forms.DateField):
                f.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            if isinstance(f.widget, forms.Textarea):
                f.widget.attrs.setdefault("rows", 3)
            f.widget.attrs.setdefault("class", "form-select" if isinstance(f.widget, forms.Select) else "form-control")


class ProblemForm(BootstrapMixin, forms.Form):
    project = IdChoiceField(label=_("项目"), queryset=Project.objects.none())
    type = forms.ChoiceField(label=_("问题类型"), choices=ProblemType.choices)
    description = forms.CharField(label=_("问题描述"), widget=forms.Textarea, max_length=2000)
    responsible_unit = IdChoiceField(label=_("责任单位"), queryset=Organisation.objects.order_by("name"),
                                     required=False)
    deadline = forms.DateField(label=_("解决时限"), required=False)
    year = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=2000, max_value=2100)
    month = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=12)

    def __init__(self, data=None, *, projects, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["project"].queryset = projects


class ProblemEditForm(BootstrapMixin, forms.Form):
    type = forms.ChoiceField(label=_("问题类型"), choices=ProblemType.choices)
    description = forms.CharField(label=_("问题描述"), widget=forms.Textarea, max_length=2000)
    responsible_unit = IdChoiceField(label=_("责任单位"), queryset=Organisation.objects.order_by("name"),
                                     required=False)
    deadline = forms.DateField(label=_("解决时限"), required=False)
    loaded_change = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20)
    """The problem's version the page showed (``services.problem_version``): a second tab's save is refused."""


class ProblemCloseForm(BootstrapMixin, forms.Form):
    resolution = forms.CharField(label=_("解决情况"), widget=forms.Textarea, max_length=2000, required=False)


class OrderForm(BootstrapMixin, forms.Form):
    project = IdChoiceField(label=_("项目"), queryset=Project.objects.select_related("area").order_by("code"))
    source = forms.ChoiceField(label=_("督办来源"), choices=OrderSource.choices)
    problem = IdChoiceField(label=_("问题"), queryset=Problem.objects.none(), required=False,
                            widget=forms.HiddenInput)
    milestone = IdChoiceField(label=_("节点"), queryset=Milestone.objects.all(), required=False,
                              widget=forms.HiddenInput)
    content = forms.CharField(label=_("督办内容"), widget=forms.Textarea, max_length=2000)
    responsible_unit = IdChoiceField(label=_("责任单位"), queryset=Organisation.objects.order_by("name"))
    deadline = forms.DateField(label=_("办理时限"))

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["problem"].queryset = Problem.objects.all()


class StepForm(BootstrapMixin, forms.Form):
    text = forms.CharField(label=_("内容"), widget=forms.Textarea, max_length=2000, required=False)
