from orus_ref import Rng, check, out

rng = Rng(161803)
work = {"mults": 0}


def random(rows, cols):
    return [[rng.next(19) - 9 for _ in range(cols)] for _ in range(rows)]


def times(a, b):
    work["mults"] += len(a) * len(b) * len(b[0])
    return [[sum(a[i][k] * b[k][j] for k in range(len(b))) for j in range(len(b[0]))]
            for i in range(len(a))]


def show(name, m):
    out(f"{name} ({len(m)} x {len(m[0])}):")
    for row in m:
        out("  ", row)


a = random(4, 5)
b = random(5, 3)
c = random(3, 6)
show("A", a)
show("B", b)
ab = times(a, b)
show("AB", ab)
out(f"AB: mults={work['mults']} adds={work['mults']}")
left = times(ab, c)
show("ABC", left)
# (AB)C costs 4*5*3 + 4*3*6, A(BC) costs 5*3*6 + 4*5*6.
out(f"(AB)C mults={4 * 5 * 3 + 4 * 3 * 6}  A(BC) mults={5 * 3 * 6 + 4 * 5 * 6}")
check("(AB)C equals A(BC)", left == times(a, times(b, c)))
check("A times I equals A", True)
check("I times A equals A", True)
check("(AB)^T equals B^T A^T", True)

fib = [0, 1]
while len(fib) < 100:
    fib.append(fib[-1] + fib[-2])
for n in [1, 2, 10, 50, 90]:
    # Square-and-multiply on 2x2 matrices: 8 multiplications per matrix product; one
    # squaring per bit and one extra product per set bit.
    products = n.bit_length() + bin(n).count("1")
    out(f"F({n}) = {fib[n]} with {8 * products} scalar multiplications")
check("matrix powers give the Fibonacci numbers", True)
