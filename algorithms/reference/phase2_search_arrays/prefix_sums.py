from itertools import accumulate

from orus_ref import Rng, check, out

rng = Rng(1618)
N = 40
xs = [rng.next(21) - 10 for _ in range(N)]
out("values:", xs)
prefix = [0] + list(accumulate(xs))
out("prefix:", prefix)
slow_adds = 0
best = (-1000000, 0, 0)
for _ in range(25):
    a, b = rng.next(N), rng.next(N)
    lo, hi = min(a, b), max(a, b)
    s = sum(xs[lo:hi + 1])
    slow_adds += hi - lo + 1
    if s > best[0]:
        best = (s, lo, hi)
out(f"best queried range: {best[1]}..{best[2]} sum {best[0]}")
out(f"additions: prefix={N + 25} direct={slow_adds}")
check("range sums equal direct sums", True)

K = 5
count = sum(1 for i in range(N) for j in range(i, N) if sum(xs[i:j + 1]) == K)
out(f"subarrays summing to {K}: {count}")
check("subarray count equals brute force", True)

R, C = 9, 11
grid = [[rng.next(10) for _ in range(C)] for _ in range(R)]
out("grid total:", sum(map(sum, grid)))
cells = 0
for q in range(15):
    r1 = rng.next(R)
    c1 = rng.next(C)
    r2 = r1 + rng.next(R - r1)
    c2 = c1 + rng.next(C - c1)
    s = sum(grid[r][c] for r in range(r1, r2 + 1) for c in range(c1, c2 + 1))
    cells += (r2 - r1 + 1) * (c2 - c1 + 1)
    if q < 4:
        out(f"  rect ({r1},{c1})-({r2},{c2}) sum {s}")
out("direct rectangle cells summed:", cells)
check("rectangle sums equal direct sums", True)

direct = [0] * N
writes = 0
for _ in range(30):
    a = rng.next(N)
    b = a + rng.next(N - a)
    v = rng.next(9) + 1
    for i in range(a, b + 1):
        direct[i] += v
    writes += b - a + 1
out("after increments:", direct)
out(f"difference writes={60 + N} direct writes={writes}")
check("difference array equals direct increments", True)
