-- wrk script: GET /box-office, the signed-in box office, with the session
-- cookie of a clerk. The same script drives nginx, which answers every path
-- with the very bytes of that page (and ignores the cookie).
-- Environment: KAIKU_BENCH_COOKIE ("kaiku_session=…").
local headers = { ["Cookie"] = os.getenv("KAIKU_BENCH_COOKIE") or "" }

function request()
  return wrk.format("GET", "/box-office", headers)
end

dofile(os.getenv("KAIKU_BENCH_DIR") .. "/report.lua")
dofile(os.getenv("KAIKU_BENCH_DIR") .. "/page_status.lua") -- 2xx only
