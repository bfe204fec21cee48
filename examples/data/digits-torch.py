"""The digits example's network in PyTorch, for comparison: same split, net, initialisation and
training as examples/digits.ts, over several seeds (pip install torch; not run by the tests).

    python3 examples/data/digits-torch.py [first_seed] [seeds]

nnlab's Dense starts from Glorot-uniform weights and zero biases, so this net does too (PyTorch's
own nn.Linear default differs). Seeds draw different numbers than nnlab's Generator, so compare
the spread over seeds, not one seed's accuracy.
"""
import statistics
import sys
import time
from pathlib import Path

import torch
from torch import nn

EPOCHS = 50
BATCH_SIZE = 32
LEARNING_RATE = 0.001


def load_digits():
    """digits.txt: one image a line: split, label, 64 pixels as base-17 digits (see README.md)."""
    splits = {'train': ([], []), 'test': ([], [])}
    for line in Path(__file__).with_name('digits.txt').read_text().splitlines():
        if not line or line.startswith('#'):
            continue
        split, label, pixels = line.split(' ')
        images, labels = splits[split]
        images.append([int(digit, 17) / 16 for digit in pixels])
        labels.append(int(label))
    return {name: (torch.tensor(x), torch.tensor(y)) for name, (x, y) in splits.items()}


def make_net():
    net = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))
    for layer in (net[0], net[2]):
        nn.init.xavier_uniform_(layer.weight)
        nn.init.zeros_(layer.bias)
    return net


def accuracy(net, x, y):
    with torch.no_grad():
        return (net(x).argmax(dim=1) == y).float().mean().item()


def run(seed, data):
    torch.manual_seed(seed)
    x, y = data['train']
    net = make_net()
    optimizer = torch.optim.Adam(net.parameters(), lr=LEARNING_RATE)
    loss_fn = nn.CrossEntropyLoss()
    started = time.perf_counter()
    for _ in range(EPOCHS):
        order = torch.randperm(len(y))
        for start in range(0, len(y), BATCH_SIZE):
            batch = order[start:start + BATCH_SIZE]
            optimizer.zero_grad()
            loss_fn(net(x[batch]), y[batch]).backward()
            optimizer.step()
    seconds = time.perf_counter() - started
    return accuracy(net, x, y), accuracy(net, *data['test']), seconds


def main():
    torch.set_num_threads(1)  # a net this small gains nothing from threads
    first = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    data = load_digits()
    tests = []
    for seed in range(first, first + count):
        train_acc, test_acc, seconds = run(seed, data)
        tests.append(test_acc)
        print(f'seed {seed}: train accuracy {100 * train_acc:.1f}%, test accuracy {100 * test_acc:.1f}%, trained in {seconds:.2f} s')
    print(
        f'test accuracy over {count} seeds: mean {100 * statistics.mean(tests):.1f}%, '
        f'sd {100 * statistics.stdev(tests):.1f}, min {100 * min(tests):.1f}%, max {100 * max(tests):.1f}%'
    )


if __name__ == '__main__':
    main()
