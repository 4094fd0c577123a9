-- wrk script: POST /api/v1/uses with one adult ticket, each request from the
-- next of the venues in turn (bench/principals.lua) on that venue's bench
-- event. R24 allows one adult ticket per card and event, so
-- the cards are walked in a scrambled order that repeats none: card
-- (i * STRIDE) mod N + 1, each wrk thread taking every THREADS-th i. Run it
-- once per fresh database and without a warm-up. Environment:
-- KAIKU_BENCH_CARDS, KAIKU_BENCH_TOKENS, KAIKU_BENCH_EVENTS,
-- KAIKU_BENCH_WRK_THREADS (wrk's -t).
local cards = tonumber(os.getenv("KAIKU_BENCH_CARDS") or "1000000")
local threads = tonumber(os.getenv("KAIKU_BENCH_WRK_THREADS") or "1")
local stride = 999983 -- a prime, so coprime with any card count it does not divide
dofile(os.getenv("KAIKU_BENCH_DIR") .. "/principals.lua")
local turn = 0
local i = nil

function request()
  if i == nil then
    i = (thread_no or 1) - 1
  end
  local card = (i * stride) % cards + 1
  i = i + threads
  turn = turn % #principals + 1
  local p = principals[turn]
  local body = string.format('{"card":"K%08d","event":%d,"adult":1,"child":0}', card, p.event)
  return wrk.format("POST", "/api/v1/uses", p.headers, body)
end

dofile(os.getenv("KAIKU_BENCH_DIR") .. "/report.lua")
