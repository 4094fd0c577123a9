#!/usr/bin/env bash
# The reports' benchmark (issue 16, see docs/performance.md):
#
#   bench/reports.sh [--small] [--year Y] [--venue ID] [--region ID]
#
# Builds kaiku, takes the benchmark's database (1,000,000 cards, 10,000,000
# uses; generated once into bench/out/ and shared with bench/run.sh), then
# in one run on that database:
#   1. kaiku-bench-reports: each report (national, one region's cardholders,
#      a venue's year) built and rendered in JSON, CSV and XLSX the way the
#      API does, best and median of 7 runs, beside the full-scan queries of
#      before the kept counts on the same database (one run each: the
#      national one takes tens of seconds);
#   2. the same reports, and R31's statistics beside the previous year,
#      through the API of `kaiku serve` (on a copy of the database, with a
#      national user), timed by curl: request to last byte.
# The venue is the year's busiest (by uses) and the region the one with the
# most handouts, unless given. It stops all it started.
#
# --small: the small database (20,000 cards), a smoke check of the chain.
# Environment: KAIKU_BENCH_PORT (kaiku serve, default 18090).
#
# A benchmark, not a test: it exits 0 whatever the figures, and non-zero
# only when it could not run. Each target (national and statistics < 200 ms,
# cardholders < 100 ms, venue usage < 100 ms per format) is printed as "met"
# or "MISSED".
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=$root/bench/out

small=0
extra=()
while [ $# -gt 0 ]; do
  case $1 in
  --small) small=1 ;;
  --year | --venue | --region)
    [ $# -ge 2 ] || { echo "bench/reports.sh: $1 needs a value" >&2; exit 2; }
    extra+=("$1" "$2")
    shift
    ;;
  -h | --help)
    sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
  *)
    echo "bench/reports.sh: unknown argument $1 (try --help)" >&2
    exit 2
    ;;
  esac
  shift
done
if [ "$small" = 1 ]; then
  cards=20000 events=200 uses=200000
else
  cards=1000000 events=10000 uses=10000000
fi
port=${KAIKU_BENCH_PORT:-18090}
host=127.0.0.1 # loopback only, always
say() { printf 'bench: %s\n' "$*" >&2; }

command -v curl >/dev/null || { say "curl is needed"; exit 1; }
command -v sqlite3 >/dev/null || { say "sqlite3 is needed"; exit 1; }
say "building…"
scripts/build.sh build >/dev/null

# The database, as bench/run.sh names and caches it (the generator's and
# the schema's recipe in its name).
mkdir -p "$out"
recipe=$(cat bench/gen.c $(find src/store -name '*.sql' | sort) | sha256sum | cut -c1-16)
suffix=
if [ "$small" = 1 ]; then suffix=-small; fi
db=$out/kaiku-bench$suffix-$recipe.db
if [ -f "$db" ] && [ -f "$db.ok" ] && [ -z "$(find "$db.ok" -mtime +14)" ]; then
  say "using the cached database $db ($(cat "$db.ok"))"
else
  rm -f "$db" "$db-wal" "$db-shm" "$db.ok" "$db.tmp"*
  say "generating $db: $cards cards, $events events, $uses uses…"
  start=$(date +%s)
  build/bench/kaiku-bench-gen --db "$db.tmp" --cards "$cards" --events "$events" \
    --uses "$uses" --seed 1 >&2
  mv "$db.tmp" "$db"
  printf 'generated %s in %d s, %s MiB' "$(date -u +%Y-%m-%dT%H:%MZ)" "$(($(date +%s) - start))" \
    "$(($(stat -c %s "$db") / 1048576))" >"$db.ok"
fi

# ---- 1. in process, new beside old ----
report=$out/reports-$(date -u +%Y%m%dT%H%M%SZ).log
build/bench/kaiku-bench-reports --db "$db" "${extra[@]}" | tee "$report"
read -r year region venue < <(sed -n '1s/^year \([0-9]*\), region \([^,]*\), venue \([^;]*\);.*/\1 \2 \3/p' "$report")

# ---- 2. through the API ----
run_db=$out/reports-run.db
server_pid=
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  rm -f "$run_db" "$run_db-wal" "$run_db-shm"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
(exec 3<>"/dev/tcp/$host/$port") 2>/dev/null && { say "port $host:$port is in use (set KAIKU_BENCH_PORT)"; exit 1; }
rm -f "$run_db" "$run_db-wal" "$run_db-shm"
cp "$db" "$run_db"
password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
printf '%s\n' "$password" |
  build/kaiku user add --db "$run_db" --username bench-national --role national --password-stdin >&2
build/kaiku serve --db "$run_db" --listen "$host:$port" --quiet 2>"$out/reports-serve.log" &
server_pid=$!
for _ in $(seq 200); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://$host:$port/healthz")" = 200 ] && break
  sleep 0.1
done
token=$(curl -s --max-time 10 -H 'Content-Type: application/json' \
  -d "{\"username\":\"bench-national\",\"password\":\"$password\"}" "http://$host:$port/api/v1/login" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])') || { say "login failed"; exit 1; }

# timed PATH TARGET_MS: the median of 7 requests' total time, in ms.
timed() {
  local url="http://$host:$port/api/v1/reports/$1" times=() t code
  for _ in 1 2 3 4 5 6 7; do
    read -r code t < <(curl -s -o /dev/null -w '%{http_code} %{time_total}\n' --max-time 120 \
      -H "Authorization: Bearer $token" "$url")
    [ "$code" = 200 ] || { say "GET $1: $code"; exit 1; }
    times+=("$t")
  done
  t=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 4p)
  awk -v t="$t" -v goal="$2" -v p="$1" 'BEGIN { ms = t * 1000;
    printf "%-70s %8.1f ms  (target < %d ms: %s)\n", p, ms, goal, ms < goal ? "met" : "MISSED" }'
}
echo "through the API (median of 7, curl's total time):"
for f in json csv xlsx; do
  timed "national?year=$year&format=$f" 200
done
for f in json csv xlsx; do
  timed "cardholders?region=$region&year=$year&format=$f" 100
done
for f in json csv xlsx; do
  timed "venue-usage?venue=$venue&from=$year-01-01&to=$year-12-31&format=$f" 100
done
for f in json csv xlsx; do # R31 beside the previous year: two years of kept counts
  timed "statistics?year=$year&format=$f" 200
done
say "the in-process figures are also in $report"
