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

-- setup() runs in wrk's main Lua state; each thread gets its own number
-- (a global in its own state) to seed its own random sequence.
threads_made = 0
function setup(thread)
  threads_made = threads_made + 1
  thread:set("thread_no", threads_made)
end

function init(args)
  math.randomseed(os.time() * 1000 + (thread_no or 0) * 7919)
end

function request()
  local body = string.format('{"card":"K%08d","event":%d,"adult":0,"child":1}',
                             math.random(1, cards), event)
  return wrk.format("POST", "/api/v1/uses", headers, body)
end

dofile(os.getenv("KAIKU_BENCH_DIR") .. "/report.lua")
