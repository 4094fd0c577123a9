#!/usr/bin/env bash
# with-postgres.sh COMMAND [ARG…] — runs COMMAND against a throw-away
# PostgreSQL cluster and removes the cluster afterwards, whatever COMMAND
# did. The cluster lives in a new temporary directory, listens on no TCP
# port (only on a unix socket in that directory) and trusts local
# connections; COMMAND finds it in the environment:
#   KAIKU_PG_URL  postgresql:///kaiku?host=DIR&port=PORT (database "kaiku")
#   PGHOST, PGPORT, PGDATABASE, PGUSER  for psql and other libpq clients
#   KAIKU_PG_CTL  pg_ctl as the cluster's owner with its -D and -l: append
#                 "-m fast -w stop" or "-w start" to stop or start it again
#                 (its settings are in its postgresql.conf)
# As root, postgres refuses to run: the cluster is then owned by and run as
# the unprivileged user KAIKU_PG_USER (default "nobody"). COMMAND's exit
# status is this script's. Needs Debian's postgresql (scripts/deps.sh).
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "usage: $0 COMMAND [ARG...]" >&2
  exit 2
fi

bindir=${KAIKU_PG_BINDIR:-}
if [ -z "$bindir" ]; then
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && bindir=$d
  done
fi
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "$0: PostgreSQL's initdb not found (install postgresql: scripts/deps.sh)" >&2
  exit 2
fi

dir=$(mktemp -d /tmp/kaiku-pg.XXXXXX)
chmod 0755 "$dir"
as=()
owner=$(id -un)
if [ "$(id -u)" -eq 0 ]; then
  owner=${KAIKU_PG_USER:-nobody}
  chown "$owner" "$dir"
  as=(runuser -u "$owner" --)
fi
# No TCP: the port only names the socket file (.s.PGSQL.PORT) in $dir,
# which is new, so any number works and two runs never clash.
port=$((20000 + RANDOM % 20000))

stop() {
  "${as[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT

"${as[@]}" "$bindir/initdb" -D "$dir/data" -U "$owner" -A trust -E UTF8 --locale=C.UTF-8 \
  --no-sync >"$dir/initdb.log" 2>&1 || {
  cat "$dir/initdb.log" >&2
  exit 2
}
# fsync off: the cluster is thrown away; durability is not what is tested.
# (Off, a commit still reaches the kernel: a crash of PostgreSQL alone, as
# an immediate stop, loses nothing committed.) In postgresql.conf, so that
# a start through KAIKU_PG_CTL gets them too.
cat >>"$dir/data/postgresql.conf" <<EOF
unix_socket_directories = '$dir'
listen_addresses = ''
port = $port
fsync = off
max_connections = 60
EOF
ctl=("${as[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log")
"${ctl[@]}" -w -t 60 start >/dev/null || {
  cat "$dir/server.log" >&2
  exit 2
}
"${as[@]}" "$bindir/createdb" -h "$dir" -p "$port" -U "$owner" kaiku

export PGHOST=$dir PGPORT=$port PGDATABASE=kaiku PGUSER=$owner
export KAIKU_PG_URL="postgresql:///kaiku?host=$dir&port=$port&user=$owner"
export KAIKU_PG_CTL="${ctl[*]}"
set +e
"$@"
status=$?
set -e
exit $status
