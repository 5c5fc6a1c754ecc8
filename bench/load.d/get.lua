-- GET as a browser would, with what bench/load passes in the environment: LOAD_COOKIE (a Cookie header) and
-- LOAD_IF_NONE_MATCH (a validator to revalidate with). No request() or response(): wrk sends a prebuilt request.
dofile(os.getenv("LOAD_D") .. "/report.lua")

wrk.method = "GET"
wrk.headers["Accept"] = "text/html,application/json;q=0.9,*/*;q=0.8"
wrk.headers["Accept-Language"] = "en-GB,en;q=0.9"
local cookie = os.getenv("LOAD_COOKIE")
if cookie and #cookie > 0 then wrk.headers["Cookie"] = cookie end
local etag = os.getenv("LOAD_IF_NONE_MATCH")
if etag and #etag > 0 then wrk.headers["If-None-Match"] = etag end
