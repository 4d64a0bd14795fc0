-- Tight integer arithmetic loop: + - * / % ^ & >> on locals.
local function kernel(n)
    local acc = 1
    local sum = 0
    for i = 0, n - 1 do
        acc = (acc * 31 + i) % 1000003
        local t = (acc ~ i) & 1023
        sum = sum + (t - (acc >> 12) + acc // 7)
    end
    return sum
end

local N = 2500000
print(kernel(N))
