# Closure calls: closures from a list, one capturing a mutable counter, a higher-order call.
def make_adder(k):
    def add(v):
        return v + k
    return add


def make_counter():
    count = 0

    def next_count():
        nonlocal count
        count += 1
        return count
    return next_count


def apply(f, v):
    return f(v)


def run(n):
    adders = [make_adder(1), make_adder(2), make_adder(3), make_adder(4)]
    counter = make_counter()
    x = 0
    total = 0
    for i in range(n):
        f = adders[i & 3]
        x = apply(f, x) % 100000
        total += x + counter()
    return total


N = 3000000
print(run(N))
