"""Property-based (hypothesis): the month form's POST and the month template's cells and bytes,
mutated at random, never give a 500 and never save half a month — a response either saved
every posted row (a redirect) or changed nothing. 300 + 300 generated cases per run."""
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from investment.models import MonthlyProgress
from tests import hostile_uploads as hostile
from tests.progress_support import MONTH, YEAR, form_data, month_url, world  # noqa: F401

pytestmark = pytest.mark.slow  # 600 cases take about a minute on two shared cores

EXAMPLES = 300
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

HOSTILE_TEXT = ["", "-1", "0", "9223372036854775808", "abc", "1e999", "NaN", "inf", "0.30000000000000004",
                "100.001", "120", "＝1+1", "<script>", "１２", " 5 ", "1,5", "\x00", "99999999999999"]
values = st.one_of(st.sampled_from(HOSTILE_TEXT), st.text(max_size=12))

CELL_VALUES = ["<v>INF</v>", "<v>NaN</v>", "<v>-1</v>", "<v>1e999</v>", "<v>0.30000000000000004</v>",
               "<v>120</v>", "<v>5</v>", "<v></v>", 't="s"><v>5</v>', 't="b"><v>2</v>', 't="b"><v>1</v>',
               't="e"><v>#DIV/0!</v>', 't="inlineStr"><is><t>abc</t></is>', 't="inlineStr"><is></is>',
               't="str"><v>=1</v>', 't="d"><v>2020-13-45</v>', 't="zz"><v>1</v>']
CELLS = [f"{col}{row}" for col in "ABDEHIJKLM" for row in (4, 5)] + ["H6", "A9999", "N4"]


def state():
    return sorted(MonthlyProgress.objects.values_list(
        "entry_id", "month", "completed", "physical_percent", "physical_progress", "problems", "version"))


def check(response, before):
    """Returns the rows after a refusal (the same as before), or None after a save (302)."""
    assert response.status_code in (200, 302, 400, 403), response.status_code
    if response.status_code == 302:
        return None
    after = state()
    assert after == before  # refused: nothing saved
    return after


def state_before(month):
    """The rows as the last example left them: read again only after a save (or an example that
    stopped before its check); each example runs after the last in the same transaction."""
    before = month.rows if month.rows is not None else state()
    month.rows = None  # unknown until this example's check
    return before


@given(data=st.data())
@SETTINGS
def test_mutated_month_form_posts(month, data):
    client, form = month.client, month.form
    post = dict(form)
    for key in data.draw(st.lists(st.sampled_from(sorted(post)), max_size=4, unique=True)):
        if data.draw(st.booleans()):
            del post[key]
        else:
            post[key] = data.draw(values)
    before = state_before(month)
    month.rows = check(client.post(month_url(), post), before)


@given(data=st.data())
@SETTINGS
def test_mutated_month_template_uploads(month, data):
    client, content = month.client, month.template
    for ref in data.draw(st.lists(st.sampled_from(CELLS), max_size=3)):
        content = hostile.with_cell(content, ref, data.draw(st.sampled_from(CELL_VALUES)))
    if data.draw(st.integers(0, 4)) == 0:  # damage the bytes of the zip now and then
        at = data.draw(st.integers(0, len(content) - 1))
        content = content[:at] + bytes([data.draw(st.integers(0, 255))]) + content[at + 1:]
    before = state_before(month)
    response = client.post(reverse("investment:upload", args=[YEAR, MONTH]),
                           {"file": SimpleUploadedFile("m.xlsx", content)})
    month.rows = check(response, before)


@pytest.fixture
def month(world):
    """The client, the page's POST (form), the month template with one cell filled (template) and
    the rows as the last example left them (rows, None when unknown): one world per test —
    hypothesis runs every example inside the test's transaction and builds this fixture once per
    test, not per example — so rows saved by earlier examples stay, and later examples start from
    a month partly entered."""
    client = Client(raise_request_exception=False)
    client.force_login(world.staff_s)
    form = form_data(client.get(month_url()))
    template = client.get(reverse("investment:template", args=[YEAR, MONTH])).content
    return SimpleNamespace(client=client, form=form, template=hostile.with_cell(template, "H5", "<v>10</v>"),
                           rows=None)
