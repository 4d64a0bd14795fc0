from sort_common import run_all


def insertion_sort(xs):
    st = dict(passes=0, comparisons=0, shifts=0)
    for i in range(1, len(xs)):
        key = xs[i]
        j = i - 1
        while j >= 0:
            st["comparisons"] += 1
            if xs[j] <= key:
                break
            xs[j + 1] = xs[j]
            st["shifts"] += 1
            j -= 1
        xs[j + 1] = key
        st["passes"] += 1
    return st


run_all("insertion sort", insertion_sort, ["passes", "comparisons", "shifts"])
