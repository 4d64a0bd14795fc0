from orus_ref import Rng, check, out
from sort_common import KINDS, is_sorted, make_input, same_multiset


def heap_sort(xs):
    st = dict(sifts=0, comparisons=0, swaps=0)

    def swap(a, b):
        xs[a], xs[b] = xs[b], xs[a]
        st["swaps"] += 1

    def sift_down(start, end):
        st["sifts"] += 1
        root = start
        while 2 * root + 1 < end:
            child = 2 * root + 1
            if child + 1 < end:
                st["comparisons"] += 1
                if xs[child] < xs[child + 1]:
                    child += 1
            st["comparisons"] += 1
            if xs[root] < xs[child]:
                swap(root, child)
                root = child
            else:
                return

    n = len(xs)
    for start in range(n // 2 - 1, -1, -1):
        sift_down(start, n)
    heap_ok = all(xs[(i - 1) // 2] >= xs[i] for i in range(1, n))
    for end in range(n - 1, 0, -1):
        swap(0, end)
        sift_down(0, end)
    return st, heap_ok


out("heap sort")
rng = Rng(2024)
for kind in KINDS:
    original = make_input(kind, rng)
    xs = list(original)
    st, heap_ok = heap_sort(xs)
    out(kind + ":", xs)
    out(f"  sifts={st['sifts']} comparisons={st['comparisons']} swaps={st['swaps']}")
    check(kind + " heap built", heap_ok)
    check(kind + " sorted", is_sorted(xs))
    check(kind + " permutation", same_multiset(original, xs))
