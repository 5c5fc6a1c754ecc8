-- Shared by get.lua and post.lua: one machine-readable line for bench/load, with the counters of every thread.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

function done(summary, latency, requests)
  local sent, answered, acked, replayed = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    sent = sent + (thread:get("sent") or 0)
    answered = answered + (thread:get("answered") or 0)
    acked = acked + (thread:get("acked") or 0)
    replayed = replayed + (thread:get("replayed") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    "LOAD requests=%d seconds=%.3f p50=%.3f p99=%.3f status_errors=%d socket_errors=%d sent=%d answered=%d acked=%d replayed=%d\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3, latency:percentile(99) / 1e3,
    e.status, e.connect + e.read + e.write + e.timeout, sent, answered, acked, replayed))
end
