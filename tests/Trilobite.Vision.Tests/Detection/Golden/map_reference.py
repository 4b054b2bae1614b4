#!/usr/bin/python3
"""A second, independent mAP implementation for Trilobite's VOC and COCO evaluators, in numpy.

VOC follows the devkit's VOCevaldet.m (per class, detections by decreasing confidence, argmax ground truth, difficult
ones neither counted nor missed, ovmax >= 0.5, all-point and 11-point AP); COCO follows pycocotools' COCOeval
(evaluateImg + accumulate + summarize, area range "all", maxDets 1/10/100), written from its published code because
pycocotools is not packaged in Debian. Writes map_cases.json: hand-made cases and seeded random ones with the expected
numbers.

    /usr/bin/python3 map_reference.py
"""
import json
import os

import numpy as np


def iou(a, b):
    """IoU of boxes [x1, y1, x2, y2] (continuous coordinates), 0 when the union is empty."""
    iw = min(a[2], b[2]) - max(a[0], b[0])
    ih = min(a[3], b[3]) - max(a[1], b[1])
    inter = iw * ih if iw > 0 and ih > 0 else 0.0
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def voc_ap(images, classes, eleven):
    aps = []
    for c in range(classes):
        gts = {i: [g for g in im["truth"] if g["label"] == c] for i, im in enumerate(images)}
        npos = sum(1 for i in gts for g in gts[i] if not g["difficult"])
        if npos == 0:
            aps.append(None)
            continue
        dets = [(d["score"], i, d["box"]) for i, im in enumerate(images) for d in im["detections"] if d["label"] == c]
        order = sorted(range(len(dets)), key=lambda k: -dets[k][0])       # stable: ties keep their order
        used = {i: [False] * len(gts[i]) for i in gts}
        tp, fp = [], []
        for k in order:
            _, i, box = dets[k]
            ovs = [iou(box, g["box"]) for g in gts[i]]
            if ovs and max(ovs) >= 0.5:
                j = int(np.argmax(ovs))
                if gts[i][j]["difficult"]:
                    continue
                if not used[i][j]:
                    used[i][j] = True
                    tp.append(1); fp.append(0)
                else:
                    tp.append(0); fp.append(1)
            else:
                tp.append(0); fp.append(1)
        tp, fp = np.cumsum(tp), np.cumsum(fp)
        rec = tp / npos if len(tp) else np.array([])
        prec = tp / np.maximum(tp + fp, 1e-300) if len(tp) else np.array([])
        if eleven:
            ap = 0.0
            for t in np.arange(0, 1.1, 0.1):
                p = prec[rec >= t].max() if np.any(rec >= t) else 0.0
                ap += p / 11
        else:
            mrec = np.concatenate([[0.0], rec, [1.0]])
            mpre = np.concatenate([[0.0], prec, [0.0]])
            for i in range(len(mpre) - 2, -1, -1):
                mpre[i] = max(mpre[i], mpre[i + 1])
            idx = np.where(mrec[1:] != mrec[:-1])[0]
            ap = float(np.sum((mrec[idx + 1] - mrec[idx]) * mpre[idx + 1]))
        aps.append(float(ap))
    present = [a for a in aps if a is not None]
    return (float(np.mean(present)) if present else None), aps


def coco(images, classes):
    iou_thrs = np.linspace(0.5, 0.95, int(np.round((0.95 - 0.5) / 0.05)) + 1, endpoint=True)
    rec_thrs = np.linspace(0.0, 1.00, int(np.round((1.00 - 0.0) / 0.01)) + 1, endpoint=True)
    max_dets = [1, 10, 100]
    T, R, K, M = len(iou_thrs), len(rec_thrs), classes, len(max_dets)
    precision = -np.ones((T, R, K, M))
    recall = -np.ones((T, K, M))

    def evaluate_img(im, c):
        gt = [g for g in im["truth"] if g["label"] == c]
        dt = [d for d in im["detections"] if d["label"] == c]
        if not gt and not dt:
            return None
        ignore = np.array([1 if g["difficult"] else 0 for g in gt])
        gtind = np.argsort(ignore, kind="mergesort")
        gt = [gt[i] for i in gtind]
        dtind = np.argsort([-d["score"] for d in dt], kind="mergesort")
        dt = [dt[i] for i in dtind[:max_dets[-1]]]
        ious = np.array([[iou(d["box"], g["box"]) for g in gt] for d in dt]) if gt and dt else np.zeros((len(dt), len(gt)))
        gt_ig = np.array([1 if g["difficult"] else 0 for g in gt])
        gtm = np.zeros((T, len(gt)))
        dtm = np.zeros((T, len(dt)))
        dt_ig = np.zeros((T, len(dt)))
        for tind, t in enumerate(iou_thrs):
            for dind in range(len(dt)):
                best = min([t, 1 - 1e-10])
                m = -1
                for gind in range(len(gt)):
                    if gtm[tind, gind] > 0:
                        continue
                    if m > -1 and gt_ig[m] == 0 and gt_ig[gind] == 1:
                        break
                    if ious[dind, gind] < best:
                        continue
                    best = ious[dind, gind]
                    m = gind
                if m == -1:
                    continue
                dt_ig[tind, dind] = gt_ig[m]
                dtm[tind, dind] = 1
                gtm[tind, m] = 1
        return {"scores": [d["score"] for d in dt], "dtm": dtm, "dt_ig": dt_ig, "gt_ig": gt_ig}

    for k in range(K):
        evals = [e for e in (evaluate_img(im, k) for im in images) if e is not None]
        for m, max_det in enumerate(max_dets):
            if not evals:
                continue
            scores = np.concatenate([e["scores"][:max_det] for e in evals])
            inds = np.argsort(-scores, kind="mergesort")
            dtm = np.concatenate([e["dtm"][:, :max_det] for e in evals], axis=1)[:, inds]
            dt_ig = np.concatenate([e["dt_ig"][:, :max_det] for e in evals], axis=1)[:, inds]
            gt_ig = np.concatenate([e["gt_ig"] for e in evals])
            npig = np.count_nonzero(gt_ig == 0)
            if npig == 0:
                continue
            tps = np.logical_and(dtm, np.logical_not(dt_ig))
            fps = np.logical_and(np.logical_not(dtm), np.logical_not(dt_ig))
            tp_sum = np.cumsum(tps, axis=1).astype(float)
            fp_sum = np.cumsum(fps, axis=1).astype(float)
            for t, (tp, fp) in enumerate(zip(tp_sum, fp_sum)):
                nd = len(tp)
                rc = tp / npig
                pr = tp / (fp + tp + np.spacing(1))
                q = np.zeros((R,))
                recall[t, k, m] = rc[-1] if nd else 0
                pr = pr.tolist()
                q = q.tolist()
                for i in range(nd - 1, 0, -1):
                    if pr[i] > pr[i - 1]:
                        pr[i - 1] = pr[i]
                idx = np.searchsorted(rc, rec_thrs, side="left")
                try:
                    for ri, pi in enumerate(idx):
                        q[ri] = pr[pi]
                except IndexError:
                    pass
                precision[t, :, k, m] = np.array(q)

    def mean(s):
        s = s[s > -1]
        return float(np.mean(s)) if len(s) else None

    per_class = [mean(precision[:, :, k, 2]) for k in range(K)]
    return {"AP": mean(precision[:, :, :, 2]), "AP50": mean(precision[0, :, :, 2]), "AP75": mean(precision[5, :, :, 2]),
            "AR1": mean(recall[:, :, 0]), "AR10": mean(recall[:, :, 1]), "AR100": mean(recall[:, :, 2]), "per_class": per_class}


def box(x, y, w, h):
    return [float(x), float(y), float(x + w), float(y + h)]


def gt(b, label, difficult=False):
    return {"box": b, "label": label, "difficult": difficult}


def det(b, label, score):
    return {"box": b, "label": label, "score": score}


cases = []
# 1. The best ground truth already taken: the second detection overlaps gt A most (taken by the first) and gt B enough;
#    VOC's argmax rule makes it a false positive, COCO's best-unmatched rule a true positive.
a, b = box(0, 0, 10, 10), box(4, 0, 10, 10)
cases.append({"name": "best ground truth already taken", "classes": 1, "images": [
    {"truth": [gt(a, 0), gt(b, 0)], "detections": [det(box(0, 0, 10, 10), 0, 0.9), det(box(1, 0, 10, 10), 0, 0.8)]}]})
# 2. A difficult ground truth, a duplicate, a miss, a class without ground truth, two images.
cases.append({"name": "difficult, duplicate, miss, empty class", "classes": 3, "images": [
    {"truth": [gt(box(10, 10, 20, 20), 0), gt(box(50, 50, 20, 20), 0, difficult=True), gt(box(80, 10, 15, 30), 1)],
     "detections": [det(box(11, 11, 20, 20), 0, 0.95), det(box(10, 10, 21, 19), 0, 0.7), det(box(50, 50, 20, 20), 0, 0.6),
                    det(box(0, 80, 10, 10), 0, 0.5), det(box(80, 12, 15, 30), 1, 0.4), det(box(5, 5, 5, 5), 2, 0.3)]},
    {"truth": [gt(box(30, 30, 30, 30), 0), gt(box(0, 0, 8, 8), 1)],
     "detections": [det(box(32, 31, 28, 30), 0, 0.8), det(box(60, 60, 10, 10), 1, 0.9)]}]})
# 3. Seeded random scenes: 8 images, 4 classes, noisy detections of the truth plus clutter.
rng = np.random.default_rng(3)
for case in range(3):
    images = []
    for _ in range(8):
        truth, dets = [], []
        for _ in range(rng.integers(1, 6)):
            x, y, w, h = rng.uniform(0, 100), rng.uniform(0, 100), rng.uniform(8, 30), rng.uniform(8, 30)
            label = int(rng.integers(0, 4))
            truth.append(gt(box(x, y, w, h), label, bool(rng.random() < 0.1)))
            for _ in range(rng.integers(0, 3)):
                jitter = rng.normal(0, 0.15 * w, 4)
                dets.append(det(box(x + jitter[0], y + jitter[1], max(1, w + jitter[2]), max(1, h + jitter[3])),
                                label if rng.random() < 0.85 else int(rng.integers(0, 4)), float(np.round(rng.random(), 3))))
        for _ in range(rng.integers(0, 4)):
            dets.append(det(box(rng.uniform(0, 100), rng.uniform(0, 100), rng.uniform(5, 30), rng.uniform(5, 30)),
                            int(rng.integers(0, 4)), float(np.round(rng.random() * 0.6, 3))))
        images.append({"truth": truth, "detections": dets})
    cases.append({"name": f"random {case}", "classes": 4, "images": images})

for c in cases:
    voc_map, voc_per = voc_ap(c["images"], c["classes"], eleven=False)
    voc11, _ = voc_ap(c["images"], c["classes"], eleven=True)
    c["expected"] = {"voc": voc_map, "voc_per_class": voc_per, "voc11": voc11, "coco": coco(c["images"], c["classes"])}

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "map_cases.json"), "w") as f:
    json.dump({"cases": cases}, f, indent=1)
for c in cases:
    print(c["name"], c["expected"]["voc"], c["expected"]["coco"]["AP"])
