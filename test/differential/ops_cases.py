"""The op and loss cases: each registered op on edge values and ordinary ones, by PyTorch."""
import math

import torch
import torch.nn.functional as F

from fixture_values import INF, NAN, Values, encoded, number

values = Values(20261206)

# Edge values every elementwise op meets: ±Inf, NaN, 0, ±1, and ordinary values on both sides.
EDGE = [-INF, -2.5, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0, INF, NAN]


def act(name, z):
    return {'linear': lambda v: v, 'sigmoid': torch.sigmoid, 'tanh': torch.tanh, 'relu': torch.relu}[name](z)


def all_axes(x, axes):
    return tuple(range(x.dim())) if axes is None else axes


def take(x, indices, axis):
    """NumPy's take: the result has x's axes before `axis`, the indices' axes, then x's axes after."""
    idx = torch.tensor(indices, dtype=torch.long)
    picked = x.index_select(axis, idx.flatten())
    return picked.reshape(list(x.shape[:axis]) + list(idx.shape) + list(x.shape[axis + 1:]))


def reduced(loss, reduction):
    return {'mean': loss.mean, 'sum': loss.sum, 'none': lambda: loss}[reduction]()


# The nnlab call each case names, computed with PyTorch. `attrs` are keyword arguments; the
# TypeScript table in ops.test.ts maps the same names to nnlab's functions.
CALLS = {
    'add': lambda a, b: a + b,
    'sub': lambda a, b: a - b,
    'mul': lambda a, b: a * b,
    'div': lambda a, b: a / b,
    'pow': lambda a, b: torch.pow(a, b),
    'powScalar': lambda a, exponent: torch.pow(a, exponent),
    'maximum': torch.maximum,
    'minimum': torch.minimum,
    'neg': torch.neg,
    'exp': torch.exp,
    'log': torch.log,
    'log1p': torch.log1p,
    'sqrt': torch.sqrt,
    'square': torch.square,
    'abs': torch.abs,
    'clamp': lambda x, min, max: torch.clamp(x, min, max),
    'castThroughFloat32': lambda x: x.float().double(),
    'sigmoid': torch.sigmoid,
    'tanh': torch.tanh,
    'relu': torch.relu,
    'leakyRelu': lambda x, slope: F.leaky_relu(x, slope),
    'softplus': F.softplus,
    'elu': lambda x, alpha: F.elu(x, alpha),
    'silu': F.silu,
    # PyTorch's prelu takes one weight per channel (axis 1) or one shared weight.
    'prelu': lambda x, alpha: F.prelu(x, alpha.reshape(-1)),
    'softmax': lambda x, axis: torch.softmax(x, axis),
    'logSoftmax': lambda x, axis: torch.log_softmax(x, axis),
    'where': lambda c, a, b: torch.where(c != 0, a, b),
    'sum': lambda x, axes=None, keepDims=False: x.sum(dim=all_axes(x, axes), keepdim=keepDims),
    'mean': lambda x, axes=None, keepDims=False: x.mean(dim=all_axes(x, axes), keepdim=keepDims),
    # amax/amin split the gradient evenly among tied extremes (max(dim) would pick one).
    'max': lambda x, axes=None, keepDims=False: x.amax(dim=all_axes(x, axes), keepdim=keepDims),
    'min': lambda x, axes=None, keepDims=False: x.amin(dim=all_axes(x, axes), keepdim=keepDims),
    'logsumexp': lambda x, axes=None, keepDims=False: torch.logsumexp(x, dim=all_axes(x, axes), keepdim=keepDims),
    'matmul': torch.matmul,
    'linear': lambda x, w, b, activation: act(activation, x @ w + b),
    'reshape': lambda x, shape: x.reshape(shape),
    'transpose': lambda x, perm=None: x.permute(perm if perm is not None else list(reversed(range(x.dim())))),
    'swapLastAxes': lambda x: x.transpose(-1, -2),
    'broadcastTo': lambda x, shape: x.expand(shape),
    'slice': lambda x, begin, end: x[tuple(slice(b, e) for b, e in zip(begin, end))],
    'concat': lambda *xs, axis: torch.cat(xs, axis),
    'gather': lambda x, indices, axis: take(x, indices, axis),
    'pickPerRow': lambda x, indices: x[torch.arange(x.shape[0]), indices.long()],
    'binaryCrossEntropy': lambda p, t: F.binary_cross_entropy(p, t, reduction='none'),
    'binaryCrossEntropyToOne': lambda p: F.binary_cross_entropy(p, torch.ones_like(p), reduction='none'),
    'binaryCrossEntropyWithLogits': lambda z, t: F.binary_cross_entropy_with_logits(z, t, reduction='none'),
    'squaredDifference': lambda a, b: torch.square(a - b),
    # The losses of nn, with their reductions.
    'mseLoss': lambda y, t, reduction: F.mse_loss(y, t, reduction=reduction),
    'bceLoss': lambda p, t, reduction: F.binary_cross_entropy(p, t, reduction=reduction),
    'bceWithLogitsLoss': lambda z, t, reduction: F.binary_cross_entropy_with_logits(z, t, reduction=reduction),
    'crossEntropyLoss': lambda z, t, reduction: F.cross_entropy(z, t.long() if t.dim() == 1 else t, reduction=reduction),
}


def op_case(cases, name, op, call, inputs, constant=(), **attrs):
    """One case: forward output of CALLS[call] and the gradient of each non-constant input for a seeded dy."""
    leaves = [x.clone().requires_grad_(i not in constant) for i, x in enumerate(inputs)]
    out = CALLS[call](*leaves, **attrs)
    dy = values.upstream(list(out.shape))
    wrt = [i for i in range(len(inputs)) if i not in constant]
    grads = torch.autograd.grad(out, [leaves[i] for i in wrt], dy, allow_unused=True)
    gradients = [None] * len(inputs)
    for i, g in zip(wrt, grads):
        gradients[i] = encoded(torch.zeros_like(inputs[i]) if g is None else g)
    cases.append({
        'name': name,
        'op': op,
        'call': call,
        'attrs': {k: number(v) if isinstance(v, float) else v for k, v in attrs.items()},
        'inputs': [encoded(x) for x in inputs],
        'constant': list(constant),
        'dy': encoded(dy),
        'out': encoded(out),
        'grads': gradients,
    })


def edge_pairs():
    """Every pair of edge values, as two flat vectors: a[i] op b[i] for all 100 combinations."""
    a = torch.tensor([x for x in EDGE for _ in EDGE])
    b = torch.tensor([y for _ in EDGE for y in EDGE])
    return a, b


def op_cases():
    cases = []
    u = values.uniform
    real = lambda shape: u(shape, -2, 2)
    away = lambda shape, kinks=(0,), margin=0.1, low=-2, high=2: values.away_from(shape, kinks, margin, low, high)
    edge = torch.tensor(EDGE)
    ea, eb = edge_pairs()

    # Arithmetic: the whole edge grid, then broadcasting on ordinary values.
    for op in ['add', 'sub', 'mul', 'div', 'squaredDifference']:
        op_case(cases, f'{op}: every pair of edge values', op, op, [ea, eb])
    # pow's grid in three parts, by base: each part has its own conventions at the edges.
    special_base = (ea == 0) | (ea.abs() == 1)
    op_case(cases, 'pow: every edge base but 0 and ±1, with every edge exponent', 'pow', 'pow', [ea[~special_base], eb[~special_base]])
    op_case(cases, 'pow: base 0 with every edge exponent', 'pow', 'pow', [ea[ea == 0], eb[ea == 0]])
    op_case(cases, 'pow: base ±1 with every edge exponent', 'pow', 'pow', [ea[ea.abs() == 1], eb[ea.abs() == 1]])
    # maximum/minimum: distinct values, ties, and NaN on either side, apart.
    distinct = (ea != eb) & ~ea.isnan() & ~eb.isnan()
    finite_edges = torch.tensor([v for v in EDGE if not math.isnan(v)])
    for op in ['maximum', 'minimum']:
        op_case(cases, f'{op}: every pair of distinct edge values but NaN', op, op, [ea[distinct], eb[distinct]])
        op_case(cases, f'{op}: every edge value but NaN tied with itself', op, op, [finite_edges, finite_edges.clone()])
        op_case(cases, f'{op}: NaN against every edge value, on either side', op, op,
                [torch.cat([torch.full([9], NAN), finite_edges]), torch.cat([finite_edges, torch.full([9], NAN)])])
    op_case(cases, 'add: [2, 3] + [3]', 'add', 'add', [real([2, 3]), real([3])])
    op_case(cases, 'add: [2, 1] + [1, 3]', 'add', 'add', [real([2, 1]), real([1, 3])])
    op_case(cases, 'add: [] + [2, 3]', 'add', 'add', [real([]), real([2, 3])])
    op_case(cases, 'sub: [3] − [2, 3]', 'sub', 'sub', [real([3]), real([2, 3])])
    op_case(cases, 'mul: [2, 3, 2] · [3, 1]', 'mul', 'mul', [real([2, 3, 2]), real([3, 1])])
    op_case(cases, 'div: [3] / [2, 3]', 'div', 'div', [real([3]), away([2, 3], margin=0.5)])
    op_case(cases, 'pow: [2, 3] ^ [3] (base > 0)', 'pow', 'pow', [u([2, 3], 0.3, 2), real([3])])
    op_case(cases, 'pow: [0, 0, 0] ^ [0, 0.5, 2] (the issue\'s example)', 'pow', 'pow', [torch.zeros(3), torch.tensor([0.0, 0.5, 2.0])])
    op_case(cases, 'pow: [2, 3] ^ 3 (any base)', 'pow', 'powScalar', [real([2, 3])], exponent=3.0)
    op_case(cases, 'pow: edge values ^ 2', 'pow', 'powScalar', [edge], exponent=2.0)
    op_case(cases, 'pow: edge values ^ 0.5', 'pow', 'powScalar', [edge], exponent=0.5)
    op_case(cases, 'maximum: [2, 3], [3] with ties (broadcast)', 'maximum', 'maximum',
            [torch.tensor([[1.0, 2.0, -1.0], [0.5, 2.0, 3.0]]), torch.tensor([1.0, 0.0, 3.0])])
    op_case(cases, 'minimum: [2, 1], [1, 3] with ties (broadcast)', 'minimum', 'minimum',
            [torch.tensor([[1.0], [-0.5]]), torch.tensor([[1.0, -0.5, 2.0]])])
    op_case(cases, 'maximum: [NaN, 1] and [1, NaN] (the issue\'s example)', 'maximum', 'maximum',
            [torch.tensor([NAN, 1.0]), torch.tensor([1.0, NAN])])
    op_case(cases, 'squaredDifference: [2, 3] − [3]', 'squaredDifference', 'squaredDifference', [real([2, 3]), real([3])])

    # Functions of one tensor: the edge values, then an ordinary case.
    unary = [
        ('neg', 'neg', {}), ('exp', 'exp', {}), ('log', 'log', {}), ('log1p', 'log1p', {}), ('sqrt', 'sqrt', {}),
        ('square', 'square', {}), ('abs', 'abs', {}), ('clamp', 'clamp', {'min': -0.5, 'max': 0.5}),
        ('clamp', 'clamp', {'min': 0.0, 'max': INF}), ('cast', 'castThroughFloat32', {}),
        ('sigmoid', 'sigmoid', {}), ('tanh', 'tanh', {}), ('relu', 'relu', {}), ('leakyRelu', 'leakyRelu', {'slope': 0.01}),
        ('leakyRelu', 'leakyRelu', {'slope': 0.2}), ('softplus', 'softplus', {}), ('elu', 'elu', {'alpha': 0.7}),
    ]
    for op, call, attrs in unary:
        label = ''.join(f' {k} {v}' for k, v in attrs.items())
        op_case(cases, f'{op}{label}: edge values', op, call, [edge], **attrs)
    op_case(cases, 'log: [2, 3] (x > 0)', 'log', 'log', [u([2, 3], 0.2, 3)])
    op_case(cases, 'sigmoid: [2, 3] of large |x|', 'sigmoid', 'sigmoid', [torch.tensor([[-40.0, -20.0, -5.0], [5.0, 20.0, 40.0]])])
    op_case(cases, 'softplus: [2, 3] of large |x|', 'softplus', 'softplus', [torch.tensor([[-40.0, -15.0, -5.0], [5.0, 15.0, 19.0]])])
    op_case(cases, 'tanh: [2, 3]', 'tanh', 'tanh', [u([2, 3], -3, 3)])
    op_case(cases, 'cast: [2, 3] float64 → float32 → float64', 'cast', 'castThroughFloat32', [real([2, 3])])

    # prelu: per-channel, broadcast and shared alpha, edges in x.
    op_case(cases, 'prelu: edge values with shared alpha []', 'prelu', 'prelu', [edge.reshape(1, 10), torch.tensor(0.25)])
    op_case(cases, 'prelu: [2, 3] with per-channel alpha [3]', 'prelu', 'prelu', [away([2, 3]), u([3], 0.05, 0.5)])
    op_case(cases, 'prelu: [2, 3, 2] with per-channel alpha [3, 1]', 'prelu', 'prelu', [away([2, 3, 2]), u([3, 1], 0.05, 0.5)])

    # Softmax family along each axis, and with infinite logits.
    for op in ['softmax', 'logSoftmax']:
        op_case(cases, f'{op}: [2, 3] axis -1', op, op, [real([2, 3])], axis=-1)
        op_case(cases, f'{op}: [3, 2] axis 0', op, op, [real([3, 2])], axis=0)
        op_case(cases, f'{op}: [2, 3, 2] axis 1', op, op, [real([2, 3, 2])], axis=1)
        op_case(cases, f'{op}: [2, 3] of large logits', op, op, [torch.tensor([[1000.0, 0.0, -1000.0], [-745.0, -746.0, 700.0]])], axis=-1)
        op_case(cases, f'{op}: [1, 3] with a -Infinity logit', op, op, [torch.tensor([[0.5, -INF, 1.5]])], axis=-1)
        op_case(cases, f'{op}: [3, 3] rows with +Infinity, NaN and all -Infinity', op, op,
                [torch.tensor([[INF, 0.0, 1.0], [NAN, 0.0, 1.0], [-INF, -INF, -INF]])], axis=-1)

    # Selection with a constant condition.
    op_case(cases, 'where: [2, 3] ? [2, 1] : [3]', 'where', 'where',
            [torch.tensor([[0.0, 1.0, 1.0], [1.0, 0.0, 0.0]]), real([2, 1]), real([3])], constant=(0,))
    op_case(cases, 'where: edge values in the branch not taken', 'where', 'where',
            [torch.tensor([1.0, 0.0, 1.0, 0.0]), torch.tensor([1.0, NAN, 2.0, INF]), torch.tensor([-INF, 3.0, NAN, 4.0])], constant=(0,))

    # Reductions: one axis, several axes, all axes, keepDims, ties, and non-finite values.
    for op in ['sum', 'mean', 'max', 'min', 'logsumexp']:
        op_case(cases, f'{op}: [2, 3] axis 1', op, op, [real([2, 3])], axes=[1])
        op_case(cases, f'{op}: [2, 3, 2] axes [0, 2] keepDims', op, op, [real([2, 3, 2])], axes=[0, 2], keepDims=True)
        op_case(cases, f'{op}: [2, 3] all axes', op, op, [real([2, 3])])
        op_case(cases, f'{op}: [3, 4] rows with ±Infinity and NaN, axis 1', op, op,
                [torch.tensor([[1.0, INF, 2.0, 0.5], [-INF, 1.0, -1.0, 0.0], [NAN, 1.0, 2.0, 3.0]])], axes=[1])
    for op in ['max', 'min']:
        op_case(cases, f'{op}: [2, 4] with tied extremes, axis 1', op, op, [torch.tensor([[3.0, 1.0, 3.0, 3.0], [0.0, 2.0, 0.0, 2.0]])], axes=[1])
        op_case(cases, f'{op}: [2, 3] all axes with ties', op, op, [torch.tensor([[2.0, -2.0, 2.0], [-2.0, 2.0, 0.0]])])
    op_case(cases, 'logsumexp: [3, 3] rows with +Infinity, two +Infinity and all -Infinity, axis 1', 'logsumexp', 'logsumexp',
            [torch.tensor([[INF, 0.0, 1.0], [INF, INF, 1.0], [-INF, -INF, -INF]])], axes=[1])
    op_case(cases, 'logsumexp: [2, 3] of large values, axis 1', 'logsumexp', 'logsumexp',
            [torch.tensor([[1000.0, 999.0, -1000.0], [-745.0, -746.0, -800.0]])], axes=[1])

    # Matrix products and the fused linear layer.
    op_case(cases, 'matmul: [2, 3] × [3, 4]', 'matmul', 'matmul', [real([2, 3]), real([3, 4])])
    op_case(cases, 'matmul: [2, 2, 3] × [3, 4]', 'matmul', 'matmul', [real([2, 2, 3]), real([3, 4])])
    op_case(cases, 'matmul: [3, 2] × [2, 2, 4]', 'matmul', 'matmul', [real([3, 2]), real([2, 2, 4])])
    op_case(cases, 'matmul: [2, 1, 2, 3] × [3, 3, 2]', 'matmul', 'matmul', [real([2, 1, 2, 3]), real([3, 3, 2])])
    op_case(cases, 'matmul: [2, 2] × [2, 2] with Infinity and NaN', 'matmul', 'matmul',
            [torch.tensor([[1.0, INF], [NAN, 2.0]]), torch.tensor([[0.5, -1.0], [2.0, 0.0]])])
    for activation in ['linear', 'sigmoid', 'tanh', 'relu']:
        op_case(cases, f'linear: {activation}(x [3, 2] · weight [2, 4] + bias [4])', 'linear', 'linear',
                [real([3, 2]), real([2, 4]), real([4])], activation=activation)
    op_case(cases, 'linear: relu(x [2, 2] · weight [2, 3] + bias [3]) with NaN in x', 'linear', 'linear',
            [torch.tensor([[NAN, 1.0], [0.5, -1.0]]), real([2, 3]), real([3])], activation='relu')

    # Moving values around.
    op_case(cases, 'reshape: [2, 3, 2] to [3, -1]', 'reshape', 'reshape', [real([2, 3, 2])], shape=[3, -1])
    op_case(cases, 'transpose: [2, 3, 4] perm [2, 0, 1]', 'transpose', 'transpose', [real([2, 3, 4])], perm=[2, 0, 1])
    op_case(cases, 'transpose: [3, 4] default perm', 'transpose', 'transpose', [real([3, 4])])
    op_case(cases, 'transpose: [2, 3, 4] .T (last two axes)', 'transpose', 'swapLastAxes', [real([2, 3, 4])])
    op_case(cases, 'broadcastTo: [3, 1] to [2, 3, 4]', 'broadcastTo', 'broadcastTo', [real([3, 1])], shape=[2, 3, 4])
    op_case(cases, 'broadcastTo: [] to [2, 2]', 'broadcastTo', 'broadcastTo', [real([])], shape=[2, 2])
    op_case(cases, 'slice: [4, 5] from [1, -3] to [-1, end]', 'slice', 'slice', [real([4, 5])], begin=[1, -3], end=[-1, None])
    op_case(cases, 'slice: [3, 4, 2] from [0, 1] to [2, -1]', 'slice', 'slice', [real([3, 4, 2])], begin=[0, 1], end=[2, -1])
    op_case(cases, 'concat: [2, 1], [2, 3], [2, 2] on axis 1', 'concat', 'concat', [real([2, 1]), real([2, 3]), real([2, 2])], axis=1)
    op_case(cases, 'concat: [1, 3], [2, 3] on axis -2', 'concat', 'concat', [real([1, 3]), real([2, 3])], axis=-2)
    op_case(cases, 'gather: [4, 3] rows [3, 0, 3, 1] (a repeat)', 'gather', 'gather', [real([4, 3])], indices=[3, 0, 3, 1], axis=0)
    op_case(cases, 'gather: [2, 4] axis 1 indices [[1, 1], [3, 0]] (repeats)', 'gather', 'gather', [real([2, 4])], indices=[[1, 1], [3, 0]], axis=1)
    op_case(cases, 'pickPerRow: x [3, 4], indices [3] = [2, 0, 3]', 'pickPerRow', 'pickPerRow',
            [real([3, 4]), torch.tensor([2.0, 0.0, 3.0])], constant=(1,))

    # The elementwise loss terms, including the edges of their domains.
    probabilities = torch.tensor([0.0, 1e-300, 0.05, 0.5, 0.95, 1.0 - 1e-16, 1.0])
    for t in [0.0, 0.3, 1.0]:
        op_case(cases, f'binaryCrossEntropy: p at 0, 1 and between, t = {t}', 'binaryCrossEntropy', 'binaryCrossEntropy',
                [probabilities, torch.full([7], t)], constant=(1,))
    op_case(cases, 'binaryCrossEntropy: p [2, 3] in (0.05, 0.95), t = 1', 'binaryCrossEntropy', 'binaryCrossEntropyToOne', [u([2, 3], 0.05, 0.95)])
    logits = torch.tensor([-INF, -800.0, -40.0, -1.0, 0.0, 1.0, 40.0, 800.0, INF])
    for t in [0.0, 0.3, 1.0]:
        op_case(cases, f'binaryCrossEntropyWithLogits: z from -Infinity to Infinity, t = {t}', 'binaryCrossEntropyWithLogits',
                'binaryCrossEntropyWithLogits', [logits, torch.full([9], t)], constant=(1,))
    return cases


def loss_cases():
    cases = []
    u = values.uniform
    y, t = u([4, 2], -1, 2), u([4, 2], -1, 2)
    p, tp = u([4, 2], 0.05, 0.95), u([4, 2], 0, 1)
    z = u([4, 3], -3, 3)
    onehot = torch.tensor([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, 1.0, 0.0]])
    soft = torch.softmax(u([4, 3], -1, 1), -1).mul(1000).round().div(1000)
    soft[:, 2] = 1 - soft[:, 0] - soft[:, 1]
    for reduction in ['mean', 'sum', 'none']:
        op_case(cases, f'mseLoss: [4, 2], reduction {reduction}', 'squaredDifference', 'mseLoss', [y, t], constant=(1,), reduction=reduction)
        op_case(cases, f'bceLoss: [4, 2], reduction {reduction}', 'binaryCrossEntropy', 'bceLoss', [p, tp], constant=(1,), reduction=reduction)
        op_case(cases, f'bceWithLogitsLoss: [4, 2], reduction {reduction}', 'binaryCrossEntropyWithLogits', 'bceWithLogitsLoss',
                [y, tp], constant=(1,), reduction=reduction)
        op_case(cases, f'crossEntropyLoss: [4, 3] with class indices, reduction {reduction}', 'logSoftmax', 'crossEntropyLoss',
                [z, torch.tensor([1.0, 0.0, 2.0, 1.0])], constant=(1,), reduction=reduction)
    op_case(cases, 'crossEntropyLoss: [4, 3] with one-hot targets', 'logSoftmax', 'crossEntropyLoss', [z, onehot], constant=(1,), reduction='mean')
    op_case(cases, 'crossEntropyLoss: [4, 3] with probability targets', 'logSoftmax', 'crossEntropyLoss', [z, soft], constant=(1,), reduction='mean')
    op_case(cases, 'crossEntropyLoss: [2, 3] with a -Infinity logit off and on the target class', 'logSoftmax', 'crossEntropyLoss',
            [torch.tensor([[-INF, 0.0, 1.0], [0.5, -INF, 2.0]]), torch.tensor([2.0, 1.0])], constant=(1,), reduction='none')
    op_case(cases, 'mseLoss: [3, 1] with Infinity and NaN predictions', 'squaredDifference', 'mseLoss',
            [torch.tensor([[INF], [NAN], [0.5]]), torch.tensor([[1.0], [0.0], [0.25]])], constant=(1,), reduction='none')
    op_case(cases, 'crossEntropyLoss: [2, 3] with large logits', 'logSoftmax', 'crossEntropyLoss',
            [torch.tensor([[1000.0, 0.0, -1000.0], [-745.0, -746.0, 700.0]]), torch.tensor([2.0, 0.0])], constant=(1,), reduction='sum')
    # Ops added after the fixtures were first written go here, last of all: each case draws its
    # upstream gradient from one shared generator, so a case inserted earlier would change every later one.
    op_case(cases, 'silu: edge values', 'silu', 'silu', [torch.tensor(EDGE)])
    return cases


