"""The project list page /projects/ (issue 5): filtered, sorted, page 1, as a leader.

Target: ≤ 15 queries at every size. Skipped with a note while the page does not exist.
"""
from common import REPEAT, client_for, get_ok, result, timed

URL = "/projects/"


def run(ctx):
    from django.urls import Resolver404, resolve

    try:
        resolve(URL)
    except Resolver404:
        return [result("project list", note=f"skipped: {URL} not on main yet")]
    client = client_for("lingdao1")
    params = list_params(client)
    ms, queries = timed(lambda: get_ok(client, URL, **params))
    return [result("project list", ms=ms, queries=queries, target="≤15 queries", ok=queries <= 15,
                   note=f"median of {REPEAT}; GET {URL}?{'&'.join(f'{k}={v}' for k, v in params.items())}")]


def list_params(client):
    """A filter and a sort the page's own form offers (area + kind when present, sort by
    total investment descending when the table sorts by it)."""
    from projects.models import Area

    html = get_ok(client, URL).content.decode()
    params = {}
    area = Area.objects.order_by("order").first()
    if 'name="area"' in html and area:
        params["area"] = area.pk
    if 'name="kind"' in html:
        params["kind"] = "road"
    for sort in ("-total_investment", "-code", "code"):
        if f"sort={sort}" in html or f"sort={sort.lstrip('-')}" in html:
            params["sort"] = sort
            break
    return params
