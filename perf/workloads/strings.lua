-- String building: concatenation, integer formatting, length, indexing, equality.
local function build(n)
    local line = ""
    local total = 0
    local ones = 0
    for i = 0, n - 1 do
        line = line .. tostring(i) .. ","
        if #line > 80 then
            total = total + #line
            if string.sub(line, 3, 3) == "1" then
                ones = ones + 1
            end
            line = ""
        end
    end
    return total + ones * 1000 + #line
end

local N = 3000000
print(build(N))
