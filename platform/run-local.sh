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
# Links in emails the worker sends point at the address this serves, unless SITE_URL says otherwise.
export SITE_URL=${SITE_URL:-http://${HOST}:${PORT}}
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
# shutdown logs still show. Each process's command is the array CMD_<name>, so that it can be started
# again after a crash (see the supervise loop at the end).
declare -A pids started restarts
start() {
    local name=$1
    local -n argv="CMD_${name}"
    if command -v setsid >/dev/null; then
        setsid "${argv[@]}" > >(trap '' INT TERM && exec sed -u "s/^/${name} | /") 2>&1 &
    else
        "${argv[@]}" > >(trap '' INT TERM && exec sed -u "s/^/${name} | /") 2>&1 &
    fi
    pids[$name]=$!
    started[$name]=$SECONDS
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
CMD_web=("$PY" manage.py runserver "${HOST}:${PORT}")
CMD_worker=("$PY" -m celery -A config worker --loglevel=INFO --concurrency="${CELERY_CONCURRENCY:-2}" "${WORKER_OPTIONS[@]}")
CMD_beat=("$PY" -m celery -A config beat --loglevel=INFO)
for name in web worker beat; do start "$name"; done

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

# Supervise until Ctrl-C: a process that exits on its own (a crash, a lost database or broker it
# could not outlive) is started again, after 1 s, then 2 s, … up to 10 s while it keeps crashing;
# one that ran for a minute starts again from 1 s. In production systemd or the platform's process
# manager does the same (platform/DEPLOY.md, platform/systemd/).
while true; do
    for name in "${!pids[@]}"; do
        pid=${pids[$name]}
        kill -0 "$pid" 2>/dev/null && continue
        [ "$stopping" = 1 ] && break 2
        status=0
        wait "$pid" 2>/dev/null || status=$?
        kill -KILL -- "-$pid" 2>/dev/null || true # whatever it left behind in its group
        if [ $((SECONDS - started[$name])) -ge 60 ]; then restarts[$name]=0; fi
        restarts[$name]=$((${restarts[$name]:-0} + 1))
        delay=$((restarts[$name] < 10 ? restarts[$name] : 10))
        say "${name} exited (status ${status}): starting it again in ${delay} s"
        sleep "$delay"
        start "$name"
    done
    sleep 1 &
    wait $! || true
done
