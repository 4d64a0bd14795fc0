# Array sort: a hand-written recursive quicksort of pseudo-random integers.
def qsort(a, lo, hi):
    if lo >= hi:
        return
    pivot = a[(lo + hi) // 2]
    i = lo
    j = hi
    while i <= j:
        while a[i] < pivot:
            i += 1
        while a[j] > pivot:
            j -= 1
        if i <= j:
            t = a[i]
            a[i] = a[j]
            a[j] = t
            i += 1
            j -= 1
    qsort(a, lo, j)
    qsort(a, i, hi)


def run(n):
    a = []
    seed = 42
    for i in range(n):
        seed = (seed * 1103515245 + 12345) % 2147483648
        a.append(seed % 1000000)
    qsort(a, 0, n - 1)
    total = 0
    for i in range(n):
        total += a[i] * (i % 10 + 1)
        if i > 0 and a[i - 1] > a[i]:
            return -1
    return total


N = 300000
print(run(N))
