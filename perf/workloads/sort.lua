-- Array sort: a hand-written recursive quicksort of pseudo-random integers (1-based).
local function qsort(a, lo, hi)
    if lo >= hi then
        return
    end
    local pivot = a[(lo + hi) // 2]
    local i = lo
    local j = hi
    while i <= j do
        while a[i] < pivot do
            i = i + 1
        end
        while a[j] > pivot do
            j = j - 1
        end
        if i <= j then
            local t = a[i]
            a[i] = a[j]
            a[j] = t
            i = i + 1
            j = j - 1
        end
    end
    qsort(a, lo, j)
    qsort(a, i, hi)
end

local function run(n)
    local a = {}
    local seed = 42
    for i = 1, n do
        seed = (seed * 1103515245 + 12345) % 2147483648
        a[i] = seed % 1000000
    end
    qsort(a, 1, n)
    local sum = 0
    for i = 1, n do
        sum = sum + a[i] * ((i - 1) % 10 + 1)
        if i > 1 and a[i - 1] > a[i] then
            return -1
        end
    end
    return sum
end

local N = 300000
print(run(N))
