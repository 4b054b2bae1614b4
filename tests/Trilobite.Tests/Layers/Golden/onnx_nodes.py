#!/usr/bin/python3
"""ONNX backend node tests (Debian libonnx-testdata) for the layers Trilobite has: ConvTranspose, Upsample, Resize.

Reads /usr/share/libonnx-testdata/data/node/<case>/{model.onnx,test_data_set_0/*.pb} with python3-onnx and writes
onnx_nodes.json: each case's attributes, inputs and expected outputs in ONNX's NCHW layout (the C# test converts).
Cases whose semantics Trilobite cannot express are listed under "skipped" with the reason.

    apt-get install libonnx-testdata python3-onnx && /usr/bin/python3 onnx_nodes.py
"""
import glob
import json
import os

import onnx
from onnx import numpy_helper

ROOT = "/usr/share/libonnx-testdata/data/node"
CASES = [
    "test_convtranspose", "test_convtranspose_1d", "test_convtranspose_autopad_same", "test_convtranspose_dilations",
    "test_convtranspose_kernel_shape", "test_convtranspose_output_shape", "test_convtranspose_pad",
    "test_convtranspose_pads", "test_convtranspose_with_kernel",
    "test_upsample_nearest", "test_resize_upsample_scales_nearest",
]
SKIPPED = {
    "test_convtranspose_3d": "a 3-D (volumetric) transposed convolution: Trilobite has 2-D convolutions only",
}


def attribute(a):
    v = onnx.helper.get_attribute_value(a)
    return v.decode() if isinstance(v, bytes) else list(v) if isinstance(v, (list, tuple)) or hasattr(v, "__len__") else v


def tensor(path):
    a = numpy_helper.to_array(onnx.load_tensor(path))
    return {"shape": list(a.shape), "values": [float(x) for x in a.flatten()]}


cases = []
for name in CASES:
    folder = os.path.join(ROOT, name)
    model = onnx.load(os.path.join(folder, "model.onnx"))
    node = model.graph.node[0]
    cases.append({
        "name": name,
        "op": node.op_type,
        "opset": model.opset_import[0].version,
        "attributes": {a.name: attribute(a) for a in node.attribute},
        "inputs": [tensor(p) for p in sorted(glob.glob(os.path.join(folder, "test_data_set_0", "input_*.pb")))],
        "outputs": [tensor(p) for p in sorted(glob.glob(os.path.join(folder, "test_data_set_0", "output_*.pb")))],
    })

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "onnx_nodes.json"), "w") as f:
    json.dump({"source": "Debian libonnx-testdata " + ROOT, "cases": cases, "skipped": SKIPPED}, f, indent=1)
print(f"{len(cases)} cases, {len(SKIPPED)} skipped")
