from graph_common import INF, bellman_ford_plain
from orus_ref import Rng, check, out

N = 10
rng = Rng(8080)
pot = [rng.next(12) for _ in range(N)]
edges = []
for _ in range(32):
    u, v, w = rng.next(N), rng.next(N), rng.next(9) + 1
    if u != v:
        edges.append((u, v, w + pot[u] - pot[v]))
out("nodes", N, "edges", len(edges))


def floyd_warshall():
    steps = improvements = 0
    dist = [[INF] * N for _ in range(N)]
    nxt = [[-1] * N for _ in range(N)]
    for i in range(N):
        dist[i][i] = 0
        nxt[i][i] = i
    for u, v, w in edges:
        if w < dist[u][v]:
            dist[u][v] = w
            nxt[u][v] = v
    for k in range(N):
        for i in range(N):
            dik = dist[i][k]  # read once per row, as the Orus program does
            if dik == INF:
                continue
            for j in range(N):
                steps += 1
                if dist[k][j] != INF and dik + dist[k][j] < dist[i][j]:
                    dist[i][j] = dik + dist[k][j]
                    nxt[i][j] = nxt[i][k]
                    improvements += 1
    return dist, nxt, steps, improvements


dist, nxt, steps, improvements = floyd_warshall()
for row in dist:
    out("".join(("inf" if d == INF else str(d)).rjust(4) for d in row))
out(f"steps={steps} improvements={improvements}")
check("every row equals Bellman-Ford",
      all(bellman_ford_plain(N, edges, s) == dist[s] for s in range(N)))
paths_ok = True
longest = []
for i in range(N):
    for j in range(N):
        if dist[i][j] != INF:
            path, total, at = [i], 0, i
            while at != j:
                nx = nxt[at][j]
                total += min(w for u, v, w in edges if u == at and v == nx)
                at = nx
                path.append(at)
            paths_ok &= total == dist[i][j]
            if len(path) > len(longest):
                longest = path
check("reconstructed paths have the shortest weights", paths_ok)
out("longest shortest path (by hops):", longest)

edges += [(2, 6, -30), (6, 2, 5)]
dist, nxt, steps, improvements = floyd_warshall()
on_cycle = [i for i in range(N) if dist[i][i] < 0]
out(f"with a negative cycle: steps={steps} improvements={improvements}")
out("vertices with negative diagonal:", on_cycle)
check("negative cycle detected", len(on_cycle) > 0)
