"""Every URL pattern, walked as anonymous, as a leader, as the 录入员 of another area and as an
administrator: who may see what, who may change what, and that no user text is rendered
unescaped. The patterns come from the resolver, so pages added later are covered too."""
import pytest
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.demo import SHARED, shared_fixture
from tests.urlwalk import HOSTILE, World, all_patterns, form_data, post_forms, snapshot

PUBLIC = {"login", "healthz", "admin:login"}  # pages anyone may open
LOGIN_FORMS = {"login", "admin:login"}        # POST there is a login attempt, not a change
OWN_ACCOUNT = {"password_change", "password_change_done"}  # anyone changes their own password
LOGOUTS = {"logout", "admin:logout"} | OWN_ACCOUNT  # anyone may log out (tests/test_passwords.py)
NO_OBJECT_PARAMS = {"year", "month", "app_label"}
SUPERVISES = {"order_create", "order_detail", "inbox"}  # leaders issue and review 督办, read their inbox (issue 16)


# built once per worker, each test in a savepoint inside it (tests/demo.py)
world = shared_fixture("url_world", World, fixture_name="world")


@pytest.fixture
def users(world):
    staff_b = factories.staff("luru_bei")
    world.assign(staff_b, world.other_area)
    return {
        "anonymous": None,
        "leader": factories.leader("lingdao"),
        "staff_other_area": staff_b,
        "admin": factories.admin_user("guanli"),
    }


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def body(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def is_html(response):
    return response.get("Content-Type", "").startswith("text/html")


def login_redirect(response):
    location = response.get("Location", "")
    return response.status_code == 302 and (
        location.startswith(reverse("login")) or location.startswith(reverse("admin:login")))


@pytest.fixture
def routes(world):
    """(route, url) for every pattern that can be reversed."""
    pairs = [(r, world.url(r)) for r in all_patterns()]
    return [(r, u) for r, u in pairs if u]


_harvested = {}


def harvested_posts(admin_client, routes):
    """For each non-admin URL, the POST forms an administrator is shown there (with their
    values), so that a refused user's POST is a real save attempt, not an empty one. The same for
    every test on the same shared world (same rows, same ids): harvested once per world."""
    key = (id(SHARED.atomic), SHARED.name)
    if SHARED.name == "url_world" and key in _harvested:
        return _harvested[key]
    logout = reverse("logout")
    posts = {}
    for route, url in routes:
        if route.is_admin or route.name in LOGIN_FORMS | LOGOUTS:
            continue
        response = admin_client.get(url)
        forms = post_forms(body(response).decode("utf-8", "replace"), logout) if is_html(response) else []
        posts[url] = [(f["action"] or url, form_data(f)) for f in forms] or [(url, {})]
    if SHARED.name == "url_world":
        _harvested.clear()
        _harvested[key] = posts
    return posts


def test_every_named_pattern_gets_a_url(world):
    unresolved = [r.route for r in all_patterns() if r.name and not world.url(r)]
    assert unresolved == []


def test_harvested_posts_are_real_edits(users, routes):
    """Control for the refusals below: the same POSTs made by an administrator do change data
    (on the pages that have edit forms), so a refused POST is refused, not merely invalid."""
    admin = client_for(users["admin"])
    posts = harvested_posts(admin, routes)
    edit_pages = {url for url, attempts in posts.items() if any(data for _, data in attempts)}
    if not edit_pages:
        pytest.skip("no page offers an edit form yet")
    changed = []
    before = snapshot()
    for url in sorted(edit_pages):
        for action, data in posts[url]:
            admin.post(action, data)
            after = snapshot()
            if after != before:
                changed.append(action)
            before = after
    assert changed, edit_pages


def test_anonymous_is_sent_to_login_everywhere(users, routes):
    client = client_for(None)
    before = snapshot()
    for route, url in routes:
        if route.name in PUBLIC | LOGOUTS:
            continue
        response = client.get(url)
        assert login_redirect(response) or response.status_code in (403, 404, 405), (url, response.status_code)
        if route.name in LOGIN_FORMS:
            continue
        response = client.post(url, {"name": "x"})
        assert login_redirect(response) or response.status_code in (403, 404, 405), (url, response.status_code)
    assert snapshot() == before


@pytest.mark.parametrize("who", ["leader", "staff_other_area"])
def test_non_admins_are_kept_out_of_the_admin_site(users, routes, who):
    client = client_for(users[who])
    before = snapshot()
    for route, url in routes:
        if not route.is_admin or route.name in PUBLIC | LOGOUTS:
            continue
        assert login_redirect(client.get(url)), url
        assert login_redirect(client.post(url, {"name": "x"})), url
    assert snapshot() == before


@pytest.mark.slow  # walks every URL: the whole suite, not the quick one
def test_leader_reads_everything_and_changes_nothing(users, routes):
    leader = client_for(users["leader"])
    posts = harvested_posts(client_for(users["admin"]), routes)
    readable = []
    for route, url in routes:
        if route.is_admin or route.name in PUBLIC | LOGOUTS:
            continue
        response = leader.get(url)
        assert response.status_code in (200, 302, 403, 405), (url, response.status_code)
        assert not login_redirect(response), url
        if response.status_code == 200:
            readable.append(url)
            if is_html(response) and route.name not in SUPERVISES:
                # A leader is never offered a form that would save something.
                forms = post_forms(body(response).decode(), reverse("logout"))
                fields = [field[0] for f in forms for field in f["fields"] if field[0] != "csrfmiddlewaretoken"]
                assert fields == [], url
    assert reverse("dashboard") in readable
    supervising = {url for route, url in routes if route.name in SUPERVISES}
    before = snapshot()  # unchanged after each refused POST: the state before the next one
    for url, attempts in posts.items():
        for action, data in attempts:
            response = leader.post(action, data)
            if url in supervising:  # a leader issues and reviews 督办: those rows may change
                before = snapshot()
                continue
            assert response.status_code in (403, 405), (action, response.status_code)
            assert snapshot() == before, action


@pytest.mark.slow  # walks every URL: the whole suite, not the quick one
def test_staff_of_another_area_reads_but_cannot_change_this_area(users, routes, world):
    staff = client_for(users["staff_other_area"])
    posts = harvested_posts(client_for(users["admin"]), routes)
    object_urls = set()
    for route, url in routes:
        if route.is_admin or route.name in PUBLIC | LOGOUTS:
            continue
        response = staff.get(url)
        assert response.status_code in (200, 302, 403, 405), (url, response.status_code)
        assert not login_redirect(response), url
        if set(route.parameters()) - NO_OBJECT_PARAMS:
            object_urls.add(url)
    before = snapshot()  # unchanged after each refused POST: the state before the next one
    for url, attempts in posts.items():
        for action, data in attempts:
            response = staff.post(action, data)
            if url in object_urls:
                assert response.status_code in (403, 404, 405), (action, response.status_code)
            assert snapshot() == before, action


def test_no_user_text_is_rendered_unescaped(users, routes, world):
    admin = client_for(users["admin"])
    leader = client_for(users["leader"])
    pages = [url for route, url in routes if not route.is_admin]
    pages += [reverse("admin:projects_project_changelist"),
              reverse("admin:projects_project_change", args=[world.project.pk])]
    shown_escaped = []
    for url in pages:
        for client in (admin, leader):
            response = client.get(url)
            if response.status_code != 200 or not is_html(response):
                continue
            html = body(response).decode()
            assert HOSTILE not in html, url
            if "&lt;script&gt;alert(1)&lt;/script&gt;" in html:
                shown_escaped.append(url)
    # The hostile name does reach pages (so the assertion above can fail), escaped.
    assert reverse("admin:projects_project_changelist") in shown_escaped
