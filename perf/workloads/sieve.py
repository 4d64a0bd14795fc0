# Sieve of Eratosthenes over a bool list; prints the number of primes up to N.
def sieve(n):
    flags = []
    for i in range(n + 1):
        flags.append(True)
    count = 0
    for i in range(2, n + 1):
        if flags[i]:
            count += 1
            if i <= n // i:
                for j in range(i * i, n + 1, i):
                    flags[j] = False
    return count


N = 5000000
print(sieve(N))
