-- Shared by the pages' wrk scripts (bench/pages.sh), loaded after
-- report.lua: counts the answers of the one status class a run is about —
-- KAIKU_BENCH_STATUS=2 for a page (200), 3 for a form post (its 303) — so
-- that the requests/s reported are of those only, never of refusals (a 503
-- of the in-flight limit, a 303 to the sign-in page of an ended session).
-- wrk hands every answer to response() (headers and body too: a cost the
-- load generator pays alike for nginx and kaiku, which share this script),
-- and done() prints one more line, "KAIKU_GOOD good=N", after KAIKU_RESULT.
local wanted = tonumber(os.getenv("KAIKU_BENCH_STATUS") or "2")
local threads = {}
good = 0

local base_setup = setup
function setup(thread)
  base_setup(thread)
  threads[#threads + 1] = thread
end

function response(status, headers, body)
  if math.floor(status / 100) == wanted then
    good = good + 1
  end
end

local base_done = done
function done(summary, latency, requests)
  base_done(summary, latency, requests)
  local n = 0
  for _, t in ipairs(threads) do
    n = n + (t:get("good") or 0)
  end
  io.write(string.format("KAIKU_GOOD good=%d\n", n))
end
