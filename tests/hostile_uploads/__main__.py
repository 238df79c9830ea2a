"""``python -m tests.hostile_uploads DIR``: write the hostile corpus (and good.xlsx) to DIR."""
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portfolio.settings")

from tests.hostile_uploads import main  # noqa: E402

main(sys.argv[1] if len(sys.argv) > 1 else "hostile_uploads_out")
