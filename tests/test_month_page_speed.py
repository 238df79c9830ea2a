"""The month page's rows are written without a Django form per row (issue 19, speed): a GET
builds no row form, yet shows every input under the formset's names, and a refused save shows
what was typed with the message next to the cell."""
import re

from investment import forms
from tests.progress_support import form_data, month_url, world  # noqa: F401


def test_get_builds_no_row_form_and_keeps_the_formsets_names(client, world, monkeypatch):
    built = []
    original = forms.ProgressRowForm.__init__

    def counting(self, *args, **kwargs):
        built.append(1)
        original(self, *args, **kwargs)

    monkeypatch.setattr(forms.ProgressRowForm, "__init__", counting)
    client.force_login(world.staff_s)
    html = client.get(month_url()).content.decode()
    assert built == []
    assert 'name="rows-TOTAL_FORMS" value="2"' in html
    for i, entry in enumerate(sorted([world.s1, world.s2], key=lambda e: e.project.code)):
        assert f'<input type="hidden" name="rows-{i}-entry" value="{entry.pk}" id="id_rows-{i}-entry">' in html
        assert f'name="rows-{i}-completed" id="id_rows-{i}-completed"' in html


def test_refused_save_shows_the_typed_text_and_its_message(client, world):
    client.force_login(world.staff_s)
    page = client.get(month_url())
    response = client.post(month_url(), form_data(page, {world.s1.pk: {"completed": "12,5万<b>"}}))
    html = response.content.decode()
    row = re.search(rf'<tr id="entry-{world.s1.pk}".*?</tr>', html, re.S).group(0)
    assert 'value="12,5万&lt;b&gt;"' in row
    assert '<div class="invalid-feedback d-block cell-error">请输入数字。</div>' in row
    assert "is-invalid" in row
