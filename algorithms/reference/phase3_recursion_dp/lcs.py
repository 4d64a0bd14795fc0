from orus_ref import Rng, check, out


def solve(a, b):
    n, m = len(a), len(b)
    # Independent length: a rolling one-row DP.
    prev = [0] * (m + 1)
    for i in range(1, n + 1):
        cur = [0] * (m + 1)
        for j in range(1, m + 1):
            cur[j] = prev[j - 1] + 1 if a[i - 1] == b[j - 1] else max(prev[j], cur[j - 1])
        prev = cur
    length = prev[m]
    # The fixture's reconstruction (needs the full table and its tie rule).
    t = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            t[i][j] = t[i - 1][j - 1] + 1 if a[i - 1] == b[j - 1] else max(t[i - 1][j], t[i][j - 1])
    rev, i, j = [], n, m
    while i > 0 and j > 0:
        if a[i - 1] == b[j - 1]:
            rev.append(a[i - 1])
            i, j = i - 1, j - 1
        elif t[i - 1][j] >= t[i][j - 1]:
            i -= 1
        else:
            j -= 1
    common = "".join(reversed(rev))
    out(f'lcs("{a}", "{b}") =', length, f'"{common}"', "cells", n * m)

    hits = misses = 0
    cache = {}

    def memo(i, j):
        nonlocal hits, misses
        if i == n or j == m:
            return 0
        if (i, j) in cache:
            hits += 1
            return cache[i, j]
        misses += 1
        r = 1 + memo(i + 1, j + 1) if a[i] == b[j] else max(memo(i + 1, j), memo(i, j + 1))
        cache[i, j] = r
        return r

    assert memo(0, 0) == length
    line = f"  memo hits={hits} misses={misses}"
    if n + m <= 16:
        calls = 0

        def plain(i, j):
            nonlocal calls
            calls += 1
            if i == n or j == m:
                return 0
            if a[i] == b[j]:
                return 1 + plain(i + 1, j + 1)
            return max(plain(i + 1, j), plain(i, j + 1))

        assert plain(0, 0) == length
        line += f" plain calls={calls}"
    out(line)
    check("methods agree on the length", True)

    def subseq(s, of):
        it = iter(of)
        return all(ch in it for ch in s)

    check("reconstruction is a common subsequence of that length",
          len(common) == length and subseq(common, a) and subseq(common, b))


solve("ABCBDAB", "BDCABA")
solve("AGGTAB", "GXTXAYB")
solve("", "ABC")
solve("SAME", "SAME")
solve("ABC", "XYZ")
rng = Rng(1953)
x = "".join("ACGT"[rng.next(4)] for _ in range(34))
y = "".join("ACGT"[rng.next(4)] for _ in range(29))
solve(x, y)
