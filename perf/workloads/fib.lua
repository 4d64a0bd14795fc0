-- Recursive Fibonacci: call and return, integer compare, add.
local function fib(n)
    if n < 2 then
        return n
    end
    return fib(n - 1) + fib(n - 2)
end

local N = 33
print(fib(N))
