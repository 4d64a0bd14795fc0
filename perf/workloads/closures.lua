-- Closure calls: closures from an array, one capturing a mutable counter, a higher-order call.
local function make_adder(k)
    return function(v)
        return v + k
    end
end

local function make_counter()
    local count = 0
    return function()
        count = count + 1
        return count
    end
end

local function apply(f, v)
    return f(v)
end

local function run(n)
    local adders = {make_adder(1), make_adder(2), make_adder(3), make_adder(4)}
    local counter = make_counter()
    local x = 0
    local sum = 0
    for i = 0, n - 1 do
        local f = adders[(i & 3) + 1]
        x = apply(f, x) % 100000
        sum = sum + (x + counter())
    end
    return sum
end

local N = 3000000
print(run(N))
