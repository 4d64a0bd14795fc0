import bisect
import math

from orus_ref import Rng, check, out

probes = 0


def lower_bound(xs, key):
    global probes
    lo, hi = 0, len(xs)
    while lo < hi:
        mid = (lo + hi) // 2
        probes += 1
        if xs[mid] < key:
            lo = mid + 1
        else:
            hi = mid
    return lo


def upper_bound(xs, key):
    global probes
    lo, hi = 0, len(xs)
    while lo < hi:
        mid = (lo + hi) // 2
        probes += 1
        if xs[mid] <= key:
            lo = mid + 1
        else:
            hi = mid
    return lo


rng = Rng(4711)
dups = []
v = 0
for _ in range(60):
    if rng.next(3) == 0:
        v += rng.next(4) + 1
    dups.append(v)
out("duplicates:", dups)
counts_ok = bounds_ok = True
for key in range(-1, v + 2):
    lb, ub = lower_bound(dups, key), upper_bound(dups, key)
    counts_ok &= ub - lb == dups.count(key)
    bounds_ok &= (lb, ub) == (bisect.bisect_left(dups, key), bisect.bisect_right(dups, key))
    if dups.count(key) > 0 and key % 3 == 0:
        out(f"  value {key} occurs {ub - lb} times at {lb}..{ub - 1}")
out("bound probes:", probes)
check("occurrence counts equal linear counts", counts_ok)
check("lower bound is the first occurrence", bounds_ok)

probes = 0


def isqrt(n):
    global probes
    lo, hi = 0, min(3037000500, n + 1)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        probes += 1
        if mid * mid <= n:
            lo = mid
        else:
            hi = mid
    return lo


numbers = [0, 1, 2, 3, 4, 15, 16, 17, 99, 100, 1000000, 999999999999, 9223372036854775807]
roots = [isqrt(n) for n in numbers]
out("square roots:", roots)
out("sqrt probes:", probes)
check("r*r <= n < (r+1)*(r+1)", roots == [math.isqrt(n) for n in numbers])

base = []
w = 3
for _ in range(23):
    w += rng.next(5) + 1
    base.append(w)
shift = rng.next(23)
rotated = [base[(i + shift) % 23] for i in range(23)]
out(f"rotated by {shift}:", rotated)

probes = 0


def rotation_point(xs):
    global probes
    lo, hi = 0, len(xs) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        probes += 1
        if xs[mid] > xs[hi]:
            lo = mid + 1
        else:
            hi = mid
    return lo


r = rotation_point(rotated)
out("rotation point:", r, "probes:", probes)
check("rotation point is the minimum", r == rotated.index(min(rotated)))
probes = 0


def search_rotated(xs, key):
    global probes
    n = len(xs)
    r = rotation_point(xs)
    lo, hi = 0, n - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        real = (mid + r) % n
        probes += 1
        if xs[real] == key:
            return real
        if xs[real] < key:
            lo = mid + 1
        else:
            hi = mid - 1
    return -1


ok = all(search_rotated(rotated, key) == (rotated.index(key) if key in rotated else -1)
         for key in range(base[0] - 1, base[22] + 2))
out("rotated search probes:", probes)
check("rotated search agrees with linear scan", ok)
