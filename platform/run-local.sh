#!/usr/bin/env bash
# `make run`: prepare the database and the demo, then run web, a Celery worker and Celery beat
# together until Ctrl-C, which stops all three. Expects the virtualenv made by `make install`.
#
# With no DATABASE_URL / REDIS_URL: SQLite and kombu's filesystem broker in var/ (or TAZA_VAR_DIR).
# With them set: the same three processes on PostgreSQL and Redis.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PY:-.venv/bin/python}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
URL="http://${HOST}:${PORT}/"
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-config.settings.local}
export PYTHONUNBUFFERED=1

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
# user:password@host -> user:***@host, so the banner never shows a secret.
masked() { printf '%s' "$1" | sed -E 's#(//[^:/@]*):[^/]*@#\1:***@#'; }

# --- Prepare ---------------------------------------------------------------------------------------
say "Database: $(masked "${DATABASE_URL:-SQLite in ${TAZA_VAR_DIR:-var}/}"); broker: $(masked "${REDIS_URL:-filesystem in ${TAZA_VAR_DIR:-var}/celery/}")"
say "Migrating"
"$PY" manage.py migrate --noinput
say "Loading the regions and the demo (idempotent)"
"$PY" manage.py demo_load
# runserver with DEBUG on serves static files from the apps; with DEBUG off whitenoise needs them collected.
case "$(printf '%s' "${DJANGO_DEBUG:-true}" | tr '[:upper:]' '[:lower:]')" in
true | on | ok | y | yes | 1) ;;
*)
    say "Collecting static files (DJANGO_DEBUG is off)"
    "$PY" manage.py collectstatic --noinput --verbosity 0
    ;;
esac

# --- Run -------------------------------------------------------------------------------------------
# Each process leads its own process group (setsid), so Ctrl-C reaches only this script, which then
# stops each one in order; the group also holds what it forked (runserver's autoreloader child,
# the worker's pool). Output is prefixed with the process name by a sed that ignores Ctrl-C, so the
# shutdown logs still show.
pids=()
start() {
    local name=$1
    shift
    if command -v setsid >/dev/null; then
        setsid "$@" > >(trap '' INT TERM && exec sed -u "s/^/${name} | /") 2>&1 &
    else
        "$@" > >(trap '' INT TERM && exec sed -u "s/^/${name} | /") 2>&1 &
    fi
    pids+=("$!")
}

# True while any process of the groups is alive; `-g` checks the whole group, not just its leader.
any_alive() {
    local flag=$1 pid
    for pid in "${pids[@]}"; do
        if [ "$flag" = -g ]; then kill -0 -- "-$pid" 2>/dev/null && return 0; else kill -0 "$pid" 2>/dev/null && return 0; fi
    done
    return 1
}

wait_while_alive() {
    local flag=$1 tenths=$2
    for _ in $(seq "$tenths"); do
        any_alive "$flag" || return 0
        sleep 0.1
    done
}

stopping=0
stop_all() {
    [ "$stopping" = 1 ] && return
    stopping=1
    [ ${#pids[@]} = 0 ] && return
    say "Stopping web, worker and beat"
    local pid
    # First the leaders: the worker shuts down warm, finishing the task in hand, and stops its pool.
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    wait_while_alive -p 150
    # Then whatever a leader left behind, and at last by force.
    for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
    wait_while_alive -g 50
    for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    say "Stopped"
}
trap 'stop_all; exit 0' INT TERM
trap 'stop_all' EXIT

# The worker options suit one machine: no peers to gossip or sync with, and no heartbeat events,
# which the filesystem broker would keep as files nobody reads.
WORKER_OPTIONS=(--without-gossip --without-mingle --without-heartbeat)
start web "$PY" manage.py runserver "${HOST}:${PORT}"
start worker "$PY" -m celery -A config worker --loglevel=INFO --concurrency="${CELERY_CONCURRENCY:-2}" "${WORKER_OPTIONS[@]}"
start beat "$PY" -m celery -A config beat --loglevel=INFO

# Print the banner once the site answers (any HTTP status), below the start-up logs where it is seen.
ANSWERS='
import sys, urllib.error, urllib.request
try:
    urllib.request.urlopen(sys.argv[1], timeout=1)
except urllib.error.HTTPError:
    pass
'
for _ in $(seq 600); do
    if "$PY" -c "$ANSWERS" "$URL" 2>/dev/null; then
        cat <<EOF

  Taza is running at ${URL}
  Health:            ${URL}healthz
  API docs:          ${URL}api/docs/
  Demo accounts (password taza-demo-2026):
    volunteer@taza.demo   organiser@taza.demo   coordinator@taza.demo   admin@taza.demo (also /admin/)
  Sign-up emails are printed here by the web process.  Ctrl-C stops web, worker and beat.

EOF
        break
    fi
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || break 2; done
    sleep 0.2
done

# Run until Ctrl-C, or until one of the three exits on its own (then stop the others and fail).
while true; do
    for pid in "${pids[@]}"; do
        if ! kill -0 "$pid" 2>/dev/null; then
            say "A process exited (pid $pid): stopping the others"
            stop_all
            exit 1
        fi
    done
    sleep 1 &
    wait $! || true
done
