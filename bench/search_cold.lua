-- Person searches that are almost never repeated: a family name and a given
-- name drawn at random (750 pairs), so the per-connection cache of search
-- counts (64 entries) rarely holds the answer. The count is computed anew.
local families = {"nguyen", "tran", "le", "pham", "hoang", "huynh", "phan", "vu", "vo",
  "dang", "bui", "do", "ho", "ngo", "duong", "ly", "dinh", "trinh", "dao", "mai", "ta",
  "luong", "chu", "ong", "ta"}
local givens = {"an", "anh", "binh", "cuong", "dung", "duc", "dat", "giang", "hai", "hieu",
  "hung", "huy", "khanh", "long", "minh", "nam", "phong", "quan", "son", "thang", "chi",
  "dung", "ha", "hanh", "hoa", "huong", "lan", "linh", "mai", "nga"}
math.randomseed(20261122)
request = function()
  local q = families[math.random(#families)] .. "+" .. givens[math.random(#givens)]
  return wrk.format("GET", "/persons?q=" .. q)
end
