"""The layout's menu (portfolio.templatetags.navigation): rendered once per script prefix, language
and set of role flags and remembered, it is still the menu of templates/includes/nav_items.html
for the user of each request, under the prefix the site is served at."""
import re

from django.template.loader import get_template
from django.urls import reverse, set_script_prefix

from tests import factories


def fresh_menu(**flags):
    return get_template("includes/nav_items.html").render(flags)


def test_each_user_gets_the_menu_of_their_roles(client, db):
    """One after another in one process, so that each remembered menu is asked for again."""
    users = [(factories.admin_user(), {"keeps_records": True, "prepares_plans": True, "has_a_role": True}),
             (factories.leader(), {"keeps_records": False, "prepares_plans": False, "has_a_role": True}),
             (factories.staff(), {"keeps_records": True, "prepares_plans": False, "has_a_role": True}),
             (factories.user("danwei1"), {"keeps_records": False, "prepares_plans": False, "has_a_role": False})]
    for _ in range(2):
        for user, flags in users:
            client.force_login(user)
            html = client.get(reverse("inbox")).content.decode()
            assert fresh_menu(**flags) in html, user.username
            assert ("按项目录入台账" in html) is flags["keeps_records"]
            assert ("编制年度计划" in html) is flags["prepares_plans"]
            assert (f'href="{reverse("admin:index")}">系统管理<' in html) is user.is_staff


def test_the_menu_follows_the_script_prefix(client, db):
    """Served under a path of the intranet host (SCRIPT_NAME /zdxm/), every link of the layout
    starts with it, the menu rendered before under / included."""
    client.force_login(factories.leader())
    plain = client.get(reverse("inbox")).content.decode()
    set_script_prefix("/zdxm/")
    try:
        prefixed = client.get("/inbox/").content.decode()
    finally:
        set_script_prefix("/")
    links = re.findall(r'(?:href|action)="(/[^"]*)"', prefixed[:prefixed.index("<main")])
    assert len(links) > 20
    assert all(link.startswith(("/zdxm/", "/static/")) for link in links), links
    assert prefixed.replace("/zdxm/", "/").count('href="/') == plain.count('href="/')
    assert client.get(reverse("inbox")).content.decode().count('href="/zdxm/') == 0


def test_a_stream_of_script_prefixes_keeps_the_remembered_menus_bounded(db):
    """A crafted SCRIPT_NAME per request (a prefix each) keeps at most MENU_CACHE_SIZE menus in the
    process; the menu under each prefix is still that prefix's, one pushed out included."""
    from django.template import Context, Template

    from portfolio.templatetags import navigation

    tag = Template("{% load navigation %}{% nav_items %}")
    flags = {"keeps_records": True, "prepares_plans": False, "has_a_role": True}
    prefixes = [f"/p{i}/" for i in range(3 * navigation.MENU_CACHE_SIZE)]
    try:
        for prefix in prefixes:
            set_script_prefix(prefix)
            html = tag.render(Context(flags))
        assert navigation._menu.cache_info().currsize == navigation.MENU_CACHE_SIZE
        assert html == fresh_menu(**flags) and f'href="{prefixes[-1]}' in html
        set_script_prefix(prefixes[0])  # pushed out long ago: rendered again under its prefix
        first = tag.render(Context(flags))
        assert first == fresh_menu(**flags) and f'href="{prefixes[0]}' in first
        assert f'href="{prefixes[-1]}' not in first
        assert navigation._menu.cache_info().currsize == navigation.MENU_CACHE_SIZE
    finally:
        set_script_prefix("/")


def menu_links(html):
    """Every page link of the layout's navigation bar (dropdown toggles ``#`` aside)."""
    nav = html[html.index("<nav"):html.index("</nav>")]
    return sorted({href for href in re.findall(r'href="([^"#]+)"', nav)})


def test_every_menu_link_opens_for_the_user_who_sees_it(client, db):
    """A link in the menu is a page its user may open: a 责任单位 liaison (no role) as well as
    管理员, 录入员 and 领导."""
    for user in (factories.user("danwei1"), factories.admin_user(), factories.staff(), factories.leader()):
        client.force_login(user)
        links = menu_links(client.get(reverse("inbox")).content.decode())
        assert reverse("order_list") in links, user.username
        for href in links:
            assert client.get(href, follow=True).status_code == 200, (user.username, href)
