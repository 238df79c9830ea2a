"""Image files for the evidence tests: a phone photo with EXIF time, GPS and orientation, and
hostile files (a text file named .jpg, a truncated JPEG, a decompression-bomb PNG, SVG, GIF)."""
import functools
import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

TAKEN = "2020:06:15 10:30:00"
LAT, LON = (28, 22, 12.5), (112, 49, 30)  # 28.370139 N, 112.825 E (望城)


def jpeg(size=(800, 600), exif=True, colour=(180, 120, 60)):
    image = Image.new("RGB", size, colour)
    image.paste((20, 40, 200), (0, 0, size[0] // 4, size[1] // 4))  # a corner mark to see the rotation
    buf = io.BytesIO()
    if exif:
        data = Image.Exif()
        data[0x0112] = 6            # orientation: rotate 90° clockwise to view
        data[0x010F] = "PhoneMaker"  # camera make: must not survive
        data.get_ifd(0x8769)[0x9003] = TAKEN
        data.get_ifd(0x8825).update({1: "N", 2: LAT, 3: "E", 4: LON})
        image.save(buf, "JPEG", exif=data, quality=90)
    else:
        image.save(buf, "JPEG", quality=90)
    return buf.getvalue()


def png(size=(64, 48)):
    buf = io.BytesIO()
    Image.new("RGBA", size, (0, 128, 0, 200)).save(buf, "PNG")
    return buf.getvalue()


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


@functools.cache
def bomb_png(width=8000, height=5000):
    """A 40-megapixel greyscale PNG of zeros: about 40 KB on disk, 40 MB once decoded."""
    raw = zlib.compress(b"\0" * ((width + 1) * height), 1)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + _chunk(b"IDAT", raw) + _chunk(b"IEND", b""))


def gif():
    buf = io.BytesIO()
    Image.new("P", (10, 10)).save(buf, "GIF")
    return buf.getvalue()


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'


def upload(content, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Every evidence test writes its files into its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def clerk(client, project):
    """The client signed in as the 录入员 of ``project`` (the test module's own fixture)."""
    from tests import factories

    client.force_login(factories.staff(projects=[project]))
    return client


def photo(project, year=2020, month=6, **kw):
    """A stored progress photo (its bytes a small PNG; the upload path is tested on its own)."""
    from django.core.files.base import ContentFile

    from evidence.models import Photo

    p = Photo(project=project, year=year, month=month, content_type="image/png", width=64, height=48, **kw)
    p.image.save("p.png", ContentFile(png()), save=False)
    p.thumbnail.save("t.jpg", ContentFile(png()), save=False)
    p.save()
    return p
