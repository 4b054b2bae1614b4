#!/usr/bin/env python3
"""Print OpenCV's Viola-Jones boxes for the shared photographs as JSON (the golden fixture).

Peer: Debian 12 `python3-opencv` (OpenCV 4.6.0). Run with the system interpreter:

    /usr/bin/python3 bench/violajones/opencv_boxes.py ../shared/data \
        > tests/Trilobite.Vision.Tests/ViolaJones/Fixtures/opencv_boxes.json

Grey conversion is OpenCV's own (cv2.cvtColor BGR2GRAY on cv2.imread's pixels); detection uses
detectMultiScale(scaleFactor=1.1, minNeighbors=3) with default min/max size.
"""
import json
import os
import sys

import cv2

IMAGES = ["astronaut.png", "camera.png", "chelsea.png", "coffee.png", "grace_hopper.jpg"]
CASCADES = ["haarcascade_frontalface_default.xml", "haarcascade_frontalface_alt.xml", "haarcascade_eye.xml"]


def main() -> None:
    data = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "../../../shared/data")
    out = {"opencv": cv2.__version__, "scaleFactor": 1.1, "minNeighbors": 3, "results": []}
    for cascade_name in CASCADES:
        cascade = cv2.CascadeClassifier(os.path.join(data, "haarcascades", cascade_name))
        assert not cascade.empty(), cascade_name
        for image_name in IMAGES:
            bgr = cv2.imread(os.path.join(data, "images", image_name), cv2.IMREAD_COLOR)
            grey = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
            boxes = cascade.detectMultiScale(grey, scaleFactor=1.1, minNeighbors=3)
            rows = sorted([int(v) for v in b] for b in boxes) if len(boxes) else []
            out["results"].append({"cascade": cascade_name, "image": image_name, "boxes": rows})
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
