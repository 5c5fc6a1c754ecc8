-- A choice posted as a browser on the center's own pages does (Origin and Sec-Fetch-Site of the center), one of
-- accept-all, reject-all and custom in turn, for a new visitor each time.
--   LOAD_KIND=api    POST /api/v1/consents, JSON, a fresh Idempotency-Key per request; acknowledged = 201
--   LOAD_KIND=form   POST /consent, the banner's form fields; acknowledged = 303 back to the page with cc=saved
--   LOAD_KIND=noop   POST / of bench/Consent.NoOp, the API's JSON body; acknowledged = 200
--   LOAD_RATE=N      N requests/s for all threads together (constant rate), else as fast as the connections go
-- LOAD_ORIGIN is the center's origin, LOAD_POLICY the policy version shown, LOAD_RUN makes keys unique per wrk run.
-- A 201 marked Idempotent-Replayed stored nothing new: it is counted apart, and bench/load fails on any.
dofile(os.getenv("LOAD_D") .. "/report.lua")

local kind = os.getenv("LOAD_KIND")
local origin = os.getenv("LOAD_ORIGIN")
local policy = os.getenv("LOAD_POLICY") or "1"
local run = os.getenv("LOAD_RUN") or tostring(os.time())
local rate = tonumber(os.getenv("LOAD_RATE") or "")
local threads = tonumber(os.getenv("LOAD_THREADS") or "1")

sent, answered, acked, replayed = 0, 0, 0, 0

local bodies, path, headers
if kind == "form" then
  path = "/consent"
  local fields = "source=banner&policyVersion=" .. policy .. "&returnUrl=%2F"
  bodies = { fields .. "&method=accept-all", fields .. "&method=reject-all", fields .. "&granted=analytics&method=custom" }
  headers = { ["Content-Type"] = "application/x-www-form-urlencoded", ["Origin"] = origin, ["Sec-Fetch-Site"] = "same-origin" }
else
  path = kind == "noop" and "/" or "/api/v1/consents"
  local json = '{"method":"%s","source":"banner","policyVersion":' .. policy .. '%s}'
  bodies = {
    string.format(json, "accept-all", ""),
    string.format(json, "reject-all", ""),
    string.format(json, "custom", ',"granted":["analytics"],"denied":["social-media"]'),
  }
  headers = { ["Content-Type"] = "application/json", ["Origin"] = origin, ["Sec-Fetch-Site"] = "same-origin" }
end

function request()
  sent = sent + 1
  if kind == "api" then headers["Idempotency-Key"] = run .. "-" .. tid .. "-" .. sent end
  return wrk.format("POST", path, headers, bodies[sent % 3 + 1])
end

function response(status, headers, body)
  answered = answered + 1
  if kind == "api" and status == 201 and headers["Idempotent-Replayed"] then
    replayed = replayed + 1
  elseif (kind == "api" and status == 201) or (kind == "noop" and status == 200)
    or (kind == "form" and status == 303 and string.find(headers["Location"] or "", "cc=saved", 1, true)) then
    acked = acked + 1
  end
end

if rate then
  -- Each thread sends on its own schedule of rate / threads per second; a backlog older than a second is dropped.
  local ffi = require("ffi")
  ffi.cdef [[
    typedef struct { long tv_sec; long tv_nsec; } load_timespec;
    int clock_gettime(int clock, load_timespec *tp);
  ]]
  local ts = ffi.new("load_timespec")
  local function now_ms()
    ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
    return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
  end
  local interval = 1000 * threads / rate
  local next_at

  function delay()
    local now = now_ms()
    if next_at == nil or next_at < now - 1000 then next_at = now end
    local wait = next_at - now
    next_at = next_at + interval
    return wait > 0 and wait or 0
  end
end
