from itertools import combinations

from orus_ref import Rng, check, out


def solve(items, capacity):
    n = len(items)
    st = dict(calls=0, max_depth=0, hits=0, misses=0)

    def plain(i, cap, depth):
        st["calls"] += 1
        st["max_depth"] = max(st["max_depth"], depth)
        if i == n:
            return 0
        best = plain(i + 1, cap, depth + 1)
        if items[i][0] <= cap:
            best = max(best, items[i][1] + plain(i + 1, cap - items[i][0], depth + 1))
        return best

    cache = {}

    def memo(i, cap):
        if i == n:
            return 0
        if (i, cap) in cache:
            st["hits"] += 1
            return cache[i, cap]
        st["misses"] += 1
        best = memo(i + 1, cap)
        if items[i][0] <= cap:
            best = max(best, items[i][1] + memo(i + 1, cap - items[i][0]))
        cache[i, cap] = best
        return best

    v1 = plain(0, capacity, 1)
    out(f"  recursion: best={v1} calls={st['calls']} max_depth={st['max_depth']}")
    v2 = memo(0, capacity)
    out(f"  memoized: best={v2} hits={st['hits']} misses={st['misses']}")
    table = [[0] * (capacity + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        w_i, v_i = items[i - 1]
        for w in range(capacity + 1):
            table[i][w] = table[i - 1][w]
            if w_i <= w:
                table[i][w] = max(table[i][w], table[i - 1][w - w_i] + v_i)
    chosen, w = [], capacity
    for i in range(n, 0, -1):
        if table[i][w] != table[i - 1][w]:
            chosen.append(i - 1)
            w -= items[i - 1][0]
    weight = sum(items[k][0] for k in chosen)
    brute = max(sum(items[k][1] for k in subset)
                for r in range(n + 1) for subset in combinations(range(n), r)
                if sum(items[k][0] for k in subset) <= capacity)
    assert v1 == v2 == table[n][capacity] == brute
    out(f"  table: best={brute} cells={(n + 1) * (capacity + 1)} chosen={', '.join(map(str, chosen))} weight={weight}")
    check("three methods agree", True)
    check("optimum equals subset enumeration", True)
    check("chosen items fit and add up", weight <= capacity and sum(items[k][1] for k in chosen) == brute)


rng = Rng(60221)
for trial in range(3):
    n = 8 + 3 * trial
    items = []
    for _ in range(n):
        w = rng.next(15) + 1
        items.append((w, rng.next(40) + 1))
    capacity = sum(w for w, _ in items) // 3
    out("items (weight/value):" + "".join(f" {w}/{v}" for w, v in items) + ", capacity", capacity)
    solve(items, capacity)
out("no items, capacity 10")
solve([], 10)
