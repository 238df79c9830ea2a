#!/usr/bin/env bash
# Back up the database of DATABASE_URL (the same variable the app reads) into a directory.
#
#   scripts/backup.sh [DEST_DIR]          # default DEST_DIR: ./backups
#
# PostgreSQL: pg_dump custom format (-Fc: compressed, restorable table by table), without owner
# or privileges so it restores into any database. SQLite: an online, consistent copy through
# SQLite's backup API (safe while the app runs). Prints the path of the file written.
# KEEP_DAYS=N removes backups of this database older than N days from DEST_DIR afterwards.
# Files (photos, MEDIA_ROOT, default ./media): archived beside it as NAME-STAMP.media.tar.gz, the
# same stamp, so restore.sh finds it. With S3 storage (AWS_STORAGE_BUCKET_NAME) the files are in the
# bucket: back it up with the store's own versioning or replication.
set -euo pipefail
cd "$(dirname "$0")/.."
DEST="${1:-backups}"
URL="${DATABASE_URL:-sqlite:///$(pwd)/db.sqlite3}"
STAMP="$(date +%Y%m%d-%H%M%S)"
PY="${PYTHON:-.venv/bin/python}"
[ -x "$PY" ] || PY=python3
mkdir -p "$DEST"
# A failed or interrupted backup leaves nothing behind: the file being written is OUT.part, and
# it is removed on any exit (after success it has already become OUT).
OUT=""
remove_partial() { if [ -n "$OUT" ]; then rm -f -- "$OUT.part"; fi; }
trap remove_partial EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

case "$URL" in
  postgres://*|postgresql://*|pgsql://*)
    URL="postgresql://${URL#*://}"
    NAME="$(basename "${URL%%\?*}")"
    OUT="$DEST/${NAME}-${STAMP}.dump"
    pg_dump --format=custom --no-owner --no-privileges --file="$OUT.part" "$URL"
    ;;
  sqlite://*)
    SRC="${URL#sqlite://}"
    [ -f "$SRC" ] || { echo "备份失败：找不到 SQLite 数据库文件 $SRC" >&2; exit 1; }
    NAME="$(basename "$SRC" .sqlite3)"
    OUT="$DEST/${NAME}-${STAMP}.sqlite3"
    "$PY" - "$SRC" "$OUT.part" <<'PYEOF'
import sqlite3, sys
src, dst = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
with dst:
    src.backup(dst)
dst.close(); src.close()
PYEOF
    ;;
  *)
    echo "备份失败：不支持的 DATABASE_URL（仅支持 PostgreSQL 与 SQLite）" >&2; exit 1 ;;
esac
mv "$OUT.part" "$OUT"   # a backup file exists only once it is complete
DB_OUT="$OUT"
MEDIA="${MEDIA_ROOT:-$(pwd)/media}"
if [ -z "${AWS_STORAGE_BUCKET_NAME:-}" ] && [ -d "$MEDIA" ]; then
  OUT_MEDIA="$DEST/${NAME}-${STAMP}.media.tar.gz"
  OUT="$OUT_MEDIA"   # the trap removes a half-written archive
  tar -czf "$OUT_MEDIA.part" -C "$MEDIA" .
  mv "$OUT_MEDIA.part" "$OUT_MEDIA"
  echo "$OUT_MEDIA"
fi
if [ -n "${KEEP_DAYS:-}" ]; then
  find "$DEST" -maxdepth 1 -name "${NAME}-*" -mtime +"$KEEP_DAYS" -print -delete >&2
fi
echo "$DB_OUT"
