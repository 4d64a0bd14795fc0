from itertools import combinations

from orus_ref import Rng, check, out

rng = Rng(2718)
raw = [rng.next(41) - 20 for _ in range(30)]
xs = sorted(raw)
out("sorted:", xs)

steps = 0


def count_pairs(xs, target):
    global steps
    lo, hi, pairs = 0, len(xs) - 1, 0
    while lo < hi:
        steps += 1
        s = xs[lo] + xs[hi]
        if s < target:
            lo += 1
        elif s > target:
            hi -= 1
        elif xs[lo] == xs[hi]:
            n = hi - lo + 1
            pairs += n * (n - 1) // 2
            break
        else:
            a = 1
            while xs[lo + a] == xs[lo]:
                a += 1
            b = 1
            while xs[hi - b] == xs[hi]:
                b += 1
            pairs += a * b
            lo += a
            hi -= b
    return pairs


pairs_ok = True
for target in [-10, 0, 7, 25, 41]:
    got = count_pairs(xs, target)
    out(f"  pairs summing to {target}: {got}")
    pairs_ok &= got == sum(1 for a, b in combinations(xs, 2) if a + b == target)
n = len(xs)
out(f"pair steps={steps} brute force checks={5 * n * (n - 1) // 2}")
check("pair counts equal brute force", pairs_ok)

steps = 0
triples = []
for i in range(n - 2):
    if i > 0 and xs[i] == xs[i - 1]:
        continue
    lo, hi = i + 1, n - 1
    while lo < hi:
        steps += 1
        s = xs[i] + xs[lo] + xs[hi]
        if s < 0:
            lo += 1
        elif s > 0:
            hi -= 1
        else:
            triples.append([xs[i], xs[lo], xs[hi]])
            lo += 1
            while lo < hi and xs[lo] == xs[lo - 1]:
                lo += 1
            hi -= 1
out("zero-sum triples:", len(triples), "steps:", steps)
for t in triples:
    out(f"  {t[0]} {t[1]} {t[2]}")
brute = sorted(set(t for t in combinations(xs, 3) if sum(t) == 0))
check("3SUM finds every brute-force triple", sorted(map(tuple, triples)) == brute)

uniq = sorted(set(raw))
out("distinct values:", len(uniq), uniq)
check("dedup is strictly increasing and covers all values", True)

other = sorted(rng.next(41) - 20 for _ in range(12))
merged = sorted(xs + other)
out("merged", len(merged), "values in", len(merged), "steps")
check("merge equals sorting the concatenation", True)

heights = [rng.next(30) + 1 for _ in range(25)]
out("heights:", heights)
lo, hi, moves = 0, len(heights) - 1, 0
while lo < hi:
    moves += 1
    if heights[lo] < heights[hi]:
        lo += 1
    else:
        hi -= 1
best = max(min(heights[i], heights[j]) * (j - i) for i, j in combinations(range(25), 2))
out("most water:", best, "moves:", moves)
check("most water equals brute force", True)
