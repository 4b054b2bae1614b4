#!/usr/bin/python3
"""Golden values for UpSampling2D.ToSize: PyTorch's interpolate(size=..., mode="nearest") on fixed inputs.

Writes resize_nearest.json: cases of NHWC input shape, target size, input values and output values (NHWC).

    /usr/bin/python3 resize_nearest.py
"""
import json
import os

import torch
import torch.nn.functional as F

torch.manual_seed(0)
cases = []
for (h, w, c), (oh, ow) in [((7, 7, 2), (13, 13)), ((13, 25, 1), (25, 50)), ((4, 4, 3), (8, 8)), ((3, 5, 2), (7, 4)),
                             ((5, 5, 1), (5, 5)), ((6, 3, 2), (4, 9)), ((1, 1, 2), (3, 2))]:
    x = torch.randn(2, c, h, w)
    y = F.interpolate(x, size=(oh, ow), mode="nearest")
    cases.append({"input": [h, w, c], "size": [oh, ow],
                  "x": x.permute(0, 2, 3, 1).flatten().tolist(), "y": y.permute(0, 2, 3, 1).flatten().tolist()})

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "resize_nearest.json"), "w") as f:
    json.dump({"torch": torch.__version__, "cases": cases}, f)
print(len(cases), "cases")
