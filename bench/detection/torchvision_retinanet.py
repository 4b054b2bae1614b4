#!/usr/bin/python3
"""Calibration: torchvision's RetinaNet with a backbone of the size of Trilobite's, trained on the same exported scenes.

The body is the twin of RetinaNet.Build's backbone (bench/peer/torch_bench.py's RetinaNetTwin stages) under
torchvision's FeaturePyramidNetwork (64 channels, strides 8/16/32), torchvision's RetinaNetHead (4 convs of 64) and
AnchorGenerator with Trilobite's anchors (sizes 12/24/48 x 2^(k/3), ratios 1, 2, 4); Adam 1e-3 with cosine decay,
batch 16; images 128x128x1 scaled to [0, 1]. Prints VOC mAP@0.5 (all-point, the devkit's rules, as Trilobite's) on
the test folder.

    /usr/bin/python3 bench/detection/torchvision_retinanet.py TRAIN_DIR TEST_DIR [--epochs 3] [--limit N]
"""
import argparse
import json
import math
import os
import sys
import time
from collections import OrderedDict

import numpy as np
import torch
import torch.nn as nn
import torchvision
from torchvision.io import ImageReadMode, read_image
from torchvision.models.detection import RetinaNet
from torchvision.models.detection.anchor_utils import AnchorGenerator
from torchvision.models.detection.retinanet import RetinaNetHead
from torchvision.ops import FeaturePyramidNetwork

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "peer"))
from torch_bench import detector_backbone  # noqa: E402  (the twin shared with the speed benchmark)



def load(folder, limit=None):
    root = json.load(open(os.path.join(folder, "instances.json")))
    images = root["images"][:limit] if limit else root["images"]
    boxes = {im["id"]: [] for im in images}
    for a in root["annotations"]:
        if a["image_id"] in boxes:
            x, y, w, h = a["bbox"]
            boxes[a["image_id"]].append((x, y, x + w, y + h, a["category_id"] - 1))
    pixels = torch.stack([read_image(os.path.join(folder, im["file_name"]), ImageReadMode.GRAY).float() / 255 for im in images])
    targets = [{"boxes": torch.tensor([b[:4] for b in boxes[im["id"]]], dtype=torch.float32).reshape(-1, 4),
                "labels": torch.tensor([b[4] for b in boxes[im["id"]]], dtype=torch.int64)} for im in images]
    return pixels, targets


class Body(nn.Module):
    """Trilobite's backbone (stem, five stages of 16-32-64-96-128-160 channels) and a 64-channel FPN on stages 3-5."""

    def __init__(self, width=64):
        super().__init__()

        self.stem, self.stages = detector_backbone()
        self.fpn = FeaturePyramidNetwork([96, 128, 160], width)
        self.out_channels = width

    def forward(self, x):
        x = self.stem(x)
        features = OrderedDict()
        for i, stage in enumerate(self.stages):
            x = stage(x)
            if i >= 2:
                features[str(i - 2)] = x
        return self.fpn(features)


def voc_map(detections, targets, classes):
    """VOC all-point AP per class (devkit rules: argmax ground truth, IoU >= 0.5), mean over classes with ground truth."""
    def iou(a, b):
        iw, ih = min(a[2], b[2]) - max(a[0], b[0]), min(a[3], b[3]) - max(a[1], b[1])
        inter = iw * ih if iw > 0 and ih > 0 else 0.0
        union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
        return inter / union if union > 0 else 0.0
    aps = []
    for c in range(classes):
        gts = [[g for g, l in zip(t["boxes"].tolist(), t["labels"].tolist()) if l == c] for t in targets]
        npos = sum(len(g) for g in gts)
        if npos == 0:
            continue
        dets = [(s, i, b) for i, d in enumerate(detections) for b, s, l in zip(d["boxes"].tolist(), d["scores"].tolist(), d["labels"].tolist()) if l == c]
        dets.sort(key=lambda x: -x[0])
        used = [[False] * len(g) for g in gts]
        tp = []
        for _, i, b in dets:
            ovs = [iou(b, g) for g in gts[i]]
            j = int(np.argmax(ovs)) if ovs else -1
            if j >= 0 and ovs[j] >= 0.5 and not used[i][j]:
                used[i][j] = True
                tp.append(1)
            else:
                tp.append(0)
        tp = np.array(tp, dtype=float)
        ctp = np.cumsum(tp)
        rec = ctp / npos
        prec = ctp / np.arange(1, len(tp) + 1)
        mrec = np.concatenate([[0.0], rec, [1.0]])
        mpre = np.concatenate([[0.0], prec, [0.0]])
        for k in range(len(mpre) - 2, -1, -1):
            mpre[k] = max(mpre[k], mpre[k + 1])
        idx = np.where(mrec[1:] != mrec[:-1])[0]
        aps.append(float(np.sum((mrec[idx + 1] - mrec[idx]) * mpre[idx + 1])))
    return float(np.mean(aps))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("train")
    p.add_argument("test")
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--limit", type=int)
    p.add_argument("--threads", type=int, default=2)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    x, y = load(args.train, args.limit)
    tx, ty = load(args.test)
    sizes = tuple(tuple(s * 2 ** (k / 3) for k in range(3)) for s in (12, 24, 48))
    anchors = AnchorGenerator(sizes, ((1.0, 2.0, 4.0),) * 3)
    model = RetinaNet(Body(), num_classes=10, anchor_generator=anchors, head=RetinaNetHead(64, 9, 10),
                      min_size=128, max_size=128, image_mean=[0.0], image_std=[1.0])
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    batch, steps = 16, math.ceil(len(x) / 16)
    start = time.time()
    for epoch in range(args.epochs):
        for group in optimizer.param_groups:
            group["lr"] = 1e-3 * 0.5 * (1 + math.cos(math.pi * epoch / args.epochs))
        model.train()
        order = torch.randperm(len(x))
        total = 0.0
        for s in range(steps):
            idx = order[s * batch:(s + 1) * batch]
            losses = model(list(x[idx]), [y[i] for i in idx.tolist()])
            loss = losses["classification"] + losses["bbox_regression"]
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item()
        print(f"epoch {epoch + 1}/{args.epochs}: loss {total / steps:.4f} ({time.time() - start:.0f} s)", flush=True)
    model.eval()
    detections = []
    with torch.no_grad():
        for s in range(0, len(tx), 64):
            detections += model(list(tx[s:s + 64]))
    print(f"torchvision {torchvision.__version__} RetinaNet, {len(x)} scenes x {args.epochs} epochs, {time.time() - start:.0f} s")
    print(f"mAP@0.5: {voc_map(detections, ty, 10):.4f}")


if __name__ == "__main__":
    main()
