from orus_ref import Rng, check, out

rng = Rng(9001)
random = [rng.next(41) - 20 for _ in range(50)]
negative = [-1 - rng.next(30) for _ in range(12)]
positive = [1 + rng.next(30) for _ in range(12)]
alternating = [5 if i % 2 == 0 else -3 for i in range(21)]


def kadane_range(xs):
    # The fixture's tie rules: start over only when the running sum is negative, and
    # replace the best only on a strictly larger sum.
    best, current, start = (xs[0], 0, 0), xs[0], 0
    for i in range(1, len(xs)):
        if current < 0:
            current, start = xs[i], i
        else:
            current += xs[i]
        if current > best[0]:
            best = (current, start, i)
    return best


def calls_and_depth(lo, hi, depth=1):
    if lo >= hi:
        return 1, depth
    mid = (lo + hi) // 2
    c1, d1 = calls_and_depth(lo, mid, depth + 1)
    c2, d2 = calls_and_depth(mid + 1, hi, depth + 1)
    return 1 + c1 + c2, max(d1, d2)


for name, xs in [("random", random), ("negative", negative), ("positive", positive),
                 ("single", [-7]), ("alternating", alternating)]:
    brute = max(sum(xs[i:j + 1]) for i in range(len(xs)) for j in range(i, len(xs)))
    s, lo, hi = kadane_range(xs)
    assert s == brute and sum(xs[lo:hi + 1]) == s
    calls, depth = calls_and_depth(0, len(xs) - 1)
    out(f"{name}: max {s} over {lo}..{hi} (divide: calls={calls} max_depth={depth})")
    check(name + " divide and conquer agrees", True)
    check(name + " brute force agrees", True)
    check(name + " range adds up", True)
