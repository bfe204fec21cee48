#!/usr/bin/env python3
"""
Writes the differential fixtures: what PyTorch computes, in float64, for the cases nnlab's
differential tests replay (test/differential/*.test.ts). Run from the repository root:

    pip install torch          # CPU build; these fixtures were made with 2.13
    python3 test/differential/generate.py

Each case holds its inputs explicitly, so the TypeScript side never re-derives them, and the
values PyTorch gives: forward outputs, gradients for an explicit upstream gradient `dy`,
parameters after each optimiser step, losses along whole training runs. Non-finite numbers are
written as the strings "NaN", "Infinity" and "-Infinity" (JSON has no literal for them).
Running it again on the same PyTorch rewrites the same files.
"""
import json
import pathlib
import sys

import torch

torch.set_default_dtype(torch.float64)
sys.dont_write_bytecode = True  # no __pycache__ beside the tests
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
FIXTURES = pathlib.Path(__file__).resolve().parent / 'fixtures'

from ops_cases import loss_cases, op_cases  # noqa: E402 (after the default dtype is set)
from optim_cases import optimiser_cases, training_cases  # noqa: E402


def write(name, cases, about):
    FIXTURES.mkdir(exist_ok=True)
    doc = {'about': about, 'generatedBy': 'test/differential/generate.py', 'torch': torch.__version__.split('+')[0], 'cases': cases}
    text = json.dumps(doc, separators=(',', ':'), allow_nan=False)
    (FIXTURES / name).write_text(text + '\n')
    print(f'{name}: {len(cases)} cases, {len(text) // 1024} KB')


if __name__ == '__main__':
    write('ops.json', op_cases() + loss_cases(), 'Forward values and gradients for dy, float64, by PyTorch')
    write('optim.json', optimiser_cases(), 'Parameters after each optimiser step, float64, by PyTorch')
    write('training.json', training_cases(), 'Losses and parameters along whole training runs, float64, by PyTorch')
