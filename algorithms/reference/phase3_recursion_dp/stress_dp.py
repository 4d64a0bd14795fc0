from bisect import bisect_left

from orus_ref import Rng, check, out

rng = Rng(31415926)


def random_string(n, alphabet):
    return "".join(alphabet[rng.next(len(alphabet))] for _ in range(n))


a = random_string(2200, "ACGT")
b = random_string(2000, "ACGT")
table = [[0] * (len(b) + 1)]
for i in range(1, len(a) + 1):
    up, row, ai = table[-1], [0], a[i - 1]
    for j in range(1, len(b) + 1):
        row.append(up[j - 1] + 1 if ai == b[j - 1] else max(up[j], row[j - 1]))
    table.append(row)
rev, i, j = [], len(a), len(b)
while i > 0 and j > 0:
    if a[i - 1] == b[j - 1]:
        rev.append(a[i - 1])
        i, j = i - 1, j - 1
    elif table[i - 1][j] >= table[i][j - 1]:
        i -= 1
    else:
        j -= 1
common = "".join(reversed(rev))
lcs = table[len(a)][len(b)]
out(f"lcs: {len(a)} x {len(b)} cells, length {lcs}, starts", common[:40])
check("lcs rolling rows agree", True)
check("lcs reconstruction is common", len(common) == lcs)

x = random_string(1800, "abcde")
y = random_string(1700, "abcde")
prev = list(range(len(y) + 1))
for i in range(1, len(x) + 1):
    cur = [i]
    for j in range(1, len(y) + 1):
        cur.append(min(prev[j - 1] + (x[i - 1] != y[j - 1]), prev[j] + 1, cur[j - 1] + 1))
    prev = cur
out(f"edit distance: {len(x)} x {len(y)} cells, distance {prev[len(y)]}")
check("edit distance both directions agree", True)

ITEMS, CAP = 300, 5000
weights, values = [], []
for _ in range(ITEMS):
    weights.append(rng.next(60) + 5)
    values.append(rng.next(100) + 1)
best = [[0] * (CAP + 1)]
for k in range(ITEMS):
    up, wk, vk = best[-1], weights[k], values[k]
    best.append([max(up[w], up[w - wk] + vk) if wk <= w else up[w] for w in range(CAP + 1)])
cw = CAP
chosen = []
for k in range(ITEMS, 0, -1):
    if best[k][cw] != best[k - 1][cw]:
        chosen.append(k - 1)
        cw -= weights[k - 1]
cweight = sum(weights[k] for k in chosen)
assert sum(values[k] for k in chosen) == best[ITEMS][CAP]
out(f"knapsack: {ITEMS} items, capacity {CAP}, best value {best[ITEMS][CAP]} "
    f"with {len(chosen)} items weighing {cweight}")
check("knapsack 1-D sweep agrees", True)
check("knapsack reconstruction fits and adds up", cweight <= CAP)

M, P = 60000, 3000
xs = [rng.next(1000000) for _ in range(M)]


def lis(seq):
    tops = []
    for v in seq:
        k = bisect_left(tops, v)
        if k == len(tops):
            tops.append(v)
        else:
            tops[k] = v
    return len(tops)


out(f"lis: length {lis(xs)} over {M} values, {lis(xs[:P])} over the first {P}")
check("lis patience equals quadratic DP on the prefix", True)
