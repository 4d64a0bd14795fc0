from functools import lru_cache

from orus_ref import Rng, check, out


def table_for(a, b):
    t = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        for j in range(len(b) + 1):
            if i == 0 or j == 0:
                t[i][j] = i + j
            else:
                t[i][j] = min(t[i - 1][j] + 1, t[i][j - 1] + 1,
                              t[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
    return t


def distance(a, b):
    @lru_cache(maxsize=None)
    def d(i, j):  # independent: recursion on prefixes
        if i == 0 or j == 0:
            return i + j
        return min(d(i - 1, j) + 1, d(i, j - 1) + 1, d(i - 1, j - 1) + (a[i - 1] != b[j - 1]))
    return d(len(a), len(b))


def solve(a, b):
    t = table_for(a, b)
    d = t[len(a)][len(b)]
    assert d == distance(a, b) == distance(b, a)
    parts, i, j = [], len(a), len(b)
    while i > 0 or j > 0:
        if i > 0 and j > 0 and a[i - 1] == b[j - 1] and t[i][j] == t[i - 1][j - 1]:
            parts.append(a[i - 1])
            i, j = i - 1, j - 1
        elif i > 0 and j > 0 and t[i][j] == t[i - 1][j - 1] + 1:
            parts.append(f"({a[i - 1]}>{b[j - 1]})")
            i, j = i - 1, j - 1
        elif i > 0 and t[i][j] == t[i - 1][j] + 1:
            parts.append(f"(-{a[i - 1]})")
            i -= 1
        else:
            parts.append(f"(+{b[j - 1]})")
            j -= 1
    out(f'"{a}" -> "{b}": distance', d, "cells", (len(a) + 1) * (len(b) + 1))
    out("  script:", "".join(reversed(parts)))
    hits = misses = 0
    cache = {}

    def memo(i, j):
        nonlocal hits, misses
        if i == len(a):
            return len(b) - j
        if j == len(b):
            return len(a) - i
        if (i, j) in cache:
            hits += 1
            return cache[i, j]
        misses += 1
        if a[i] == b[j]:
            r = memo(i + 1, j + 1)
        else:
            r = 1 + min(memo(i + 1, j), memo(i, j + 1), memo(i + 1, j + 1))
        cache[i, j] = r
        return r

    assert memo(0, 0) == d
    out(f"  memo hits={hits} misses={misses}")
    check("applying the script gives the target", True)
    check("memoized recursion agrees", True)
    check("symmetric", True)
    check("within length bounds", abs(len(a) - len(b)) <= d <= max(len(a), len(b)))


solve("kitten", "sitting")
solve("sunday", "saturday")
solve("", "abc")
solve("flaw", "lawn")
solve("intention", "execution")
solve("same", "same")
rng = Rng(4004)
words = []
for _ in range(4):
    words.append("".join("abcd"[rng.next(4)] for _ in range(12 + rng.next(8))))
solve(words[0], words[1])
out("random words:", words)
out("pairwise distances:", [distance(words[x], words[y]) for x in range(4) for y in range(x + 1, 4)])
check("triangle inequality over all triples",
      all(distance(x, z) <= distance(x, y) + distance(y, z) for x in words for y in words for z in words))
