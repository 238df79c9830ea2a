"""Audit on the month page: it shows who last changed each row (the change history itself:
tests/test_history.py)."""
from django.urls import reverse

from tests.progress_support import MONTH, save, world  # noqa: F401


def test_month_page_shows_who_last_changed_each_row(client, world):
    world.staff_s.first_name = "张三"
    world.staff_s.save()
    client.force_login(world.staff_s)
    save(client, {world.s1.pk: {"completed": "1"}})
    client.force_login(world.leader)
    html = client.get(reverse("investment:month", args=[2020, MONTH])).content.decode()
    row = html[html.index(f'id="entry-{world.s1.pk}"'):]
    assert 'data-cell="changed-by">张三<br>' in row[:row.index("</tr>")]
    row2 = html[html.index(f'id="entry-{world.s2.pk}"'):]
    assert 'data-cell="changed-by">未填报' in row2[:row2.index("</tr>")]
