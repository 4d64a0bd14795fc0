-- Sieve of Eratosthenes over a boolean table; prints the number of primes up to N.
local function sieve(n)
    local flags = {}
    for i = 0, n do
        flags[i] = true
    end
    local count = 0
    for i = 2, n do
        if flags[i] then
            count = count + 1
            if i <= n // i then
                for j = i * i, n, i do
                    flags[j] = false
                end
            end
        end
    end
    return count
end

local N = 5000000
print(sieve(N))
