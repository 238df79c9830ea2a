"""django-filter's strings are shown in corrected Simplified Chinese (locale/zh_Hans)."""
from django.utils import translation
from django.utils.translation import gettext


def test_django_filter_strings_are_translated_for_zh_hans():
    from django_filters.fields import BaseRangeField, LookupChoiceField

    with translation.override("zh-hans"):
        assert gettext("week day") == "星期几"  # the bundled zh_CN says 工作日
        assert gettext("has key") == "包含键"
        assert gettext("Multiple values may be separated by commas.") == "多个值请用英文逗号分隔。"
        assert gettext("%s (descending)") % "金额" == "金额（降序）"
        assert str(BaseRangeField.default_error_messages["invalid_values"]) == "范围查询需要两个值。"
        assert str(LookupChoiceField.default_error_messages["lookup_required"]) == "请选择查询方式。"


def test_every_django_filter_string_has_a_translation():
    import pathlib

    po = (pathlib.Path(__file__).resolve().parents[1] / "locale/zh_Hans/LC_MESSAGES/django.po").read_text("utf-8")
    assert 'msgstr ""\n\n' not in po.split('msgstr ""\n', 1)[1]  # only the header is empty
    assert (pathlib.Path(__file__).resolve().parents[1] / "locale/zh_Hans/LC_MESSAGES/django.mo").exists()
