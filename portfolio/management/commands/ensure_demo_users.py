"""Create or update the demo accounts: one 录入员 per area (assigned to it) and one 领导.

Passwords come from DEMO_PASSWORD (default 'admin'), like ``ensure_admin``: for the demo only,
set without Django's password validators (said when it does not meet them). Safe to run again.
"""
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import BaseCommand
from django.db import transaction

from projects.models import Area, Role, StaffAssignment

from .ensure_admin import warn_demo_password

AREA_USERNAMES = {"南片": "luru_nan", "北片": "luru_bei"}
LEADER_USERNAME = "lingdao"


def area_username(area):
    return AREA_USERNAMES.get(area.name, f"luru_{area.pk}")


class Command(BaseCommand):
    help = "创建或更新演示账号：每个片区一名录入员、一名领导"

    @transaction.atomic
    def handle(self, *args, **options):
        password = os.environ.get("DEMO_PASSWORD") or "admin"
        User = get_user_model()
        for area in Area.objects.order_by("order", "name"):
            user = self._user(User, area_username(area), f"{area.name}录入员", Role.STAFF, password)
            StaffAssignment.objects.get_or_create(user=user, area=area)
            self.stdout.write(f"录入员 {user.username}（{area.name}）密码：{password}")
        leader = self._user(User, LEADER_USERNAME, "中心领导", Role.LEADER, password)
        self.stdout.write(f"领导 {leader.username} 密码：{password}")
        from supervision import demo as supervision_demo  # 2020's problems and 督办 (supervision.demo)

        contact = supervision_demo.ensure_unit_contact(password)
        self.stdout.write(f"责任单位联络人 {contact.username}（各业主单位）密码：{password}")
        supervision_demo.load(leader=leader, contact=contact, clerks_by_area={
            a.area_id: a.user for a in StaffAssignment.objects.filter(user__username__in=[
                area_username(area) for area in Area.objects.all()], area__isnull=False).select_related("user")})
        warn_demo_password(self, password)

    def _user(self, User, username, full_name, role, password):
        user, _created = User.objects.get_or_create(username=username)
        user.first_name, user.last_name = full_name, ""
        user.is_staff = user.is_superuser = False
        user.set_password(password)  # deliberately not validated: the demo password
        user.save()
        user.groups.set([Group.objects.get(name=role)])
        return user
