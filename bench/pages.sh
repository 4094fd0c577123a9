#!/usr/bin/env bash
# The pages' benchmark (issue 14, "Fast"; see docs/performance.md):
#
#   bench/pages.sh [--against REV]   (or bench/run.sh --pages [--against REV])
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
# requests/s of the answers wanted only (200 for the page, 303 for the
# post: a refusal such as a 503 of the in-flight limit is not counted),
# p50, p99, the ratio to nginx, the answers not wanted and of 400 or more,
# the server's CPU time per request, the uses the POST run recorded (each
# 303 could be a refusal shown on the next page: the database says which),
# and the bytes the box office loads (HTML, CSS, script, icon;
# uncompressed) against the 30 kB budget. It stops all it started.
#
# --against REV: also builds git revision REV (e.g. main) into
#   bench/out/against/ and serves it beside this tree's kaiku, each on a
#   demo database of its own (KAIKU_BENCH_PORT + 2 for REV's); the targets
#   run REV's then this tree's, GET and then POST: old and new side by side.
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

against=
while [ $# -gt 0 ]; do
  case $1 in
  -h | --help)
    sed -n '2,35p' "$0" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
  --against)
    [ $# -gt 1 ] || { echo "bench/pages.sh: --against needs a git revision" >&2; exit 2; }
    against=$2
    shift 2
    ;;
  *)
    echo "bench/pages.sh: unknown argument $1 (try --help)" >&2
    exit 2
    ;;
  esac
done

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
# trees: "label=kaiku binary", REV's first (it runs first, target by target).
trees=()
if [ -n "$against" ]; then
  rev=$(git -C "$root" rev-parse --verify --quiet "$against^{commit}") ||
    { say "--against: no such git revision: $against"; exit 2; }
  old_root=$bench/out/against/$(git -C "$root" rev-parse --short=12 "$rev")
  if [ ! -x "$old_root/build/kaiku" ]; then
    say "building $against ($rev) into $old_root…"
    rm -rf "$old_root"
    mkdir -p "$old_root"
    git -C "$root" archive "$rev" | tar -x -C "$old_root"
    "$old_root/scripts/build.sh" build
  fi
  trees+=("$against=$old_root/build/kaiku")
fi
trees+=("this tree=$root/build/kaiku")
mkdir -p "$out"

# ---- processes we start, and their end ----
server_pids=()
nginx_pid=
stop_pid() { # PID SIGNAL
  if [ -n "$1" ] && kill -0 "$1" 2>/dev/null; then
    kill -"$2" "$1" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$1" 2>/dev/null || true
  fi
}
cleanup() {
  for pid in "${server_pids[@]}"; do stop_pid "$pid" TERM; done
  stop_pid "$nginx_pid" QUIT
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_free() { ! (exec 3<>"/dev/tcp/$host/$1") 2>/dev/null; }
wait_http() {
  for _ in $(seq 200); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$1")" = 200 ] && return 0
    sleep 0.1
  done
  return 1
}
cookie_of() { awk '$6 == "kaiku_session" { print $6 "=" $7 }' "$1"; }
csrf_of() { sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$1" | head -1; }

# setup_tree I KAIKU PORT: a fresh demo database made by that kaiku (its own
# schema), a bench event for the form, its server, and the two clerks
# signed in; sets T_DIR[I], T_PID[I], T_BASE[I], T_PAGE_COOKIE[I],
# T_POST_COOKIE[I], T_POST_CSRF[I], T_POST_EVENT[I], T_CARDS[I], T_DB[I].
declare -A T_DIR T_PID T_BASE T_PAGE_COOKIE T_POST_COOKIE T_POST_CSRF T_POST_EVENT T_CARDS T_DB
setup_tree() {
  local i=$1 kaiku=$2 p=$3 dir db base page_event post_event
  dir=$out/tree$i
  mkdir -p "$dir"
  db=$dir/pages.db
  rm -f "$db" "$db-wal" "$db-shm"
  "$kaiku" init --db "$db" >/dev/null
  "$kaiku" demo --db "$db" >"$dir/demo.out"
  [ "$i" = 0 ] && say "$(head -1 "$dir/demo.out")"
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
  sqlite3 "$db" "SELECT code FROM cards WHERE cancelled_at IS NULL AND handed_out_on IS NOT NULL
    AND handed_out_on <= CAST(strftime('%s', 'now') AS INTEGER) / 86400 - 1
    AND valid_until >= CAST(strftime('%s', 'now') AS INTEGER) / 86400 + 2" >"$dir/cards.txt"
  [ -n "$page_event" ] && [ -n "$post_event" ] && [ -s "$dir/cards.txt" ] ||
    { say "the demo has no tonight's event at Teatteri Hilla, or no valid cards"; exit 1; }

  port_free "$p" || { say "port $host:$p is already in use (set KAIKU_BENCH_PORT / KAIKU_BENCH_NGINX_PORT)"; exit 1; }
  local serve_args=(serve --db "$db" --listen "$host:$p" --quiet)
  [ -n "${KAIKU_BENCH_SERVER_THREADS:-}" ] && serve_args+=(--threads "$KAIKU_BENCH_SERVER_THREADS")
  "$kaiku" "${serve_args[@]}" 2>"$dir/serve.log" &
  T_PID[$i]=$!
  server_pids+=("${T_PID[$i]}")
  base=http://$host:$p
  wait_http "$base/healthz" || { say "kaiku serve did not come up; see $dir/serve.log"; exit 1; }

  # signin USER JAR: through the form (its login-CSRF field and pre-session
  # cookie), as a person would; the session cookie ends in JAR.
  signin() {
    local csrf status
    csrf=$(curl -s --max-time 10 -c "$2" -b "$2" "$base/signin" |
      sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
    status=$(curl -s --max-time 10 -o /dev/null -w '%{http_code} %{redirect_url}' -c "$2" -b "$2" \
      --data-urlencode "username=$1" --data-urlencode "password=$password" \
      --data-urlencode "csrf=$csrf" "$base/signin")
    [ "$status" = "303 $base/box-office" ] || { say "sign-in as $1 failed: $status"; exit 1; }
  }
  local page_jar=$dir/page.jar post_jar=$dir/post.jar status
  rm -f "$page_jar" "$post_jar"
  signin "$page_user" "$page_jar"
  curl -s --max-time 10 -b "$page_jar" "$base/box-office" >"$dir/page.html"
  # the event chosen in the page's own small form
  status=$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' -b "$page_jar" \
    --data-urlencode "csrf=$(csrf_of "$dir/page.html")" --data-urlencode "event=$page_event" \
    "$base/box-office/event")
  [ "$status" = 303 ] || { say "choosing event $page_event failed: $status"; exit 1; }
  curl -s --max-time 10 -b "$page_jar" -o "$dir/page.html" "$base/box-office"
  grep -q "<option value=\"$page_event\" selected>" "$dir/page.html" ||
    { say "the page does not show tonight's event as chosen; see $dir/page.html"; exit 1; }
  signin "$post_user" "$post_jar"
  curl -s --max-time 10 -b "$post_jar" "$base/box-office" >"$dir/post.html"
  T_DIR[$i]=$dir T_DB[$i]=$db T_BASE[$i]=$base T_CARDS[$i]=$dir/cards.txt
  T_PAGE_COOKIE[$i]=$(cookie_of "$page_jar")
  T_POST_COOKIE[$i]=$(cookie_of "$post_jar")
  T_POST_CSRF[$i]=$(csrf_of "$dir/post.html")
  T_POST_EVENT[$i]=$post_event
}

port_free "$nginx_port" || { say "port $host:$nginx_port is already in use (set KAIKU_BENCH_NGINX_PORT)"; exit 1; }
labels=()
for i in "${!trees[@]}"; do
  labels+=("${trees[$i]%%=*}")
  # this tree on KAIKU_BENCH_PORT, REV's beside it
  if [ "$i" = $((${#trees[@]} - 1)) ]; then p=$port; else p=$((port + 2)); fi
  setup_tree "$i" "${trees[$i]#*=}" "$p"
done
this=$((${#trees[@]} - 1))
page_html=${T_DIR[$this]}/page.html
base=${T_BASE[$this]}

# ---- what the box office loads: the page and what it links to ----
declare -A part_bytes
part_bytes[html]=$(stat -c %s "$page_html")
for ref in $(grep -o '\(href\|src\)="/static/[^"]*"' "$page_html" | sed 's/^[a-z]*="//; s/"$//' | sort -u); do
  name=${ref%%\?*}
  name=${name##*/}
  part_bytes[$name]=$(curl -s --max-time 10 -o /dev/null -w '%{size_download}' "$base$ref")
done
total_bytes=0
for k in "${!part_bytes[@]}"; do total_bytes=$((total_bytes + part_bytes[$k])); done

# ---- nginx: the very bytes of the page (this tree's) ----
ngx=$out/nginx
rm -rf "$ngx"
mkdir -p "$ngx/www" "$ngx/logs" "$ngx/tmp"
cp "$page_html" "$ngx/www/page.html"
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
export KAIKU_BENCH_DIR=$bench
log=$out/wrk-$(date -u +%Y%m%dT%H%M%SZ).log
# CPU ticks of PID and its children (nginx's workers)
server_ticks() {
  local t=0 c
  for c in "$1" $(pgrep -P "$1" 2>/dev/null || true); do
    t=$((t + $(awk '{print $14 + $15}' "/proc/$c/stat" 2>/dev/null || echo 0)))
  done
  echo "$t"
}
clk_tck=$(getconf CLK_TCK)
# run_wrk NAME SCRIPT URL SECONDS [PID]: wrk's KAIKU_RESULT line and its
# KAIKU_GOOD count, with the CPU ticks of server PID during the run.
run_wrk() {
  local name=$1 script=$2 url=$3 secs=$4 pid=${5:-} t0=0 result
  say "wrk: $name, ${secs} s, $wrk_threads threads, $connections connections"
  [ -n "$pid" ] && t0=$(server_ticks "$pid")
  result=$({
    echo "== $name"
    timeout $((secs + 60)) wrk -t"$wrk_threads" -c"$connections" -d"${secs}s" --timeout 2s \
      --latency -s "$bench/$script" "$url"
  } | tee -a "$log" | grep '^KAIKU_' | tr '\n' ' ' || true)
  [[ $result == *KAIKU_RESULT* ]] || result="KAIKU_RESULT failed=1"
  local ticks=0
  [ -n "$pid" ] && ticks=$(($(server_ticks "$pid") - t0))
  echo "$result server_ticks=$ticks"
}
field() { sed -n "s/.* $2=\([0-9.]*\).*/\1/p" <<<" $1"; }

declare -A r_page r_post used_gain uses_gain hwm
export KAIKU_BENCH_STATUS=2 KAIKU_BENCH_COOKIE=${T_PAGE_COOKIE[$this]}
run_wrk "nginx warm-up" page.lua "http://$host:$nginx_port" "$warmup" >/dev/null
r_nginx=$(run_wrk "nginx the page's bytes" page.lua "http://$host:$nginx_port" "$duration" "$nginx_pid")
for i in "${!trees[@]}"; do
  export KAIKU_BENCH_COOKIE=${T_PAGE_COOKIE[$i]}
  run_wrk "kaiku [${labels[$i]}] warm-up" page.lua "${T_BASE[$i]}" "$warmup" >/dev/null
  r_page[$i]=$(run_wrk "kaiku [${labels[$i]}] GET /box-office" page.lua "${T_BASE[$i]}" "$duration" "${T_PID[$i]}")
  # The page is the same after the run: nothing was recorded, the session
  # still holds tonight's event.
  curl -s --max-time 10 -H "Cookie: ${T_PAGE_COOKIE[$i]}" -o "${T_DIR[$i]}/page-after.html" \
    "${T_BASE[$i]}/box-office"
done
export KAIKU_BENCH_STATUS=3
for i in "${!trees[@]}"; do
  export KAIKU_BENCH_COOKIE=${T_POST_COOKIE[$i]} KAIKU_BENCH_CSRF=${T_POST_CSRF[$i]}
  export KAIKU_BENCH_EVENT=${T_POST_EVENT[$i]} KAIKU_BENCH_CARDS_FILE=${T_CARDS[$i]}
  KAIKU_BENCH_RUN=w$$ run_wrk "kaiku [${labels[$i]}] warm-up (form)" page_record.lua "${T_BASE[$i]}" "$warmup" >/dev/null
  db=${T_DB[$i]} ev=${T_POST_EVENT[$i]}
  used_before=$(sqlite3 "$db" "SELECT used FROM events WHERE id = $ev")
  uses_before=$(sqlite3 "$db" "SELECT count(*) FROM uses WHERE event = $ev")
  r_post[$i]=$(KAIKU_BENCH_RUN=r$$ run_wrk "kaiku [${labels[$i]}] POST /box-office/record" \
    page_record.lua "${T_BASE[$i]}" "$duration" "${T_PID[$i]}")
  used_gain[$i]=$(($(sqlite3 "$db" "SELECT used FROM events WHERE id = $ev") - used_before))
  uses_gain[$i]=$(($(sqlite3 "$db" "SELECT count(*) FROM uses WHERE event = $ev") - uses_before))
  hwm[$i]=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/${T_PID[$i]}/status")
done

# ---- the table ----
good_rps() { # RESULT: the answers wanted per second
  calc "$(field "$1" good) / $(field "$1" seconds)" %.1f
}
nginx_rps=$(good_rps "$r_nginx")
row() { # NAME RESULT [cpu]
  local rps p50 p99 bad other errs ratio cpu=- good
  if [ -z "$2" ] || [ -n "$(field "$2" failed)" ] || [ -z "$(field "$2" good)" ]; then
    printf '%-44s %12s\n' "$1" "not measured"
    return
  fi
  good=$(field "$2" good)
  if [ "${3:-}" = cpu ] && [ "$good" -gt 0 ]; then
    cpu=$(calc "$(field "$2" server_ticks) * 1000000 / $clk_tck / $(field "$2" requests)" %.0f)
  fi
  rps=$(good_rps "$2") p50=$(field "$2" p50_us) p99=$(field "$2" p99_us)
  bad=$(field "$2" non2xx)
  other=$(($(field "$2" requests) - good))
  errs=$(($(field "$2" connect) + $(field "$2" read) + $(field "$2" write) + $(field "$2" timeout)))
  ratio=$(calc "$rps / $nginx_rps" %.2f)
  printf '%-44s %12.0f %9.2f %9.2f %9s %9s %7s %7s %12s\n' "$1" "$rps" \
    "$(calc "$p50 / 1000" %.3f)" "$(calc "$p99 / 1000" %.3f)" "$ratio" "$other" "$bad" "$errs" "$cpu"
}
verdict() { if [ "$1" = 1 ]; then echo "met"; else echo "MISSED"; fi; }
{
  echo
  echo "kaiku pages benchmark — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(($(sed -n 's/^MemTotal:[[:space:]]*\([0-9]*\).*/\1/p' /proc/meminfo) / 1024)) MiB RAM, load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "database: kaiku demo ($(head -1 "${T_DIR[$this]}/demo.out" | grep -o '[0-9]* events' | head -1)); the page: $page_user's, tonight's event chosen; the form: $post_user's"
  [ -n "$against" ] && echo "against: $against ($rev), built in $old_root"
  echo "wrk: $wrk_threads threads, $connections connections, ${duration} s per target, loopback"
  echo "requests/s: answers wanted only (200 for the page, 303 for the post); \"other\": the rest"
  echo
  printf '%-44s %12s %9s %9s %9s %9s %7s %7s %12s\n' target "requests/s" "p50 ms" "p99 ms" \
    "vs nginx" "other" "≥400" "errors" "CPU µs/req"
  row "nginx the page's bytes (GET)" "$r_nginx" cpu
  for i in "${!trees[@]}"; do
    tag=
    [ -n "$against" ] && tag=" [${labels[$i]}]"
    row "kaiku GET /box-office$tag" "${r_page[$i]}" cpu
  done
  for i in "${!trees[@]}"; do
    tag=
    [ -n "$against" ] && tag=" [${labels[$i]}]"
    row "kaiku POST /box-office/record (303)$tag" "${r_post[$i]}" cpu
  done
  echo
  for i in "${!trees[@]}"; do
    tag=
    [ -n "$against" ] && tag="[${labels[$i]}] "
    echo "${tag}uses recorded during the POST run: ${uses_gain[$i]} of $(field "${r_post[$i]}" good) 303s ($(field "${r_post[$i]}" requests) posts; ${used_gain[$i]} tickets)"
    echo "${tag}kaiku serve peak memory (VmHWM): $((${hwm[$i]:-0} / 1024)) MiB"
    if cmp -s <(sed 's/name="key" value="[^"]*"//' "${T_DIR[$i]}/page.html") \
      <(sed 's/name="key" value="[^"]*"//' "${T_DIR[$i]}/page-after.html"); then
      echo "${tag}the page after the GET run: the same (but for the form's fresh idempotency key)"
    else
      echo "${tag}WARNING: the page changed during the GET run; compare ${T_DIR[$i]}/page.html and page-after.html"
    fi
  done
  echo
  echo "what the box office loads (uncompressed bytes):"
  for k in $(printf '%s\n' "${!part_bytes[@]}" | sort); do printf '  %-14s %7d\n' "$k" "${part_bytes[$k]}"; done
  printf '  %-14s %7d of %d\n' total "$total_bytes" "$budget"
  echo
  echo "targets:"
  for i in "${!trees[@]}"; do
    tag=
    [ -n "$against" ] && tag=" [${labels[$i]}]"
    if [ -z "$(field "${r_page[$i]}" failed)" ]; then
      ok=$(calc "$(good_rps "${r_page[$i]}") >= 0.5 * $nginx_rps" %d)
      echo "  the box-office page >= 0.5 x nginx requests/s$tag: $(verdict "$ok")"
    fi
  done
  echo "  everything the box office loads < 30 kB: $(verdict "$([ "$total_bytes" -lt "$budget" ] && echo 1)")"
  for r in "$r_nginx" "${r_page[@]}" "${r_post[@]}"; do
    if [ -z "$(field "$r" failed)" ] && [ "$(field "$r" requests)" != "$(field "$r" good)" ]; then
      echo "WARNING: answers other than the one wanted during a run: requests/s counts only those wanted"
      break
    fi
  done
  echo "wrk's full output: $log"
} | tee -a "$log"
