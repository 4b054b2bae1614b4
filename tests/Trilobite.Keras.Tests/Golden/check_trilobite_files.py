"""Checks weight files written by Trilobite's KerasWeights.Save with h5py, as Keras would read them.

    /usr/bin/python3 check_trilobite_files.py DIR MODEL

DIR/MODEL.weights.h5 (Keras 3) must hold DIR/MODEL_<i>.npy at the i-th path of DIR/MODEL.paths (the paths Keras's
saving_lib uses, see keras_weight_files.py), and DIR/MODEL.legacy.h5 (Keras 2) the same arrays in the order of its
layer_names and weight_names. Exits non-zero on any difference."""
import sys

import h5py
import numpy as np

d, model = sys.argv[1], sys.argv[2]
paths = open(f"{d}/{model}.paths").read().split()
expected = [np.load(f"{d}/{model}_{i}.npy") for i in range(len(paths))]
with h5py.File(f"{d}/{model}.weights.h5", "r") as f:
    datasets = []
    f.visititems(lambda name, obj: datasets.append(name) if isinstance(obj, h5py.Dataset) else None)
    assert sorted(datasets) == sorted(paths), (datasets, paths)
    for p, e in zip(paths, expected):
        assert f[p].dtype == np.float32 and np.array_equal(f[p][()], e), p
with h5py.File(f"{d}/{model}.legacy.h5", "r") as f:
    legacy = []
    for layer in f.attrs["layer_names"]:
        g = f[layer.decode() if isinstance(layer, bytes) else layer]
        legacy += [g[w.decode() if isinstance(w, bytes) else w][()] for w in g.attrs["weight_names"]]
assert len(legacy) == len(expected) and all(np.array_equal(a, b) for a, b in zip(legacy, expected)), "legacy differs"
print("ok", len(expected), "arrays")
