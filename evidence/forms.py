"""Input parsing of the evidence pages (the services validate across fields and rows)."""
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from portfolio.forms import IdMultipleChoiceField
from projects.permissions import INSPECTOR_ROLES

from .models import Award, InspectionKind, KeyPerson, Severity

IMAGE_ACCEPT = "image/jpeg,image/png"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input (Django's documented pattern); the list may be empty here, the
    form decides whether one of its inputs must have files."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_empty_file", True)  # refused by the image check, with the file's name
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class PhotoUploadForm(forms.Form):
    """Photos from the gallery or files (``photos``, several at once) or straight from a phone's
    camera (``camera``); both inputs are sent together."""

    photos = MultipleFileField(label=_("选择照片（可多选）"), widget=MultipleFileInput(
        attrs={"accept": IMAGE_ACCEPT, "class": "form-control form-control-sm"}))
    camera = MultipleFileField(label=_("拍照上传"), widget=MultipleFileInput(
        attrs={"accept": "image/*", "capture": "environment", "class": "form-control form-control-sm"}))
    caption = forms.CharField(label=_("说明"), max_length=200, required=False,
                              widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}))

    def uploads(self):
        return [*self.cleaned_data.get("photos", []), *self.cleaned_data.get("camera", [])]


class KeyPersonForm(forms.ModelForm):
    class Meta:
        model = KeyPerson
        fields = ["post", "name", "certificate_no"]


class AttendanceImportForm(forms.Form):
    file = forms.FileField(label=_("考勤表（.xlsx）"), widget=forms.ClearableFileInput(
        attrs={"accept": ".xlsx", "class": "form-control form-control-sm"}))


def inspector_choices():
    """The users who may be named 检查人 (``projects.permissions.INSPECTOR_ROLES``)."""
    return get_user_model().objects.filter(is_active=True, groups__name__in=INSPECTOR_ROLES) \
        .distinct().order_by("username")


class InspectionForm(forms.Form):
    kind = forms.ChoiceField(label=_("检查类型"), choices=InspectionKind.choices)
    inspected_on = forms.DateField(label=_("检查日期"), widget=forms.DateInput(attrs={"type": "date"}))
    inspectors = IdMultipleChoiceField(label=_("检查人"), queryset=get_user_model().objects.none())
    note = forms.CharField(label=_("说明"), max_length=300, required=False)
    description = forms.CharField(label=_("发现问题"), max_length=500, required=False)
    severity = forms.ChoiceField(label=_("严重程度"), choices=Severity.choices, required=False)
    deadline = forms.DateField(label=_("整改期限"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspectors"].queryset = inspector_choices()
        for field in self.fields.values():
            css = "form-select form-select-sm" if isinstance(field.widget, forms.Select) else "form-control form-control-sm"
            field.widget.attrs.setdefault("class", css)

    def clean(self):
        data = super().clean()
        if data.get("description") and not data.get("deadline"):
            self.add_error("deadline", _("请填写整改期限。"))
        return data


class EvidenceForm(forms.Form):
    photo = forms.FileField(label=_("整改照片"), widget=forms.ClearableFileInput(
        attrs={"accept": "image/*", "capture": "environment", "class": "form-control form-control-sm"}))


class AwardForm(forms.ModelForm):
    class Meta:
        model = Award
        fields = ["name", "year", "awarded_on", "issuer"]
