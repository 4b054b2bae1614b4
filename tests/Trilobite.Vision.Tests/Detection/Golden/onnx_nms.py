#!/usr/bin/python3
"""ONNX's NonMaxSuppression backend node tests (Debian libonnx-testdata) as JSON for Trilobite's NMS.

Reads /usr/share/libonnx-testdata/data/node/test_nonmaxsuppression_*/ with python3-onnx and writes onnx_nms.json:
each case's center_point_box attribute, its inputs (boxes [B, N, 4], scores [B, C, N], max boxes per class, IoU and
score thresholds; absent optional inputs as null) and the expected selected_indices [K, 3] (batch, class, box).

    apt-get install libonnx-testdata python3-onnx && /usr/bin/python3 onnx_nms.py
"""
import glob
import json
import os

import onnx
from onnx import numpy_helper

ROOT = "/usr/share/libonnx-testdata/data/node"
cases = []
for folder in sorted(glob.glob(os.path.join(ROOT, "test_nonmaxsuppression_*"))):
    model = onnx.load(os.path.join(folder, "model.onnx"))
    node = model.graph.node[0]
    names = list(node.input) + [""] * (5 - len(node.input))
    files = sorted(glob.glob(os.path.join(folder, "test_data_set_0", "input_*.pb")))
    given = {}
    for name, path in zip([n for n in names if n], files):
        given[name] = numpy_helper.to_array(onnx.load_tensor(path))
    values = [given.get(n) if n else None for n in names]
    expected = numpy_helper.to_array(onnx.load_tensor(os.path.join(folder, "test_data_set_0", "output_0.pb")))
    attributes = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
    cases.append({
        "name": os.path.basename(folder),
        "center_point_box": int(attributes.get("center_point_box", 0)),
        "boxes": values[0].tolist(), "scores": values[1].tolist(),
        "max_output_boxes_per_class": None if values[2] is None else int(values[2].reshape(-1)[0]),
        "iou_threshold": None if values[3] is None else float(values[3].reshape(-1)[0]),
        "score_threshold": None if values[4] is None else float(values[4].reshape(-1)[0]),
        "selected_indices": expected.tolist(),
    })

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "onnx_nms.json"), "w") as f:
    json.dump({"source": "Debian libonnx-testdata " + ROOT, "cases": cases}, f, indent=1)
print(len(cases), "cases")
