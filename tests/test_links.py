"""portfolio.links: the URL of the records behind a figure (the dashboard's ~140 links)."""
from django.urls import set_script_prefix

from portfolio.links import records_link
from portfolio.numbers import Period
from portfolio.templatetags.links import records_url


def test_a_records_link_carries_its_query_without_empty_values():
    assert records_link("projects:list", {"year": 2025, "month": 12, "rag": "red", "area": None, "q": ""},
                        anchor="top") == "/projects/?year=2025&month=12&rag=red#top"
    assert records_url("projects:list", Period(2025, 6), sort="-completed_to_date") == \
        "/projects/?year=2025&month=6&sort=-completed_to_date"
    assert records_url("projects:list") == "/projects/"


def test_a_records_link_follows_the_script_prefix():
    """Served under a path of the intranet host (SCRIPT_NAME /zdxm/), every link starts with it,
    although the list's path is reversed once and remembered."""
    assert records_link("projects:list") == "/projects/"
    set_script_prefix("/zdxm/")
    try:
        assert records_link("projects:list", {"year": 2025}) == "/zdxm/projects/?year=2025"
    finally:
        set_script_prefix("/")
    assert records_link("projects:list") == "/projects/"
