-- Scenario 1: GET /s/{token}, cycling through real personal-link tokens.
dofile(os.getenv("BENCH_LUA") .. "/report.lua")
local tokens = {}
for line in io.lines(os.getenv("BENCH_TOKENS")) do tokens[#tokens + 1] = line end
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/s/" .. tokens[(i % #tokens) + 1])
end
