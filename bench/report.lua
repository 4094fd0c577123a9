-- Shared by the wrk scripts: a random sequence of its own for each wrk
-- thread, and one machine-readable line at the end of a run, read by
-- bench/run.sh. Latencies are in microseconds.

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

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "KAIKU_RESULT requests=%d seconds=%.2f rps=%.1f p50_us=%d p99_us=%d max_us=%d " ..
    "non2xx=%d connect=%d read=%d write=%d timeout=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50), latency:percentile(99), latency.max,
    e.status, e.connect, e.read, e.write, e.timeout))
end
