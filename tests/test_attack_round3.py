"""Attacks, round 3, on contracts and payments, site evidence, problems and 督办, the next year's
plan import and open data: what a hostile or careless user can send with the test client. Each
test is a defect found and fixed: a Chinese message beside the field, nothing (wrong) saved, no 500."""
import io
import re

from django.test import Client
from django.urls import reverse
from PIL import Image

from evidence.models import Photo
from tests import factories
from tests.demo import shared_fixture
from tests.evidence_support import media_root, upload  # noqa: F401 (media_root: every file in tmp)
from tests.urlwalk import World

walk_world = shared_fixture("url_world", World, fixture_name="walk_world")


def signed_in(user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def alerts(response):
    return re.findall(r'class="alert[^"]*"[^>]*>\s*([^<]*?)\s*<', response.content.decode())


# --- photos ---------------------------------------------------------------------------------------

def jpeg_taken(when):
    image = Image.new("RGB", (120, 90), (90, 140, 60))
    exif = Image.Exif()
    exif[0x0132] = when  # DateTime, as a camera whose clock was never set writes it
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_a_photo_from_a_camera_whose_clock_says_year_1_is_stored_without_a_time(walk_world):
    """EXIF 0001-01-01 in the district's zone is before year 1 in UTC: the upload was a 500."""
    client = signed_in(walk_world.admin)
    url = reverse("evidence:project_photos", args=[walk_world.project.pk]) + "?year=2020&month=6"
    response = client.post(url, {"photos": [upload(jpeg_taken("0001:01:01 00:00:00"), "旧相机.jpg")]}, follow=True)
    assert "已上传 1 张照片。" in alerts(response)
    photo = Photo.objects.get(original_name="旧相机.jpg")
    assert photo.taken_at is None
    figure = re.search(rf'<figure [^>]*data-photo="{photo.pk}">.*?</figure>', response.content.decode(), re.S)
    assert "无拍摄时间" in figure.group(0)
