#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into the database of DATABASE_URL.
#
#   scripts/restore.sh BACKUP_FILE --yes
#
# This REPLACES the data of the target database; --yes confirms. Stop the app (or put it in
# maintenance) first. PostgreSQL: pg_restore --clean --if-exists in one transaction (all or
# nothing) into an existing database (create an empty one with createdb first if needed).
# SQLite: the current file is kept as <file>.before-restore-<time>, then replaced.
# Afterwards run `manage.py migrate` in case the backup predates the code's migrations.
# Files: the archive NAME-STAMP.media.tar.gz beside the backup file (made by backup.sh) replaces
# MEDIA_ROOT (default ./media); the current folder is kept as <folder>.before-restore-<time>.
set -euo pipefail
cd "$(dirname "$0")/.."
FILE="${1:?用法: scripts/restore.sh 备份文件 --yes}"
[ "${2:-}" = "--yes" ] || { echo "恢复会覆盖 ${DATABASE_URL:-db.sqlite3} 中的数据；确认请加 --yes" >&2; exit 2; }
[ -f "$FILE" ] || { echo "恢复失败：找不到备份文件 $FILE" >&2; exit 1; }
URL="${DATABASE_URL:-sqlite:///$(pwd)/db.sqlite3}"
PY="${PYTHON:-.venv/bin/python}"
[ -x "$PY" ] || PY=python3

case "$URL" in
  postgres://*|postgresql://*|pgsql://*)
    URL="postgresql://${URL#*://}"
    pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction \
      --exit-on-error --dbname="$URL" "$FILE"
    ;;
  sqlite://*)
    DST="${URL#sqlite://}"
    if [ -f "$DST" ]; then cp -p "$DST" "$DST.before-restore-$(date +%Y%m%d-%H%M%S)"; fi
    "$PY" - "$FILE" "$DST" <<'PYEOF'
import sqlite3, sys
src = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
if src.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
    sys.exit("恢复失败：备份文件已损坏")
dst = sqlite3.connect(sys.argv[2])
with dst:
    src.backup(dst)
dst.close(); src.close()
PYEOF
    ;;
  *)
    echo "恢复失败：不支持的 DATABASE_URL（仅支持 PostgreSQL 与 SQLite）" >&2; exit 1 ;;
esac
ARCHIVE="${FILE%.*}.media.tar.gz"
if [ -f "$ARCHIVE" ]; then
  MEDIA="${MEDIA_ROOT:-$(pwd)/media}"
  tar -tzf "$ARCHIVE" >/dev/null || { echo "恢复失败：文件备份 $ARCHIVE 已损坏" >&2; exit 1; }
  if [ -d "$MEDIA" ]; then mv "$MEDIA" "$MEDIA.before-restore-$(date +%Y%m%d-%H%M%S)"; fi
  mkdir -p "$MEDIA"
  tar -xzf "$ARCHIVE" -C "$MEDIA" --no-same-owner
  echo "已从 $ARCHIVE 恢复文件到 $MEDIA"
fi
echo "已从 $FILE 恢复"
