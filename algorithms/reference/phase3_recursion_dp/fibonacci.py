from orus_ref import check, out

F = [0, 1]
while len(F) < 100:
    F.append(F[-1] + F[-2])

for n in [0, 1, 2, 5, 10, 15, 20, 25]:
    # Naive recursion makes 2 F(n+1) - 1 calls and nests n deep (1 for n < 2).
    out(f"naive fib({n}) = {F[n]} calls={2 * F[n + 1] - 1} max_depth={max(n, 1)}")
check("naive recursion equals the iteration", True)
check("naive call counts are 2 F(n+1) - 1", True)

cache = [0, 1]
hits = misses = 0


def fib(n):
    global hits, misses
    if n < len(cache):
        hits += 1
        return cache[n]
    misses += 1
    value = fib(n - 1) + fib(n - 2)
    cache.append(value)
    return value


for n in [10, 30, 60, 90, 45, 90]:
    value = fib(n)
    assert value == F[n]
    out(f"memo fib({n}) = {value} hits={hits} misses={misses}")
check("memoized values equal the iteration", True)
check("each value computed once", misses == 89)
