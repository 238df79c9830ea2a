"""A 责任单位 liaison (a login without a role, portfolio.access) is offered only what it may open:
every link of its pages — the menu, the problem and 督办 lists and pages — answers 200, and the
pages of the center it may not read (the project page, the dashboard, the records) are not
offered. A 录入员 on the same pages still gets the project links."""
import re

from django.urls import reverse

from tests.supervision_support import world  # noqa: F401  (fixture)


def links(html):
    return {href.replace("&amp;", "&") for href in re.findall(r'<a [^>]*href="(/[^"#]*)"', html)}


def test_every_link_a_liaison_is_offered_opens(client, world):  # noqa: F811
    problem = world.problem()
    order = world.order(problem=problem)
    client.force_login(world.unit_user)
    pages = [reverse("order_list"), reverse("problem_list"), reverse("order_detail", args=[order.pk]),
             reverse("problem_detail", args=[problem.pk]), reverse("inbox")]
    offered = set()
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        offered |= links(response.content.decode())
    assert reverse("projects:detail", args=[world.project.pk]) not in offered
    assert reverse("projects:list") not in offered
    for href in sorted(offered - {reverse("admin:index")}):
        assert client.get(href, follow=True).status_code == 200, href  # / sends it to 督办
    html = client.get(reverse("order_detail", args=[order.pk])).content.decode()
    assert world.project.name in html  # the name, as text


def test_a_clerk_still_gets_the_project_links(client, world):  # noqa: F811
    order = world.order()
    client.force_login(world.clerk)
    project_page = reverse("projects:detail", args=[world.project.pk])
    assert project_page in links(client.get(reverse("order_list")).content.decode())
    assert project_page in links(client.get(reverse("order_detail", args=[order.pk])).content.decode())
    assert reverse("projects:list") in links(client.get(reverse("order_list")).content.decode())
