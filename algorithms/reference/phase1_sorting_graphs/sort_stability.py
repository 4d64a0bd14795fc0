from orus_ref import Rng, check, out

rng = Rng(7)
records = [(rng.next(5), i) for i in range(18)]


def render(rs):
    return " ".join(f"{k}:{i}" for k, i in rs)


def insertion_sort(rs):
    c = 0
    for i in range(1, len(rs)):
        r = rs[i]
        j = i - 1
        while j >= 0:
            c += 1
            if rs[j][0] <= r[0]:
                break
            rs[j + 1] = rs[j]
            j -= 1
        rs[j + 1] = r
    return c


def merge_sort(rs):
    c = 0

    def rec(lo, hi):
        nonlocal c
        if hi - lo < 2:
            return
        mid = (lo + hi) // 2
        rec(lo, mid)
        rec(mid, hi)
        i, j, merged = lo, mid, []
        while i < mid and j < hi:
            c += 1
            if rs[i][0] <= rs[j][0]:
                merged.append(rs[i])
                i += 1
            else:
                merged.append(rs[j])
                j += 1
        rs[lo:hi] = merged + rs[i:mid] + rs[j:hi]

    rec(0, len(rs))
    return c


def selection_sort(rs):
    c = 0
    for i in range(len(rs) - 1):
        best = i
        for j in range(i + 1, len(rs)):
            c += 1
            if rs[j][0] < rs[best][0]:
                best = j
        if best != i:
            rs[i], rs[best] = rs[best], rs[i]
    return c


out("input:", render(records))
stable_sorted = sorted(records, key=lambda r: r[0])  # Python's sort is stable
for name, sort, expected_stable in [("insertion", insertion_sort, True),
                                    ("merge", merge_sort, True),
                                    ("selection", selection_sort, False)]:
    rs = list(records)
    c = sort(rs)
    stable = rs == stable_sorted
    out(name + ":", render(rs))
    out(f"  comparisons={c} stable={'true' if stable else 'false'}")
    check(name + " keys sorted", all(rs[i - 1][0] <= rs[i][0] for i in range(1, len(rs))))
    check(name + " same records", sorted(rs) == sorted(records))
    check(name + " stability as expected", stable == expected_stable)
