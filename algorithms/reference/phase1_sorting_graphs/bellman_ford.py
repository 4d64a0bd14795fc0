import heapq

from graph_common import INF
from orus_ref import Rng, check, out

N = 15
rng = Rng(555)
pot = [rng.next(16) for _ in range(N)]
edges, base = [], []
for _ in range(45):
    u, v, w = rng.next(N), rng.next(N), rng.next(10) + 1
    if u != v:
        edges.append((u, v, w + pot[u] - pot[v]))
        base.append(w)
out("nodes", N, "edges", len(edges), "negative edges", sum(w < 0 for _, _, w in edges))


def bellman_ford(source):
    """Returns (dist, parent, stats, None | vertex relaxed in round N)."""
    st = dict(rounds=0, checks=0, relaxations=0)
    dist, parent = [INF] * N, [-1] * N
    dist[source] = 0
    for rnd in range(N):
        st["rounds"] += 1
        changed = -1
        for i, (u, v, w) in enumerate(edges):
            st["checks"] += 1
            if dist[u] != INF and dist[u] + w < dist[v]:
                dist[v] = dist[u] + w
                parent[v] = i
                st["relaxations"] += 1
                changed = v
        if changed == -1:
            return dist, parent, st, None
        if rnd == N - 1:
            return dist, parent, st, changed
    return dist, parent, st, None


def stats(st):
    return " ".join(f"{k}={v}" for k, v in st.items())


dist, parent, st, cyc = bellman_ford(0)
out("distances:", [-1 if d == INF else d for d in dist])
out(stats(st))
check("no negative cycle reported", cyc is None)

# Independent: plain Dijkstra (heapq) on the non-negative base weights, shifted back.
d2 = [INF] * N
d2[0] = 0
pq = [(0, 0)]
while pq:
    d, u = heapq.heappop(pq)
    if d > d2[u]:
        continue
    for (a, b, _), w in zip(edges, base):
        if a == u and d + w < d2[b]:
            d2[b] = d + w
            heapq.heappush(pq, (d + w, b))
check("distances equal reweighted Dijkstra",
      all((INF if d2[v] == INF else d2[v] + pot[0] - pot[v]) == dist[v] for v in range(N)))

edges += [(3, 8, 4), (8, 12, -9), (12, 3, 3)]
dist, parent, st, cyc = bellman_ford(0)
out(stats(st))
if cyc is None:
    out("FAILED negative cycle not found")
else:
    x = cyc
    for _ in range(N):
        x = edges[parent[x]][0]
    cycle = [x]
    total = edges[parent[x]][2]
    y = edges[parent[x]][0]
    while y != x:
        cycle.append(y)
        total += edges[parent[y]][2]
        y = edges[parent[y]][0]
    out("negative cycle (reversed):", cycle, "weight", total)
    check("cycle weight is negative", total < 0)
