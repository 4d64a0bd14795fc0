-- f64 kernel: Mandelbrot set on an N x N grid; prints the total iteration count.
local function mandel(size)
    local total = 0
    local fsize = size + 0.0
    for py = 0, size - 1 do
        local ci = (py + 0.0) * 2.0 / fsize - 1.0
        for px = 0, size - 1 do
            local cr = (px + 0.0) * 2.5 / fsize - 2.0
            local zr = 0.0
            local zi = 0.0
            local it = 0
            while it < 50 and zr * zr + zi * zi <= 4.0 do
                local t = zr * zr - zi * zi + cr
                zi = 2.0 * zr * zi + ci
                zr = t
                it = it + 1
            end
            total = total + it
        end
    end
    return total
end

local N = 450
print(mandel(N))
