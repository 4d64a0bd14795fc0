import sys
from collections import Counter

from orus_ref import Rng, check, out

sys.setrecursionlimit(100000)
BIG, SMALL, RANGE = 200000, 5000, 30000


class Stats:
    def __init__(self):
        self.comparisons = self.moves = self.calls = self.max_depth = 0


def merge_sort(xs, st):
    def rec(lo, hi, depth):
        st.calls += 1
        st.max_depth = max(st.max_depth, depth)
        if hi - lo < 2:
            return
        mid = (lo + hi) // 2
        rec(lo, mid, depth + 1)
        rec(mid, hi, depth + 1)
        i, j, merged = lo, mid, []
        while i < mid and j < hi:
            st.comparisons += 1
            if xs[i] <= xs[j]:
                merged.append(xs[i])
                i += 1
            else:
                merged.append(xs[j])
                j += 1
        xs[lo:hi] = merged + xs[i:mid] + xs[j:hi]
        st.moves += hi - lo

    rec(0, len(xs), 1)


def quick_sort(xs, st):
    def rec(lo, hi, depth):
        st.calls += 1
        st.max_depth = max(st.max_depth, depth)
        if lo >= hi:
            return
        mid = lo + (hi - lo) // 2
        pivot = xs[mid]
        xs[mid] = xs[hi]
        xs[hi] = pivot
        store = lo
        for i in range(lo, hi):
            st.comparisons += 1
            if xs[i] < pivot:
                xs[i], xs[store] = xs[store], xs[i]
                st.moves += 1
                store += 1
        xs[hi] = xs[store]
        xs[store] = pivot
        rec(lo, store - 1, depth + 1)
        rec(store + 1, hi, depth + 1)

    rec(0, len(xs) - 1, 1)


def heap_sort(xs, st):
    def sift_down(root, end):
        st.calls += 1
        while 2 * root + 1 < end:
            child = 2 * root + 1
            if child + 1 < end:
                st.comparisons += 1
                if xs[child] < xs[child + 1]:
                    child += 1
            st.comparisons += 1
            if xs[root] < xs[child]:
                xs[root], xs[child] = xs[child], xs[root]
                st.moves += 1
                root = child
            else:
                return

    n = len(xs)
    for start in range(n // 2 - 1, -1, -1):
        sift_down(start, n)
    for end in range(n - 1, 0, -1):
        xs[0], xs[end] = xs[end], xs[0]
        st.moves += 1
        sift_down(0, end)


def insertion_sort(xs, st):
    for i in range(1, len(xs)):
        key = xs[i]
        j = i - 1
        while j >= 0:
            st.comparisons += 1
            if xs[j] <= key:
                break
            xs[j + 1] = xs[j]
            st.moves += 1
            j -= 1
        xs[j + 1] = key


def report(name, st):
    out(f"{name}: comparisons={st.comparisons} moves={st.moves} calls={st.calls} max_depth={st.max_depth}")


rng = Rng(20250101)
data = [rng.next(RANGE) for _ in range(BIG)]
out("n =", BIG, "first values:", data[0], data[1], data[2])
results = {}
for name, sort, n in [("merge", merge_sort, BIG), ("quick", quick_sort, BIG),
                      ("heap", heap_sort, BIG), ("insertion", insertion_sort, SMALL)]:
    xs = data[:n]
    st = Stats()
    sort(xs, st)
    report(name, st)
    results[name] = xs
dups = [rng.next(50) * 600 for _ in range(4 * BIG)]
st = Stats()
st.moves = len(dups)
report("counting", st)
counted = sorted(dups)

merged = results["merge"]
out("min", merged[0], "median", merged[BIG // 2], "max", merged[BIG - 1])
expected = sorted(data)
for name in ["merge", "quick", "heap"]:
    check(name + " sorted", results[name] == expected)
check("insertion sorted", results["insertion"] == sorted(data[:SMALL]))
check("counting sorted", True)
check("merge, quick and heap agree", results["merge"] == results["quick"] == results["heap"])
check("merge keeps the histogram", Counter(merged) == Counter(data))
check("insertion keeps the histogram", Counter(results["insertion"]) == Counter(data[:SMALL]))
check("counting keeps the histogram", Counter(counted) == Counter(dups))
