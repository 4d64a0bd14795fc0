from sort_common import run_all


def quick_sort(xs):
    st = dict(calls=0, max_depth=0, comparisons=0, swaps=0)

    def swap(a, b):
        xs[a], xs[b] = xs[b], xs[a]
        st["swaps"] += 1

    def rec(lo, hi, depth):
        st["calls"] += 1
        st["max_depth"] = max(st["max_depth"], depth)
        if lo >= hi:
            return
        swap(lo + (hi - lo) // 2, hi)
        pivot = xs[hi]
        store = lo
        for i in range(lo, hi):
            st["comparisons"] += 1
            if xs[i] < pivot:
                swap(i, store)
                store += 1
        swap(store, hi)
        rec(lo, store - 1, depth + 1)
        rec(store + 1, hi, depth + 1)

    rec(0, len(xs) - 1, 1)
    return st


run_all("quick sort", quick_sort, ["calls", "max_depth", "comparisons", "swaps"])
