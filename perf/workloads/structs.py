# Struct field access: particles bouncing in a box, fields read and written in place.
class Particle:
    __slots__ = ("x", "y", "vx", "vy")

    def __init__(self, x, y, vx, vy):
        self.x = x
        self.y = y
        self.vx = vx
        self.vy = vy

    def weight(self):
        return self.x * 3 + self.y


def simulate(steps):
    ps = []
    for i in range(1000):
        ps.append(Particle(i % 100, (i * 7) % 100, i % 5 - 2, i % 3 - 1))
    for s in range(steps):
        for p in ps:
            p.x += p.vx
            p.y += p.vy
            if p.x < 0 or p.x > 1000:
                p.vx = -p.vx
            if p.y < 0 or p.y > 1000:
                p.vy = -p.vy
    total = 0
    for p in ps:
        total += p.weight()
    return total


N = 4000
print(simulate(N))
