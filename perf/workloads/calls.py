# Many small function calls: three calls per iteration, two of them nested.
def add(a, b):
    return a + b


def mix(x, i):
    return add(x, i) % 65536


def step(x, i):
    return mix(x * 3, i) + 1


def run(n):
    x = 0
    total = 0
    for i in range(n):
        x = step(x, i)
        total += x
    return total


N = 3000000
print(run(N))
