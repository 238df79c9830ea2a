"""The 2020 demo's problems and 督办 orders, made through the services as the demo users would
have made them, dated in 2020: each month row's 存在问题 (2020) raised as a problem by the area's
录入员 (typed by its words), about a third solved; ten orders issued by the leader to the projects'
owner units, walked through the loop to every state. Idempotent: nothing is added when problems
exist. Called by ``ensure_demo_users`` (the users must exist: ``make demo`` runs it after
``load_demo``)."""
import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from investment.models import MonthlyProgress
from projects.models import Organisation, OrganisationRole

from . import services
from .models import OrderSource, Problem, ProblemType, UnitMember

KEYWORDS = [("征拆", ProblemType.DEMOLITION), ("拆迁", ProblemType.DEMOLITION), ("管线", ProblemType.PIPELINES),
            ("用地", ProblemType.LAND), ("规划", ProblemType.PLANNING), ("设计", ProblemType.PLANNING),
            ("环评", ProblemType.ENVIRONMENT), ("许可", ProblemType.CONSTRUCTION_PERMIT),
            ("资金", ProblemType.FUNDING), ("水电", ProblemType.UTILITIES), ("电力", ProblemType.UTILITIES)]
UNIT_CONTACT = "danwei"


def problem_type(text):
    return next((kind for word, kind in KEYWORDS if word in text), ProblemType.OTHER)


def at(day, hour=10):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def ensure_unit_contact(password):
    """The demo's 责任单位联络人 ``danwei``: the contact of every owner unit (业主单位)."""
    user, _created = get_user_model().objects.get_or_create(username=UNIT_CONTACT)
    user.first_name, user.last_name, user.is_staff, user.is_superuser = "责任单位联络人", "", False, False
    user.set_password(password)
    user.save()
    for unit in Organisation.objects.filter(role=OrganisationRole.OWNER):
        UnitMember.objects.get_or_create(user=user, organisation=unit)
    return user


def load(*, leader, clerks_by_area, contact):
    """Problems from 2020's 存在问题 and ten orders in every state; nothing when problems exist."""
    if Problem.objects.exists():
        return 0
    rows = (MonthlyProgress.objects.filter(entry__plan__year=2020).exclude(problems="")
            .select_related("entry__project", "entry__project__owner_unit").order_by("entry__project__code", "month"))
    seen, problems = set(), []
    for row in rows:
        project = row.entry.project
        key = (project.pk, row.problems)
        clerk = clerks_by_area.get(project.area_id)
        if key in seen or clerk is None:
            continue  # the same words month after month are one problem
        seen.add(key)
        raised = dt.date(2020, row.month, 1) + dt.timedelta(days=35)  # raised at the next month's report
        problem = services.problem_create(
            user=clerk, project=project, type=problem_type(row.problems), description=row.problems,
            responsible_unit=project.owner_unit, deadline=raised + dt.timedelta(days=30), year=2020, month=row.month,
            at=at(min(raised, dt.date(2020, 12, 31))))
        problems.append(problem)
    for i, problem in enumerate(problems):
        if i % 3 == 0 and problem.raised_at.date() < dt.date(2020, 11, 15):
            services.problem_close(user=clerks_by_area[problem.project.area_id], problem=problem,
                                   resolution="经专题协调会协调，已解决。",
                                   at=problem.raised_at + dt.timedelta(days=18 + i % 20))
    _orders(leader, contact, [p for p in problems if p.status == "open" and p.responsible_unit_id])
    return len(problems)


# each demo order: the state it is walked to, issued on, deadline — at the end of 2020 the open ones
# are green, amber (due in two days, due that day) and red, the closed ones on time and late
D = dt.date
PLAN = [
    ("issued", D(2020, 12, 20), D(2021, 1, 10)),
    ("signed", D(2020, 12, 15), D(2021, 1, 2)),
    ("in_progress", D(2020, 12, 1), D(2020, 12, 25)),
    ("replied", D(2020, 12, 5), D(2021, 1, 15)),
    ("returned", D(2020, 11, 20), D(2020, 12, 31)),
    ("closed", D(2020, 6, 8), D(2020, 7, 10)),
    ("closed", D(2020, 7, 9), D(2020, 7, 31)),
    ("closed", D(2020, 9, 8), D(2020, 9, 20)),
    ("in_progress", D(2020, 10, 15), D(2020, 11, 30)),
    ("replied", D(2020, 12, 10), D(2021, 1, 5)),
]


def _orders(leader, contact, problems):
    unused = list(problems)
    for i, (goal, issued, deadline) in enumerate(PLAN):
        problem = next((p for p in unused if timezone.localtime(p.raised_at).date() <= issued), None)
        if problem is None:
            continue
        unused.remove(problem)
        order = services.order_issue(
            user=leader, project=problem.project, problem=problem, source=OrderSource.PROBLEM,
            content=f"请{problem.responsible_unit}于{deadline.month}月{deadline.day}日前解决：{problem.description}",
            responsible_unit=problem.responsible_unit, deadline=deadline, today=issued, at=at(issued, 9))
        day = issued
        steps = {"signed": 1, "in_progress": 2, "replied": 3, "returned": 4, "closed": 5}.get(goal, 0)
        if goal == "closed" and i == 6:
            steps = 6  # one closed after a send-back
        if steps >= 1:
            day += dt.timedelta(days=1)
            order = services.order_sign(user=contact, order=order, at=at(day))
        if steps >= 2:
            day += dt.timedelta(days=5)
            order = services.order_progress(user=contact, order=order, text="已召开专题会，正在推进。", at=at(day))
        if steps >= 3:
            day += dt.timedelta(days=6)
            order = services.order_reply(user=contact, order=order, text="已按要求办理完毕，请复核。", at=at(day))
        if steps in (4, 6):
            day += dt.timedelta(days=1)
            order = services.order_return(user=leader, order=order, text="未附现场照片和会议纪要，请补充后再反馈。",
                                          at=at(day, 15))
        if steps == 6:
            day += dt.timedelta(days=3)
            order = services.order_reply(user=contact, order=order, text="已补充现场照片和会议纪要。", at=at(day))
        if steps in (5, 6):
            day += dt.timedelta(days=2 + i)
            services.order_accept(user=leader, order=order, text="同意销号。", at=at(day, 16))
