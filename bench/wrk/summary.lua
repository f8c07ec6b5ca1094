-- Scenario 3: the survey summary through the API, as a dashboard or a script reads it.
dofile(os.getenv("BENCH_LUA") .. "/report.lua")
local path = "/api/v1/surveys/" .. os.getenv("BENCH_SURVEY") .. "/summary"
local headers = { ["Authorization"] = "Bearer " .. os.getenv("BENCH_API_TOKEN") }
request = function()
  return wrk.format("GET", path, headers)
end
