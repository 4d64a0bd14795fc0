from sort_common import run_all


def merge_sort(xs):
    st = dict(calls=0, max_depth=0, comparisons=0, writes=0)

    def rec(lo, hi, depth):
        st["calls"] += 1
        st["max_depth"] = max(st["max_depth"], depth)
        if hi - lo < 2:
            return
        mid = (lo + hi) // 2
        rec(lo, mid, depth + 1)
        rec(mid, hi, depth + 1)
        left, right = xs[lo:mid], xs[mid:hi]
        merged = []
        i = j = 0
        while i < len(left) and j < len(right):
            st["comparisons"] += 1
            if left[i] <= right[j]:
                merged.append(left[i])
                i += 1
            else:
                merged.append(right[j])
                j += 1
        merged += left[i:] + right[j:]
        xs[lo:hi] = merged
        st["writes"] += hi - lo

    rec(0, len(xs), 1)
    return st


run_all("merge sort", merge_sort, ["calls", "max_depth", "comparisons", "writes"])
