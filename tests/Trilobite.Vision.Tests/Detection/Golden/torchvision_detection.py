#!/usr/bin/python3
"""Golden values for Trilobite.Vision.Detection from torchvision 0.14 (Debian python3-torchvision).

Writes torchvision_detection.json beside this script: box IoU and GIoU, NMS and batched NMS, sigmoid focal loss with
its gradient, the anchors of a 3-level pyramid, BoxCoder encode/decode, and the Matcher, all on fixed inputs.

    apt-get install python3-torchvision && /usr/bin/python3 torchvision_detection.py
"""
import json
import math
import os

import torch
import torchvision
from torchvision.models.detection import _utils as det_utils
from torchvision.models.detection.anchor_utils import AnchorGenerator
from torchvision.models.detection.image_list import ImageList
from torchvision.ops import sigmoid_focal_loss

torch.manual_seed(0)
out = {"torchvision": torchvision.__version__}


def rows(t):
    """Nested lists; NaN (torchvision's IoU when two boxes have no area at all) becomes null."""
    def clean(v):
        return [clean(x) for x in v] if isinstance(v, list) else (None if isinstance(v, float) and math.isnan(v) else v)
    return clean(t.tolist())


def random_boxes(n, size=100.0):
    xy = torch.rand(n, 2) * size
    wh = torch.rand(n, 2) * size / 3
    return torch.cat([xy, xy + wh], 1).double()


# IoU / GIoU: random boxes plus a zero-area box, a duplicate, a disjoint pair and nested boxes.
a = torch.cat([random_boxes(5), torch.tensor([[10., 10., 10., 30.], [0., 0., 20., 20.], [200., 200., 210., 220.]]).double()])
b = torch.cat([random_boxes(4), torch.tensor([[0., 0., 20., 20.], [5., 5., 15., 15.], [50., 60., 50., 60.]]).double()])
out["iou"] = {"a": rows(a), "b": rows(b), "iou": rows(torchvision.ops.box_iou(a, b)),
              "giou": rows(torchvision.ops.generalized_box_iou(a, b))}

# NMS: 40 clustered boxes (many overlaps), several thresholds; batched NMS with 3 classes.
centres = torch.rand(6, 2) * 80
boxes = []
for i in range(40):
    c = centres[i % 6] + torch.randn(2) * 4
    wh = 15 + torch.rand(2) * 10
    boxes.append(torch.cat([c - wh / 2, c + wh / 2]))
boxes = torch.stack(boxes).float()
scores = torch.rand(40)
classes = torch.randint(0, 3, (40,))
out["nms"] = {"boxes": rows(boxes), "scores": rows(scores), "classes": rows(classes),
              "keep": {str(t): rows(torchvision.ops.nms(boxes, scores, t)) for t in (0.3, 0.5, 0.7)},
              "batched_keep_0.5": rows(torchvision.ops.batched_nms(boxes, scores, classes, 0.5))}

# Sigmoid focal loss (alpha 0.25, gamma 2): per element values and d(sum)/d(logits).
logits = (torch.randn(6, 4) * 3).double().requires_grad_()
targets = (torch.rand(6, 4) > 0.7).double()
loss = sigmoid_focal_loss(logits, targets, alpha=0.25, gamma=2, reduction="none")
loss.sum().backward()
out["focal"] = {"logits": rows(logits.detach()), "targets": rows(targets), "loss": rows(loss.detach()),
                "grad": rows(logits.grad)}

# Anchors: a 128×128 image, features of 16, 8 and 4 cells, sizes 32/64/128 with 3 scales each (RetinaNet's 2^(k/3)),
# ratios 0.5, 1, 2.
sizes = tuple(tuple(s * 2 ** (k / 3) for k in range(3)) for s in (32, 64, 128))
ratios = ((0.5, 1.0, 2.0),) * 3
generator = AnchorGenerator(sizes, ratios)
images = ImageList(torch.zeros(1, 1, 128, 128), [(128, 128)])
features = [torch.zeros(1, 1, n, n) for n in (16, 8, 4)]
anchors = generator(images, features)[0]
out["anchors"] = {"image": 128, "features": [16, 8, 4], "sizes": [list(s) for s in sizes], "ratios": [0.5, 1.0, 2.0],
                  "anchors": rows(anchors)}

# Box coder: encode ground truths against anchors, decode deltas (including large ones that hit the clamp).
for name, weights in (("retinanet", (1.0, 1.0, 1.0, 1.0)), ("rcnn", (10.0, 10.0, 5.0, 5.0))):
    coder = det_utils.BoxCoder(weights, bbox_xform_clip=math.log(1000.0 / 16))
    anchors8 = random_boxes(8).float()
    gt8 = random_boxes(8).float()
    deltas = torch.randn(8, 4)
    deltas[0, 2:] = 9.0           # exp(9) is past the clamp at log(1000/16)
    decoded = coder.decode_single(deltas, anchors8)
    out["coder_" + name] = {"weights": list(weights), "anchors": rows(anchors8), "boxes": rows(gt8),
                            "encoded": rows(coder.encode_single(gt8, anchors8)), "deltas": rows(deltas),
                            "decoded": rows(decoded)}

# Matcher (0.5 foreground, 0.4 background, low-quality matches): quality matrix gts × anchors; every gt has some overlap.
gts = torch.tensor([[10., 10., 40., 40.], [50., 50., 90., 80.], [20., 60., 35., 100.], [100., 100., 120., 126.]])
anchor_set = anchors[::7]
quality = torchvision.ops.box_iou(gts, anchor_set)
assert (quality.max(1).values > 0).all()
for low in (False, True):
    matcher = det_utils.Matcher(0.5, 0.4, allow_low_quality_matches=low)
    out["matcher_low_quality" if low else "matcher"] = {"gts": rows(gts), "anchors": rows(anchor_set),
                                                        "matches": rows(matcher(quality))}

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "torchvision_detection.json")
with open(path, "w") as f:
    json.dump(out, f, allow_nan=False)
print("wrote", path)
