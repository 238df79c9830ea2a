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
    """A filter and a sort the page itself offers: the first area (when the filter form has an
    area field) and the descending sort of its completion column (else its first sort link)."""
    import re

    from projects.models import Area

    html = get_ok(client, URL).content.decode()
    params = {}
    area = Area.objects.order_by("order").first()
    if 'name="area"' in html and area:
        params["area"] = area.pk
    sorts = list(dict.fromkeys(s.lstrip("-") for s in re.findall(r"[?&;]sort=([-\w.]+)", html)))
    preferred = [s for s in sorts if "completed" in s] or sorts
    if preferred:
        params["sort"] = f"-{preferred[0]}"
    return params
