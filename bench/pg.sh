# Sourced by bench/run.sh --pg: the PostgreSQL cluster of the benchmark.
#
# One cluster, kept in $out/pg/ between runs (initdb once), started for the
# run and stopped at its end, listening on a unix socket in that directory
# only. Unlike the tests' throw-away clusters it runs durable, as an
# installation would: fsync on, synchronous_commit on (a use is answered
# after its commit is flushed, like SQLite's synchronous=FULL), with
# shared_buffers large enough for the benchmark's database.
#
# The benchmark's database is loaded once per pristine SQLite database with
# `kaiku copy` (the move of docs/operations.md, timed) into a database named
# after it, which stays untouched as the template of each run's database.
# As root the cluster is owned by and run as KAIKU_PG_USER (default nobody):
# postgres refuses to run as root.

pg_dir=$out/pg
pg_port=${KAIKU_BENCH_PG_PORT:-18432} # names the socket file only: no TCP
pg_as=()
pg_owner=$(id -un)
if [ "$(id -u)" -eq 0 ]; then
  pg_owner=${KAIKU_PG_USER:-nobody}
  pg_as=(runuser -u "$pg_owner" --)
fi
pg_bindir=
for d in /usr/lib/postgresql/*/bin; do
  [ -x "$d/initdb" ] && pg_bindir=$d
done
pg_started=0

pg_url() { # DATABASE
  printf 'postgresql:///%s?host=%s&port=%s&user=%s' "$1" "$pg_dir" "$pg_port" "$pg_owner"
}
pg_psql() { # DATABASE ARG…
  local dbname=$1
  shift
  psql -X -q -At -h "$pg_dir" -p "$pg_port" -U "$pg_owner" -d "$dbname" "$@"
}

pg_start() {
  [ -n "$pg_bindir" ] || { say "PostgreSQL's initdb not found (scripts/deps.sh installs it)"; exit 1; }
  mkdir -p "$pg_dir"
  chmod 0755 "$pg_dir"
  [ "$(id -u)" -eq 0 ] && chown "$pg_owner" "$pg_dir"
  if [ ! -f "$pg_dir/data/PG_VERSION" ]; then
    say "PostgreSQL: initdb into $pg_dir/data"
    rm -rf "$pg_dir/data"
    "${pg_as[@]}" "$pg_bindir/initdb" -D "$pg_dir/data" -U "$pg_owner" -A trust -E UTF8 \
      --locale=C.UTF-8 >"$pg_dir/initdb.log" 2>&1 ||
      { cat "$pg_dir/initdb.log" >&2; exit 1; }
  fi
  "${pg_as[@]}" "$pg_bindir/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 120 \
    -o "-k $pg_dir -c listen_addresses='' -p $pg_port -c max_connections=60 \
        -c shared_buffers=512MB -c fsync=on -c synchronous_commit=on \
        -c max_wal_size=4GB -c checkpoint_timeout=15min" \
    start >/dev/null || { tail -20 "$pg_dir/server.log" >&2; exit 1; }
  pg_started=1
}

pg_stop() {
  if [ "$pg_started" = 1 ]; then
    "${pg_as[@]}" "$pg_bindir/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null 2>&1 || true
    pg_started=0
  fi
}

# pg_pristine SQLITE_DB KAIKU: the name of the PostgreSQL database holding a
# copy of SQLITE_DB, made with KAIKU's `kaiku copy` when missing. Prints the
# name; the copy's time goes to $pg_dir/<name>.ok.
pg_pristine() {
  local src=$1 kaiku=$2 name t0 t1
  name=pristine_$(basename "$src" .db | tr -c 'a-zA-Z0-9\n' _)
  if [ -f "$pg_dir/$name.ok" ] &&
    [ "$(pg_psql postgres -c "SELECT 1 FROM pg_database WHERE datname = '$name'")" = 1 ]; then
    say "PostgreSQL: using the loaded database $name ($(cat "$pg_dir/$name.ok"))"
  else
    rm -f "$pg_dir/$name.ok"
    pg_psql postgres -c "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name"
    say "PostgreSQL: kaiku copy $src into $name…"
    t0=$(date +%s.%N)
    "$kaiku" copy --from "$src" --to "$(pg_url "$name")" >&2 ||
      { say "kaiku copy into PostgreSQL failed"; exit 1; }
    t1=$(date +%s.%N)
    pg_psql "$name" -c "VACUUM ANALYZE"
    printf 'copied %s in %.0f s, %s MiB' "$(date -u +%Y-%m-%dT%H:%MZ)" "$(calc "$t1 - $t0")" \
      "$(($(pg_psql postgres -c "SELECT pg_database_size('$name')") / 1048576))" \
      >"$pg_dir/$name.ok"
    say "PostgreSQL: $(cat "$pg_dir/$name.ok")"
  fi
  printf '%s\n' "$name"
}

# pg_run_db TEMPLATE: a fresh database "run" made from TEMPLATE (a file
# copy, as run.sh copies the SQLite file for each run). Prints its URL.
pg_run_db() {
  pg_psql postgres -c "DROP DATABASE IF EXISTS run" -c "CREATE DATABASE run TEMPLATE $1"
  pg_url run
}
