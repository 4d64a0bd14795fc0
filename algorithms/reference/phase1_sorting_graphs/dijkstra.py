from graph_common import INF, MinHeap, bellman_ford_plain
from orus_ref import Rng, check, out

N = 24
rng = Rng(1234)
edges = []
adj = [[] for _ in range(N)]
for _ in range(70):
    u, v, w = rng.next(N), rng.next(N), rng.next(20) + 1
    if u != v:
        adj[u].append(len(edges))
        edges.append((u, v, w))
out("nodes", N, "edges", len(edges))

for source in [0, 7]:
    st = dict(pushes=0, pops=0, stale=0, scanned=0, relaxed=0)
    dist = [INF] * N
    parent = [-1] * N
    dist[source] = 0
    heap = MinHeap()
    heap.push((0, source))
    st["pushes"] += 1
    while len(heap):
        d, u = heap.pop()
        st["pops"] += 1
        if d > dist[u]:
            st["stale"] += 1
            continue
        for e in adj[u]:
            st["scanned"] += 1
            _, v, w = edges[e]
            if d + w < dist[v]:
                dist[v] = d + w
                parent[v] = e
                heap.push((d + w, v))
                st["pushes"] += 1
                st["relaxed"] += 1
    out("source", source, "distances:", [-1 if d == INF else d for d in dist])
    out("  " + " ".join(f"{k}={v}" for k, v in st.items()))
    paths_ok = True
    for target in [5, 11, 23]:
        if dist[target] == INF:
            out("  to", target, "unreachable")
            continue
        path, total, at = [target], 0, target
        while at != source:
            u, _, w = edges[parent[at]]
            total += w
            at = u
            path.append(at)
        out("  to", target, "cost", dist[target], "path", path[::-1])
        paths_ok &= total == dist[target]
    check("path weights add up to the distances", paths_ok)
    check("distances equal Bellman-Ford", bellman_ford_plain(N, edges, source) == dist)
    check("no edge can improve a distance",
          all(dist[u] == INF or dist[u] + w >= dist[v] for u, v, w in edges))
