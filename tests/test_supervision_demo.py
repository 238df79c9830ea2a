"""The 2020 demo's problems and 督办 orders (supervision.demo through ensure_demo_users)."""
from collections import Counter

import pytest
from django.core.management import call_command

from supervision.models import Order, OrderState, Problem, UnitMember


@pytest.mark.slow
def test_demo_has_dozens_of_problems_and_orders_in_every_state(demo_2020):
    call_command("ensure_demo_users", verbosity=0)
    problems, orders = Problem.objects.count(), Order.objects.count()
    assert 30 <= problems <= 100 and orders == 10
    assert set(Counter(Order.objects.values_list("state", flat=True))) == set(OrderState.values)
    assert Order.objects.filter(state="closed", times_returned=1).exists()
    assert all(o.issued_at.year == 2020 for o in Order.objects.all())
    assert UnitMember.objects.filter(user__username="danwei").exists()
    call_command("ensure_demo_users", verbosity=0)  # again: nothing added
    assert (Problem.objects.count(), Order.objects.count()) == (problems, orders)
