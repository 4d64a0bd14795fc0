# f64 kernel: Mandelbrot set on an N x N grid; prints the total iteration count.
def mandel(size):
    total = 0
    fsize = float(size)
    for py in range(size):
        ci = float(py) * 2.0 / fsize - 1.0
        for px in range(size):
            cr = float(px) * 2.5 / fsize - 2.0
            zr = 0.0
            zi = 0.0
            it = 0
            while it < 50 and zr * zr + zi * zi <= 4.0:
                t = zr * zr - zi * zi + cr
                zi = 2.0 * zr * zi + ci
                zr = t
                it += 1
            total += it
    return total


N = 450
print(mandel(N))
