"""Every URL pattern, walked as anonymous, as a leader, as the 录入员 of another area and as an
administrator: who may see what, who may change what, and that no user text is rendered
unescaped. The patterns come from the resolver, so pages added later are covered too."""
import pytest
from django.test import Client
from django.urls import reverse

from tests.demo import shared_fixture
from tests.urlwalk import HOSTILE, World, all_patterns, form_data, Page, pages_as, post_forms, snapshot

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
    """The walk's users, made with the world (tests/urlwalk.py): the 录入员 of 北片 (no projects)."""
    return {
        "anonymous": None,
        "leader": world.leader,
        "staff_other_area": world.staff_other_area,
        "admin": world.admin,
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
    """A response's (or a walked ``Page``'s) redirect to a sign-in page."""
    location = response.location if isinstance(response, Page) else response.get("Location", "")
    return response.status_code == 302 and (
        location.startswith(reverse("login")) or location.startswith(reverse("admin:login")))


@pytest.fixture
def routes(world):
    """(route, url) for every pattern that can be reversed."""
    pairs = [(r, world.url(r)) for r in all_patterns()]
    return [(r, u) for r, u in pairs if u]


def harvested_posts(world, routes):
    """For each non-admin URL, the POST forms an administrator is shown there (with their
    values), so that a refused user's POST is a real save attempt, not an empty one; read from the
    administrator's pages of the world as built (``pages_as``: one walk per worker)."""
    logout = reverse("logout")
    pages = pages_as(world, world.admin)
    posts = {}
    for route, url in routes:
        if route.is_admin or route.name in LOGIN_FORMS | LOGOUTS:
            continue
        page = pages[url]
        assert page.status_code < 500, (url, page.status_code)
        forms = post_forms(page.html, logout) if page.is_html else []
        posts[url] = [(f["action"] or url, form_data(f)) for f in forms] or [(url, {})]
    return posts


def test_every_named_pattern_gets_a_url(world):
    unresolved = [r.route for r in all_patterns() if r.name and not world.url(r)]
    assert unresolved == []


def test_harvested_posts_are_real_edits(users, routes, world):
    """Control for the refusals below: the same POSTs made by an administrator do change data
    (on the pages that have edit forms), so a refused POST is refused, not merely invalid."""
    admin = client_for(users["admin"])
    posts = harvested_posts(world, routes)
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
def test_leader_reads_everything_and_changes_nothing(users, routes, world):
    leader = client_for(users["leader"])
    posts = harvested_posts(world, routes)
    pages = pages_as(world, users["leader"])  # the GETs, before any POST: the world as built
    readable = []
    for route, url in routes:
        if route.is_admin or route.name in PUBLIC | LOGOUTS:
            continue
        response = pages[url]
        assert response.status_code in (200, 302, 403, 405), (url, response.status_code)
        assert not login_redirect(response), url
        if response.status_code == 200:
            readable.append(url)
            if response.is_html and route.name not in SUPERVISES:
                # A leader is never offered a form that would save something.
                forms = post_forms(response.html, reverse("logout"))
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
    posts = harvested_posts(world, routes)
    pages = pages_as(world, users["staff_other_area"])  # the GETs, before any POST: the world as built
    object_urls = set()
    for route, url in routes:
        if route.is_admin or route.name in PUBLIC | LOGOUTS:
            continue
        response = pages[url]
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
    """Every page outside the admin site as the administrator and the leader see it on the world
    as built (``pages_as``, read once per worker with the walks above), the log-out and two admin
    pages opened here."""
    admin = client_for(users["admin"])
    leader = client_for(users["leader"])
    walked = {user: pages_as(world, user) for user in (users["admin"], users["leader"])}
    opened_here = [url for route, url in routes if not route.is_admin and route.name == "logout"]
    opened_here += [reverse("admin:projects_project_changelist"),
                    reverse("admin:projects_project_change", args=[world.project.pk])]
    shown_escaped = []
    for url in [url for route, url in routes if not route.is_admin and url not in opened_here] + opened_here:
        for client, user in ((admin, users["admin"]), (leader, users["leader"])):
            if url in opened_here:
                response = client.get(url)
                status_code, html = response.status_code, body(response).decode() if is_html(response) else None
            else:
                page = walked[user][url]
                status_code, html = page.status_code, page.html
            if status_code != 200 or html is None:
                continue
            assert HOSTILE not in html, url
            if "&lt;script&gt;alert(1)&lt;/script&gt;" in html:
                shown_escaped.append(url)
    # The hostile name does reach pages (so the assertion above can fail), escaped.
    assert reverse("admin:projects_project_changelist") in shown_escaped
