-- Nested loops: n x n integer matrix multiply over arrays of arrays (1-based tables).
local function matrix(n, seed)
    local m = {}
    for i = 0, n - 1 do
        local row = {}
        for j = 0, n - 1 do
            row[j + 1] = (i * seed + j * 7 + 3) % 10
        end
        m[i + 1] = row
    end
    return m
end

local function matmul(a, b, n)
    local c = {}
    for i = 1, n do
        local ai = a[i]
        local row = {}
        for j = 1, n do
            local s = 0
            for k = 1, n do
                s = s + ai[k] * b[k][j]
            end
            row[j] = s
        end
        c[i] = row
    end
    return c
end

local function checksum(n)
    local c = matmul(matrix(n, 3), matrix(n, 5), n)
    local sum = 0
    for i = 0, n - 1 do
        for j = 0, n - 1 do
            sum = sum + c[i + 1][j + 1] * ((i + 2 * j) % 5 + 1)
        end
    end
    return sum
end

local N = 220
print(checksum(N))
