import bisect
import math

from orus_ref import Rng, check, out


def search(xs, key):
    """Returns (index, probes) of the fixtures' midpoint rule."""
    lo, hi, probes = 0, len(xs) - 1, 0
    while lo <= hi:
        mid = lo + (hi - lo) // 2
        probes += 1
        if xs[mid] == key:
            return mid, probes
        if xs[mid] < key:
            lo = mid + 1
        else:
            hi = mid - 1
    return -1, probes


def run(name, xs, keys):
    total = worst = found = 0
    agree = True
    for key in keys:
        at, probes = search(xs, key)
        i = bisect.bisect_left(xs, key)  # independent answer
        agree &= at == (i if i < len(xs) and xs[i] == key else -1)
        found += at >= 0
        total += probes
        worst = max(worst, probes)
    out(f"{name}: n={len(xs)} searches={len(keys)} found={found} total_probes={total} max_probes={worst}")
    check(name + " agrees with recursion and linear scan", agree)
    bound = int(math.log2(len(xs))) + 1 if xs else 0
    check(name + " probes within floor(log2 n) + 1", worst <= bound)


rng = Rng(31337)
xs = []
v = -50
for _ in range(40):
    v += rng.next(6) + 1
    xs.append(v)
out("array:", xs)
keys = [k for x in xs for k in (x, x + 1)] + [xs[0] - 1]
run("distinct", xs, keys)
at, probes = search(xs, xs[27])
out("search for", xs[27], "gives index", at, "after", probes, "probes")
run("empty", [], [1, 2, 3])
run("single", [7], [6, 7, 8])
run("powers of two", [1 << i for i in range(31)], [1, 2, 3, 1024, 1073741824, 1073741823, 0, -1])
