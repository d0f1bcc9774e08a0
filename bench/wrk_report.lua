-- wrk's summary as one JSON line, for bench/stats_bench.py: requests, seconds, latency percentiles
-- (ms) and errors (socket errors + answers with a status of 400 or more). wrk runs this in its own
-- process; nothing here runs inside the server.

done = function(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      '{"requests": %d, "seconds": %.3f, "p50_ms": %.3f, "p90_ms": %.3f, "p99_ms": %.3f, "max_ms": %.3f, '
         .. '"errors": %d, "socket_errors": %d, "bytes": %d}\n',
      summary.requests, summary.duration / 1e6,
      latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
      latency.max / 1000,
      e.status + e.connect + e.read + e.write + e.timeout, e.connect + e.read + e.write + e.timeout,
      summary.bytes))
end
