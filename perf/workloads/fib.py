# Recursive Fibonacci: call and return, integer compare, add.
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


N = 33
print(fib(N))
