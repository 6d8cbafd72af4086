-- One sign-in per request (POST /login with the right password), as a crowd
-- of officers arriving at 8 a.m. would. The CSRF check before sign-in is the
-- double-submit cookie, so a fixed token in both the cookie and the form is
-- valid. Each answer should be 303 (signed in); anything else is counted as
-- a non-2xx/3xx by wrk.
local token = string.rep("A", 43)
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "tdkt_csrf=" .. token
wrk.body = "_csrf=" .. token .. "&login=bench&password=bench-password-2026&next=%2F"

local non303 = 0
response = function(status, headers, body)
  if status ~= 303 then non303 = non303 + 1 end
end

done = function(summary, latency, requests)
  io.write(string.format("logins: %d in %.1f s = %.1f/s\n", summary.requests,
                         summary.duration / 1e6, summary.requests / (summary.duration / 1e6)))
end
