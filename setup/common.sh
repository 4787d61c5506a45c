# shellcheck shell=bash
# Shared set-up for setup/run, setup/test and setup/bench. Sourced, never run.
# Every step is idempotent: it checks first and only does what is missing.
#
# Settings (environment variables), all optional:
#   PFP_PYTHON      python interpreter that imports (or receives) Odoo 18   [python3]
#   PFP_DB_HOST     use an existing PostgreSQL server instead of the embedded one
#   PFP_DB_PORT     port of that server, or of the embedded cluster          [54329]
#   PFP_DB_USER     database role Odoo connects with                         [odoo]
#   PFP_DB_PASSWORD its password                                             [odoo]
#   PFP_HTTP_PORT   port Odoo serves on (setup/run)                          [8069]
#   PFP_ODOO_URL    where to install Odoo 18 from when it is missing
#                   [Odoo's official 18.0 nightly source archive]
#   PFP_DEMO_DB     name of the demo database (setup/run)                    [pfp_demo]
#   PFP_SMTP_PORT   port of the demo's local mail sink (setup/run)           [2525]

set -euo pipefail

PFP_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PFP_LOCAL="$PFP_ROOT/.local"
PFP_PYTHON="${PFP_PYTHON:-python3}"
PFP_DB_PORT="${PFP_DB_PORT:-54329}"
PFP_DB_USER="${PFP_DB_USER:-odoo}"
PFP_DB_PASSWORD="${PFP_DB_PASSWORD:-odoo}"
PFP_HTTP_PORT="${PFP_HTTP_PORT:-8069}"
PFP_SMTP_PORT="${PFP_SMTP_PORT:-2525}"
PFP_ODOO_URL="${PFP_ODOO_URL:-https://nightly.odoo.com/18.0/nightly/src/odoo_18.0.latest.tar.gz}"
PFP_CONF="$PFP_LOCAL/odoo.conf"
PFP_PGDATA="$PFP_LOCAL/pgdata"
PFP_PGSOCK="$PFP_LOCAL/pgsock"

say() { printf '[payment_followup_plus] %s\n' "$*" >&2; }
die() { say "ERROR: $*"; exit 2; }

mkdir -p "$PFP_LOCAL"

odoo_version() {
    "$PFP_PYTHON" -c 'import odoo.release as r; print(r.version_info[0])' 2>/dev/null || true
}

# 1. Odoo 18 importable by python3, installed from Odoo's distribution if missing:
#    its source archive, its own pinned requirements.txt (the archive's setup.py
#    lists them unpinned, and today's releases are not what Odoo 18 was made
#    for), then Odoo itself without dependencies.
ensure_odoo() {
    local v
    v="$(odoo_version)"
    if [ "$v" = "18" ]; then
        return 0
    fi
    if [ -n "$v" ]; then
        die "$PFP_PYTHON imports Odoo $v, but this addon needs Odoo 18.0. Set PFP_PYTHON to an interpreter with Odoo 18."
    fi
    say "Odoo 18 is not importable by $PFP_PYTHON; installing it from $PFP_ODOO_URL"
    local src="$PFP_LOCAL/odoo-src"
    mkdir -p "$src"
    if [ ! -f "$src/setup.py" ]; then
        if ! curl -fsSL "$PFP_ODOO_URL" | tar -xz -C "$src" --strip-components=1; then
            die "Odoo 18.0 is missing and could not be downloaded from $PFP_ODOO_URL (no network?). \
Install Odoo 18.0 Community into $PFP_PYTHON (its source tree: 'pip install -r requirements.txt' \
then 'pip install -e . --no-deps'), or point PFP_PYTHON to an interpreter that has it, then run \
this command again."
        fi
    fi
    local constraint="$PFP_LOCAL/pip-constraints.txt"
    # old source distributions pinned by Odoo 18 do not build with newer setuptools
    echo "setuptools<70" >"$constraint"
    # python-ldap needs the OpenLDAP headers and only serves the auth_ldap addon
    grep -v '^python-ldap' "$src/requirements.txt" >"$PFP_LOCAL/odoo-requirements.txt"
    PIP_CONSTRAINT="$constraint" "$PFP_PYTHON" -m pip install -q -r "$PFP_LOCAL/odoo-requirements.txt" \
        || die "could not install Odoo's requirements (see the pip output above)."
    PIP_CONSTRAINT="$constraint" "$PFP_PYTHON" -m pip install -q --no-deps -e "$src" \
        || die "could not install Odoo from $src."
    [ "$(odoo_version)" = "18" ] || die "Odoo was installed but does not import as Odoo 18."
}

# 2. The addon's own Python dependencies; OCA queue_job for 18.0 from PyPI,
#    unpacked into the project's .local/oca folder (installed into
#    site-packages, its odoo/addons folder would shadow an Odoo installed from
#    source) and put on the addons path.
PFP_OCA="$PFP_LOCAL/oca"
ensure_queue_job() {
    [ -f "$PFP_OCA/odoo/addons/queue_job/__manifest__.py" ] && return 0
    # queue_job 18.0.1.7.1 and later use odoo.api.private, which early Odoo 18.0
    # sources do not have: take the last release before it for those
    local spec="odoo-addon-queue-job>=18.0,<18.1"
    if ! "$PFP_PYTHON" -c 'import odoo.api, sys; sys.exit(0 if hasattr(odoo.api, "private") else 1)'; then
        spec="odoo-addon-queue-job==18.0.1.7.0.1"
    fi
    say "installing OCA queue_job for Odoo 18.0 from PyPI into .local/oca ($spec)"
    "$PFP_PYTHON" -m pip install -q --no-deps --target "$PFP_OCA" "$spec" \
        || die "could not install odoo-addon-queue-job (no network?)."
    # only the addon is wanted from that folder: no second "odoo" package
    rm -f "$PFP_OCA/odoo/__init__.py" "$PFP_OCA/odoo/addons/__init__.py"
}

ensure_python_deps() {
    if "$PFP_PYTHON" - <<'EOF' 2>/dev/null; then
import importlib.util, sys
mods = ["pypdf", "pytest", "pytest_odoo", "websocket", "freezegun", "hypothesis", "dateparser",
        "aiosmtpd", "fontTools", "phonenumbers"]
sys.exit(0 if all(importlib.util.find_spec(m) for m in mods) else 1)
EOF
        return 0
    fi
    say "installing Python dependencies from requirements.txt"
    "$PFP_PYTHON" -m pip install -q -r "$PFP_ROOT/requirements.txt" \
        || die "could not install requirements.txt (no network?)."
}

pg_bindir() {
    local d
    if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
        pg_config --bindir
        return
    fi
    for d in /usr/lib/postgresql/*/bin; do
        [ -x "$d/initdb" ] && { echo "$d"; return; }
    done
}

# Run a PostgreSQL server binary: PostgreSQL refuses to run as root, so root
# hands the embedded cluster to the 'postgres' system user.
as_pg() {
    if [ "$(id -u)" = "0" ]; then
        # from a folder the 'postgres' user can enter (the project may be private)
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

# Where the cluster is, as people read it: .local/pgdata, or the full path of
# the folder it was moved to.
pg_where() {
    case "$PFP_PGDATA" in
        "$PFP_ROOT"/*) printf '%s' "${PFP_PGDATA#"$PFP_ROOT"/}" ;;
        *) printf '%s' "$PFP_PGDATA" ;;
    esac
}

# 3. PostgreSQL: an existing server (PFP_DB_HOST) or the embedded cluster.
ensure_postgres() {
    if [ -n "${PFP_DB_HOST:-}" ]; then
        PFP_DB_CONNECT_HOST="$PFP_DB_HOST"
        return 0
    fi
    PFP_DB_CONNECT_HOST="127.0.0.1"
    local bin
    bin="$(pg_bindir)"
    if [ -z "$bin" ]; then
        if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
            say "installing PostgreSQL from the distribution's packages"
            (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql libpq-dev) \
                || die "could not install PostgreSQL."
            bin="$(pg_bindir)"
        fi
        [ -n "$bin" ] || die "PostgreSQL server binaries (initdb, pg_ctl) are missing: install PostgreSQL, \
or set PFP_DB_HOST/PFP_DB_PORT/PFP_DB_USER/PFP_DB_PASSWORD to use an existing server."
    fi
    if [ "$(id -u)" = "0" ]; then
        id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
        chown postgres "$PFP_LOCAL"
        if ! runuser -u postgres -- test -w "$PFP_LOCAL"; then
            # The project lives where the 'postgres' user cannot enter (a private
            # home folder): keep the cluster in a folder of its own instead.
            local alt
            alt="/var/tmp/payment_followup_plus-$(printf '%s' "$PFP_ROOT" | md5sum | cut -c1-12)"
            mkdir -p "$alt" && chown postgres "$alt"
            PFP_PGDATA="$alt/pgdata"
            PFP_PGSOCK="$alt/pgsock"
            say "the project folder is not reachable by the 'postgres' user; cluster kept in $alt"
        fi
    fi
    mkdir -p "$PFP_PGSOCK"
    [ "$(id -u)" = "0" ] && chown postgres "$PFP_PGSOCK"
    if [ ! -s "$PFP_PGDATA/PG_VERSION" ]; then
        say "creating the embedded PostgreSQL cluster in $(pg_where)"
        mkdir -p "$PFP_PGDATA"
        [ "$(id -u)" = "0" ] && chown postgres "$PFP_PGDATA"
        # beside the cluster: where the 'postgres' user can read it
        local pwfile
        pwfile="$(dirname "$PFP_PGDATA")/.pgpw"
        (umask 077 && printf '%s\n' "$PFP_DB_PASSWORD" >"$pwfile")
        [ "$(id -u)" = "0" ] && chown postgres "$pwfile"
        as_pg "$bin/initdb" -D "$PFP_PGDATA" -U "$PFP_DB_USER" --pwfile="$pwfile" \
            --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null \
            || { rm -f "$pwfile"; die "initdb could not create the cluster in $(pg_where)"; }
        rm -f "$pwfile"
    fi
    if ! as_pg "$bin/pg_ctl" -D "$PFP_PGDATA" status >/dev/null 2>&1; then
        if port_taken "$PFP_DB_PORT"; then
            die "port $PFP_DB_PORT is already taken (another checkout's embedded PostgreSQL, or \
another server). Choose a free port for this checkout, e.g. 'PFP_DB_PORT=54339 setup/run' \
(use the same PFP_DB_PORT for setup/test and setup/stop), or stop the other one."
        fi
        say "starting the embedded PostgreSQL ($(pg_where)) on 127.0.0.1:$PFP_DB_PORT"
        as_pg "$bin/pg_ctl" -D "$PFP_PGDATA" -w -t 60 -l "$PFP_PGDATA/server.log" \
            -o "-p $PFP_DB_PORT -k $PFP_PGSOCK -c listen_addresses=127.0.0.1" start >/dev/null \
            || die "the embedded PostgreSQL did not start; see $(pg_where)/server.log"
    fi
}

# 4. The Odoo configuration file, rewritten each time from the settings above.
#    "mail" (setup/run): Odoo's outgoing mail goes to the local mail sink.
write_odoo_conf() {
    local odoo_addons
    odoo_addons="$("$PFP_PYTHON" -c 'import odoo.addons, os; print(",".join(os.path.realpath(p) for p in odoo.addons.__path__))')"
    local base_addons
    base_addons="$("$PFP_PYTHON" -c 'import odoo, os; d=os.path.dirname(os.path.dirname(odoo.__file__)); p=os.path.join(d,"addons"); print(p if os.path.isdir(p) else "")')"
    local paths="$PFP_ROOT"
    [ -n "$base_addons" ] && paths="$paths,$base_addons"
    [ -d "$PFP_OCA/odoo/addons" ] && paths="$paths,$PFP_OCA/odoo/addons"
    paths="$paths,$odoo_addons"
    mkdir -p "$PFP_LOCAL/data"
    cat >"$PFP_CONF" <<EOF
[options]
addons_path = $paths
data_dir = $PFP_LOCAL/data
db_host = $PFP_DB_CONNECT_HOST
db_port = $PFP_DB_PORT
db_user = $PFP_DB_USER
db_password = $PFP_DB_PASSWORD
http_port = $PFP_HTTP_PORT
http_interface = 127.0.0.1
admin_passwd = admin
list_db = False
max_cron_threads = 1
EOF
    if [ "${1:-}" = "mail" ]; then
        printf 'smtp_server = 127.0.0.1\nsmtp_port = %s\n' "$PFP_SMTP_PORT" >>"$PFP_CONF"
    fi
}

# The demo's local mail sink (setup/mailsink.py, aiosmtpd): every email Odoo
# sends is kept as a .eml file under .local/mail/; nothing leaves the machine.
PFP_MAIL_DIR="$PFP_LOCAL/mail"
PFP_SINK_PID="$PFP_LOCAL/mailsink.pid"
start_mailsink() {
    if [ -s "$PFP_SINK_PID" ] && kill -0 "$(cat "$PFP_SINK_PID")" 2>/dev/null; then
        return 0
    fi
    if port_taken "$PFP_SMTP_PORT"; then
        die "port $PFP_SMTP_PORT (the demo's mail sink) is taken by another program: \
choose another with PFP_SMTP_PORT=2526 setup/run."
    fi
    mkdir -p "$PFP_MAIL_DIR"
    "$PFP_PYTHON" "$PFP_ROOT/setup/mailsink.py" --port "$PFP_SMTP_PORT" --dir "$PFP_MAIL_DIR" \
        >"$PFP_LOCAL/mailsink.log" 2>&1 &
    echo $! >"$PFP_SINK_PID"
    local i
    for i in $(seq 1 50); do
        port_taken "$PFP_SMTP_PORT" && return 0
        sleep 0.1
    done
    die "the mail sink did not start; see .local/mailsink.log"
}

stop_mailsink() {
    if [ -s "$PFP_SINK_PID" ] && kill -0 "$(cat "$PFP_SINK_PID")" 2>/dev/null; then
        kill "$(cat "$PFP_SINK_PID")" && say "mail sink stopped (messages kept in .local/mail)"
    fi
    rm -f "$PFP_SINK_PID"
}

# 5. Chromium for the HttpCase browser tests (setup/test only).
ensure_chromium() {
    local b
    for b in chromium chromium-browser google-chrome google-chrome-stable; do
        command -v "$b" >/dev/null 2>&1 && return 0
    done
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
        say "installing Chromium for the browser tests"
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
            || die "could not install Chromium, needed by the browser tests."
        return 0
    fi
    die "Chromium is needed by the browser tests: install the 'chromium' package and run this again."
}

# wkhtmltopdf prints Odoo's QWeb reports (plan agreements, reminder letters) as
# PDF. "required" (the tests) stops without it; otherwise printing is only
# unavailable and Odoo says so in the interface.
ensure_wkhtmltopdf() {
    command -v wkhtmltopdf >/dev/null 2>&1 && return 0
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
        say "installing wkhtmltopdf to print reports as PDF"
        if (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wkhtmltopdf); then
            return 0
        fi
    fi
    if [ "${1:-}" = "required" ]; then
        die "wkhtmltopdf is needed to print the reports the tests check: install the 'wkhtmltopdf' package and run this again."
    fi
    say "wkhtmltopdf is missing: reports cannot be printed as PDF until the 'wkhtmltopdf' package is installed."
}

# A command from a Debian package, installed when missing (as root with apt):
# ensure_tool COMMAND PACKAGE WHY
ensure_tool() {
    command -v "$1" >/dev/null 2>&1 && return 0
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
        say "installing $2 $3"
        if (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2"); then
            return 0
        fi
    fi
    die "$1 is needed $3: install the '$2' package and run this again."
}

# poppler-utils (pdftoppm) renders PDF pages to pictures: the tests and the
# benchmark check that a document pack looks exactly like its documents.
ensure_poppler() {
    ensure_tool pdftoppm poppler-utils "to compare PDF pages"
}

# zbar-tools (zbarimg) reads the letters' QR codes back in the tests.
ensure_zbar() {
    ensure_tool zbarimg zbar-tools "to read the letters' QR codes back"
}

# Ghostscript: the pack benchmark compares its packs with Ghostscript's pdfwrite.
ensure_ghostscript() {
    ensure_tool gs ghostscript "to compare the document packs with Ghostscript's"
}

# axe-core (npm, pinned) checks the customer's pages for WCAG 2.1 A/AA in the
# browser tests; kept in .local/node (the tests find it there).
AXE_VERSION=4.10.2
ensure_axe() {
    local dir="$PFP_LOCAL/node"
    if [ -f "$dir/node_modules/axe-core/axe.min.js" ] \
        && grep -q "\"version\": \"$AXE_VERSION\"" "$dir/node_modules/axe-core/package.json"; then
        return 0
    fi
    command -v npm >/dev/null 2>&1 || ensure_tool npm npm "to install axe-core for the accessibility tests"
    say "installing axe-core $AXE_VERSION from npm for the accessibility tests"
    mkdir -p "$dir"
    (cd "$dir" && npm install --no-audit --no-fund --no-save --silent "axe-core@$AXE_VERSION" >/dev/null) \
        || die "could not install axe-core from npm, needed by the accessibility tests."
}

# Whether something listens on a loopback TCP port.
port_taken() {
    "$PFP_PYTHON" -c 'import socket, sys
s = socket.socket(); s.settimeout(1)
sys.exit(0 if s.connect_ex(("127.0.0.1", int(sys.argv[1]))) == 0 else 1)' "$1"
}

# Stop the embedded PostgreSQL (setup/stop).
stop_postgres() {
    if [ -n "${PFP_DB_HOST:-}" ]; then
        say "PFP_DB_HOST is set: the external server is left running"
        return 0
    fi
    local bin dir alt
    bin="$(pg_bindir)"
    [ -n "$bin" ] || return 0
    alt="/var/tmp/payment_followup_plus-$(printf '%s' "$PFP_ROOT" | md5sum | cut -c1-12)/pgdata"
    for dir in "$PFP_PGDATA" "$alt"; do
        if [ -s "$dir/PG_VERSION" ] && as_pg "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
            as_pg "$bin/pg_ctl" -D "$dir" -m fast stop >/dev/null && say "embedded PostgreSQL stopped"
        fi
    done
}

pfp_psql() {
    PGPASSWORD="$PFP_DB_PASSWORD" psql -h "$PFP_DB_CONNECT_HOST" -p "$PFP_DB_PORT" -U "$PFP_DB_USER" \
        -d postgres -v ON_ERROR_STOP=1 -qtA "$@"
}

db_exists() {
    [ "$(pfp_psql -c "SELECT 1 FROM pg_database WHERE datname = '$1'")" = "1" ]
}

addon_installed() {
    # whether module $2 (default: payment_followup_plus) is installed in database $1
    db_exists "$1" || return 1
    [ "$(PGPASSWORD="$PFP_DB_PASSWORD" psql -h "$PFP_DB_CONNECT_HOST" -p "$PFP_DB_PORT" \
        -U "$PFP_DB_USER" -d "$1" -qtA \
        -c "SELECT state FROM ir_module_module WHERE name = '${2:-payment_followup_plus}'" \
        2>/dev/null)" = "installed" ]
}

demo_loaded() {
    # whether the addon's demo data loaded in database $1 (Odoo installs a
    # module without its demo data when that fails, and only warns)
    [ "$(PGPASSWORD="$PFP_DB_PASSWORD" psql -h "$PFP_DB_CONNECT_HOST" -p "$PFP_DB_PORT" \
        -U "$PFP_DB_USER" -d "$1" -qtA \
        -c "SELECT bool_and(demo) FROM ir_module_module
            WHERE name IN ('payment_followup_plus', 'payment_followup_plus_sale')" 2>/dev/null)" = "t" ]
}

odoo_cmd() {
    "$PFP_PYTHON" -m odoo -c "$PFP_CONF" "$@"
}

# shellcheck source=setup/report_fonts.sh
source "$PFP_ROOT/setup/report_fonts.sh"

prepare_all() {
    ensure_odoo
    ensure_python_deps
    ensure_postgres
    write_odoo_conf
    ensure_report_fonts
}
