#!/usr/bin/env bash
# Set up everything creative-flow needs; quick and silent when it is all there already.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '  %-10s %s\n' "$1" "$2"; }
is_root() { [ "$(id -u)" = "0" ]; }
has_apt() { command -v apt-get >/dev/null 2>&1; }
APT_UPDATED=0
apt_install() {
    if is_root && has_apt; then
        if [ "$APT_UPDATED" = 0 ]; then apt-get update -qq >/dev/null; APT_UPDATED=1; fi
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
        return 0
    fi
    return 1
}

echo "creative-flow setup"

# 1. Python >= 3.11 and the virtual environment.
PY="${PYTHON:-python3}"
if ! "$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
    echo "error: Python 3.11 or newer is required (found: $("$PY" --version 2>&1)). Install it, or set PYTHON=/path/to/python3.11." >&2
    exit 1
fi
[ -x .venv/bin/python ] || "$PY" -m venv .venv
say python "$(.venv/bin/python --version 2>&1) in .venv"

# 2. The project and its dev extras; reinstalled only when pyproject.toml changes.
STAMP=.venv/.creative-flow-installed
WANT="$(sha256sum pyproject.toml 2>/dev/null || shasum -a 256 pyproject.toml)"
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$WANT" ]; then
    # pip and setuptools talk a lot (notices, deprecations); their output is kept in a log
    # and shown only when the install fails.
    LOG=.venv/install.log
    if ! { .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip \
            && .venv/bin/python -m pip install -q --disable-pip-version-check -e '.[dev]'; } \
            >"$LOG" 2>&1; then
        cat "$LOG" >&2
        echo "error: installing the project failed (the pip output above is also in $LOG)" >&2
        exit 1
    fi
    echo "$WANT" > "$STAMP"
    say project "installed (editable, with dev extras)"
else
    say project "up to date"
fi

# 3. ffmpeg and ffprobe.
if ! command -v ffmpeg >/dev/null || ! command -v ffprobe >/dev/null; then
    apt_install ffmpeg || {
        echo "error: ffmpeg/ffprobe not found. Install them: 'sudo apt-get install ffmpeg' (Debian/Ubuntu) or 'brew install ffmpeg' (macOS)." >&2
        exit 1
    }
fi
say ffmpeg "$(command -v ffmpeg) ($(ffmpeg -version | head -1 | cut -d' ' -f3))"

# 4. A Chromium: an explicit path, Playwright's own build, or the distribution's package.
chromium_path() {
    if [ -n "${CREATIVE_FLOW_CHROMIUM:-}" ] && [ -x "$CREATIVE_FLOW_CHROMIUM" ]; then echo "$CREATIVE_FLOW_CHROMIUM"; return; fi
    local bundled
    bundled="$(.venv/bin/python - <<'PY' 2>/dev/null || true
import os
from playwright.sync_api import sync_playwright
with sync_playwright() as p:
    path = p.chromium.executable_path
    print(path if os.path.exists(path) else "")
PY
)"
    if [ -n "$bundled" ]; then echo "$bundled"; return; fi
    for c in /usr/bin/chromium /usr/bin/chromium-browser; do [ -x "$c" ] && { echo "$c"; return; }; done
    echo ""
}
CHROME="$(chromium_path)"
if [ -z "$CHROME" ]; then
    if timeout 600 .venv/bin/python -m playwright install chromium >/dev/null 2>&1; then
        CHROME="$(chromium_path)"
    fi
fi
if [ -z "$CHROME" ]; then
    apt_install chromium || true
    CHROME="$(chromium_path)"
fi
if [ -z "$CHROME" ]; then
    echo "error: no Chromium found. Run '.venv/bin/playwright install chromium', or install your distribution's 'chromium' package, or set CREATIVE_FLOW_CHROMIUM=/path/to/chrome." >&2
    exit 1
fi
say chromium "$CHROME"

# 5. A virtual display for headed runs on machines without a screen (Linux only).
if [ "$(uname -s)" = "Linux" ] && ! command -v Xvfb >/dev/null; then
    apt_install xvfb xauth || echo "  note: Xvfb not found; headed tests are skipped without a display ('sudo apt-get install xvfb')."
fi
command -v Xvfb >/dev/null && say xvfb "$(command -v Xvfb)"

# 6. Redis, the broker of `creative-flow worker` (the tests start their own on a free port).
if ! command -v redis-server >/dev/null; then
    apt_install redis-server || echo "  note: redis-server not found; the queue tests are skipped ('sudo apt-get install redis-server')."
fi
command -v redis-server >/dev/null && say redis "$(command -v redis-server)"
exit 0
