#!/usr/bin/env bash
# The benchmark, in one command (see docs/performance.md):
#
#   bench/run.sh [--small] [--against REV] [--pg]
#   bench/run.sh --pages [--against REV]  (the web pages: bench/pages.sh --help)
#
# Installs what is missing (wrk, nginx), builds kaiku, generates the large
# database once into bench/out/ (1,000,000 cards, 10,000 events, 10,000,000
# uses; cached), then in one run and on loopback only:
#   - nginx serving a static JSON file the size of a card lookup answer,
#   - kaiku GET /api/v1/cards/{code} with random codes,
#   - kaiku POST /api/v1/uses with random cards, from 4 venues at once
#     (each on its own bench event: one principal may hold at most 32
#     requests in flight),
#   - the same with an adult ticket instead of a child's (not with --small),
# each driven by wrk (2 threads, 64 connections, 30 s) with the same
# request shapes, and prints requests/s, p50, p99, the ratio to nginx, the
# non-2xx counts, the server's CPU time per request and its peak memory.
# It stops all it started.
#
# --small: a small database and 5 s runs, a smoke check of the whole chain.
# --pg: also the same lookups and uses on PostgreSQL (issue 18), beside
#   SQLite's in the same run, with one `kaiku serve` and with two on one
#   database (wrk's connections split between them): a durable cluster
#   kept in bench/out/pg/ (bench/pg.sh), loaded once with `kaiku copy`.
# --against REV: also builds git revision REV (e.g. main, HEAD~3) into
#   bench/out/against/, with its own generator and schema and so its own
#   cached database, and measures it in the same run, target by target,
#   right before this tree's kaiku: new code against old, side by side.
# Environment: KAIKU_BENCH_DURATION (s), KAIKU_BENCH_CONNECTIONS,
# KAIKU_BENCH_PRINCIPALS (the venues recording uses at once, default 4),
# KAIKU_BENCH_THREADS (wrk), KAIKU_BENCH_SERVER_THREADS (kaiku serve
# --threads, default: the server's own), KAIKU_BENCH_PORT (kaiku, 18080),
# KAIKU_BENCH_NGINX_PORT (18081), KAIKU_BENCH_PG_PORT (18432, the
# cluster's socket name with --pg; the second server listens on
# KAIKU_BENCH_PORT + 2).
#
# A benchmark, not a test: it exits 0 whatever the figures (non-zero only
# when it could not run). Targets are printed as "met" or "MISSED".
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
bench=$root/bench
out=$bench/out

small=0
pg=0
against=
while [ $# -gt 0 ]; do
  arg=$1
  shift
  case $arg in
  --small) small=1 ;;
  --pg) pg=1 ;;
  --pages)
    exec "$bench/pages.sh" "$@" # [--against REV]
    ;;
  --against)
    [ $# -gt 0 ] || { echo "bench/run.sh: --against needs a git revision" >&2; exit 2; }
    against=$1
    shift
    ;;
  -h | --help)
    sed -n '2,38p' "$0" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
  *)
    echo "bench/run.sh: unknown argument $arg (try --help)" >&2
    exit 2
    ;;
  esac
done

if [ "$small" = 1 ]; then
  cards=20000 events=200 uses=200000 duration=${KAIKU_BENCH_DURATION:-5} warmup=1
  db_pristine=$out/kaiku-bench-small.db
else
  cards=1000000 events=10000 uses=10000000 duration=${KAIKU_BENCH_DURATION:-30} warmup=5
  db_pristine=$out/kaiku-bench.db
fi
connections=${KAIKU_BENCH_CONNECTIONS:-64}
wrk_threads=${KAIKU_BENCH_THREADS:-2}
principals=${KAIKU_BENCH_PRINCIPALS:-4}
port=${KAIKU_BENCH_PORT:-18080}
nginx_port=${KAIKU_BENCH_NGINX_PORT:-18081}
host=127.0.0.1 # loopback only, always
# Bounds: no wrk run longer than 10 minutes.
if ! [[ $duration =~ ^[0-9]+$ ]] || [ "$duration" -lt 1 ] || [ "$duration" -gt 600 ]; then
  echo "bench/run.sh: KAIKU_BENCH_DURATION must be 1..600 seconds" >&2
  exit 2
fi

say() { printf 'bench: %s\n' "$*" >&2; }
# calc EXPR [FORMAT]: arithmetic on decimals (awk), printed with FORMAT.
calc() { awk "BEGIN { printf \"${2:-%.0f}\", ($1) }"; }

# ---- what is missing: wrk, nginx (and the build dependencies) ----
need=()
command -v wrk >/dev/null || need+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
command -v curl >/dev/null || need+=(curl)
if [ ${#need[@]} -gt 0 ]; then
  say "installing ${need[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  if ! "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; then
    # nginx-light is gone from newer Debian releases; plain nginx will do.
    need=("${need[@]/nginx-light/nginx}")
    "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
fi
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
[ -x scripts/deps.sh ] && scripts/deps.sh

# ---- build: this tree, and REV's with --against ----
# build_tree ROOT: builds the kaiku of the source tree at ROOT into ROOT/build.
build_tree() {
  if [ -x "$1/scripts/build.sh" ]; then
    "$1/scripts/build.sh" build
  else
    cmake -S "$1" -B "$1/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    cmake --build "$1/build" -j"$(nproc)" >/dev/null
  fi
}
say "building…"
build_tree "$root"
trees=()
if [ -n "$against" ]; then
  rev=$(git -C "$root" rev-parse --verify --quiet "$against^{commit}") ||
    { say "--against: no such git revision: $against"; exit 2; }
  old_root=$out/against/$(git -C "$root" rev-parse --short=12 "$rev")
  if [ ! -x "$old_root/build/kaiku" ]; then
    say "building $against ($rev) into $old_root…"
    rm -rf "$old_root"
    mkdir -p "$old_root"
    git -C "$root" archive "$rev" | tar -x -C "$old_root"
    build_tree "$old_root"
  fi
  trees+=("$against=$old_root")
fi
trees+=("this tree=$root")
if [ ! -x "$root/build/kaiku" ]; then
  say "build/kaiku does not exist: nothing to measure but nginx"
  exit 1
fi

# ---- the database of each tree, generated once and cached ----
# pristine_db ROOT: prints the path of ROOT's pristine database, generating
# it with ROOT's own generator when the cached one is missing or stale. A
# database older than 14 days is regenerated: its cards were handed out in
# the 11 months before it was made and its bench events are "yesterday". So
# is one made by another generator or for another schema (the recipe).
pristine_db() {
  local tree=$1 recipe db stamp gen_start gen_end
  recipe=$(cat "$tree/bench/gen.c" $(find "$tree/src/store" -name '*.sql' | sort) | sha256sum | cut -c1-16)
  db=$out/kaiku-bench$([ "$small" = 1 ] && echo -small)-$recipe.db
  stamp=$db.ok
  if [ -f "$db" ] && [ -f "$stamp" ] && [ -z "$(find "$stamp" -mtime +14)" ]; then
    say "using the cached database $db ($(cat "$stamp"))"
  else
    rm -f "$db" "$db-wal" "$db-shm" "$stamp" "$db.tmp"*
    say "generating $db: $cards cards, $events events, $uses uses…"
    gen_start=$(date +%s.%N)
    "$tree/build/bench/kaiku-bench-gen" --db "$db.tmp" --cards "$cards" --events "$events" \
      --uses "$uses" --seed 1 >&2
    gen_end=$(date +%s.%N)
    mv "$db.tmp" "$db"
    printf 'generated %s in %.0f s, %s MiB' "$(date -u +%Y-%m-%dT%H:%MZ)" \
      "$(calc "$gen_end - $gen_start")" "$(($(stat -c %s "$db") / 1048576))" >"$stamp"
    say "$(cat "$stamp")"
  fi
  printf '%s\n' "$db"
}
mkdir -p "$out"
[ "$pg" = 1 ] && . "$bench/pg.sh"
declare -A pristine
for t in "${trees[@]}"; do
  pristine[${t%%=*}]=$(pristine_db "${t#*=}")
done
db_size_mib=$(($(stat -c %s "${pristine[this tree]}") / 1048576))

# ---- processes we start, and their end ----
server_pids=()
server_pid= # the first of server_pids
nginx_pid=
stop_server() {
  local p
  for p in "${server_pids[@]}"; do
    kill -0 "$p" 2>/dev/null && kill -TERM "$p" 2>/dev/null || true
  done
  for p in "${server_pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true
  done
  server_pids=()
  server_pid=
}
cleanup() {
  stop_server
  [ "$pg" = 1 ] && pg_stop
  if [ -n "$nginx_pid" ] && kill -0 "$nginx_pid" 2>/dev/null; then
    kill -QUIT "$nginx_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$nginx_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$nginx_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_free() { ! (exec 3<>"/dev/tcp/$host/$1") 2>/dev/null; }
for p in "$port" "$nginx_port" $([ "$pg" = 1 ] && echo $((port + 2))); do
  port_free "$p" || { say "port $host:$p is already in use (set KAIKU_BENCH_PORT / KAIKU_BENCH_NGINX_PORT)"; exit 1; }
done

# Waits (bounded: 20 s) until GET url answers 200.
wait_http() {
  for _ in $(seq 200); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$1")" = 200 ] && return 0
    sleep 0.1
  done
  return 1
}

# start_server TREE ROOT [BACKEND SERVERS]: a fresh copy of TREE's database
# (each run records up to a few hundred thousand uses: start from the
# pristine one every time so that runs are comparable), a user at each of
# the first $principals venues, `kaiku serve` of that tree, a token for
# each. BACKEND is sqlite (the default) or pg (bench/pg.sh: a fresh database
# from the loaded template); SERVERS (pg only: 1 or 2) `kaiku serve`s on the
# one database, on $port and $port + 2. Sets server_pids, db (a file or a
# URL), token (the first venue's), tokens and bench_events
# (comma-separated, one per venue: the uses benchmarks spread their
# requests over them, since one principal may hold at most 32 requests in
# flight, src/http/inflight.h) and card_body.
start_server() {
  local tree=$1 kaiku=$2/build/kaiku backend=${3:-sqlite} servers=${4:-1}
  local venue ev password login i=0 t k
  if [ "$backend" = pg ]; then
    db=$(pg_run_db "$pg_template")
  else
    db=$out/run.db
    rm -f "$db" "$db-wal" "$db-shm"
    cp "${pristine[$tree]}" "$db"
  fi
  password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
  local venues=() evs=()
  while read -r venue ev; do
    venues+=("$venue")
    evs+=("$ev")
  done < <(db_query "SELECT venue || ' ' || id FROM events WHERE name = 'Bench event' ORDER BY id LIMIT $principals")
  [ "${#venues[@]}" = "$principals" ] ||
    { say "the database has ${#venues[@]} bench events, $principals wanted"; exit 1; }
  for venue in "${venues[@]}"; do
    printf '%s\n' "$password" |
      "$kaiku" user add --db "$db" --username "bench-venue-$i" --role venue --venue "$venue" \
        --password-stdin >&2
    i=$((i + 1))
  done
  for k in $(seq 0 $((servers - 1))); do
    serve_args=(serve --db "$db" --listen "$host:$((port + 2 * k))" --quiet)
    [ -n "${KAIKU_BENCH_SERVER_THREADS:-}" ] && serve_args+=(--threads "$KAIKU_BENCH_SERVER_THREADS")
    "$kaiku" "${serve_args[@]}" 2>"$out/serve-$k.log" &
    server_pids+=($!)
    wait_http "http://$host:$((port + 2 * k))/healthz" ||
      { say "kaiku serve did not come up; see $out/serve-$k.log"; exit 1; }
  done
  server_pid=${server_pids[0]}
  tokens=
  for i in $(seq 0 $((principals - 1))); do
    login=$(curl -s --max-time 10 -H 'Content-Type: application/json' \
      -d "{\"username\":\"bench-venue-$i\",\"password\":\"$password\"}" \
      "http://$host:$port/api/v1/login")
    t=$(printf '%s' "$login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])') ||
      { say "login failed: $login"; exit 1; }
    tokens=${tokens:+$tokens,}$t
  done
  token=${tokens%%,*}
  event=${evs[0]}
  bench_events=$(IFS=,; echo "${evs[*]}")
  card_body=$(curl -s --max-time 10 -H "Authorization: Bearer $token" \
    "http://$host:$port/api/v1/cards/K00000001")
  say "kaiku serve of $tree on $backend (pids ${server_pids[*]}) from $host:$port, venues ${venues[*]}, bench events $bench_events"
  say "a card answer: $card_body"
}

# db_query SQL: one query on the run's database $db (a file or a URL),
# rows as lines.
db_query() {
  case $db in
  postgresql://* | postgres://*) psql -X -q -At "$db" -c "$1" ;;
  *) sqlite3 "$db" "$1" ;;
  esac
}

# The answer nginx serves is this tree's card answer, so the server of this
# tree is started once first to read it.
start_server "this tree" "$root"
stop_server

# ---- nginx: a static file of the same size as a card answer ----
ngx=$out/nginx
rm -rf "$ngx"
mkdir -p "$ngx/www" "$ngx/logs" "$ngx/tmp"
printf '%s' "$card_body" >"$ngx/www/card.json"
card_bytes=$(stat -c %s "$ngx/www/card.json")
chmod -R a+rX "$ngx" # nginx workers run as nobody when started as root
cat >"$ngx/nginx.conf" <<NGX
# Written by bench/run.sh: a static JSON file, served the way a tuned nginx
# would serve it, as the yardstick for kaiku's card lookup.
worker_processes 2;
error_log $ngx/logs/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_timeout 65;
    keepalive_requests 10000000;
    open_file_cache max=16 inactive=60s;
    open_file_cache_valid 60s;
    client_body_temp_path $ngx/tmp/body;
    proxy_temp_path $ngx/tmp/proxy;
    fastcgi_temp_path $ngx/tmp/fastcgi;
    uwsgi_temp_path $ngx/tmp/uwsgi;
    scgi_temp_path $ngx/tmp/scgi;
    types { }
    default_type application/json;
    server {
        listen $host:$nginx_port;
        root $ngx/www;
        location / { try_files /card.json =404; }
    }
}
NGX
"$nginx_bin" -p "$ngx" -e "$ngx/logs/error.log" -c "$ngx/nginx.conf" \
  -g "daemon off; pid $ngx/nginx.pid;" &
nginx_pid=$!
wait_http "http://$host:$nginx_port/api/v1/cards/K00000001" ||
  { say "nginx did not come up; see $ngx/logs/error.log"; exit 1; }

# ---- the runs ----
export KAIKU_BENCH_DIR=$bench KAIKU_BENCH_CARDS=$cards KAIKU_BENCH_WRK_THREADS=$wrk_threads
log=$out/wrk-$(date -u +%Y%m%dT%H%M%SZ).log

# The CPU time so far (user + system, in clock ticks) of kaiku's servers
# and, on PostgreSQL, of the cluster's processes (its backends do the
# queries): the whole cost of a request on this machine.
server_ticks() {
  local p sum=0 v
  for p in "${server_pids[@]}" $([ "$backend_now" = pg ] && pgrep -u "$pg_owner" -x postgres); do
    v=$(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null) || v=0
    sum=$((sum + ${v:-0}))
  done
  echo "$sum"
}
clk_tck=$(getconf CLK_TCK)
backend_now=sqlite

# run NAME SCRIPT URL SECONDS [URL2]: prints the KAIKU_RESULT line of wrk,
# with the server's CPU ticks during the run appended (meaningful for
# kaiku's runs). With URL2, two wrks at once, each with half the threads
# and connections, one per server, and their results merged: requests and
# errors added, the p50 the mean of the two, the p99 and max the higher.
run_wrk() {
  local name=$1 script=$2 url=$3 secs=$4 url2=${5:-} t0 result
  say "wrk: $name, ${secs} s, $wrk_threads threads, $connections connections${url2:+, two servers}"
  t0=$(server_ticks)
  if [ -z "$url2" ]; then
    result=$({
      echo "== $name"
      timeout $((secs + 60)) wrk -t"$wrk_threads" -c"$connections" -d"${secs}s" --timeout 2s \
        --latency -s "$bench/$script" "$url"
    } | tee -a "$log" | grep '^KAIKU_RESULT' || echo "KAIKU_RESULT failed=1")
  else
    local half_t=$(((wrk_threads + 1) / 2)) half_c=$((connections / 2)) u wrks=()
    for u in "$url" "$url2"; do
      timeout $((secs + 60)) wrk -t"$half_t" -c"$half_c" -d"${secs}s" --timeout 2s \
        --latency -s "$bench/$script" "$u" >"$out/wrk-$(basename "$u" | tr : _).out" 2>&1 &
      wrks+=($!)
    done
    wait "${wrks[@]}" || true
    { echo "== $name"; cat "$out"/wrk-*_*.out; } >>"$log"
    result=$(cat "$out"/wrk-*_*.out | grep '^KAIKU_RESULT' | awk '
      function f(k,  i) { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == k) return kv[2] } return 0 }
      { n++; req += f("requests"); sec = f("seconds") > sec ? f("seconds") : sec
        p50 += f("p50_us"); p99 = f("p99_us") > p99 ? f("p99_us") : p99; mx = f("max_us") > mx ? f("max_us") : mx
        s += f("non2xx"); c += f("connect"); r += f("read"); w += f("write"); t += f("timeout") }
      END { if (n != 2) { print "KAIKU_RESULT failed=1"; exit }
        printf "KAIKU_RESULT requests=%d seconds=%.2f rps=%.1f p50_us=%d p99_us=%d max_us=%d non2xx=%d connect=%d read=%d write=%d timeout=%d\n",
          req, sec, req / sec, p50 / 2, p99, mx, s, c, r, w, t }')
    rm -f "$out"/wrk-*_*.out
  fi
  echo "$result server_ticks=$(($(server_ticks) - t0))"
}
field() { sed -n "s/.* $2=\([0-9.]*\).*/\1/p" <<<"$1"; }

# With --against, the trees take turns target by target (old, then new), each
# on a freshly started server and a fresh copy of its database, so that both
# meet the same moment of this noisy machine as nearly as one run allows.
declare -A result used_before used_after hwm_kib rss_kib
targets=(cards uses)
[ "$small" = 0 ] && targets+=(adult)
declare -A target_name=(
  [cards]="GET /api/v1/cards/{code}"
  [uses]="POST /api/v1/uses"
  [adult]="POST /api/v1/uses (adult)"
)
declare -A target_script=([cards]=cards.lua [uses]=uses.lua [adult]=uses_adult.lua)

# measure KEY TREE ROOT TARGET [BACKEND SERVERS]: one target on fresh
# servers and a fresh copy of the database; the result goes to result[KEY].
measure() {
  local key=$1 tree=$2 troot=$3 target=$4 backend=${5:-sqlite} servers=${6:-1} url2=
  start_server "$tree" "$troot" "$backend" "$servers"
  backend_now=$backend
  export KAIKU_BENCH_TOKEN=$token KAIKU_BENCH_TOKENS=$tokens KAIKU_BENCH_EVENTS=$bench_events
  [ "$servers" = 2 ] && url2="http://$host:$((port + 2))"
  # Adult tickets (each writes R24's one-adult index): every card once at
  # most, so no warm-up.
  [ "$target" = adult ] ||
    run_wrk "kaiku ($key) warm-up" "${target_script[$target]}" "http://$host:$port" "$warmup" $url2 >/dev/null
  used_before[$key]=$(db_query "SELECT sum(used) FROM events WHERE id IN ($bench_events)")
  result[$key]=$(run_wrk "kaiku ($key) ${target_name[$target]}" \
    "${target_script[$target]}" "http://$host:$port" "$duration" $url2)
  used_after[$key]=$(db_query "SELECT sum(used) FROM events WHERE id IN ($bench_events)")
  hwm_kib[$key]=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$server_pid/status")
  rss_kib[$key]=$(sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$server_pid/status")
  stop_server
  backend_now=sqlite
}

run_wrk "nginx warm-up" cards.lua "http://$host:$nginx_port" "$warmup" >/dev/null
r_nginx=$(run_wrk "nginx static JSON" cards.lua "http://$host:$nginx_port" "$duration")
for target in "${targets[@]}"; do
  for t in "${trees[@]}"; do
    measure "${t%%=*}.$target" "${t%%=*}" "${t#*=}" "$target"
  done
done
# PostgreSQL: this tree only, lookups and uses of random cards, with one
# server and with two, beside SQLite's figures above.
pg_variants=()
if [ "$pg" = 1 ]; then
  pg_start
  pg_template=$(pg_pristine "${pristine[this tree]}" "$root/build/kaiku")
  pg_loaded=$(cat "$pg_dir/$pg_template.ok")
  for target in cards uses; do
    for n in 1 2; do
      measure "pg$n.$target" "this tree" "$root" "$target" pg "$n"
    done
  done
  pg_variants=(pg1 pg2)
  pg_stop
fi

# ---- the table ----
nginx_rps=$(field "$r_nginx" rps)
row() { # NAME RESULT [cpu]: with "cpu", the server's CPU time per request
  local rps p50 p99 non2xx errs ratio cpu=-
  if [ -z "$2" ] || [ -n "$(field "$2" failed)" ]; then
    printf '%-46s %12s\n' "$1" "not measured"
    return
  fi
  if [ "${3:-}" = cpu ] && [ "$(field "$2" requests)" -gt 0 ]; then
    cpu=$(calc "$(field "$2" server_ticks) * 1000000 / $clk_tck / $(field "$2" requests)" %.0f)
  fi
  rps=$(field "$2" rps) p50=$(field "$2" p50_us) p99=$(field "$2" p99_us)
  non2xx=$(field "$2" non2xx)
  errs=$(($(field "$2" connect) + $(field "$2" read) + $(field "$2" write) + $(field "$2" timeout)))
  ratio=$(calc "$rps / $nginx_rps" %.2f)
  printf '%-46s %12.0f %9.2f %9.2f %9s %9s %7s %12s\n' "$1" "$rps" \
    "$(calc "$p50 / 1000" %.3f)" "$(calc "$p99 / 1000" %.3f)" \
    "$ratio" "$non2xx" "$errs" "$cpu"
}
max_of() { local m=0 v; for v in "$@"; do [ "${v:-0}" -gt "$m" ] && m=$v; done; echo "$m"; }
verdict() { if [ "$1" = 1 ]; then echo "met"; else echo "MISSED"; fi; }
{
  echo
  echo "kaiku benchmark — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(($(sed -n 's/^MemTotal:[[:space:]]*\([0-9]*\).*/\1/p' /proc/meminfo) / 1024)) MiB RAM"
  echo "database: $cards cards, $events events, $uses uses ($db_size_mib MiB); answer: $card_bytes bytes"
  echo "wrk: $wrk_threads threads, $connections connections, ${duration} s per target, loopback"
  [ -n "$against" ] && echo "against: $against ($rev), built in $old_root"
  echo
  printf '%-46s %12s %9s %9s %9s %9s %7s %12s\n' target "requests/s" "p50 ms" "p99 ms" \
    "vs nginx" "non-2xx" "errors" "CPU µs/req"
  row "nginx static JSON (GET)" "$r_nginx"
  for target in "${targets[@]}"; do
    for t in "${trees[@]}"; do
      tree=${t%%=*}
      label="kaiku ${target_name[$target]}"
      [ -n "$against" ] && label="$label [$tree]"
      row "$label" "${result[$tree.$target]}" cpu
    done
    for v in "${pg_variants[@]}"; do
      [ -n "${result[$v.$target]:-}" ] &&
        row "kaiku ${target_name[$target]} [PG, ${v#pg} srv]" "${result[$v.$target]}" cpu
    done
  done
  echo
  if [ "$pg" = 1 ]; then
    echo "[PG, n srv]: on PostgreSQL ($("$pg_bindir/postgres" --version | sed 's/^[^0-9]*\([0-9.]*\).*/\1/'), fsync and synchronous_commit on),"
    echo "  n kaiku serve on one database, wrk's connections split between them; CPU µs/req"
    echo "  counts the kaiku servers and PostgreSQL's processes. The database: $pg_loaded."
    for v in "${pg_variants[@]}"; do
      echo "bench events' tickets recorded during the POST run [PG, ${v#pg} srv]: $((${used_after[$v.uses]:-0} - ${used_before[$v.uses]:-0}))"
      echo "kaiku serve [PG, ${v#pg} srv] peak memory (VmHWM, first server): $(($(max_of "${hwm_kib[$v.cards]:-0}" "${hwm_kib[$v.uses]:-0}") / 1024)) MiB"
    done
    echo
  fi
  for t in "${trees[@]}"; do
    tree=${t%%=*}
    hwm=$(max_of "${hwm_kib[$tree.cards]}" "${hwm_kib[$tree.uses]}" "${hwm_kib[$tree.adult]:-0}")
    echo "kaiku serve [$tree] peak memory (VmHWM, highest of its servers): $((hwm / 1024)) MiB"
    echo "bench events' tickets recorded during the POST run [$tree]: $((${used_after[$tree.uses]} - ${used_before[$tree.uses]}))"
  done
  echo
  echo "targets (this tree):"
  r_cards=${result[this tree.cards]} r_uses=${result[this tree.uses]}
  if [ -z "$(field "$r_cards" failed)" ]; then
    ok=$(calc "$(field "$r_cards" rps) >= 0.5 * $nginx_rps && $(field "$r_cards" p99_us) < 5000" %d)
    echo "  card lookup >= 0.5 x nginx requests/s and p99 < 5 ms: $(verdict "$ok")"
  fi
  if [ -z "$(field "$r_uses" failed)" ]; then
    ok=$(calc "$(field "$r_uses" rps) >= 15000 && $(field "$r_uses" p99_us) < 20000" %d)
    echo "  uses >= 15,000/s and p99 < 20 ms: $(verdict "$ok")"
    hwm=$(max_of "${hwm_kib[this tree.cards]}" "${hwm_kib[this tree.uses]}" "${hwm_kib[this tree.adult]:-0}")
    ok=$(calc "$hwm < 65536" %d)
    echo "  server memory < 64 MiB: $(verdict "$ok")"
  fi
  for key in "${!result[@]}"; do
    r=${result[$key]}
    if [ -z "$(field "$r" failed)" ] && [ "$(field "$r" non2xx)" != 0 ]; then
      echo "WARNING: non-2xx answers during a run ($key): the figures are not of successful requests"
    fi
  done
  echo "wrk's full output: $log"
} | tee -a "$log"
