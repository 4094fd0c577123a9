#!/usr/bin/env bash
# Reports never starve the door (issue 16 item 6; docs/performance.md):
#
#   bench/report_load.sh [--small] [--against REV]
#
# On the benchmark database of bench/run.sh (cached in bench/out/, generated
# when missing), measures card lookups (GET /api/v1/cards/{code}, wrk, random
# codes) twice on one server: idle, then while four clients ask for the
# national report (GET /api/v1/reports/national) over and over, each as soon
# as its previous one is answered. Prints the p99 of both side by side, their
# ratio (the target: at most 2), and how many reports were answered and
# refused (503 with Retry-After when the reports' queue is full).
#
# --small: the small database and 5 s runs, a smoke check of the chain.
# --against REV: also measures git revision REV (e.g. main) the same way, in
#   the same run, before this tree: old against new.
# Environment: KAIKU_BENCH_DURATION (s, default 20), KAIKU_BENCH_CONNECTIONS
# (wrk, default 16), KAIKU_BENCH_THREADS (wrk threads, default 2),
# KAIKU_BENCH_REPORTS (clients asking for reports, default 4),
# KAIKU_BENCH_PORT (this tree's server, 19400), KAIKU_BENCH_AGAINST_PORT
# (REV's, 19401).
#
# A benchmark, not a test: it exits 0 whatever the figures (non-zero only
# when it could not run). It stops all it started.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
bench=$root/bench
out=$bench/out

small=0
against=
while [ $# -gt 0 ]; do
  case $1 in
  --small) small=1 ;;
  --against)
    [ $# -ge 2 ] || { echo "bench/report_load.sh: --against needs a revision" >&2; exit 2; }
    against=$2
    shift
    ;;
  -h | --help)
    sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
    exit 0
    ;;
  *)
    echo "bench/report_load.sh: unknown argument $1 (try --help)" >&2
    exit 2
    ;;
  esac
  shift
done

if [ "$small" = 1 ]; then
  cards=20000 events=200 uses=200000 duration=${KAIKU_BENCH_DURATION:-5}
else
  cards=1000000 events=10000 uses=10000000 duration=${KAIKU_BENCH_DURATION:-20}
fi
connections=${KAIKU_BENCH_CONNECTIONS:-16}
wrk_threads=${KAIKU_BENCH_THREADS:-2}
reporters=${KAIKU_BENCH_REPORTS:-4}
port=${KAIKU_BENCH_PORT:-19400}
against_port=${KAIKU_BENCH_AGAINST_PORT:-19401}
host=127.0.0.1 # loopback only, always
for n in "$duration" "$connections" "$wrk_threads" "$reporters"; do
  [[ $n =~ ^[0-9]+$ ]] && [ "$n" -ge 1 ] && [ "$n" -le 600 ] ||
    { echo "bench/report_load.sh: counts and seconds must be 1..600" >&2; exit 2; }
done

say() { printf 'bench: %s\n' "$*" >&2; }
calc() { awk "BEGIN { printf \"${2:-%.0f}\", ($1) }"; }
for tool in wrk curl sqlite3 python3; do
  command -v "$tool" >/dev/null || { say "$tool is missing (bench/run.sh installs wrk)"; exit 1; }
done

# ---- build: this tree, and REV's with --against (as bench/run.sh) ----
build_tree() {
  if [ -x "$1/scripts/build.sh" ]; then
    "$1/scripts/build.sh" build
  else
    cmake -S "$1" -B "$1/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    cmake --build "$1/build" -j2 >/dev/null
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
  trees+=("$against=$old_root=$against_port")
fi
trees+=("this tree=$root=$port")

# ---- the database: bench/run.sh's, by the same recipe ----
pristine_db() {
  local tree=$1 recipe db
  recipe=$(cat "$tree/bench/gen.c" $(find "$tree/src/store" -name '*.sql' | sort) | sha256sum | cut -c1-16)
  db=$out/kaiku-bench$([ "$small" = 1 ] && echo -small)-$recipe.db
  if [ ! -f "$db" ] || [ ! -f "$db.ok" ]; then
    rm -f "$db" "$db.ok" "$db.tmp"*
    say "generating $db: $cards cards, $events events, $uses uses…"
    "$tree/build/bench/kaiku-bench-gen" --db "$db.tmp" --cards "$cards" --events "$events" \
      --uses "$uses" --seed 1 >&2
    mv "$db.tmp" "$db"
    printf 'generated %s by bench/report_load.sh' "$(date -u +%Y-%m-%dT%H:%MZ)" >"$db.ok"
  fi
  printf '%s\n' "$db"
}
mkdir -p "$out"

# ---- processes we start, and their end ----
server_pid=
reporter_pids=()
stop_reporters() {
  for p in "${reporter_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${reporter_pids[@]}"; do wait "$p" 2>/dev/null || true; done
  reporter_pids=()
}
stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  server_pid=
}
cleanup() {
  stop_reporters
  stop_server
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_free() { ! (exec 3<>"/dev/tcp/$host/$1") 2>/dev/null; }
wait_http() {
  for _ in $(seq 300); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$1")" = 200 ] && return 0
    sleep 0.1
  done
  return 1
}
login() { # USER PASSWORD -> token
  curl -s --max-time 10 -H 'Content-Type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"$2\"}" "http://$host:$srv_port/api/v1/login" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}

# start_server TREE ROOT PORT: a fresh copy of the tree's database, a venue
# user (card lookups) and a national one (reports), and `kaiku serve`.
start_server() {
  local kaiku=$2/build/kaiku venue password
  srv_port=$3
  port_free "$srv_port" || { say "port $host:$srv_port is in use (KAIKU_BENCH_PORT)"; exit 1; }
  db=$out/reports-run.db
  rm -f "$db" "$db-wal" "$db-shm"
  cp "$(pristine_db "$2")" "$db"
  venue=$(sqlite3 "$db" "SELECT venue FROM events WHERE name = 'Bench event' ORDER BY id LIMIT 1")
  password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
  printf '%s\n' "$password" | "$kaiku" user add --db "$db" --username bench-venue --role venue \
    --venue "$venue" --password-stdin >&2
  printf '%s\n' "$password" | "$kaiku" user add --db "$db" --username bench-national \
    --role national --password-stdin >&2
  "$kaiku" serve --db "$db" --listen "$host:$srv_port" --quiet 2>"$out/reports-serve.log" &
  server_pid=$!
  wait_http "http://$host:$srv_port/healthz" ||
    { say "kaiku serve did not come up; see $out/reports-serve.log"; exit 1; }
  venue_token=$(login bench-venue "$password")
  national_token=$(login bench-national "$password")
  say "kaiku serve of $1 (pid $server_pid) on $host:$srv_port"
}

# p99 of card lookups for `duration` seconds, in microseconds.
lookups() {
  KAIKU_BENCH_DIR=$bench KAIKU_BENCH_CARDS=$cards KAIKU_BENCH_TOKEN=$venue_token \
    timeout $((duration + 60)) wrk -t"$wrk_threads" -c"$connections" -d"${duration}s" \
    --timeout 10s --latency -s "$bench/cards.lua" "http://$host:$srv_port" | tee -a "$log" |
    sed -n 's/^KAIKU_RESULT requests=\([0-9]*\) .* p99_us=\([0-9]*\) .* timeout=\([0-9]*\).*/\2 \1 \3/p'
}
log=$out/reports-wrk-$(date -u +%Y%m%dT%H%M%SZ).log

# One client: national reports one after another until killed; a line per
# answer ("200 0.123") in its file.
reporter() {
  local year
  year=$(date +%Y)
  while :; do
    curl -s -o /dev/null -w '%{http_code} %{time_total}\n' --max-time 300 \
      -H "Authorization: Bearer $national_token" \
      "http://$host:$srv_port/api/v1/reports/national?year=$year" >>"$1" || true
  done
}

declare -A idle loaded answered refused report_s idle_n idle_t loaded_n loaded_t
for t in "${trees[@]}"; do
  name=${t%%=*}
  rest=${t#*=}
  start_server "$name" "${rest%=*}" "${rest##*=}"
  say "$name: warm-up, then card lookups idle for ${duration} s"
  duration_saved=$duration
  duration=2 lookups >/dev/null
  duration=$duration_saved
  echo "== $name idle" >>"$log"
  read -r "idle[$name]" "idle_n[$name]" "idle_t[$name]" < <(lookups; echo)
  files=()
  for i in $(seq "$reporters"); do
    f=$out/reports-$i.txt
    : >"$f"
    files+=("$f")
    reporter "$f" &
    reporter_pids+=($!)
  done
  sleep 3 # the reports are under way
  say "$name: card lookups for ${duration} s with $reporters clients asking for national reports"
  echo "== $name under reports" >>"$log"
  read -r "loaded[$name]" "loaded_n[$name]" "loaded_t[$name]" < <(lookups; echo)
  stop_reporters
  answered[$name]=$(cat "${files[@]}" | awk '$1 == 200' | wc -l)
  refused[$name]=$(cat "${files[@]}" | awk '$1 == 503' | wc -l)
  report_s[$name]=$(cat "${files[@]}" | awk '$1 == 200 { s += $2; n++ } END { printf "%.2f", n ? s / n : 0 }')
  stop_server
done

echo
printf '%-12s %12s %18s %8s %22s %8s %8s %9s\n' "tree" "idle p99 ms" "under reports p99" \
  "ratio" "lookups (timed out)" "reports" "refused" "report s"
for t in "${trees[@]}"; do
  name=${t%%=*}
  i=${idle[$name]:-0} l=${loaded[$name]:-0}
  [[ $i =~ ^[0-9]+$ ]] || i=0
  [[ $l =~ ^[0-9]+$ ]] || l=0
  ratio=$([ "$i" -gt 0 ] && [ "$l" -gt 0 ] && calc "$l / $i" "%.2f" || echo "-")
  if [ "$i" -eq 0 ] || [ "$l" -eq 0 ]; then
    verdict="no result (see $log)"
  elif [ "$(calc "$l <= 2 * $i" "%d")" = 1 ]; then
    verdict=met
  else
    verdict=MISSED
  fi
  printf '%-12s %12s %18s %8s %22s %8s %8s %9s  %s\n' "$name" "$(calc "$i / 1000" "%.1f")" \
    "$(calc "$l / 1000" "%.1f")" "$ratio" \
    "${idle_n[$name]:-0}/${loaded_n[$name]:-0} (${idle_t[$name]:-0}/${loaded_t[$name]:-0})" \
    "${answered[$name]}" "${refused[$name]}" "${report_s[$name]}" \
    "target (p99 within 2x idle): $verdict"
done
