"""Graph helpers shared by the phase-1 graph references."""

INF = 1000000000


class MinHeap:
    """The fixtures' binary heap of (dist, node) items, same sift rules (ties included)."""

    def __init__(self):
        self.h = []

    def __len__(self):
        return len(self.h)

    def push(self, item):
        h = self.h
        h.append(item)
        i = len(h) - 1
        while i > 0:
            p = (i - 1) // 2
            if h[p][0] <= h[i][0]:
                break
            h[p], h[i] = h[i], h[p]
            i = p

    def pop(self):
        h = self.h
        top = h[0]
        last = h.pop()
        n = len(h)
        if n > 0:
            h[0] = last
            i = 0
            while True:
                l, r, m = 2 * i + 1, 2 * i + 2, i
                if l < n and h[l][0] < h[m][0]:
                    m = l
                if r < n and h[r][0] < h[m][0]:
                    m = r
                if m == i:
                    break
                h[m], h[i] = h[i], h[m]
                i = m
        return top


def bellman_ford_plain(n, edges, source):
    """Textbook Bellman-Ford (edges are (src, dst, w)), stopping early when stable."""
    dist = [INF] * n
    dist[source] = 0
    for _ in range(n - 1):
        changed = False
        for u, v, w in edges:
            if dist[u] != INF and dist[u] + w < dist[v]:
                dist[v] = dist[u] + w
                changed = True
        if not changed:
            break
    return dist
