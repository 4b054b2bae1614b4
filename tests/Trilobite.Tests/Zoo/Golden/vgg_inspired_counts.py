#!/usr/bin/env python3
"""Parameter counts of the lecture's VGG-inspired networks, from an independent PyTorch build of the same layers
(valid 3x3 convolutions with bias, 2x2 max-pooling, BatchNormalization = 2 trainable + 2 moving statistics per channel,
Dense 4096 x 2, 17 classes, 224x224x3 input). Run: /usr/bin/python3 vgg_inspired_counts.py"""
import torch
from torch import nn


def network(blocks, classes=17, size=224):
    layers, channels = [], 3
    for convs, filters in blocks:
        for _ in range(convs):
            layers += [nn.Conv2d(channels, filters, 3), nn.ReLU()]
            channels = filters
        layers += [nn.MaxPool2d(2, 2), nn.BatchNorm2d(channels)]
    features = nn.Sequential(*layers)
    side = features.eval()(torch.zeros(1, 3, size, size)).shape[-1]
    head = nn.Sequential(nn.Flatten(), nn.Linear(channels * side * side, 4096), nn.ReLU(), nn.Dropout(0.5),
                         nn.Linear(4096, 4096), nn.ReLU(), nn.Dropout(0.5), nn.Linear(4096, classes))
    model = nn.Sequential(features, head)
    trainable = sum(p.numel() for p in model.parameters())
    moving = sum(b.numel() for name, b in model.named_buffers() if "running" in name)
    return trainable + moving, trainable, moving


print("slide (4 blocks):   ", network([(2, 64), (2, 128), (3, 256), (3, 512)]))
print("notebook (5 blocks):", network([(2, 64), (2, 128), (3, 256), (3, 512), (3, 512)]))
