import sys

from orus_ref import Rng, check, out

sys.setrecursionlimit(10000)
N = 16
rng = Rng(31)
adj = [[] for _ in range(N)]
uf = list(range(N))


def find(x):
    while uf[x] != x:
        x = uf[x]
    return x


for _ in range(13):
    u, v = rng.next(N), rng.next(N)
    adj[u].append(v)
    adj[v].append(u)
    a, b = find(u), find(v)
    if a != b:
        uf[a] = b

disc, fin, comp, parent = [-1] * N, [-1] * N, [-1] * N, [-1] * N
st = dict(clock=0, calls=0, depth=0, max_depth=0, examined=0)


def dfs(u, label):
    st["calls"] += 1
    st["depth"] += 1
    st["max_depth"] = max(st["max_depth"], st["depth"])
    disc[u] = st["clock"]
    st["clock"] += 1
    comp[u] = label
    for v in adj[u]:
        st["examined"] += 1
        if comp[v] == -1:
            parent[v] = u
            dfs(v, label)
    fin[u] = st["clock"]
    st["clock"] += 1
    st["depth"] -= 1


components = 0
for v in range(N):
    if comp[v] == -1:
        dfs(v, components)
        components += 1
out("components:", components)
for c in range(components):
    out(f"  component {c}:", [v for v in range(N) if comp[v] == c])
out("discovery:", disc)
out("finish:", fin)
out(f"calls={st['calls']} max_depth={st['max_depth']} examined={st['examined']}")
check("components agree with union-find",
      all((comp[u] == comp[v]) == (find(u) == find(v)) for u in range(N) for v in range(N)))
check("tree intervals nest", all(parent[v] == -1 or (disc[parent[v]] < disc[v] and fin[v] < fin[parent[v]])
                                 for v in range(N)))

seen = [False] * N
same_sets = True
peak = 0
for root in range(N):
    if not seen[root]:
        stack = [root]
        seen[root] = True
        while stack:
            peak = max(peak, len(stack))
            u = stack.pop()
            same_sets &= comp[u] == comp[root]
            for v in adj[u]:
                if not seen[v]:
                    seen[v] = True
                    stack.append(v)
out("iterative peak stack:", peak)
check("iterative DFS reaches the same components", same_sets)

UNSEEN, ACTIVE, DONE = 0, 1, 2


def find_cycle(g, n):
    state = [UNSEEN] * n
    path, cycle = [], []

    def visit(u):
        state[u] = ACTIVE
        path.append(u)
        for v in g[u]:
            if state[v] == ACTIVE:
                cycle.extend(path[path.index(v):])
                return True
            if state[v] == UNSEEN and visit(v):
                return True
        state[u] = DONE
        path.pop()
        return False

    for v in range(n):
        if state[v] == UNSEEN and visit(v):
            return cycle
    return cycle


def kahn_count(g, n):
    indeg = [0] * n
    for u in range(n):
        for v in g[u]:
            indeg[v] += 1
    queue = [v for v in range(n) if indeg[v] == 0]
    for u in queue:
        for v in g[u]:
            indeg[v] -= 1
            if indeg[v] == 0:
                queue.append(v)
    return len(queue)


M = 10
for trial in range(3):
    g = [[] for _ in range(M)]
    for _ in range(14):
        u, v = rng.next(M), rng.next(M)
        if u != v and (trial > 0 or u < v):
            g[u].append(v)
    cycle = find_cycle(g, M)
    out("digraph", trial, "cycle:", cycle)
    if not cycle:
        check("acyclic verdict agrees with Kahn", kahn_count(g, M) == M)
    else:
        check("cycle edges exist",
              all(cycle[(k + 1) % len(cycle)] in g[cycle[k]] for k in range(len(cycle))))
        check("Kahn also finds a cycle", kahn_count(g, M) < M)
