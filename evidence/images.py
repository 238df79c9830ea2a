"""Checking and re-encoding an uploaded photo without trusting it.

The type is read from the content (Pillow opens and verifies it; the name and the browser's
content type are ignored); only JPEG and PNG pass. The pixel count is checked from the header
before any pixel is decoded (a small PNG can unpack to gigabytes), and Pillow's own bomb guard
is an error, not a warning. EXIF time and GPS are read, the EXIF orientation applied, and a new
image is built from the pixels alone — no EXIF, ICC, XMP or comments survive — then a
thumbnail is made. Every refusal is ``RefusedImage`` with a Chinese message.
"""
import datetime as dt
import io
import warnings
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from portfolio.period import in_years

ACCEPTED = {"JPEG": "image/jpeg", "PNG": "image/png"}
EXIF_IFD, GPS_IFD = 0x8769, 0x8825
DATETIME_ORIGINAL, DATETIME = 0x9003, 0x0132
MAX_SIDE = 2560      # the stored image's longest side (a phone's 4000 px is more than a page needs)
THUMB_SIDE = 320


class RefusedImage(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CleanImage:
    content: bytes
    content_type: str
    extension: str
    thumbnail: bytes
    width: int
    height: int
    taken_at: dt.datetime | None
    latitude: Decimal | None
    longitude: Decimal | None


def _size(n):
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{-(-n // 1024)} KB"


def check_size(upload):
    limit = settings.EVIDENCE_PHOTO_MAX_BYTES
    if upload.size > limit:
        raise RefusedImage(_("文件过大（%(size)s），每张照片上限为 %(limit)s。")
                           % {"size": _size(upload.size), "limit": _size(limit)})


def _open(data):
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            return Image.open(io.BytesIO(data))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise RefusedImage(_("图片像素过多，已拒收。")) from None
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
            raise RefusedImage(_("不是有效的图片文件，只接受 JPEG 或 PNG 照片。")) from None


def _exif_time(exif):
    raw = exif.get_ifd(EXIF_IFD).get(DATETIME_ORIGINAL) or exif.get(DATETIME)
    if not isinstance(raw, str):
        return None
    try:
        naive = dt.datetime.strptime(raw.strip("\x00 ")[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    if not in_years(naive.year):
        # a camera whose clock was never set writes 0001 or 1970: no time rather than a wrong one
        # (year 1 in the district's zone is before year 1 in UTC: storing it was a 500)
        return None
    # a camera writes local time without a zone: the district's
    return timezone.make_aware(naive, timezone.get_default_timezone())


def _degrees(value, ref, limit):
    try:
        d, m, s = (float(x) for x in value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    degrees = d + m / 60 + s / 3600
    if str(ref).upper() in ("S", "W"):
        degrees = -degrees
    if not -limit <= degrees <= limit:
        return None
    return Decimal(str(degrees)).quantize(Decimal("0.000001"), ROUND_HALF_UP)


def _exif_gps(exif):
    gps = exif.get_ifd(GPS_IFD)
    if not gps or 2 not in gps or 4 not in gps:
        return None, None
    lat, lon = _degrees(gps[2], gps.get(1, "N"), 90), _degrees(gps[4], gps.get(3, "E"), 180)
    return (lat, lon) if lat is not None and lon is not None else (None, None)


def _encode(image, fmt):
    out = io.BytesIO()
    if fmt == "JPEG":
        image.save(out, "JPEG", quality=85, optimize=True)
    else:
        image.save(out, "PNG", optimize=True)
    return out.getvalue()


def clean_image(upload):
    """The upload (a Django UploadedFile) checked and re-encoded, or ``RefusedImage``."""
    check_size(upload)
    upload.seek(0)
    data = upload.read(settings.EVIDENCE_PHOTO_MAX_BYTES + 1)
    if not data:
        raise RefusedImage(_("文件是空的。"))
    image = _open(data)
    if image.format not in ACCEPTED:
        raise RefusedImage(_("只接受 JPEG 或 PNG 照片（收到 %(format)s）。") % {"format": image.format or _("未知格式")})
    fmt = image.format
    width, height = image.size
    if width * height > settings.EVIDENCE_PHOTO_MAX_PIXELS or not width or not height:
        raise RefusedImage(_("图片像素过多（%(w)s×%(h)s），上限为 %(mp)s 百万像素。")
                           % {"w": width, "h": height, "mp": settings.EVIDENCE_PHOTO_MAX_PIXELS // 1_000_000})
    try:
        image.verify()
        image = _open(data)
        exif = image.getexif()
        taken_at = _exif_time(exif)
        latitude, longitude = _exif_gps(exif)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image.load()
            image = ImageOps.exif_transpose(image)
    except RefusedImage:
        raise
    except Exception:  # Pillow raises many kinds on a damaged file (OSError, SyntaxError, struct.error …)
        raise RefusedImage(_("图片文件已损坏或不完整，请重新拍摄或导出后再上传。")) from None
    mode = "RGB" if fmt == "JPEG" else ("RGBA" if image.mode in ("RGBA", "LA", "P", "PA") else "RGB")
    image = image.convert(mode)
    image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    # a new image from the pixels alone: no metadata of the upload can come along
    pixels = Image.frombytes(image.mode, image.size, image.tobytes())
    thumb = pixels.convert("RGB")
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
    return CleanImage(
        content=_encode(pixels, fmt), content_type=ACCEPTED[fmt], extension="jpg" if fmt == "JPEG" else "png",
        thumbnail=_encode(thumb, "JPEG"), width=pixels.width, height=pixels.height,
        taken_at=taken_at, latitude=latitude, longitude=longitude)
