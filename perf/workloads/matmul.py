# Nested loops: n x n integer matrix multiply over lists of lists.
def matrix(n, seed):
    m = []
    for i in range(n):
        row = []
        for j in range(n):
            row.append((i * seed + j * 7 + 3) % 10)
        m.append(row)
    return m


def matmul(a, b, n):
    c = []
    for i in range(n):
        ai = a[i]
        row = []
        for j in range(n):
            s = 0
            for k in range(n):
                s += ai[k] * b[k][j]
            row.append(s)
        c.append(row)
    return c


def checksum(n):
    c = matmul(matrix(n, 3), matrix(n, 5), n)
    total = 0
    for i in range(n):
        for j in range(n):
            total += c[i][j] * ((i + 2 * j) % 5 + 1)
    return total


N = 220
print(checksum(N))
