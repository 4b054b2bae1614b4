"""Exports torchvision's ResNet-18 (random weights, seed 0, eval mode) with torch.onnx.export, and writes a real input
and PyTorch's output beside it as .npy, for Trilobite's import test (tests/Trilobite.Onnx.Tests/Import/TorchExportTests.cs).

    /usr/bin/python3 torchvision_resnet18.py OUT_DIR [OPSET]

Writes OUT_DIR/resnet18.onnx, OUT_DIR/input.npy (N, 3, 224, 224) and OUT_DIR/output.npy (N, 1000)."""
import sys

import numpy as np
import torch
import torchvision

out = sys.argv[1]
opset = int(sys.argv[2]) if len(sys.argv) > 2 else 13
torch.manual_seed(0)
model = torchvision.models.resnet18(weights=None, num_classes=1000).eval()
# Non-trivial BatchNorm statistics, so folding or importing them is tested.
with torch.no_grad():
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.uniform_(-0.2, 0.2)
            m.running_var.uniform_(0.5, 2.0)
            m.weight.uniform_(0.5, 1.5)
            m.bias.uniform_(-0.2, 0.2)
x = torch.rand(3, 3, 224, 224, generator=torch.Generator().manual_seed(1))
with torch.no_grad():
    y = model(x)
torch.onnx.export(model, x, f"{out}/resnet18.onnx", opset_version=opset, input_names=["input"], output_names=["logits"],
                  dynamic_axes={"input": {0: "N"}, "logits": {0: "N"}})
np.save(f"{out}/input.npy", x.numpy())
np.save(f"{out}/output.npy", y.numpy())
