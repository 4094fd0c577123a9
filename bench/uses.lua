-- wrk script: POST /api/v1/uses of a random handed-out card on the bench
-- event of the logged-in venue. One child ticket, no adult: a card may take
-- any number of child tickets (R24), so no request is refused as a second
-- adult ticket. Environment: KAIKU_BENCH_CARDS, KAIKU_BENCH_TOKEN,
-- KAIKU_BENCH_EVENT (the event id).
local cards = tonumber(os.getenv("KAIKU_BENCH_CARDS") or "1000000")
local token = os.getenv("KAIKU_BENCH_TOKEN") or ""
local event = tonumber(os.getenv("KAIKU_BENCH_EVENT") or "0")
local headers = {
  ["Authorization"] = "Bearer " .. token,
  ["Content-Type"] = "application/json",
}

function request()
  local body = string.format('{"card":"K%08d","event":%d,"adult":0,"child":1}',
                             math.random(1, cards), event)
  return wrk.format("POST", "/api/v1/uses", headers, body)
end

dofile(os.getenv("KAIKU_BENCH_DIR") .. "/report.lua")
