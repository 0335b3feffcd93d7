-- wrk script: GET /api/v1/taxpayers/{random id}/obligations with a client-credentials token.
local ids = {}
local token = os.getenv("BENCH_TOKEN")
for line in io.lines(os.getenv("BENCH_IDS")) do ids[#ids + 1] = line end
math.randomseed(2026)
request = function()
  local id = ids[math.random(#ids)]
  return wrk.format("GET", "/api/v1/taxpayers/" .. id .. "/obligations", { ["Authorization"] = "Bearer " .. token })
end
