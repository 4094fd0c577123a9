-- Shared by the uses scripts: the venues that record uses at once. One
-- principal (a user, or a venue with all its API keys) may hold at most 32
-- requests in flight (src/http/inflight.h), so the load is spread over
-- several venues, as in the network where many venues record at the same
-- time. Environment: KAIKU_BENCH_TOKENS and KAIKU_BENCH_EVENTS,
-- comma-separated and pairwise (venue k's token, venue k's bench event).
local function split(s)
  local out = {}
  for item in string.gmatch(s or "", "[^,]+") do
    out[#out + 1] = item
  end
  return out
end

local tokens = split(os.getenv("KAIKU_BENCH_TOKENS"))
local events = split(os.getenv("KAIKU_BENCH_EVENTS"))
assert(#tokens > 0 and #tokens == #events,
       "KAIKU_BENCH_TOKENS and KAIKU_BENCH_EVENTS: one event per token")

principals = {}
for k = 1, #tokens do
  principals[k] = {
    event = tonumber(events[k]),
    headers = {
      ["Authorization"] = "Bearer " .. tokens[k],
      ["Content-Type"] = "application/json",
    },
  }
end
