-- wrk script: POST /api/v1/uses with one adult ticket on the bench event of
-- the logged-in venue. R24 allows one adult ticket per card and event, so
-- the cards are walked in a scrambled order that repeats none: card
-- (i * STRIDE) mod N + 1, each wrk thread taking every THREADS-th i. Run it
-- once per fresh database and without a warm-up. Environment:
-- KAIKU_BENCH_CARDS, KAIKU_BENCH_TOKEN, KAIKU_BENCH_EVENT,
-- KAIKU_BENCH_WRK_THREADS (wrk's -t).
local cards = tonumber(os.getenv("KAIKU_BENCH_CARDS") or "1000000")
local token = os.getenv("KAIKU_BENCH_TOKEN") or ""
local event = tonumber(os.getenv("KAIKU_BENCH_EVENT") or "0")
local threads = tonumber(os.getenv("KAIKU_BENCH_WRK_THREADS") or "1")
local stride = 999983 -- a prime, so coprime with any card count it does not divide
local headers = {
  ["Authorization"] = "Bearer " .. token,
  ["Content-Type"] = "application/json",
}
local i = nil

function request()
  if i == nil then
    i = (thread_no or 1) - 1
  end
  local card = (i * stride) % cards + 1
  i = i + threads
  local body = string.format('{"card":"K%08d","event":%d,"adult":1,"child":0}', card, event)
  return wrk.format("POST", "/api/v1/uses", headers, body)
end

dofile(os.getenv("KAIKU_BENCH_DIR") .. "/report.lua")
