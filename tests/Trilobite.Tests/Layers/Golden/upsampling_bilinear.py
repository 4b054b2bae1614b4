#!/usr/bin/python3
"""Golden values for UpSampling2D(interpolation="bilinear") from PyTorch's interpolate (align_corners=False: half-pixel
centres, clamped at the edges, which is what Keras's bilinear resize does when upsampling).

Run from this folder: /usr/bin/python3 upsampling_bilinear.py  (writes upsampling_bilinear.json; python3-torch from Debian).
"""
import json
import torch

torch.manual_seed(11)
cases = []
for (h, w, c) in ((1, 1, 1), (2, 3, 2), (5, 4, 3), (3, 7, 1)):
    for (sh, sw) in ((1, 1), (2, 2), (3, 3), (2, 3), (4, 1)):
        x = torch.randn(2, c, h, w, dtype=torch.float64)
        y = torch.nn.functional.interpolate(x, scale_factor=(sh, sw), mode="bilinear", align_corners=False)
        cases.append({
            "input": [h, w, c], "size": [sh, sw],
            "x": [float("%.9g" % v) for v in x.permute(0, 2, 3, 1).reshape(-1).tolist()],
            "y": [float("%.9g" % v) for v in y.permute(0, 2, 3, 1).reshape(-1).tolist()],
        })
with open("upsampling_bilinear.json", "w") as out:
    json.dump({"generator": "upsampling_bilinear.py", "torch": torch.__version__, "cases": cases}, out)
print(len(cases), "cases")
