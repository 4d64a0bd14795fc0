# String building: concatenation, integer formatting, length, indexing, equality.
def build(n):
    line = ""
    total = 0
    ones = 0
    for i in range(n):
        line = line + str(i) + ","
        if len(line) > 80:
            total += len(line)
            if line[2] == "1":
                ones += 1
            line = ""
    return total + ones * 1000 + len(line)


N = 3000000
print(build(N))
