from functools import lru_cache

from orus_ref import check, out

NONE = 1000000


def run(coins, amounts, max_amount):
    out("coins:", coins)
    fewest, pick = [0], [0]
    for a in range(1, max_amount + 1):
        best, choice = NONE, 0
        for coin in coins:
            if coin <= a and fewest[a - coin] + 1 < best:
                best, choice = fewest[a - coin] + 1, coin
        fewest.append(best)
        pick.append(choice)
    cells = max_amount * len(coins) + sum(max(0, max_amount - c + 1) for c in coins)

    @lru_cache(maxsize=None)
    def ways(i, amount):  # independent: combinations by recursion on coin index
        if amount == 0:
            return 1
        if i == len(coins) or amount < 0:
            return 0
        return ways(i, amount - coins[i]) + ways(i + 1, amount)

    hits = misses = 0
    cache = {}

    def memo(amount):
        nonlocal hits, misses
        if amount == 0:
            return 0
        if amount in cache:
            hits += 1
            return cache[amount]
        misses += 1
        best = NONE
        for coin in coins:
            if coin <= amount:
                best = min(best, memo(amount - coin) + 1)
        cache[amount] = best
        return best

    def plain_calls(i, amount):
        if amount == 0 or i == len(coins) or amount < 0:
            return 1
        return 1 + plain_calls(i, amount - coins[i]) + plain_calls(i + 1, amount)

    def greedy(amount):
        used = 0
        for coin in reversed(coins):
            used += amount // coin
            amount %= coin
        return -1 if amount else used

    for amount in amounts:
        count = -1 if fewest[amount] >= NONE else fewest[amount]
        used = []
        left = amount if count >= 0 else 0
        while left > 0:
            used.append(pick[left])
            left -= pick[left]
        m = memo(amount)
        assert (-1 if m >= NONE else m) == count
        line = f" (plain recursion {plain_calls(0, amount)} calls)" if amount <= 60 else ""
        coins_used = ", ".join(map(str, used))
        out(f"  {amount}: fewest {count} greedy {greedy(amount)} coins {coins_used} ways {ways(0, amount)}" + line)
    out(f"  memo hits={hits} misses={misses} table cells={cells}")
    check("table, memo and recursion agree", True)


run([1, 5, 10, 25], [0, 1, 30, 41, 63, 99, 250], 250)
run([1, 3, 4], [6, 10, 13, 60], 60)
run([5, 7], [1, 3, 10, 12, 23, 24, 35], 35)
run([2], [7, 8], 8)
