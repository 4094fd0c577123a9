-- wrk script: GET /api/v1/cards/{code} with a random handed-out code per
-- request. Codes are those of kaiku-bench-gen: "K" and 8 digits, 1..CARDS.
-- Environment: KAIKU_BENCH_CARDS (how many), KAIKU_BENCH_TOKEN (Bearer).
-- The same script drives nginx, which answers every path with one file.
local cards = tonumber(os.getenv("KAIKU_BENCH_CARDS") or "1000000")
local token = os.getenv("KAIKU_BENCH_TOKEN") or ""
local headers = { ["Authorization"] = "Bearer " .. token }

function request()
  local path = string.format("/api/v1/cards/K%08d", math.random(1, cards))
  return wrk.format("GET", path, headers)
end

dofile(os.getenv("KAIKU_BENCH_DIR") .. "/report.lua")
