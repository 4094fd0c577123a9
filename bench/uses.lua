-- wrk script: POST /api/v1/uses of a random handed-out card, each request
-- from the next of the venues in turn (bench/principals.lua) on that venue's
-- bench event. One child ticket, no adult: a card may take any number of
-- child tickets (R24), so no request is refused as a second adult ticket.
-- Environment: KAIKU_BENCH_CARDS, KAIKU_BENCH_TOKENS, KAIKU_BENCH_EVENTS.
local cards = tonumber(os.getenv("KAIKU_BENCH_CARDS") or "1000000")
dofile(os.getenv("KAIKU_BENCH_DIR") .. "/principals.lua")
local turn = 0

function request()
  turn = turn % #principals + 1
  local p = principals[turn]
  local body = string.format('{"card":"K%08d","event":%d,"adult":0,"child":1}',
                             math.random(1, cards), p.event)
  return wrk.format("POST", "/api/v1/uses", p.headers, body)
end

dofile(os.getenv("KAIKU_BENCH_DIR") .. "/report.lua")
