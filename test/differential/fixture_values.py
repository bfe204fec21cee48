"""What every fixture module shares: JSON encoding of tensors (non-finite values as strings) and seeded values."""
import math

import torch

INF = math.inf
NAN = math.nan


def number(v):
    if isinstance(v, bool):
        return v
    if isinstance(v, float) and math.isnan(v):
        return 'NaN'
    if v == INF:
        return 'Infinity'
    if v == -INF:
        return '-Infinity'
    return v


def encoded(t):
    """A tensor as {shape, values}: values flat, row-major, non-finite values as strings."""
    t = t.detach().to(torch.float64)
    return {'shape': list(t.shape), 'values': [number(float(v)) for v in t.flatten().tolist()]}


class Values:
    """Seeded values rounded to 3 decimals, so the fixture stays short and both sides read the same doubles."""

    def __init__(self, seed):
        self.g = torch.Generator().manual_seed(seed)

    def uniform(self, shape, low, high):
        u = torch.rand(shape, generator=self.g, dtype=torch.float64)
        return torch.round((low + (high - low) * u) * 1000) / 1000

    def away_from(self, shape, kinks, margin, low, high):
        flat = []
        while len(flat) < math.prod(shape):
            v = float(self.uniform([], low, high))
            if all(abs(v - k) >= margin for k in kinks):
                flat.append(v)
        return torch.tensor(flat).reshape(shape)

    def upstream(self, shape):
        """dy: finite, nonzero, both signs, so every gradient term shows."""
        magnitude = self.uniform(shape, 0.5, 1.5)
        sign = torch.where(torch.rand(shape, generator=self.g) < 0.5, -1.0, 1.0)
        return magnitude * sign
