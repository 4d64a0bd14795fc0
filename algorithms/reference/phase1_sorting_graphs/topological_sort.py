from functools import lru_cache

from orus_ref import Rng, check, out

N = 12
rng = Rng(4242)
perm = list(range(N))
for i in range(N - 1, 0, -1):
    j = rng.next(i + 1)
    perm[i], perm[j] = perm[j], perm[i]
adj = [[] for _ in range(N)]
m = 0
for _ in range(30):
    a, b = rng.next(N), rng.next(N)
    if a < b:
        adj[perm[a]].append(perm[b])
        m += 1
out("hidden order:", perm)
out("edges:", m)

st = dict(dequeued=0, decrements=0, calls=0)


def kahn():
    indeg = [0] * N
    for u in range(N):
        for v in adj[u]:
            indeg[v] += 1
    order = [v for v in range(N) if indeg[v] == 0]
    head = 0
    while head < len(order):
        u = order[head]
        head += 1
        st["dequeued"] += 1
        for v in adj[u]:
            indeg[v] -= 1
            st["decrements"] += 1
            if indeg[v] == 0:
                order.append(v)
    return order


def dfs_order():
    state = [0] * N
    post = []
    cyclic = False

    def visit(u):
        nonlocal cyclic
        st["calls"] += 1
        state[u] = 1
        for v in adj[u]:
            if state[v] == 1:
                cyclic = True
            elif state[v] == 0:
                visit(v)
        state[u] = 2
        post.append(u)

    for v in range(N):
        if state[v] == 0:
            visit(v)
    return [] if cyclic else post[::-1]


def respects(order):
    if sorted(order) != list(range(N)):
        return False
    pos = {v: i for i, v in enumerate(order)}
    return all(pos[u] < pos[v] for u in range(N) for v in adj[u])


k_order = kahn()
out("kahn:", k_order)
out(f"  dequeued={st['dequeued']} decrements={st['decrements']}")
check("kahn order respects every edge", respects(k_order))
d_order = dfs_order()
out("dfs:", d_order)
out(f"  calls={st['calls']}")
check("dfs order respects every edge", respects(d_order))

preds = [0] * N
for u in range(N):
    for v in adj[u]:
        preds[v] |= 1 << u
full = (1 << N) - 1
ways = [0] * (full + 1)
ways[0] = 1
transitions = 0
for mask in range(full):
    if ways[mask] == 0:
        continue
    for v in range(N):
        bit = 1 << v
        if mask & bit == 0 and preds[v] & mask == preds[v]:
            ways[mask | bit] += ways[mask]
            transitions += 1


@lru_cache(maxsize=None)
def count_orders(remaining):
    # Independent count: choose any vertex of `remaining` with no predecessor in it.
    if not remaining:
        return 1
    return sum(count_orders(remaining - {v}) for v in remaining
               if not any(v in adj[u] for u in remaining))


assert ways[full] == count_orders(frozenset(range(N)))
out("topological orders:", ways[full], "transitions:", transitions)
check("both orders counted among at least two", ways[full] >= 2)


@lru_cache(maxsize=None)
def longest_from(u):
    return max((longest_from(v) + 1 for v in adj[u]), default=0)


out("longest path edges:", max(longest_from(v) for v in range(N)))
check("longest path agrees with memoized recursion", True)

last, first = d_order[-1], d_order[0]
adj[last].append(first)
cyc_k = kahn()
cyc_d = dfs_order()
out(f"with edge {last} -> {first}: kahn placed {len(cyc_k)} of {N} vertices")
seen = {first}
stack = [first]
while stack:
    u = stack.pop()
    for v in adj[u]:
        if v not in seen:
            seen.add(v)
            stack.append(v)
reaches = last in seen
check("cycle reported by kahn exactly when first reaches last", (len(cyc_k) < N) == reaches)
check("cycle reported by dfs exactly when first reaches last", (len(cyc_d) == 0) == reaches)

u0 = k_order[0]
v0 = adj[u0][0]
adj[v0].append(u0)
out(f"with edge {v0} -> {u0}: kahn placed {len(kahn())} of {N} vertices")
check("dfs reports the two-vertex cycle", len(dfs_order()) == 0)
