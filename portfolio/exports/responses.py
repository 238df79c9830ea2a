"""Serving a file the user downloads: its name (``download_name``: 南片_2020年12月_月度进度填报.xlsx),
the one Content-Disposition of every download (RFC 6266 with RFC 5987's ``filename*`` for the
Chinese name, an ASCII fallback for old clients) and a workbook streamed from a temporary file."""
import tempfile
from urllib.parse import quote

from django.http import FileResponse

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

UNSAFE_IN_NAMES = str.maketrans({**{chr(c): "-" for c in range(32)}, "\x7f": "-",
                                 **{c: "-" for c in '\\/:*?"<>|'}})


def download_name(*parts, ext="xlsx", max_length=120):
    """A download's file name from its parts — ``download_name("南片", "2020年12月", "月度进度填报")``
    → ``南片_2020年12月_月度进度填报.xlsx`` —: empty parts left out, characters Windows refuses in
    file names replaced, at most ``max_length`` characters before the extension."""
    stem = "_".join(str(p).strip().translate(UNSAFE_IN_NAMES) for p in parts if p not in (None, ""))
    return f"{stem[:max_length].strip(' ._') or 'export'}.{ext}"


def content_disposition(filename, fallback=None, disposition="attachment"):
    """The Content-Disposition of every download (``inline`` for a file the browser shows): an
    ASCII name for old clients and the UTF-8 name (RFC 6266 with RFC 5987's ``filename*``), which
    every current browser uses — ``南片_2020年12月_月度进度填报.xlsx`` arrives with its Chinese
    name."""
    ascii_name = fallback or filename.encode("ascii", "ignore").decode().strip("_ .") or "export.xlsx"
    ascii_name = ascii_name.replace('"', "").replace("\\", "")
    return f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def xlsx_response(book, filename, fallback=None):
    """Save the workbook to a temporary file and stream it from there (the file is deleted when
    the response closes it), so a large export never sits in memory as one bytes object."""
    tmp = tempfile.TemporaryFile(suffix=".xlsx")
    book.save(tmp)
    tmp.seek(0)
    response = FileResponse(tmp, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(filename, fallback)
    response["Cache-Control"] = "no-store"
    return response
