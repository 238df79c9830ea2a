"""形象进度照片 (issue 17): uploads checked by content, size and pixel count, re-encoded without
metadata, EXIF time and GPS kept as fields, thumbnails; the file view checks login and role."""
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from PIL import Image

from evidence.models import Photo
from projects.models import Role
from tests import factories
from tests.evidence_support import SVG, bomb_png, clerk, gif, jpeg, media_root, png, upload  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(db):
    return factories.project(name="星城二小")


def photos_url(project, year=2020, month=6):
    return reverse("evidence:project_photos", args=[project.pk]) + f"?year={year}&month={month}"


def post_files(client, project, *files, field="photos"):
    return client.post(photos_url(project), {field: list(files), "caption": "主体施工"})


def stored_files(root):
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_phone_jpeg_keeps_time_and_gps_and_loses_its_exif(clerk, project, media_root):
    response = post_files(clerk, project, upload(jpeg(), "IMG_0001.JPG"))
    assert response.status_code == 302
    photo = Photo.objects.get()
    assert (photo.project, photo.year, photo.month, photo.caption) == (project, 2020, 6, "主体施工")
    assert photo.taken_at == dt.datetime(2020, 6, 15, 2, 30, tzinfo=dt.timezone.utc)  # 10:30 in 长沙
    assert (photo.latitude, photo.longitude) == (Decimal("28.370139"), Decimal("112.825000"))
    stored = Image.open(photo.image.open("rb"))
    assert stored.format == "JPEG"
    assert stored.size == (600, 800)  # the EXIF orientation was applied before stripping
    assert len(stored.getexif()) == 0 and "exif" not in stored.info and "icc_profile" not in stored.info
    assert b"PhoneMaker" not in photo.image.open("rb").read()
    thumb = Image.open(photo.thumbnail.open("rb"))
    assert thumb.format == "JPEG" and max(thumb.size) == 320
    # the user's file name never reaches the storage
    assert "IMG_0001" not in photo.image.name and photo.original_name == "IMG_0001.JPG"
    assert len(stored_files(media_root)) == 2


def test_several_photos_at_once_from_files_and_camera(clerk, project):
    response = clerk.post(photos_url(project), {"photos": [upload(jpeg(exif=False)), upload(png(), "a.png")],
                                                       "camera": [upload(jpeg(), "camera.jpg")]})
    assert response.status_code == 302
    assert sorted(Photo.objects.values_list("content_type", flat=True)) == ["image/jpeg", "image/jpeg", "image/png"]
    page = clerk.get(photos_url(project)).content.decode()
    assert 'capture="environment"' in page and 'accept="image/*"' in page and "multiple" in page
    assert page.count('data-photo="') == 3


HOSTILE = [
    ("notes.jpg", b"this is a text file, not a photo\n" * 20, "不是有效的图片文件"),
    ("cut.jpg", jpeg(exif=False)[:3000], "图片文件已损坏或不完整"),
    ("bomb.png", None, "图片像素过多（8000×5000），上限为 32 百万像素"),
    ("logo.svg", SVG, "不是有效的图片文件"),
    ("anim.gif", gif(), "只接受 JPEG 或 PNG 照片（收到 GIF）"),
    ("empty.jpg", b"", "empty.jpg：文件是空的。"),
]


@pytest.mark.parametrize("name,content,message", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_files_are_refused_with_a_message_and_nothing_is_saved(clerk, project, media_root,
                                                                       name, content, message):
    content = bomb_png() if content is None else content
    # a good photo in the same upload is not saved either: all or nothing
    response = post_files(clerk, project, upload(jpeg()), upload(content, name))
    assert response.status_code == 400
    html = response.content.decode()
    assert "照片未上传（一张都没有保存）" in html and message in html
    assert Photo.objects.count() == 0
    assert stored_files(media_root) == []


def test_a_file_over_the_size_limit_is_refused(clerk, project, settings, media_root):
    settings.EVIDENCE_PHOTO_MAX_BYTES = 50 * 1024
    big = jpeg(size=(1600, 1200), exif=False)
    big += b"\0" * (60 * 1024 - len(big))  # padding after the image: a valid JPEG of 60 KB
    response = post_files(clerk, project, upload(big, "big.jpg"))
    assert response.status_code == 400
    assert "big.jpg：文件过大（60 KB），每张照片上限为 50 KB。" in response.content.decode()
    assert Photo.objects.count() == 0 and stored_files(media_root) == []


def test_an_11_mb_photo_is_refused_with_the_default_limit(clerk, project, media_root):
    photo = jpeg(exif=False)
    photo += b"\0" * (11 * 1024 * 1024 - len(photo))
    response = post_files(clerk, project, upload(photo, "big.jpg"))
    assert response.status_code == 400
    assert "big.jpg：文件过大（11.0 MB），每张照片上限为 10.0 MB。" in response.content.decode()
    assert Photo.objects.count() == 0 and stored_files(media_root) == []


def test_a_request_over_the_photo_upload_limit_is_refused_before_it_is_read(clerk, project, settings):
    settings.PHOTO_REQUEST_MAX_SIZE = 3 * 1024 * 1024
    response = post_files(clerk, project, upload(b"\xff\xd8" + b"\0" * (4 * 1024 * 1024), "huge.jpg"))
    assert response.status_code == 413
    assert "上传内容过大（上限 3 MB）" in response.content.decode()
    assert Photo.objects.count() == 0


def test_three_phone_photos_over_the_sites_10_mb_request_limit_are_taken_at_once(clerk, project, settings,
                                                                               media_root):
    assert settings.MAX_REQUEST_SIZE == 10 * 1024 * 1024
    photo = jpeg(exif=False)
    photo += b"\0" * (4 * 1024 * 1024 - len(photo))  # a 4 MB phone photo (padding after the image)
    response = post_files(clerk, project, *(upload(photo, f"site{i}.jpg") for i in range(3)))
    assert response.status_code == 302
    assert sorted(Photo.objects.values_list("original_name", flat=True)) == ["site0.jpg", "site1.jpg", "site2.jpg"]


def test_only_editors_of_the_project_upload(client, project):
    client.force_login(factories.leader())
    assert post_files(client, project, upload(jpeg())).status_code == 403
    client.force_login(factories.staff("other"))
    assert post_files(client, project, upload(jpeg())).status_code == 403
    assert 'id="photo-upload"' not in client.get(photos_url(project)).content.decode()
    assert Photo.objects.count() == 0


def test_an_upload_without_files_says_so(clerk, project):
    response = clerk.post(photos_url(project), {"caption": "x"})
    assert response.status_code == 400 and "请选择要上传的照片。" in response.content.decode()


def test_no_photos_for_a_future_month(clerk, project):
    response = clerk.post(reverse("evidence:project_photos", args=[project.pk]) + "?year=2099&month=1",
                                 {"photos": [upload(jpeg())]})
    assert response.status_code == 400 and "不能为未来月份" in response.content.decode()


def test_the_file_view_checks_login_and_role(client, clerk, project):
    post_files(clerk, project, upload(jpeg()))
    photo = Photo.objects.get()
    full, thumb = reverse("evidence:file", args=[photo.pk]), reverse("evidence:thumb", args=[photo.pk])
    response = clerk.get(full)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg" and response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == (
        f'inline; filename="photo-{photo.pk}-full.jpg"; filename*=UTF-8\'\'photo-{photo.pk}-full.jpg')
    assert Image.open(io.BytesIO(b"".join(response.streaming_content))).size == (600, 800)
    assert clerk.get(thumb)["Content-Type"] == "image/jpeg"
    assert full.endswith(f"/evidence/files/{photo.pk}/full/") and thumb.endswith(f"/evidence/files/{photo.pk}/thumb/")
    client.logout()
    anonymous = client.get(full)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))
    client.force_login(factories.user("norole"))  # a login without a role (管理员/领导/录入员)
    assert client.get(full).status_code == 403
    client.force_login(factories.user("boss", role=Role.LEADER))
    assert client.get(full).status_code == 200


def test_media_is_not_served_at_a_public_url(clerk, project):
    post_files(clerk, project, upload(jpeg()))
    photo = Photo.objects.get()
    assert clerk.get("/media/" + photo.image.name).status_code == 404
    assert clerk.get("/" + photo.image.name).status_code == 404


def test_project_page_shows_the_gallery_month_by_month(clerk, project, django_assert_max_num_queries):
    post_files(clerk, project, upload(jpeg()), upload(jpeg(exif=False)))
    clerk.post(photos_url(project, month=5), {"photos": [upload(png(), "may.png")]})
    url = reverse("projects:detail", args=[project.pk])
    with django_assert_max_num_queries(60):
        html = clerk.get(url).content.decode()
    assert html.index("2020年6月") < html.index("2020年5月")
    assert html.count('data-photo="') == 3
    photo = Photo.objects.filter(month=5).get()
    assert reverse("evidence:thumb", args=[photo.pk]) in html
    assert reverse("evidence:file", args=[photo.pk]) in html


def test_the_month_page_row_links_to_the_months_photos(clerk, project):
    factories.plan_entry(project)
    html = clerk.get(reverse("investment:month", args=[2020, 6])).content.decode()
    assert photos_url(project).replace("&", "&amp;") in html


def test_the_photos_page_is_bounded(clerk, project, django_assert_max_num_queries):
    from tests.evidence_support import photo

    for month in (4, 5, 6):
        for _ in range(5):
            photo(project, month=month)
    with django_assert_max_num_queries(12):
        html = clerk.get(photos_url(project)).content.decode()
    assert html.count('data-photo="') == 5 and "2020年4月" in html


@pytest.mark.slow  # a new interpreter importing Django and boto3
def test_s3_storage_from_the_environment():
    """AWS_STORAGE_BUCKET_NAME switches the default storage to django-storages' S3 (private objects)."""
    import os
    import subprocess
    import sys

    code = ("import django; django.setup(); from django.core.files.storage import storages; s = storages['default']; "
            "print(type(s).__name__, s.bucket_name, s.default_acl, s.querystring_auth, s.endpoint_url)")
    env = {**os.environ, "AWS_STORAGE_BUCKET_NAME": "evidence", "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9000",
           "DJANGO_SETTINGS_MODULE": "portfolio.settings"}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["S3Storage", "evidence", "private", "True", "http://127.0.0.1:9000"], done.stderr


def test_upload_from_the_project_page_and_delete(clerk, project, media_root,
                                                django_capture_on_commit_callbacks):
    html = clerk.get(reverse("projects:detail", args=[project.pk]) + "?year=2020&month=6").content.decode()
    form = html[html.index('id="project-photo-upload"') - 300:html.index('id="project-photo-upload"')]
    assert photos_url(project).replace("&", "&amp;") in form
    assert clerk.post(photos_url(project), {"camera": [upload(jpeg())]}).status_code == 302
    photo = Photo.objects.get()
    clerk.force_login(factories.leader())
    assert clerk.post(reverse("evidence:photo_delete", args=[photo.pk])).status_code == 403
    clerk.force_login(factories.staff("clerk2", projects=[project]))
    with django_capture_on_commit_callbacks(execute=True):  # the files go once the row is gone
        assert clerk.post(reverse("evidence:photo_delete", args=[photo.pk])).status_code == 302
    assert Photo.objects.count() == 0 and stored_files(media_root) == []
