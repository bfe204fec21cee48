"""Writes digits.txt beside this file from scikit-learn's copy of the UCI hand-written digits.

Run once (pip install scikit-learn; python3 examples/data/convert-digits.py); the example and
the tests read only the text file, so they need no Python.

Each image is one line, in load_digits() order: its split ('train' or 'test'), its label, then
its 64 pixels row by row, each 0..16 written as one base-17 digit (0-9, a-g), so a line parses
with split(' ') and parseInt(digit, 17). The split is stratified and seeded (360 test images, 20%),
kept in the file so nnlab and PyTorch train and test on the same images.
"""
from pathlib import Path

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

BASE17 = '0123456789abcdefg'
TEST_IMAGES = 360
SPLIT_SEED = 0

digits = load_digits()
pixels = digits.data.astype(np.int64)
assert (pixels == digits.data).all() and pixels.min() == 0 and pixels.max() == 16
labels = digits.target

_, test_indices = train_test_split(
    np.arange(len(labels)), test_size=TEST_IMAGES, stratify=labels, random_state=SPLIT_SEED
)
in_test = np.zeros(len(labels), dtype=bool)
in_test[test_indices] = True

lines = [
    '# UCI ML hand-written digits (Alpaydin & Kaynak, 1998; CC BY 4.0) via scikit-learn load_digits: see README.md',
    '# one image a line: split, label, 64 pixels row by row as base-17 digits (0-9, a-g = 0..16)',
]
for image, label, test in zip(pixels, labels, in_test):
    lines.append(f"{'test' if test else 'train'} {label} {''.join(BASE17[p] for p in image)}")
out = Path(__file__).with_name('digits.txt')
out.write_text('\n'.join(lines) + '\n')
print(f'wrote {out}: {len(labels)} images ({in_test.sum()} test), {out.stat().st_size} bytes')
