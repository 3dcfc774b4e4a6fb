-- wrk script: send DEPTH requests per write (HTTP/1.1 pipelining), as the benchmark's pipelined column does.
local depth = tonumber(os.getenv("DEPTH") or "16")
init = function(args)
  local r = {}
  for i = 1, depth do r[i] = wrk.format(nil, "/") end
  req = table.concat(r)
end
request = function() return req end
