-- Many small function calls: three calls per iteration, two of them nested.
local function add(a, b)
    return a + b
end

local function mix(x, i)
    return add(x, i) % 65536
end

local function step(x, i)
    return mix(x * 3, i) + 1
end

local function run(n)
    local x = 0
    local sum = 0
    for i = 0, n - 1 do
        x = step(x, i)
        sum = sum + x
    end
    return sum
end

local N = 3000000
print(run(N))
