#!/usr/bin/python3
"""Golden values for Conv2DTranspose (Keras semantics) from PyTorch's conv_transpose2d.

Run from this folder: /usr/bin/python3 conv_transpose.py  (writes conv_transpose.json; python3-torch from Debian).

PyTorch computes the full transposed convolution ((n-1)*s + (k-1)*d + 1 per axis); the Keras output size is
keras.src.utils.conv_utils.deconv_output_length, and which rows are kept is TensorFlow's rule (Keras's reference
backend): a transposed convolution is the gradient of the convolution with that output size, whose 'SAME' padding puts
total // 2 before, total = max((n-1)*s + k - out, 0); 'VALID' keeps the rows from 0, zeros past the full result.
Written independently of Trilobite's (JAX-backend) derivation, which the test then has to agree with.
"""
import json
import torch

torch.manual_seed(7)


def output_length(n, k, s, d, same, p):
    k = (k - 1) * d + 1
    if p is None:
        return n * s if same else n * s + max(k - s, 0)
    return (n - 1) * s + k - 2 * (k // 2 if same else 0) + p


def tf_before(n, k, s, d, same, out):
    if not same:
        return 0
    k = (k - 1) * d + 1
    return max((n - 1) * s + k - out, 0) // 2


def values(t):
    return [float("%.9g" % v) for v in t.reshape(-1).tolist()]


def case(h, w, c, f, kh, kw, sh, sw, same, ph, pw, dh=1, dw=1):
    x = torch.randn(2, c, h, w, dtype=torch.float64)
    weight = torch.randn(c, f, kh, kw, dtype=torch.float64)           # torch: (in, out, kh, kw)
    full = torch.nn.functional.conv_transpose2d(x, weight, stride=(sh, sw), dilation=(dh, dw))
    oh, ow = output_length(h, kh, sh, dh, same, ph), output_length(w, kw, sw, dw, same, pw)
    top, left = tf_before(h, kh, sh, dh, same, oh), tf_before(w, kw, sw, dw, same, ow)
    y = torch.zeros(2, f, oh, ow, dtype=torch.float64)
    rows = min(oh, full.shape[2] - top)
    cols = min(ow, full.shape[3] - left)
    y[:, :, :rows, :cols] = full[:, :, top:top + rows, left:left + cols]
    return {
        "input": [h, w, c], "filters": f, "kernel": [kh, kw], "strides": [sh, sw], "dilation": [dh, dw],
        "padding": "same" if same else "valid", "output_padding": None if ph is None else [ph, pw],
        "x": values(x.permute(0, 2, 3, 1)),                # NHWC
        "kernel_values": values(weight.permute(2, 3, 1, 0)),  # Keras: (kh, kw, filters, in)
        "output_shape": [2, oh, ow, f],
        "y": values(y.permute(0, 2, 3, 1)),
    }


cases = []
for s in (1, 2, 3):
    for k in (1, 2, 3, 4, 5):
        for same in (False, True):
            cases.append(case(4, 3, 2, 3, k, k, s, s, same, None, None))
            for p in range(s):                                          # Keras: output_padding < stride
                cases.append(case(3, 4, 2, 2, k, k, s, s, same, p, p))
cases.append(case(5, 4, 3, 2, 3, 2, 2, 1, True, None, None, 2, 1))   # rectangular, dilated
cases.append(case(5, 4, 3, 2, 4, 3, 3, 2, False, 1, 0))
with open("conv_transpose.json", "w") as out:
    json.dump({"generator": "conv_transpose.py", "torch": torch.__version__, "cases": cases}, out)
print(len(cases), "cases")
