-- wrk reporting for bench/ingress.sh: requests/s, latency percentiles and non-2xx answers, one line each.
-- Requests come from the generated payloads.lua (signed App Store Connect bodies), cycled per thread.
local payloads = dofile(os.getenv("BENCH_PAYLOADS"))
local path = os.getenv("BENCH_PATH")
local counter = 0

request = function()
  counter = counter + 1
  local p = payloads[(counter % #payloads) + 1]
  return wrk.format("POST", path, {
    ["Content-Type"] = "application/json",
    ["x-apple-signature"] = p.signature,
  }, p.body)
end

done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local non2xx = summary.errors.status
  io.write(string.format("requests         %d\n", summary.requests))
  io.write(string.format("requests/s       %.0f\n", summary.requests / seconds))
  io.write(string.format("p50_ms           %.3f\n", latency:percentile(50) / 1000))
  io.write(string.format("p99_ms           %.3f\n", latency:percentile(99) / 1000))
  io.write(string.format("p99.9_ms         %.3f\n", latency:percentile(99.9) / 1000))
  io.write(string.format("max_ms           %.3f\n", latency.max / 1000))
  io.write(string.format("non_2xx          %d\n", non2xx))
  io.write(string.format("socket_errors    %d\n", summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout))
end
