"""Walk every URL pattern of the project and build a concrete URL for each.

Used by the permission and escaping tests so that pages added later are covered without
anyone listing them. Patterns with parameters get values from the data set built by
``build_world``: integers named like a year/month get 2020/6, other integers the primary key of
the object the view shows (from ``view_class.model``, the admin's model, or the parameter's
name), strings the admin's object id or a plausible value.
"""
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from html.parser import HTMLParser
from unittest import mock

from django.apps import apps
from django.core.handlers.wsgi import WSGIRequest
from django.db import connection
from django.http import QueryDict
from django.test import Client
from django.test import client as test_client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch
from django.utils.functional import cached_property

from investment.models import (AnnualPlan, Funding, MonthLock, MonthlyProgress, PlanEntry, Saving,
                               SavingKind)
from land.models import Acquisition, LandBatch
from procurement.models import Permit, PermitKind, Tender, TenderKind
from projects.models import (Area, CategoryChange, Milestone, MonthlyScore, Organisation,
                             OrganisationRole, Phase, PhaseTransition, PlanCategory, Project,
                             ProjectKind)
from tests import factories
from tests.demo import SHARED

HOSTILE = "<script>alert(1)</script>"
YEAR, MONTH = 2020, 6


@dataclass
class Route:
    name: str          # namespaced, e.g. "admin:projects_project_change"
    route: str         # the pattern as written, joined with its parents
    pattern: URLPattern

    @property
    def callback(self):
        return self.pattern.callback

    @property
    def is_admin(self):
        return self.name.startswith("admin:") or self.route.startswith("admin/")

    @property
    def view_model(self):
        view_class = getattr(self.callback, "view_class", None)
        model = getattr(view_class, "model", None)
        if model is None and getattr(self.callback, "model_admin", None):
            model = self.callback.model_admin.model
        return model

    def parameters(self):
        pattern = self.pattern.pattern
        converters = getattr(pattern, "converters", None)
        if converters:
            return {name: type(conv).__name__ for name, conv in converters.items()}
        regex = getattr(pattern, "_regex", "") or ""
        import re
        return {name: "regex" for name in re.compile(regex).groupindex}


def all_patterns():
    """Every leaf pattern, with its namespaced name (unnamed patterns get their route)."""
    out = []

    def walk(patterns, prefix, namespaces, parent_routes):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = namespaces + ([p.namespace] if p.namespace else [])
                walk(p.url_patterns, prefix + str(p.pattern), ns, parent_routes + [p])
            elif isinstance(p, URLPattern):
                name = ":".join(namespaces + [p.name]) if p.name else ""
                out.append(Route(name=name, route=prefix + str(p.pattern), pattern=p))
                out[-1].resolvers = parent_routes
    walk(get_resolver().url_patterns, "", [], [])
    return out


class World:
    """The data the walk runs against: area 南片 with one project and one of every record,
    text fields hostile; area 北片 with no projects (its 录入员 may change nothing)."""

    def __init__(self):
        self.area = factories.area("南片", order=1)
        self.other_area = factories.area("北片", order=2)
        self.org = factories.organisation(name=f"{HOSTILE}建设公司", role=OrganisationRole.CONTRACTOR)
        self.project = factories.project(
            code="2020-430112-48-01-777777", name=HOSTILE, kind=ProjectKind.ROAD, area=self.area,
            contractor=self.org, owner_unit=None, total_investment=Decimal("12345.67"),
            phase=Phase.CONSTRUCTION, planned_start=dt.date(2020, 3, 1), actual_start=dt.date(2020, 3, 20),
            planned_finish=dt.date(2021, 12, 31), description=HOSTILE,
        )
        self.plan = factories.plan(YEAR, title=f"{YEAR}年计划")
        self.entry = factories.plan_entry(
            plan=self.plan, project=self.project, category=PlanCategory.NEW, target=Decimal("3000"),
            is_municipal_key=True, instruction=HOSTILE,
        )
        self.progress = factories.progress(
            entry=self.entry, month=MONTH - 1, completed=Decimal("250"), physical_percent=Decimal("20"),
            physical_progress=HOSTILE, problems=HOSTILE,
        )
        self.transition = factories.phase_transition(
            project=self.project, from_phase=Phase.PRELIMINARY, to_phase=Phase.CONSTRUCTION,
            occurred_on=dt.date(2020, 3, 20), reason=HOSTILE,
        )
        self.change = factories.category_change(
            project=self.project, year=YEAR, from_category=PlanCategory.PRELIMINARY,
            to_category=PlanCategory.NEW, changed_on=dt.date(2020, 2, 1), reason=HOSTILE,
        )
        self.milestone = factories.milestone(
            project=self.project, name=HOSTILE, order=1, planned_on=dt.date(2020, 5, 1),
        )
        self.score = factories.monthly_score(
            year=YEAR, month=MONTH - 1, area=self.area, project=self.project, progress=90,
            quality=90, safety=90, image=90, note=HOSTILE,
        )
        self.tender = factories.tender(
            project=self.project, kind=TenderKind.CONSTRUCTION, title=HOSTILE,
            published_on=dt.date(2020, 1, 10), bid_opened_on=dt.date(2020, 2, 10), winner=self.org,
            amount=Decimal("2800"),
        )
        self.permit = factories.permit(project=self.project, kind=PermitKind.CONSTRUCTION,
                                       number=HOSTILE, issued_on=dt.date(2020, 3, 1))
        self.acquisition = factories.acquisition(project=self.project, year=YEAR,
                                                 acquired_mu=Decimal("35.5"), note=HOSTILE)
        self.batch = factories.land_batch(year=YEAR, number="7", name=HOSTILE,
                                          submitted_on=dt.date(2020, 2, 1), area_mu=Decimal("100"),
                                          projects=[self.project])
        self.funding = factories.funding(project=self.project, source="special_bond",
                                         amount=Decimal("500"), received_on=dt.date(2020, 4, 1),
                                         note=HOSTILE)
        self.saving = factories.saving(project=self.project, kind=SavingKind.EARTHWORK,
                                       amount=Decimal("80"), recorded_on=dt.date(2020, 4, 2),
                                       description=HOSTILE)
        self.lock = factories.month_lock(year=YEAR, month=1, is_locked=True, reason=HOSTILE)
        self.by_model = {type(o): o for o in [
            self.area, self.org, self.project, self.plan, self.entry, self.progress, self.transition,
            self.change, self.milestone, self.score, self.tender, self.permit, self.acquisition,
            self.batch, self.funding, self.saving, self.lock]}
        from supervision.models import Order, Problem  # 问题 and 督办 (issue 16)

        self.problem = Problem.objects.create(project=self.project, type="land", description=HOSTILE,
                                              responsible_unit=self.org, year=YEAR, month=MONTH - 1)
        self.order = Order.objects.create(project=self.project, problem=self.problem, content=HOSTILE,
                                          responsible_unit=self.org, deadline=dt.date(2020, 7, 1))
        self.by_model.update({Problem: self.problem, Order: self.order})
        from evidence.models import Finding, Inspection, Photo  # 现场监管 (issue 17)
        from tests.evidence_support import photo

        self.photo = photo(self.project, year=YEAR, month=MONTH, caption=HOSTILE)
        inspection = Inspection.objects.create(project=self.project, kind="quality", inspected_on=dt.date(2020, 6, 1),
                                               note=HOSTILE)
        self.finding = Finding.objects.create(inspection=inspection, description=HOSTILE, deadline=dt.date(2020, 6, 30))
        self.by_model.update({Photo: self.photo, Finding: self.finding})
        # the users the walks sign in as: part of the set, so that a page one test reads as a user
        # is the page another test would read (pages_as); names no other test of the set uses
        self.admin = factories.admin_user("walk_guanli")
        self.leader = factories.leader("walk_lingdao")
        self.staff_other_area = factories.staff("walk_luru_bei")  # 录入员 of 北片, which has no projects
        self.assign(self.staff_other_area, self.other_area)

    def assign(self, user, area):
        factories.staff_assignment(user=user, area=area)

    NAME_HINTS = [
        ("entry", PlanEntry), ("progress", MonthlyProgress), ("milestone", Milestone),
        ("tender", Tender), ("permit", Permit), ("acquisition", Acquisition), ("batch", LandBatch),
        ("funding", Funding), ("saving", Saving), ("score", MonthlyScore), ("lock", MonthLock),
        ("change", CategoryChange), ("transition", PhaseTransition), ("org", Organisation),
        ("plan", AnnualPlan), ("area", Area), ("project", Project),
    ]

    def value_for(self, route, name, kind):
        lname = name.lower()
        if lname == "year":
            return YEAR
        if lname == "month":
            return MONTH
        model = None
        for hint, hinted in self.NAME_HINTS:
            if hint in lname:
                model = hinted
                break
        if model is None and lname in {"pk", "id", "object_id"}:
            model = route.view_model
        obj = self.by_model.get(model) or self.project
        if kind in {"IntConverter", "regex"} and lname != "app_label":
            return obj.pk if kind == "IntConverter" else str(obj.pk)
        if lname == "app_label":
            return "projects"
        if lname in {"category"}:
            return PlanCategory.NEW.value
        if lname in {"kind"}:
            return ProjectKind.ROAD.value
        if lname in {"format", "fmt"}:
            return "xlsx"
        return str(obj.pk) if kind != "PathConverter" else "x"

    def url(self, route):
        params = route.parameters()
        if not route.name:
            return None
        kwargs = {name: self.value_for(route, name, kind) for name, kind in params.items()}
        args = None
        groups = getattr(getattr(route.pattern.pattern, "regex", None), "groups", 0)
        if not kwargs and groups:
            # Positional groups (simple-history's admin URLs: object id, history id).
            obj = self.by_model.get(route.view_model) or self.project
            args = [str(obj.pk)] + ["1"] * (groups - 1)
        try:
            return reverse(route.name, kwargs=kwargs or None, args=args)
        except NoReverseMatch:
            return None


@dataclass
class Page:
    """A GET's answer as the walks read it; the body only of an HTML page (a download's body is
    not read: its headers say what it is)."""
    status_code: int
    content_type: str
    location: str
    html: str | None
    streaming: bool

    @property
    def is_html(self):
        return self.content_type.startswith("text/html")


def pages_as(world, user):
    """{url: Page} for every page outside the admin site but the log-out (``world.url``), each
    opened once by ``user`` with a GET, in the resolver's order, on the world as built: read once per
    worker (``SHARED.memo``) by the tests that walk the same pages as the same user, as long as
    they read them before changing anything."""
    def walk():
        client = Client()
        client.force_login(user)
        pages = {}
        for route in all_patterns():
            url = world.url(route)
            if not url or route.is_admin or route.name == "logout":
                continue
            response = client.get(url)
            content_type = response.get("Content-Type", "")
            streaming = getattr(response, "streaming", False)
            html = None
            if content_type.startswith("text/html"):
                body = b"".join(response.streaming_content) if streaming else response.content
                html = body.decode("utf-8", "replace")
            pages[url] = Page(response.status_code, content_type, response.get("Location", ""), html, streaming)
        return pages
    return SHARED.memo(("url_world pages", user.username), walk)


class QueryStringProbe(dict):
    """A request's WSGI environ (``request.META``) that notes whether anything read its query string
    itself: ``get_full_path()``, ``build_absolute_uri()`` and ``META["QUERY_STRING"]`` read that
    key; reading the environ as a whole (iterating, copying, listing its items) counts as reading
    it. ``request.GET`` is read key by key (``ProbedQueryDict``)."""
    whole = False

    def _note(self, key):
        if key == "QUERY_STRING":
            self.whole = True

    def __getitem__(self, key):
        self._note(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self._note(key)
        return super().get(key, default)

    def __contains__(self, key):
        self._note(key)
        return super().__contains__(key)

    def pop(self, key, *default):
        self._note(key)
        return super().pop(key, *default)

    def setdefault(self, key, default=None):
        self._note(key)
        return super().setdefault(key, default)

    def _all(name, base=dict):
        def read_all(self, *args, **kwargs):
            self.whole = True
            return getattr(base, name)(self, *args, **kwargs)
        return read_all

    __iter__, keys, items, values, copy, popitem, __repr__, __reduce_ex__, __or__ = map(_all, [
        "__iter__", "keys", "items", "values", "copy", "popitem", "__repr__", "__reduce_ex__", "__or__"])
    del _all


class ProbedQueryDict(QueryDict):
    """``request.GET`` noting in ``environ.keys_read`` each parameter read by name, and in
    ``environ.whole`` a read of more than named parameters (iterating, copying, counting,
    ``urlencode``, ``lists``…)."""
    environ = None  # set once parsed: parsing reads every key

    def _note(self, key):
        if self.environ is not None:
            self.environ.keys_read.add(key)

    def __getitem__(self, key):  # also get()
        self._note(key)
        return super().__getitem__(key)

    def getlist(self, key, default=None):
        self._note(key)
        return super().getlist(key, default)

    def __contains__(self, key):
        self._note(key)
        return super().__contains__(key)

    def _all(name):
        def read_all(self, *args, **kwargs):
            if self.environ is not None:
                self.environ.whole = True
            return getattr(QueryDict, name)(self, *args, **kwargs)
        return read_all

    (__iter__, keys, items, lists, values, dict, copy, urlencode, __len__, __repr__, __copy__, __deepcopy__,
     __getstate__, __reduce_ex__, __eq__, pop, popitem, setdefault, setlistdefault) = map(_all, [
        "__iter__", "keys", "items", "lists", "values", "dict", "copy", "urlencode", "__len__", "__repr__",
        "__copy__", "__deepcopy__", "__getstate__", "__reduce_ex__", "__eq__", "pop", "popitem",
        "setdefault", "setlistdefault"])
    del _all


class ProbedRequest(WSGIRequest):
    @cached_property
    def GET(self):
        raw = dict.get(self.environ, "QUERY_STRING", "").encode("iso-8859-1")  # not a read by the app
        query = ProbedQueryDict(raw, encoding=self._encoding)
        query.environ = self.environ
        return query


READ_STATEMENTS = {"SELECT", "DECLARE", "FETCH", "CLOSE", "SAVEPOINT", "RELEASE"}


class QueryProbingClient(Client):
    """A test client whose every answer says, as ``response.query_read``, which query parameters
    the answer depended on, when any other query string with the same values of those parameters
    would have met the same view in the same state and so got the same answer: the parameters
    read by name (``ProbedRequest``; none: the answer is the same for every query string), if
    nothing read the query string as a whole (``QueryStringProbe``) and the request left the next
    one nothing new — no statement but reads sent to the database (no row, session or message
    stored), the session not modified, the client's cookies unchanged — and its body was made
    before it returned (not streamed). Otherwise ``None``."""

    def _base_environ(self, **request):
        self._environ = QueryStringProbe(super()._base_environ(**request))
        self._environ.keys_read = set()
        return self._environ

    def request(self, **request):
        writes = []

        def note_writes(execute, sql, params, many, context):
            if sql.lstrip().split(None, 1)[0].upper() not in READ_STATEMENTS:
                writes.append(sql)
            return execute(sql, params, many, context)

        cookies = {key: morsel.value for key, morsel in self.cookies.items()}
        with connection.execute_wrapper(note_writes), mock.patch.object(test_client, "WSGIRequest", ProbedRequest):
            response = super().request(**request)
        session = getattr(response.wsgi_request, "session", None)
        replayable = (
            not self._environ.whole and not writes and not getattr(response, "streaming", False)
            and not (session is not None and session.modified)
            and cookies == {key: morsel.value for key, morsel in self.cookies.items()})
        response.query_read = frozenset(self._environ.keys_read) if replayable else None
        return response


SNAPSHOT_APPS = ("projects", "investment", "land", "procurement", "auth",
                 "supervision", "evidence", "contracts", "ranking", "opendata")  # issues 16–19


def snapshot():
    """Every row of the data apps (including their history tables and many-to-many tables) and
    the users' rights, as the database holds them: {model label: [each row as a JSON array, by
    primary key]}. One SQL statement (a UNION of the tables, each row made JSON by the database):
    the walks take a snapshot after every refused POST, and one round trip instead of one per
    table (83) is most of its time on PostgreSQL."""
    qn = connection.ops.quote_name
    as_json = "json_build_array({})::text" if connection.vendor == "postgresql" else "json_array({})"
    selects = []
    for label in SNAPSHOT_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model._meta.proxy or not model._meta.managed:
                continue
            columns = ", ".join(qn(f.column) for f in model._meta.concrete_fields if f.attname != "last_login")
            selects.append(f"SELECT '{model._meta.label}' AS m, {qn(model._meta.pk.column)} AS k, "
                           f"{as_json.format(columns)} AS r FROM {qn(model._meta.db_table)}")
    rows = {}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects))
        for label, _pk, row in sorted(cursor.fetchall(), key=lambda r: r[:2]):
            rows.setdefault(label, []).append(row)
    return rows


class FormHarvester(HTMLParser):
    """Collects the POST forms of a page with the values a browser would submit."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"action": a.get("action") or "", "method": (a.get("method") or "get").lower(),
                          "fields": []}
        elif self._form is None:
            return
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            if not a.get("name") or kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            self._form["fields"].append([a["name"], a.get("value") or ("on" if kind == "checkbox" else ""), kind])
        elif tag == "select" and a.get("name"):
            self._select = [a["name"], None, None]
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select[1] is None and value:
                self._select[1] = value  # the first real choice, as a user would pick
            if "selected" in a and value:
                self._select[2] = value
        elif tag == "textarea" and a.get("name"):
            self._textarea = [a["name"], "", "textarea"]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if self._form is None:
            return
        if tag == "select" and self._select is not None:
            name, first, selected = self._select
            self._form["fields"].append([name, selected if selected is not None else (first or ""), "select"])
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._form["fields"].append(self._textarea)
            self._textarea = None
        elif tag == "form":
            self.forms.append(self._form)
            self._form = None


def post_forms(html, logout_url):
    parser = FormHarvester()
    parser.feed(html)
    return [f for f in parser.forms if f["method"] == "post" and f["action"] != logout_url]


def form_data(form, change=True):
    """The form's values as a browser would post them; with ``change``, every visible amount is
    raised by 1 and every visible text gets a word appended, so that posting it is a real edit
    (a service may skip rows whose values did not change)."""
    data = {}
    for name, value, kind in form["fields"]:
        if change and name in {"year", "month"}:
            value = str(YEAR if name == "year" else MONTH)
        elif change and kind == "date":
            value = value or f"{YEAR}-{MONTH:02d}-15"
        elif change and kind in {"text", "number", "textarea"} and "percent" not in name:
            try:
                value = str(Decimal(value) + 1) if value.strip() else "1"
            except ArithmeticError:
                value = f"{value}核查"
        data.setdefault(name, []).append(value)
    return data
