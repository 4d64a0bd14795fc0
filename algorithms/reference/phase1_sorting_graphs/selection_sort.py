from sort_common import run_all


def selection_sort(xs):
    st = dict(passes=0, comparisons=0, swaps=0)
    n = len(xs)
    for i in range(n - 1):
        st["passes"] += 1
        best = i
        for j in range(i + 1, n):
            st["comparisons"] += 1
            if xs[j] < xs[best]:
                best = j
        if best != i:
            xs[i], xs[best] = xs[best], xs[i]
            st["swaps"] += 1
    return st


run_all("selection sort", selection_sort, ["passes", "comparisons", "swaps"])
