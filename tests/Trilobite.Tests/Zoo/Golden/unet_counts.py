#!/usr/bin/python3
"""Parameter counts of the U-Nets, computed from the architecture's description, not from Trilobite's code.

Run: /usr/bin/python3 unet_counts.py. Conv k×k from a to b channels: k·k·a·b weights (+ b biases); a transposed 2×2
convolution likewise; BatchNormalization: 4 per channel (γ, β and the two moving statistics, all in Keras's total).
"""


def conv(k, a, b, bias=True):
    return k * k * a * b + (b if bias else 0)


def paper(channels=1, classes=2):
    total, a = 0, channels
    for f in (64, 128, 256, 512, 1024):          # contracting path and bottom: two 3×3 convolutions each
        total += conv(3, a, f) + conv(3, f, f)
        a = f
    for f in (512, 256, 128, 64):                # expanding path: up-conv 2×2 halving, concat (2f), two 3×3
        total += conv(2, a, f) + conv(3, 2 * f, f) + conv(3, f, f)
        a = f
    return total + conv(1, 64, classes)


def default(channels, classes, base, depth, bilinear=False):
    total, a = 0, channels
    filters = [base * 2 ** i for i in range(depth + 1)]
    for f in filters:                            # each level and the bottom: (conv without bias, BN) × 2
        total += conv(3, a, f, bias=False) + 4 * f + conv(3, f, f, bias=False) + 4 * f
        a = f
    for f in reversed(filters[:-1]):
        total += conv(3, a, f) if bilinear else conv(2, a, f)
        total += conv(3, 2 * f, f, bias=False) + 4 * f + conv(3, f, f, bias=False) + 4 * f
        a = f
    return total + conv(1, base, classes)


print("paper(1, 2) =", paper())
print("default(128x128x1, 11 classes, base 16, depth 4) =", default(1, 11, 16, 4))
print("default(128x128x1, 11 classes, base 16, depth 4, bilinear) =", default(1, 11, 16, 4, True))
print("default(64x64x3, 1 class, base 8, depth 3) =", default(3, 1, 8, 3))
