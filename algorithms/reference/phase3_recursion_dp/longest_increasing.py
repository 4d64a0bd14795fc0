from bisect import bisect_left
from itertools import combinations

from orus_ref import Rng, check, out


def run(name, xs):
    n = len(xs)
    best, prev, end = [], [], -1
    for i in range(n):
        best.append(1)
        prev.append(-1)
        for j in range(i):
            if xs[j] < xs[i] and best[j] + 1 > best[i]:
                best[i], prev[i] = best[j] + 1, j
        if end == -1 or best[i] > best[end]:
            end = i
    idx = []
    while end != -1:
        idx.append(end)
        end = prev[end]
    seq = [xs[i] for i in reversed(idx)]
    tops, probes = [], 0
    for x in xs:
        lo, hi = 0, len(tops)
        while lo < hi:
            mid = (lo + hi) // 2
            probes += 1
            if tops[mid] < x:
                lo = mid + 1
            else:
                hi = mid
        assert lo == bisect_left(tops, x)
        if lo == len(tops):
            tops.append(x)
        else:
            tops[lo] = x
    out(f"{name}: n={n} length={len(seq)} pairs={n * (n - 1) // 2} piles={len(tops)} probes={probes}")
    out("  subsequence:", seq)
    check(name + " reconstruction is increasing and in order", all(a < b for a, b in zip(seq, seq[1:])))
    check(name + " patience sorting agrees", len(tops) == len(seq))
    if n <= 16:
        brute = max(r for r in range(n + 1) for c in combinations(xs, r)
                    if all(a < b for a, b in zip(c, c[1:])))
        check(name + " subset enumeration agrees", brute == len(seq))


rng = Rng(112358)
short = [rng.next(30) for _ in range(16)]
long = [rng.next(1000) for _ in range(120)]
run("short", short)
run("long", long)
run("classic", [10, 9, 2, 5, 3, 7, 101, 18])
run("decreasing", [9, 7, 5, 3, 1])
run("equal", [4, 4, 4, 4])
run("single", [42])
