from sort_common import run_all


def counting_sort(xs):
    st = dict(buckets=0, reads=0, writes=0)
    if not xs:
        return st
    st["reads"] += 2 * len(xs)
    lo, hi = min(xs), max(xs)
    st["buckets"] = hi - lo + 1
    counts = [0] * st["buckets"]
    for x in xs:
        counts[x - lo] += 1
    xs[:] = [b + lo for b in range(st["buckets"]) for _ in range(counts[b])]
    st["writes"] = len(xs)
    return st


run_all("counting sort", counting_sort, ["buckets", "reads", "writes"])
