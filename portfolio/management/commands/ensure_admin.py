"""Create or update the administrator account (password from DEMO_PASSWORD, default 'admin')."""
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import BaseCommand

from projects.models import Role


class Command(BaseCommand):
    help = "创建或更新管理员账号"

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username, **options):
        password = os.environ.get("DEMO_PASSWORD") or "admin"
        user, created = get_user_model().objects.get_or_create(username=username)
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name=Role.ADMIN))
        verb = "已创建" if created else "已更新"
        self.stdout.write(self.style.SUCCESS(f"{verb}管理员 {username}（密码：{password}）"))
