-- Struct field access: particles bouncing in a box, fields read and written in place.
local Particle = {}
Particle.__index = Particle

function Particle.new(x, y, vx, vy)
    return setmetatable({x = x, y = y, vx = vx, vy = vy}, Particle)
end

function Particle:weight()
    return self.x * 3 + self.y
end

local function simulate(steps)
    local ps = {}
    for i = 0, 999 do
        ps[i + 1] = Particle.new(i % 100, (i * 7) % 100, i % 5 - 2, i % 3 - 1)
    end
    for s = 1, steps do
        for k = 1, #ps do
            local p = ps[k]
            p.x = p.x + p.vx
            p.y = p.y + p.vy
            if p.x < 0 or p.x > 1000 then
                p.vx = -p.vx
            end
            if p.y < 0 or p.y > 1000 then
                p.vy = -p.vy
            end
        end
    end
    local sum = 0
    for k = 1, #ps do
        sum = sum + ps[k]:weight()
    end
    return sum
end

local N = 4000
print(simulate(N))
