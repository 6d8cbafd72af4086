-- A person search per request, rotating through name fragments people type
-- (without marks, partial, several words), so no one answer is cached.
local queries = {
  "nguyen", "tran thi", "duc", "le van", "huong", "pham", "minh anh", "dang",
  "bui thi lan", "hoang", "vu", "ngo quang", "thao", "dung", "trinh", "mai",
}
local i = 0
request = function()
  i = i + 1
  local q = queries[(i % #queries) + 1]
  return wrk.format("GET", "/persons?q=" .. q:gsub(" ", "+"))
end
