from sort_common import run_all


def bubble_sort(xs):
    st = dict(passes=0, comparisons=0, swaps=0)
    end = len(xs) - 1
    swapped = True
    while swapped:
        swapped = False
        st["passes"] += 1
        for j in range(end):
            st["comparisons"] += 1
            if xs[j] > xs[j + 1]:
                xs[j], xs[j + 1] = xs[j + 1], xs[j]
                st["swaps"] += 1
                swapped = True
        end -= 1
    return st


run_all("bubble sort", bubble_sort, ["passes", "comparisons", "swaps"])
