-- wrk script: POST /box-office/record, a use recorded through the box
-- office's form as a browser without script posts it: a form body with the
-- session's CSRF field and a fresh idempotency key per request, a random
-- valid card (one child ticket, no adult: a card may take any number of
-- child tickets, R24, so no request is refused as a second adult ticket),
-- the bench event. The answer is the form's 303 to /box-office; the
-- redirect is not followed (the page it leads to is page.lua's target).
-- Environment: KAIKU_BENCH_COOKIE, KAIKU_BENCH_CSRF, KAIKU_BENCH_EVENT,
-- KAIKU_BENCH_CARDS_FILE (one card code a line), KAIKU_BENCH_RUN (a tag
-- that keeps the keys of one run apart from another's).
local headers = {
  ["Cookie"] = os.getenv("KAIKU_BENCH_COOKIE") or "",
  ["Content-Type"] = "application/x-www-form-urlencoded",
}
local csrf = os.getenv("KAIKU_BENCH_CSRF") or ""
local event = tonumber(os.getenv("KAIKU_BENCH_EVENT") or "0")
local run = os.getenv("KAIKU_BENCH_RUN") or "0"
local cards = {}
local sent = 0

function request()
  sent = sent + 1
  local body = string.format(
    "csrf=%s&card=%s&event=%d&adult=0&child=1&companion=0&channel=box_office&key=b%s-%d-%d",
    csrf, cards[math.random(1, #cards)], event, run, thread_no or 0, sent)
  return wrk.format("POST", "/box-office/record", headers, body)
end

dofile(os.getenv("KAIKU_BENCH_DIR") .. "/report.lua")
dofile(os.getenv("KAIKU_BENCH_DIR") .. "/page_status.lua") -- 3xx only (the 303)

-- report.lua's init seeds the thread's random sequence; then the cards.
local base_init = init
function init(args)
  base_init(args)
  for line in io.lines(os.getenv("KAIKU_BENCH_CARDS_FILE")) do
    cards[#cards + 1] = line
  end
  if #cards == 0 then
    error("no cards in KAIKU_BENCH_CARDS_FILE")
  end
end
