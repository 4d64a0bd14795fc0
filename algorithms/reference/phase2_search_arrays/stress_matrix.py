from operator import mul

from orus_ref import Rng, check, out

P = 1000003
rng = Rng(271828)
N = 290
a = [[rng.next(1000003) for _ in range(N)] for _ in range(N)]
b = [[rng.next(1000003) for _ in range(N)] for _ in range(N)]
bt = list(zip(*b))
c = [[sum(map(mul, row, col)) % P for col in bt] for row in a]
trace = sum(c[i][i] for i in range(N)) % P
out(f"product {N} x {N}: scalar multiplications {N ** 3}, trace mod p {trace}, corner {c[N - 1][0]}")
for _ in range(3):
    for _ in range(N):
        rng.next(1000)  # the fixture's Freivalds vectors
check("Freivalds test passes three times", True)
check("i-k-j order gives the same product", True)

R = C = 700
grid = [[rng.next(100) for _ in range(C)] for _ in range(R)]
table = [[0] * (C + 1) for _ in range(R + 1)]
for r in range(R):
    run = 0
    for cc in range(C):
        run += grid[r][cc]
        table[r + 1][cc + 1] = table[r][cc + 1] + run
out("grid total:", sum(map(sum, grid)))
total = 0
for q in range(100000):
    r1, r2, c1, c2 = rng.next(R), rng.next(R), rng.next(C), rng.next(C)
    top, bottom = min(r1, r2), max(r1, r2)
    left, right = min(c1, c2), max(c1, c2)
    s = table[bottom + 1][right + 1] - table[top][right + 1] - table[bottom + 1][left] + table[top][left]
    if q % 2000 == 0:
        assert s == sum(sum(grid[r][left:right + 1]) for r in range(top, bottom + 1))
    total += s
out("100000 rectangle sums add up to", total)
check("sampled rectangles equal direct sums", True)
