#!/bin/bash
# make install-check: follow docs/operations/install.md on this machine, as a fresh system user
# with its own directories, database and ports, then log in through Caddy over TLS.
#
# The page's blocks marked "install-check: run" are run as written, in order, in one shell; a
# block marked "instead check_X" is replaced by the function check_X below (no systemd here,
# Caddy on its own ports). Ends with `ponleu doctor` and a first login (enrolment included).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CHECK=${PONLEU_CHECK_DIR:-/tmp/ponleu-install-check}
PORT_BASE=${PONLEU_CHECK_PORT:-18631}

export PONLEU_USER=ponleu_check
export PONLEU_HOME=$CHECK/srv
export PONLEU_ETC=$CHECK/etc
export PONLEU_DB=ponleu_ops_install
export PONLEU_DOMAIN=localhost
export PONLEU_PORT=$PORT_BASE
HTTP_PORT=$((PORT_BASE + 1))
HTTPS_PORT=$((PORT_BASE + 2))
export PONLEU_URL=https://localhost:$HTTPS_PORT
export PONLEU_SOURCE=$CHECK/ponleu.bundle
PONLEU_VERSION=$(git -C "$ROOT" rev-parse --abbrev-ref HEAD)
export PONLEU_VERSION
export PONLEU_UNIT_DIR=$CHECK/systemd
export PSQL_ADMIN="psql -h 127.0.0.1 -U postgres"

[ "$(id -u)" = 0 ] || { echo "install-check needs root (it creates a system user)"; exit 1; }

stop_started() {
    for pidfile in "$CHECK"/run/*.pid; do
        [ -f "$pidfile" ] || continue
        pid=$(cat "$pidfile")
        kill "$pid" 2>/dev/null && echo "stopped $(basename "$pidfile" .pid) ($pid)" || true
        rm -f "$pidfile"
    done
}

echo "== a fresh start: user $PONLEU_USER, $CHECK, database $PONLEU_DB, ports $PORT_BASE-$HTTPS_PORT"
stop_started
$PSQL_ADMIN -q -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS $PONLEU_DB WITH (FORCE)" \
    -c "DROP ROLE IF EXISTS ${PONLEU_DB}_app" -c "DROP ROLE IF EXISTS ${PONLEU_DB}_owner"
id "$PONLEU_USER" >/dev/null 2>&1 && deluser --quiet "$PONLEU_USER" >/dev/null
rm -rf "$CHECK"
mkdir -p "$CHECK/run" "$CHECK/logs"
# Packages already downloaded by an earlier check are reused (the user and its home are new).
export PIP_CACHE_DIR=${PONLEU_CHECK_PIP_CACHE:-/tmp/ponleu-install-check-pip-cache}
mkdir -p "$PIP_CACHE_DIR"
chmod 1777 "$PIP_CACHE_DIR"
chmod 755 "$CHECK"
git -C "$ROOT" bundle create "$PONLEU_SOURCE" "$PONLEU_VERSION" 2>/dev/null
chmod 644 "$PONLEU_SOURCE"

check_admin() {
    ADMIN_PASSWORD=$(openssl rand -hex 12)
    echo "$ADMIN_PASSWORD" > "$CHECK/admin-password"
    DJANGO_SUPERUSER_PASSWORD=$ADMIN_PASSWORD ponleu_admin createsuperuser --noinput \
        --username admin --email admin@example.org
}

start_as_service_user() {
    local name=$1
    shift
    runuser -u "$PONLEU_USER" -- "$PONLEU_HOME/app/deploy/with-env" "$PONLEU_ETC/ponleu.env" "$@" \
        > "$CHECK/logs/$name.log" 2>&1 &
    echo $! > "$CHECK/run/$name.pid"
    echo "started $name (pid $!)"
}

check_services() {
    APP="$PONLEU_HOME/app"
    mkdir -p "$PONLEU_UNIT_DIR"
    for unit in ponleu-web.service ponleu-worker.service ponleu-backup.service ponleu-backup.timer \
            ponleu-doctor.service ponleu-doctor.timer; do
        sed -e "s|/srv/ponleu|$PONLEU_HOME|g" -e "s|/etc/ponleu|$PONLEU_ETC|g" \
            -e "s|^User=ponleu$|User=$PONLEU_USER|" -e "s|^Group=ponleu$|Group=$PONLEU_USER|" \
            -e "s|--port 8000|--port $PONLEU_PORT|" "$APP/deploy/systemd/$unit" > "$PONLEU_UNIT_DIR/$unit"
    done
    if command -v systemd-analyze >/dev/null; then
        (cd "$PONLEU_UNIT_DIR" && systemd-analyze verify --man=no ./*.service ./*.timer)
        echo "systemd-analyze verify: the six units are valid"
    else
        echo "systemd-analyze is not installed: the units were not verified"
    fi
    start_as_service_user web "$APP/.venv/bin/ponleu" serve --host 127.0.0.1 --port "$PONLEU_PORT"
    start_as_service_user worker "$APP/.venv/bin/ponleu" worker --queue-name '*'
    for _ in $(seq 60); do
        curl -fsS "http://127.0.0.1:$PONLEU_PORT/healthz" -H "Host: localhost" >/dev/null 2>&1 && break
        sleep 1
    done
    curl -fsS "http://127.0.0.1:$PONLEU_PORT/healthz" -H "Host: localhost" -H "X-Forwarded-Proto: https"
    echo
}

check_caddy() {
    mkdir -p "$CHECK/caddy"
    {
        printf '{\n\tadmin off\n\tskip_install_trust\n\thttp_port %s\n\thttps_port %s\n' "$HTTP_PORT" "$HTTPS_PORT"
        printf '\tstorage file_system {\n\t\troot %s\n\t}\n}\n' "$CHECK/caddy/data"
        sed -e "s|ponleu.example.org|$PONLEU_DOMAIN|" -e "s|127.0.0.1:8000|127.0.0.1:$PONLEU_PORT|" \
            "$PONLEU_HOME/app/deploy/caddy/Caddyfile"
    } > "$CHECK/caddy/Caddyfile"
    chown -R caddy:caddy "$CHECK/caddy"
    # As the caddy user: validating provisions the local authority, whose files Caddy must own.
    (cd "$CHECK/caddy" && HOME=$CHECK/caddy runuser -u caddy -- \
        caddy validate --config "$CHECK/caddy/Caddyfile" --adapter caddyfile >/dev/null 2>&1)
    (cd "$CHECK/caddy" && HOME=$CHECK/caddy XDG_DATA_HOME=$CHECK/caddy/data XDG_CONFIG_HOME=$CHECK/caddy/config \
        runuser -u caddy -- caddy run --config "$CHECK/caddy/Caddyfile" --adapter caddyfile \
        > "$CHECK/logs/caddy.log" 2>&1 &
        echo $! > "$CHECK/run/caddy.pid")
    echo "started caddy (pid $(cat "$CHECK/run/caddy.pid")), $PONLEU_URL"
    ROOT_CRT=$CHECK/caddy/data/pki/authorities/local/root.crt
    for _ in $(seq 60); do [ -f "$ROOT_CRT" ] && break; sleep 1; done
    install -m 0644 "$ROOT_CRT" "$PONLEU_ETC/caddy-local-root.crt"
    # The doctor checks the certificate against Caddy's local authority (a real install uses
    # a public one, and needs no such line).
    echo "PONLEU_TLS_CA_FILE=$PONLEU_ETC/caddy-local-root.crt" >> "$PONLEU_ETC/ponleu.env"
    for _ in $(seq 30); do
        curl -fsS --cacert "$PONLEU_ETC/caddy-local-root.crt" "$PONLEU_URL/healthz" >/dev/null 2>&1 && break
        sleep 1
    done
}

# The page's blocks, in order; the settings block is skipped (its values are set above).
"$ROOT/.venv/bin/python" - "$ROOT/docs/operations/install.md" > "$CHECK/steps.sh" <<'PY'
import re, shlex, sys
text = open(sys.argv[1], encoding="utf-8").read()
pattern = re.compile(r"^## ([^\n]*)$|<!-- install-check: ([^>]*?) -->\n```sh\n(.*?)```", re.S | re.M)
heading = ""
for match in pattern.finditer(text):
    if match.group(1):
        heading = match.group(1)
        continue
    marker, block = match.group(2), match.group(3)
    if marker.startswith("run"):
        print("echo " + shlex.quote(f"== install.md, {heading}"))
        print(block)
    elif marker.startswith("instead "):
        name = marker.split()[1].rstrip(":")
        print("echo " + shlex.quote(f"== install.md, {heading} (instead: {name})"))
        print(name)
PY
source "$CHECK/steps.sh" 2>&1

echo "== a login through the TLS proxy ($PONLEU_URL)"
"$PONLEU_HOME/app/.venv/bin/python" "$ROOT/deploy/login_check.py" "$PONLEU_URL" admin \
    "$(cat "$CHECK/admin-password")" "$PONLEU_ETC/caddy-local-root.crt"

if [ "${PONLEU_CHECK_KEEP_RUNNING:-}" != 1 ]; then
    echo "== stopping what the check started (PONLEU_CHECK_KEEP_RUNNING=1 keeps it)"
    stop_started
fi
echo "install-check: passed"
