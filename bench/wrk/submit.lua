-- Scenario 2: POST /s/{token} with a CSAT answer, one distinct token per request, starting
-- at BENCH_OFFSET so that successive runs never answer the same invitation twice.
dofile(os.getenv("BENCH_LUA") .. "/report.lua")
local tokens = {}
for line in io.lines(os.getenv("BENCH_TOKENS")) do tokens[#tokens + 1] = line end
local i = tonumber(os.getenv("BENCH_OFFSET") or "0")
local body = "q_" .. os.getenv("BENCH_QUESTION") .. "=4"
local headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }
request = function()
  i = i + 1
  if i > #tokens then
    error("out of tokens: seed more (bench/run FRESH)")
  end
  return wrk.format("POST", "/s/" .. tokens[i], headers, body)
end
