# Tight integer arithmetic loop: + - * / % ^ & >> on locals.
def kernel(n):
    acc = 1
    total = 0
    for i in range(n):
        acc = (acc * 31 + i) % 1000003
        t = (acc ^ i) & 1023
        total += t - (acc >> 12) + acc // 7
    return total


N = 2500000
print(kernel(N))
