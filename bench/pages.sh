#!/usr/bin/env bash
# The pages' benchmark (issue 14, "Fast"; see docs/performance.md):
#
#   bench/pages.sh        (or bench/run.sh --pages)
#
# Installs what is missing (wrk, nginx), builds kaiku, makes a fresh demo
# database (kaiku demo: the box office's page as a newcomer sees it, with
# tonight's event), then in one run and on loopback only:
#   - nginx serving the very bytes of the signed-in box-office page,
#   - kaiku GET /box-office with the session cookie of Teatteri Hilla's
#     clerk (tonight's event chosen),
#   - kaiku POST /box-office/record: a use recorded through the page's form
#     (form body with the CSRF field and a fresh idempotency key, a random
#     valid card, one child ticket) by KAMU's clerk on an event of its own
#     without a cap, measured alone: the 303 that ends the post, not the
#     page it redirects to (that page is the GET above),
# each driven by wrk (2 threads, 64 connections, 30 s), and prints
# requests/s, p50, p99, the ratio to nginx, the non-2xx/3xx counts, the
# server's CPU time per request, the uses the POST run recorded (each 303
# could be a refusal shown on the next page: the database says which), and
# the bytes the box office loads (HTML, CSS, script, icon; uncompressed)
# against the 30 kB budget. It stops all it started.
# Environment: KAIKU_BENCH_DURATION (s, default 30), KAIKU_BENCH_CONNECTIONS,
# KAIKU_BENCH_THREADS (wrk), KAIKU_BENCH_SERVER_THREADS (kaiku serve
# --threads), KAIKU_BENCH_PORT (kaiku, 18080), KAIKU_BENCH_NGINX_PORT (18081).
#
# A benchmark, not a test: it exits 0 whatever the figures (non-zero only
# when it could not run). Targets are printed as "met" or "MISSED".
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
bench=$root/bench
out=$bench/out/pages

case ${1:-} in
-h | --help)
  sed -n '2,28p' "$0" | sed 's/^# \{0,1\}//'
  exit 0
  ;;
"") ;;
*)
  echo "bench/pages.sh: unknown argument $1 (try --help)" >&2
  exit 2
  ;;
esac

duration=${KAIKU_BENCH_DURATION:-30}
warmup=2
connections=${KAIKU_BENCH_CONNECTIONS:-64}
wrk_threads=${KAIKU_BENCH_THREADS:-2}
port=${KAIKU_BENCH_PORT:-18080}
nginx_port=${KAIKU_BENCH_NGINX_PORT:-18081}
host=127.0.0.1 # loopback only, always
budget=30000   # bytes: everything the box office loads, uncompressed
password=kaikukortti-demo
page_user=kassa-hilla  # the page's clerk: Teatteri Hilla
post_user=kassa-kamu   # the form's clerk: KAMU, on a bench event of its own
post_venue=kamu-espoo
if ! [[ $duration =~ ^[0-9]+$ ]] || [ "$duration" -lt 1 ] || [ "$duration" -gt 600 ]; then
  echo "bench/pages.sh: KAIKU_BENCH_DURATION must be 1..600 seconds" >&2
  exit 2
fi

say() { printf 'bench: %s\n' "$*" >&2; }
calc() { awk "BEGIN { printf \"${2:-%.0f}\", ($1) }"; }

# ---- what is missing: wrk, nginx, curl, sqlite3 (and the build's) ----
need=()
command -v wrk >/dev/null || need+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
command -v curl >/dev/null || need+=(curl)
command -v sqlite3 >/dev/null || need+=(sqlite3)
if [ ${#need[@]} -gt 0 ]; then
  say "installing ${need[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  if ! "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; then
    need=("${need[@]/nginx-light/nginx}")
    "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
fi
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
[ -x scripts/deps.sh ] && scripts/deps.sh
say "building…"
scripts/build.sh build
kaiku=$root/build/kaiku

# ---- a fresh demo database, and a bench event for the form ----
mkdir -p "$out"
db=$out/pages.db
rm -f "$db" "$db-wal" "$db-shm"
"$kaiku" init --db "$db" >/dev/null
"$kaiku" demo --db "$db" >"$out/demo.out"
say "$(head -1 "$out/demo.out")"
# The page's event: Teatteri Hilla's tonight (kaiku demo's demo_tonight).
page_event=$(sqlite3 "$db" "SELECT id FROM events WHERE venue = 'teatteri-hilla'
  AND name = 'Kesäyöntaika (lisänäytös)' ORDER BY starts_at DESC LIMIT 1")
# The form's event: KAMU's, in two hours, no cap, no R17 window, room for
# any run (inserted before the server starts, as bench/gen.c writes its own).
post_event=$(sqlite3 "$db" "INSERT INTO events (venue, name, kind, starts_at, capacity)
  VALUES ('$post_venue', 'Bench event', 'performance', CAST(strftime('%s', 'now') AS INTEGER) + 7200,
  10000000) RETURNING id")
# Cards valid today and tomorrow, not cancelled (the event may be tomorrow
# in Helsinki when this runs late in the evening).
cards_file=$out/cards.txt
sqlite3 "$db" "SELECT code FROM cards WHERE cancelled_at IS NULL AND handed_out_on IS NOT NULL
  AND handed_out_on <= CAST(strftime('%s', 'now') AS INTEGER) / 86400 - 1
  AND valid_until >= CAST(strftime('%s', 'now') AS INTEGER) / 86400 + 2" >"$cards_file"
[ -n "$page_event" ] && [ -n "$post_event" ] && [ -s "$cards_file" ] ||
  { say "the demo has no tonight's event at Teatteri Hilla, or no valid cards"; exit 1; }

# ---- processes we start, and their end ----
server_pid=
nginx_pid=
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  if [ -n "$nginx_pid" ] && kill -0 "$nginx_pid" 2>/dev/null; then
    kill -QUIT "$nginx_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$nginx_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$nginx_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_free() { ! (exec 3<>"/dev/tcp/$host/$1") 2>/dev/null; }
for p in "$port" "$nginx_port"; do
  port_free "$p" || { say "port $host:$p is already in use (set KAIKU_BENCH_PORT / KAIKU_BENCH_NGINX_PORT)"; exit 1; }
done
wait_http() {
  for _ in $(seq 200); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$1")" = 200 ] && return 0
    sleep 0.1
  done
  return 1
}

serve_args=(serve --db "$db" --listen "$host:$port" --quiet)
[ -n "${KAIKU_BENCH_SERVER_THREADS:-}" ] && serve_args+=(--threads "$KAIKU_BENCH_SERVER_THREADS")
"$kaiku" "${serve_args[@]}" 2>"$out/serve.log" &
server_pid=$!
base=http://$host:$port
wait_http "$base/healthz" || { say "kaiku serve did not come up; see $out/serve.log"; exit 1; }

# signin USER JAR: signs in through the form (its login-CSRF field and
# pre-session cookie), as a person would; the session cookie ends in JAR.
signin() {
  local csrf status
  csrf=$(curl -s --max-time 10 -c "$2" -b "$2" "$base/signin" |
    sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
  status=$(curl -s --max-time 10 -o /dev/null -w '%{http_code} %{redirect_url}' -c "$2" -b "$2" \
    --data-urlencode "username=$1" --data-urlencode "password=$password" \
    --data-urlencode "csrf=$csrf" "$base/signin")
  [ "$status" = "303 $base/box-office" ] || { say "sign-in as $1 failed: $status"; exit 1; }
}
cookie_of() { awk '$6 == "kaiku_session" { print $6 "=" $7 }' "$1"; }
csrf_of() { sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$1" | head -1; }
# choose JAR CSRF EVENT: the event chosen in the page's own small form.
choose() {
  local status
  status=$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' -b "$1" \
    --data-urlencode "csrf=$2" --data-urlencode "event=$3" "$base/box-office/event")
  [ "$status" = 303 ] || { say "choosing event $3 failed: $status"; exit 1; }
}

page_jar=$out/page.jar post_jar=$out/post.jar
rm -f "$page_jar" "$post_jar"
signin "$page_user" "$page_jar"
curl -s --max-time 10 -b "$page_jar" "$base/box-office" >"$out/page.html"
choose "$page_jar" "$(csrf_of "$out/page.html")" "$page_event"
curl -s --max-time 10 -b "$page_jar" -o "$out/page.html" "$base/box-office"
page_cookie=$(cookie_of "$page_jar")
grep -q "<option value=\"$page_event\" selected>" "$out/page.html" ||
  { say "the page does not show tonight's event as chosen; see $out/page.html"; exit 1; }

signin "$post_user" "$post_jar"
curl -s --max-time 10 -b "$post_jar" "$base/box-office" >"$out/post.html"
post_csrf=$(csrf_of "$out/post.html")
post_cookie=$(cookie_of "$post_jar")

# ---- what the box office loads: the page and what it links to ----
declare -A part_bytes
part_bytes[html]=$(stat -c %s "$out/page.html")
for ref in $(grep -o '\(href\|src\)="/static/[^"]*"' "$out/page.html" | sed 's/^[a-z]*="//; s/"$//' | sort -u); do
  name=${ref%%\?*}
  name=${name##*/}
  part_bytes[$name]=$(curl -s --max-time 10 -o /dev/null -w '%{size_download}' "$base$ref")
done
total_bytes=0
for k in "${!part_bytes[@]}"; do total_bytes=$((total_bytes + part_bytes[$k])); done

# ---- nginx: the very bytes of the page ----
ngx=$out/nginx
rm -rf "$ngx"
mkdir -p "$ngx/www" "$ngx/logs" "$ngx/tmp"
cp "$out/page.html" "$ngx/www/page.html"
chmod -R a+rX "$ngx"
cat >"$ngx/nginx.conf" <<NGX
# Written by bench/pages.sh: the box-office page's bytes as a static file,
# served the way a tuned nginx would serve it, as the page's yardstick.
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
    default_type "text/html; charset=utf-8";
    server {
        listen $host:$nginx_port;
        root $ngx/www;
        location / { try_files /page.html =404; }
    }
}
NGX
"$nginx_bin" -p "$ngx" -e "$ngx/logs/error.log" -c "$ngx/nginx.conf" \
  -g "daemon off; pid $ngx/nginx.pid;" &
nginx_pid=$!
wait_http "http://$host:$nginx_port/box-office" ||
  { say "nginx did not come up; see $ngx/logs/error.log"; exit 1; }

# ---- the runs ----
export KAIKU_BENCH_DIR=$bench KAIKU_BENCH_CARDS_FILE=$cards_file KAIKU_BENCH_CSRF=$post_csrf
log=$out/wrk-$(date -u +%Y%m%dT%H%M%SZ).log
server_ticks() { awk '{print $14 + $15}' "/proc/$server_pid/stat" 2>/dev/null || echo 0; }
clk_tck=$(getconf CLK_TCK)
# run_wrk NAME SCRIPT URL SECONDS: wrk's KAIKU_RESULT line, with the
# server's CPU ticks during the run appended (meaningful for kaiku's runs).
run_wrk() {
  local name=$1 script=$2 url=$3 secs=$4 t0 result
  say "wrk: $name, ${secs} s, $wrk_threads threads, $connections connections"
  t0=$(server_ticks)
  result=$({
    echo "== $name"
    timeout $((secs + 60)) wrk -t"$wrk_threads" -c"$connections" -d"${secs}s" --timeout 2s \
      --latency -s "$bench/$script" "$url"
  } | tee -a "$log" | grep '^KAIKU_RESULT' || echo "KAIKU_RESULT failed=1")
  echo "$result server_ticks=$(($(server_ticks) - t0))"
}
field() { sed -n "s/.* $2=\([0-9.]*\).*/\1/p" <<<"$1"; }

export KAIKU_BENCH_COOKIE=$page_cookie
run_wrk "nginx warm-up" page.lua "http://$host:$nginx_port" "$warmup" >/dev/null
r_nginx=$(run_wrk "nginx the page's bytes" page.lua "http://$host:$nginx_port" "$duration")
run_wrk "kaiku warm-up" page.lua "$base" "$warmup" >/dev/null
r_page=$(run_wrk "kaiku GET /box-office" page.lua "$base" "$duration")
# The page is the same after the run: nothing was recorded, the session
# still holds tonight's event.
curl -s --max-time 10 -b "$page_jar" -o "$out/page-after.html" "$base/box-office"

export KAIKU_BENCH_COOKIE=$post_cookie KAIKU_BENCH_EVENT=$post_event
KAIKU_BENCH_RUN=w$$ run_wrk "kaiku warm-up (form)" page_record.lua "$base" "$warmup" >/dev/null
used_before=$(sqlite3 "$db" "SELECT used FROM events WHERE id = $post_event")
uses_before=$(sqlite3 "$db" "SELECT count(*) FROM uses WHERE event = $post_event")
r_post=$(KAIKU_BENCH_RUN=r$$ run_wrk "kaiku POST /box-office/record" page_record.lua "$base" "$duration")
used_after=$(sqlite3 "$db" "SELECT used FROM events WHERE id = $post_event")
uses_after=$(sqlite3 "$db" "SELECT count(*) FROM uses WHERE event = $post_event")
hwm_kib=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$server_pid/status")

# ---- the table ----
nginx_rps=$(field "$r_nginx" rps)
row() { # NAME RESULT [cpu]
  local rps p50 p99 bad errs ratio cpu=-
  if [ -z "$2" ] || [ -n "$(field "$2" failed)" ]; then
    printf '%-40s %12s\n' "$1" "not measured"
    return
  fi
  if [ "${3:-}" = cpu ] && [ "$(field "$2" requests)" -gt 0 ]; then
    cpu=$(calc "$(field "$2" server_ticks) * 1000000 / $clk_tck / $(field "$2" requests)" %.0f)
  fi
  rps=$(field "$2" rps) p50=$(field "$2" p50_us) p99=$(field "$2" p99_us)
  bad=$(field "$2" non2xx)
  errs=$(($(field "$2" connect) + $(field "$2" read) + $(field "$2" write) + $(field "$2" timeout)))
  ratio=$(calc "$rps / $nginx_rps" %.2f)
  printf '%-40s %12.0f %9.2f %9.2f %9s %9s %7s %12s\n' "$1" "$rps" \
    "$(calc "$p50 / 1000" %.3f)" "$(calc "$p99 / 1000" %.3f)" "$ratio" "$bad" "$errs" "$cpu"
}
verdict() { if [ "$1" = 1 ]; then echo "met"; else echo "MISSED"; fi; }
{
  echo
  echo "kaiku pages benchmark — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(($(sed -n 's/^MemTotal:[[:space:]]*\([0-9]*\).*/\1/p' /proc/meminfo) / 1024)) MiB RAM"
  echo "database: kaiku demo ($(head -1 "$out/demo.out" | grep -o '[0-9]* events' | head -1)); the page: $page_user's, tonight's event ($page_event) chosen; the form: $post_user's"
  echo "wrk: $wrk_threads threads, $connections connections, ${duration} s per target, loopback"
  echo
  printf '%-40s %12s %9s %9s %9s %9s %7s %12s\n' target "requests/s" "p50 ms" "p99 ms" \
    "vs nginx" "≥400" "errors" "CPU µs/req"
  row "nginx the page's bytes (GET)" "$r_nginx"
  row "kaiku GET /box-office" "$r_page" cpu
  row "kaiku POST /box-office/record (303)" "$r_post" cpu
  echo
  requests=$(field "$r_post" requests)
  echo "uses recorded during the POST run: $((uses_after - uses_before)) of ${requests:-?} posts ($((used_after - used_before)) tickets)"
  echo "kaiku serve peak memory (VmHWM): $((hwm_kib / 1024)) MiB"
  if cmp -s <(sed 's/name="key" value="[^"]*"//' "$out/page.html") \
    <(sed 's/name="key" value="[^"]*"//' "$out/page-after.html"); then
    echo "the page after the GET run: the same (but for the form's fresh idempotency key)"
  else
    echo "WARNING: the page changed during the GET run; compare $out/page.html and $out/page-after.html"
  fi
  echo
  echo "what the box office loads (uncompressed bytes):"
  for k in $(printf '%s\n' "${!part_bytes[@]}" | sort); do printf '  %-14s %7d\n' "$k" "${part_bytes[$k]}"; done
  printf '  %-14s %7d of %d\n' total "$total_bytes" "$budget"
  echo
  echo "targets:"
  if [ -z "$(field "$r_page" failed)" ]; then
    ok=$(calc "$(field "$r_page" rps) >= 0.5 * $nginx_rps" %d)
    echo "  the box-office page >= 0.5 x nginx requests/s: $(verdict "$ok")"
  fi
  echo "  everything the box office loads < 30 kB: $(verdict "$([ "$total_bytes" -lt "$budget" ] && echo 1)")"
  for r in "$r_page" "$r_post"; do
    if [ -z "$(field "$r" failed)" ] && [ "$(field "$r" non2xx)" != 0 ]; then
      echo "WARNING: answers of 400 or more during a run: the figures are not of successful requests"
    fi
  done
  echo "wrk's full output: $log"
} | tee -a "$log"
