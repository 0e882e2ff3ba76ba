#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers and the project's database exists.
#   postgres.sh ensure   DATABASE_URL when set; else 127.0.0.1:5432 (started with pg_ctlcluster
#                        when it is down; initdb'd under the cache when no server exists at all)
#   postgres.sh stop     stops only a cluster this script created under the cache
#   postgres.sh restart  restarts the local server (chaos tests)
#   postgres.sh url      prints the URL the project uses
set -euo pipefail
LOG_TAG=postgres
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib/common.sh"

PGHOST_DEFAULT=127.0.0.1
PGPORT_DEFAULT="${PGPORT:-5432}"
DB_NAME="${INCIDENTS_DB:-incidents}"
OWN_DIR="$INCIDENTS_CACHE/postgres"
DEFAULT_URL="postgres://postgres@$PGHOST_DEFAULT:$PGPORT_DEFAULT/$DB_NAME"

url() { echo "${DATABASE_URL:-$DEFAULT_URL}"; }

# admin_url: the same server, database "postgres", to create the project's database.
admin_url() { url | sed -E 's#/[^/?]*(\?|$)#/postgres\1#; s#^(postgres(ql)?://[^/]*)/postgres#\1/postgres#'; }

answers() { pg_isready -q -d "$(url)" -t 2 2>/dev/null || pg_isready -q -h "$PGHOST_DEFAULT" -p "$PGPORT_DEFAULT" -t 2 2>/dev/null; }

need_client() {
  command -v psql >/dev/null && command -v pg_isready >/dev/null \
    || die "the PostgreSQL client (psql, pg_isready) is missing: apt-get install -y postgresql-client, or set DATABASE_URL and install psql"
}

start_local() {
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ] && [ -n "$(ls /etc/postgresql 2>/dev/null)" ]; then
    local ver
    ver=$(ls /etc/postgresql | sort -V | tail -1)
    log "PostgreSQL is down; starting cluster $ver/main with pg_ctlcluster"
    pg_ctlcluster --skip-systemctl-redirect "$ver" main start 2>&1 | sed 's/^/  /' >&2 || true
    wait_for "postgres $PGHOST_DEFAULT:$PGPORT_DEFAULT" 30 answers && return 0
    log "pg_ctlcluster did not bring the server up"
  fi
  local initdb
  initdb=$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -1 || true)
  [ -n "$initdb" ] || die "PostgreSQL is not running on $PGHOST_DEFAULT:$PGPORT_DEFAULT and no server is installed: apt-get install -y postgresql, or set DATABASE_URL"
  local bindir runas=()
  bindir=$(dirname "$initdb")
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || die "initdb cannot run as root and there is no 'postgres' user"
    runas=(runuser -u postgres --)
  fi
  if [ ! -f "$OWN_DIR/data/PG_VERSION" ]; then
    log "no PostgreSQL server found; creating a cluster in $OWN_DIR/data"
    mkdir -p "$OWN_DIR"
    [ "$(id -u)" = 0 ] && chown postgres "$OWN_DIR"
    "${runas[@]}" "$initdb" -D "$OWN_DIR/data" -U postgres --auth=trust >/dev/null
  fi
  "${runas[@]}" "$bindir/pg_ctl" -D "$OWN_DIR/data" -l "$OWN_DIR/server.log" \
    -o "-h $PGHOST_DEFAULT -p $PGPORT_DEFAULT -k /tmp" start >/dev/null
  wait_for "postgres $PGHOST_DEFAULT:$PGPORT_DEFAULT" 30 answers || die "PostgreSQL did not start (log: $OWN_DIR/server.log)"
}

ensure() {
  need_client
  if ! answers; then
    if [ -n "${DATABASE_URL:-}" ]; then
      die "PostgreSQL at DATABASE_URL does not answer ($(url | sed -E 's#//[^@]*@#//***@#')): start it or fix DATABASE_URL"
    fi
    start_local
  fi
  local db exists
  db=$(url | sed -E 's#^[^/]*//[^/]*/([^?]*).*#\1#')
  exists=$(psql -X -q -t -A -d "$(admin_url)" -c "select 1 from pg_database where datname = '$db'" 2>&1) \
    || die "cannot connect to PostgreSQL as $(url | sed -E 's#^[a-z]*://([^@:]*).*#\1#'): $exists"
  if [ "$exists" != 1 ]; then
    log "creating database $db"
    psql -X -q -d "$(admin_url)" -c "create database \"$db\"" >/dev/null
  fi
  log "database $db: ready"
}

stop() {
  if [ -f "$OWN_DIR/data/postmaster.pid" ]; then
    local bindir
    bindir=$(dirname "$(ls /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -1)")
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$bindir/pg_ctl" -D "$OWN_DIR/data" stop; else "$bindir/pg_ctl" -D "$OWN_DIR/data" stop; fi
  else
    log "the PostgreSQL server was not started by this project; leaving it running"
  fi
}

# restart: restarts the local server (chaos tests); refuses when DATABASE_URL points elsewhere.
restart() {
  [ -z "${DATABASE_URL:-}" ] || [ "$(url)" = "$DEFAULT_URL" ] || echo "$(url)" | grep -q "@$PGHOST_DEFAULT:$PGPORT_DEFAULT/" \
    || die "refusing to restart a server this project does not manage ($(url | sed -E 's#//[^@]*@#//***@#'))"
  if [ -f "$OWN_DIR/data/postmaster.pid" ]; then
    local bindir
    bindir=$(dirname "$(ls /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -1)")
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$bindir/pg_ctl" -D "$OWN_DIR/data" -m fast restart >/dev/null; else "$bindir/pg_ctl" -D "$OWN_DIR/data" -m fast restart >/dev/null; fi
  else
    local ver
    ver=$(ls /etc/postgresql | sort -V | tail -1)
    pg_ctlcluster --skip-systemctl-redirect "$ver" main restart -m fast
  fi
  wait_for "postgres $PGHOST_DEFAULT:$PGPORT_DEFAULT" 30 answers || die "PostgreSQL did not come back"
}

case "${1:-}" in
  ensure) ensure ;;
  restart) restart ;;
  stop) stop ;;
  url) url ;;
  *) echo "usage: $0 ensure|stop|restart|url" >&2; exit 2 ;;
esac
