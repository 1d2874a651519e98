#!/bin/sh
# Screenshots of the real window on a 1366×768 screen (40 px kept for the taskbar) into
# docs/images/: starts Xvfb on display :96, runs docs/screenshots.py at 100 % and 150 % and
# docs/screenshots_more.py (wizard, dialogs, receiving),
# stops the Xvfb it started. Needs Xvfb and ImageMagick (`import`).
set -eu
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
DISPLAY_NUMBER=${DISPLAY_NUMBER:-96}
OUT=${1:-docs/images}
Xvfb ":$DISPLAY_NUMBER" -screen 0 1366x768x24 -nolisten tcp >/dev/null 2>&1 &
XVFB=$!
trap 'kill "$XVFB" 2>/dev/null || true' EXIT INT TERM
sleep 1
export DISPLAY=":$DISPLAY_NUMBER" QT_QPA_PLATFORM=xcb
PYTHONPATH=. "$PY" docs/screenshots.py "$OUT"
PYTHONPATH=. "$PY" docs/screenshots.py "$OUT" --scale 150
PYTHONPATH=. "$PY" docs/screenshots_more.py "$OUT"  # wizard, plan dialogs, receiving office
