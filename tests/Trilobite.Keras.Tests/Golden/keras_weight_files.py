"""Writes Keras weight files with h5py in both of Keras's layouts, for Trilobite's Keras weight tests.

    /usr/bin/python3 keras_weight_files.py OUT_DIR

Keras itself is not installable here, so the files follow the layouts Keras's own code writes:
- Keras 3 `model.save_weights("x.weights.h5")` (keras/src/saving/saving_lib.py): layers/<class_snake>[_n]/vars/<i>, the
  n-th layer of a class suffixed _n, each vars group with the layer's name as its "name" attribute;
- Keras 2 `model.save_weights("x.h5")` (keras/saving/legacy/hdf5_format.py): root attributes layer_names (every layer,
  as bytes), backend and keras_version; per layer a group with attribute weight_names ("conv2d/kernel:0", ...; an empty
  float array for a layer without weights, as np.asarray([]) gives) and the datasets at those paths.

For each model it writes <model>.weights.h5, <model>.legacy.h5 and <model>_<i>.npy (every weight in order), for:
- lenet: the lecture's LeNet-inspired CNN (Conv2D 32, Conv2D 64, MaxPooling2D, Dropout, Flatten, Dense 128, Dropout, Dense 10);
- bn: Conv2D(8, 3, 'same') on 12x12x1, BatchNormalization, Activation('relu'), Flatten, Dense(3).
"""
import sys

import h5py
import numpy as np

LAYERS = {
    "lenet": [("Conv2D", "conv2d", [("kernel", (3, 3, 1, 32)), ("bias", (32,))]),
              ("Conv2D", "conv2d_1", [("kernel", (3, 3, 32, 64)), ("bias", (64,))]),
              ("MaxPooling2D", "max_pooling2d", []), ("Dropout", "dropout", []), ("Flatten", "flatten", []),
              ("Dense", "dense", [("kernel", (9216, 128)), ("bias", (128,))]), ("Dropout", "dropout_1", []),
              ("Dense", "dense_1", [("kernel", (128, 10)), ("bias", (10,))])],
    "bn": [("Conv2D", "conv2d", [("kernel", (3, 3, 1, 8)), ("bias", (8,))]),
           ("BatchNormalization", "batch_normalization", [("gamma", (8,)), ("beta", (8,)), ("moving_mean", (8,)), ("moving_variance", (8,))]),
           ("Activation", "activation", []), ("Flatten", "flatten", []),
           ("Dense", "dense", [("kernel", (1152, 3)), ("bias", (3,))])],
}


def snake(class_name):
    out = ""
    for i, c in enumerate(class_name):
        if c.isupper() and i > 0 and class_name[i - 1].islower():
            out += "_"
        out += c.lower()
    return out


def main(out):
    rng = np.random.RandomState(0)
    for model, layers in LAYERS.items():
        values = [[rng.standard_normal(shape).astype(np.float32) if name != "moving_variance" else rng.uniform(0.5, 2, shape).astype(np.float32)
                   for name, shape in weights] for _, _, weights in layers]
        i = 0
        for layer in values:
            for v in layer:
                np.save(f"{out}/{model}_{i}.npy", v)
                i += 1
        with h5py.File(f"{out}/{model}.weights.h5", "w") as f:
            used = {}
            for (cls, layer_name, weights), vs in zip(layers, values):
                name = snake(cls)
                if name in used:
                    used[name] += 1
                    name = f"{name}_{used[name]}"
                else:
                    used[name] = 0
                if not weights:
                    continue  # Keras defers the group until a variable is set
                g = f.create_group(f"layers/{name}/vars")
                g.attrs["name"] = layer_name
                for j, v in enumerate(vs):
                    g[str(j)] = v
            f.create_group("vars")
        with h5py.File(f"{out}/{model}.legacy.h5", "w") as f:
            f.attrs["layer_names"] = [name.encode("utf8") for _, name, _ in layers]
            f.attrs["backend"] = b"tensorflow"
            f.attrs["keras_version"] = b"2.15.0"
            for (cls, layer_name, weights), vs in zip(layers, values):
                g = f.create_group(layer_name)
                names = [f"{layer_name}/{w}:0".encode("utf8") for w, _ in weights]
                g.attrs["weight_names"] = np.asarray(names)
                for n, v in zip(names, vs):
                    g.create_dataset(n.decode("utf8"), data=v)


if __name__ == "__main__":
    main(sys.argv[1])
