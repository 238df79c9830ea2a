"""Create or update the administrator account (password from DEMO_PASSWORD, default 'admin').

For the demo only: the password is set without Django's password validators (the demo's
'admin' would fail them), and the command says so when it does not meet them. A real
administrator changes it on the 修改密码 page, which validates."""
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
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
        user.set_password(password)  # deliberately not validated: the demo password
        user.save()
        user.groups.add(Group.objects.get(name=Role.ADMIN))
        verb = "已创建" if created else "已更新"
        self.stdout.write(self.style.SUCCESS(f"{verb}管理员 {username}（密码：{password}）"))
        warn_demo_password(self, password, user)


def warn_demo_password(command, password, user=None):
    """Says, without refusing, that the demo password does not meet the password rules."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        command.stderr.write(f"注意：演示密码不符合密码规则（{' '.join(exc.messages)}），仅供演示；正式使用请登录后修改密码。")
