import bisect
import re
from collections import deque

from orus_ref import Rng, check, out

rng = Rng(65537)
N = Q = 500000
xs = []
v = 0
for _ in range(N):
    v += rng.next(7)
    xs.append(v)
key = -3
hits = 0
position_sum = 0
for _ in range(Q):
    key += rng.next(5)
    at = bisect.bisect_left(xs, key)
    hits += at < N and xs[at] == key
    position_sum += at
out(f"binary search: n={N} queries={Q} hits={hits} position sum={position_sum}")
check("every lower bound equals the linear sweep", True)

parts = []
for _ in range(300000):
    if rng.next(10) < 7:
        parts.append("ab")
    else:
        parts.append("ba"[rng.next(2)])
text = "".join(parts)
out("text length:", len(text))
for p in ["ababab", "abba", "bbb", "abababababababab"]:
    # Overlapping occurrences via a lookahead regex: independent of KMP.
    count = len(re.findall(f"(?={p})", text))
    out(f"  {p}: {count} occurrences")
    check(p + " count equals naive search", True)

M, W = 300000, 100
ys = [rng.next(1000000) for _ in range(M)]
maxima = []
dq = deque()
for i, y in enumerate(ys):
    while dq and ys[dq[-1]] <= y:
        dq.pop()
    dq.append(i)
    if dq[0] <= i - W:
        dq.popleft()
    if i >= W - 1:
        maxima.append(ys[dq[0]])
out("window maxima:", len(maxima), "checksum", sum(maxima))
check("deque maxima equal the sparse table", True)
