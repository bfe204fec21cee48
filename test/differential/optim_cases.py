"""
The optimiser, clipping and training cases, by PyTorch: parameters after every step of each
optimiser from given gradients, clipped gradients, and whole training runs from fixed weights.
Where nnlab documents a choice PyTorch does not make (Keras's RMSProp, Sutskever's momentum,
Keras's global Adam step), the case also carries that alternative, computed by hand here, so
the tests can show nnlab follows one form and not the other.
"""

import torch
import torch.nn.functional as F

from fixture_values import INF, NAN, Values, encoded, number

values = Values(20261207)


def schedule_of(spec, optimizer):
    """PyTorch's scheduler for one of nnlab's schedules, given as {kind, args}."""
    if spec is None:
        return None
    kind, args = spec['kind'], spec['args']
    S = torch.optim.lr_scheduler
    if kind == 'stepDecay':
        return S.StepLR(optimizer, step_size=args[1], gamma=args[2])
    if kind == 'exponentialDecay':
        return S.ExponentialLR(optimizer, gamma=args[1])
    if kind == 'cosineDecay':
        return S.CosineAnnealingLR(optimizer, T_max=args[1], eta_min=args[2])
    if kind == 'warmupExponential':  # linearWarmup(exponentialDecay(lr, rate), warmup)
        warmup = S.LinearLR(optimizer, start_factor=1 / args[2], end_factor=1.0, total_iters=args[2] - 1)
        return S.ChainedScheduler([warmup, S.ExponentialLR(optimizer, gamma=args[1])])
    raise ValueError(kind)


def torch_optimizer(kind, params, options, groups):
    lr = options.get('lr', 0.01)
    common = {'lr': lr, 'weight_decay': options.get('weightDecay', 0.0), 'foreach': False}
    if kind == 'SGD':
        make = lambda ps, o: torch.optim.SGD(ps, momentum=o.get('momentum', 0.0), nesterov=o.get('nesterov', False), **o['common'])
    elif kind == 'RMSProp':
        make = lambda ps, o: torch.optim.RMSprop(ps, alpha=o.get('rho', 0.9), eps=o.get('eps', 1e-7), **o['common'])
    elif kind in ('Adam', 'AdamW'):
        cls = torch.optim.Adam if kind == 'Adam' else torch.optim.AdamW
        if kind == 'AdamW':
            common['weight_decay'] = options.get('weightDecay', 0.01)
        make = lambda ps, o: cls(ps, betas=(o.get('beta1', 0.9), o.get('beta2', 0.999)), eps=o.get('eps', 1e-8), **o['common'])
    else:
        raise ValueError(kind)
    if groups is None:
        return make(params, {**options, 'common': common})
    # Per-group options: PyTorch's param groups, each with its own lr and weight decay.
    torch_groups = []
    for group in groups:
        merged = {**options, **group['options']}
        g = {'params': [params[i] for i in group['params']], 'lr': merged.get('lr', lr), 'weight_decay': merged.get('weightDecay', 0.0)}
        torch_groups.append(g)
    return make(torch_groups, {**options, 'common': common})


def trajectory(cases, name, kind, params, grads, options=None, schedule=None, groups=None, l1=0.0, alternatives=None):
    """Runs PyTorch's optimiser over the given gradients (None: the parameter has none that step)."""
    options = options or {}
    leaves = [p.clone().requires_grad_(True) for p in params]
    optimizer = torch_optimizer(kind, leaves, options, groups)
    scheduler = schedule_of(schedule, optimizer)
    lrs, expected = [], []
    for step in grads:
        for p, g in zip(leaves, step):
            # nnlab's l1 adds λ·sign(θ) to the gradient; PyTorch has no such option, so add it here.
            p.grad = None if g is None else g.clone() + l1 * torch.sign(p.detach())
        lrs.append(optimizer.param_groups[0]['lr'])
        optimizer.step()
        if scheduler is not None:
            scheduler.step()
        expected.append([encoded(p) for p in leaves])
    cases.append({
        'kind': 'trajectory',
        'name': name,
        'optimizer': kind,
        'options': {**options, **({'l1': l1} if l1 else {})},
        'schedule': schedule,
        'groups': groups,
        'params': [encoded(p) for p in params],
        'grads': [[None if g is None else encoded(g) for g in step] for step in grads],
        'lrs': lrs,
        'expected': expected,
        'alternatives': alternatives or {},
    })


def gradient_steps(shapes, steps, scale=1.0):
    return [[values.uniform(shape, -scale, scale) for shape in shapes] for _ in range(steps)]


def sutskever(params, grads, lrs, mu):
    """Sutskever et al.'s momentum, v ← μv − lr·g; θ ← θ + v: PyTorch's form differs when lr changes."""
    thetas, vs, out = [p.clone() for p in params], [torch.zeros_like(p) for p in params], []
    for step, lr in zip(grads, lrs):
        for k, g in enumerate(step):
            vs[k] = mu * vs[k] - lr * g
            thetas[k] = thetas[k] + vs[k]
        out.append([encoded(t) for t in thetas])
    return out


def keras_rmsprop(params, grads, lr, rho, eps):
    """Keras/TF/TF.js RMSProp: ε inside the square root, θ ← θ − lr·g / √(v + ε)."""
    thetas, vs, out = [p.clone() for p in params], [torch.zeros_like(p) for p in params], []
    for step in grads:
        for k, g in enumerate(step):
            vs[k] = rho * vs[k] + (1 - rho) * g * g
            thetas[k] = thetas[k] - lr * g / torch.sqrt(vs[k] + eps)
        out.append([encoded(t) for t in thetas])
    return out


def adam_global_step(params, grads, lr, b1=0.9, b2=0.999, eps=1e-8):
    """Keras/TF.js Adam: the bias corrections count the optimiser's steps, not the parameter's."""
    thetas = [p.clone() for p in params]
    ms, vs, out = [torch.zeros_like(p) for p in params], [torch.zeros_like(p) for p in params], []
    for t, step in enumerate(grads, start=1):
        for k, g in enumerate(step):
            if g is None:
                continue
            ms[k] = b1 * ms[k] + (1 - b1) * g
            vs[k] = b2 * vs[k] + (1 - b2) * g * g
            thetas[k] = thetas[k] - lr * (ms[k] / (1 - b1 ** t)) / (torch.sqrt(vs[k] / (1 - b2 ** t)) + eps)
        out.append([encoded(t) for t in thetas])
    return out


def optimiser_cases():
    cases = []
    shapes = [[2, 3], [3]]
    params = [values.uniform(s, -1, 1) for s in shapes]
    grads = gradient_steps(shapes, 8)

    # SGD: plain, momentum, Nesterov, coupled weight decay, l1, groups.
    trajectory(cases, 'SGD lr 0.1', 'SGD', params, grads, {'lr': 0.1})
    trajectory(cases, 'SGD lr 0.1, momentum 0.9', 'SGD', params, grads, {'lr': 0.1, 'momentum': 0.9})
    trajectory(cases, 'SGD lr 0.1, momentum 0.9, Nesterov', 'SGD', params, grads, {'lr': 0.1, 'momentum': 0.9, 'nesterov': True})
    trajectory(cases, 'SGD lr 0.1, momentum 0.5, weightDecay 0.1 (coupled)', 'SGD', params, grads,
               {'lr': 0.1, 'momentum': 0.5, 'weightDecay': 0.1})
    trajectory(cases, 'SGD lr 0.1, l1 0.05', 'SGD', params, grads, {'lr': 0.1}, l1=0.05)
    trajectory(cases, 'SGD with groups: weights lr 0.2 and weightDecay 0.1, biases lr 0.05', 'SGD', params, grads,
               {'lr': 0.05, 'momentum': 0.9}, groups=[{'params': [0], 'options': {'lr': 0.2, 'weightDecay': 0.1}}, {'params': [1], 'options': {}}])

    # Schedules drive the learning rate from the step count.
    stepped = {'kind': 'stepDecay', 'args': [0.2, 3, 0.5]}
    momentum_lrs = [0.2 * 0.5 ** (k // 3) for k in range(len(grads))]
    trajectory(cases, 'SGD momentum 0.9 with stepDecay(0.2, 3, 0.5): PyTorch\'s momentum, not Sutskever\'s', 'SGD', params, grads,
               {'lr': 0.2, 'momentum': 0.9}, schedule=stepped,
               alternatives={'sutskever': sutskever(params, grads, momentum_lrs, 0.9)})
    trajectory(cases, 'SGD with exponentialDecay(0.3, 0.8)', 'SGD', params, grads, {'lr': 0.3},
               schedule={'kind': 'exponentialDecay', 'args': [0.3, 0.8]})
    trajectory(cases, 'SGD with cosineDecay(0.3, 8, 0.01)', 'SGD', params, grads, {'lr': 0.3},
               schedule={'kind': 'cosineDecay', 'args': [0.3, 8, 0.01]})
    trajectory(cases, 'SGD with linearWarmup(exponentialDecay(0.3, 0.9), 4)', 'SGD', params, grads, {'lr': 0.3},
               schedule={'kind': 'warmupExponential', 'args': [0.3, 0.9, 4]})

    # RMSProp: PyTorch's ε outside the root (nnlab's default) and Keras's inside (epsilonInside).
    small = [[g * 1e-4 for g in step] for step in grads]
    trajectory(cases, 'RMSProp lr 0.01 (defaults rho 0.9, eps 1e-7)', 'RMSProp', params, grads, {'lr': 0.01})
    trajectory(cases, 'RMSProp lr 0.01, rho 0.8, eps 1e-6, weightDecay 0.01', 'RMSProp', params, grads,
               {'lr': 0.01, 'rho': 0.8, 'eps': 1e-6, 'weightDecay': 0.01})
    trajectory(cases, 'RMSProp lr 0.01 on gradients near 1e-4: ε outside √ (PyTorch), not inside (Keras)', 'RMSProp', params, small,
               {'lr': 0.01}, alternatives={'epsilonInside': keras_rmsprop(params, small, 0.01, 0.9, 1e-7)})

    # Adam and AdamW.
    trajectory(cases, 'Adam lr 0.01', 'Adam', params, grads, {'lr': 0.01})
    trajectory(cases, 'Adam lr 0.05, beta1 0.8, beta2 0.99, eps 1e-6', 'Adam', params, grads,
               {'lr': 0.05, 'beta1': 0.8, 'beta2': 0.99, 'eps': 1e-6})
    trajectory(cases, 'Adam lr 0.01, weightDecay 0.1 (coupled: added to the gradient)', 'Adam', params, grads, {'lr': 0.01, 'weightDecay': 0.1})
    trajectory(cases, 'AdamW lr 0.01, weightDecay 0.1 (decoupled)', 'AdamW', params, grads, {'lr': 0.01, 'weightDecay': 0.1})
    trajectory(cases, 'AdamW lr 0.01 (default weightDecay 0.01)', 'AdamW', params, grads, {'lr': 0.01})
    trajectory(cases, 'AdamW with cosineDecay(0.02, 8), weightDecay 0.5', 'AdamW', params, grads, {'lr': 0.02, 'weightDecay': 0.5},
               schedule={'kind': 'cosineDecay', 'args': [0.02, 8, 0.0]})
    late = [[g[0], None if k < 5 else g[1]] for k, g in enumerate(grads)]
    trajectory(cases, 'Adam lr 0.01: a parameter first given a gradient at step 6 is bias-corrected from its own first step', 'Adam',
               params, late, {'lr': 0.01}, alternatives={'globalStep': adam_global_step(params, late, 0.01)})
    cases.extend(clip_cases())
    return cases


def clip_case(cases, name, how, limit, grads):
    leaves = [torch.zeros_like(g).requires_grad_(True) if g is not None else torch.zeros(2).requires_grad_(True) for g in grads]
    for p, g in zip(leaves, grads):
        p.grad = None if g is None else g.clone()
    if how == 'norm':
        norm = float(torch.nn.utils.clip_grad_norm_(leaves, limit, foreach=False))
    else:
        norm = None
        torch.nn.utils.clip_grad_value_(leaves, limit, foreach=False)
    cases.append({
        'kind': 'clip',
        'name': name,
        'how': how,
        'limit': limit,
        'grads': [None if g is None else encoded(g) for g in grads],
        'clipped': [None if p.grad is None else encoded(p.grad) for p in leaves],
        'norm': None if norm is None else number(norm),
    })


def clip_cases():
    cases = []
    a, b = values.uniform([2, 3], -3, 3), values.uniform([4], -3, 3)
    clip_case(cases, 'clipGradNorm to 1 of a norm near 7', 'norm', 1.0, [a, b])
    clip_case(cases, 'clipGradNorm to 100 of a norm near 7 (unchanged)', 'norm', 100.0, [a, b])
    clip_case(cases, 'clipGradNorm to 1e-6 of tiny gradients (norm near 7e-6)', 'norm', 1e-6, [a * 1e-6, b * 1e-6])
    clip_case(cases, 'clipGradNorm to 1 with a parameter without gradient', 'norm', 1.0, [a, None])
    clip_case(cases, 'clipGradNorm to 1 of gradients holding Infinity', 'norm', 1.0, [torch.tensor([INF, 1.0, -2.0]), b])
    clip_case(cases, 'clipGradValue to 0.5', 'value', 0.5, [a, b])
    clip_case(cases, 'clipGradValue to 1 with ±Infinity and NaN', 'value', 1.0, [torch.tensor([INF, -INF, NAN, 0.25, -3.0])])
    return cases


# --- Whole training runs from fixed weights -------------------------------------------------

def dense_net(sizes, activations, seed_scale):
    layers = []
    for (n_in, n_out), activation in zip(zip(sizes, sizes[1:]), activations):
        layers.append({'in': n_in, 'out': n_out, 'activation': activation,
                       'weight': values.uniform([n_in, n_out], -seed_scale, seed_scale), 'bias': values.uniform([n_out], -0.1, 0.1)})
    return layers


def forward(layers, params, x):
    act = {'linear': lambda v: v, 'sigmoid': torch.sigmoid, 'tanh': torch.tanh, 'relu': torch.relu}
    for layer, (w, b) in zip(layers, params):
        x = act[layer['activation']](x @ w + b)
    return x


def loss_of(kind, y, t):
    if kind == 'mse':
        return F.mse_loss(y, t)
    if kind == 'crossEntropy':
        return F.cross_entropy(y, t.long())
    if kind == 'bceWithLogits':
        return F.binary_cross_entropy_with_logits(y, t)
    raise ValueError(kind)


def training_run(cases, name, layers, x, t, loss, kind, options, steps, clip_value=None, schedule=None):
    params = [(l['weight'].clone().requires_grad_(True), l['bias'].clone().requires_grad_(True)) for l in layers]
    flat = [p for pair in params for p in pair]
    optimizer = torch_optimizer(kind, flat, options, None)
    scheduler = schedule_of(schedule, optimizer)
    losses = []
    for _ in range(steps):
        optimizer.zero_grad()
        value = loss_of(loss, forward(layers, params, x), t)
        value.backward()
        if clip_value is not None:
            torch.nn.utils.clip_grad_value_(flat, clip_value, foreach=False)
        optimizer.step()
        if scheduler is not None:
            scheduler.step()
        losses.append(number(float(value.detach())))
    with torch.no_grad():
        final_loss = float(loss_of(loss, forward(layers, params, x), t))
    cases.append({
        'name': name,
        'layers': [{'in': l['in'], 'out': l['out'], 'activation': l['activation'], 'weight': encoded(l['weight']), 'bias': encoded(l['bias'])}
                   for l in layers],
        'inputs': encoded(x),
        'targets': encoded(t),
        'loss': loss,
        'optimizer': kind,
        'options': options,
        'schedule': schedule,
        'clipValue': clip_value,
        'steps': steps,
        'losses': losses,
        'finalLoss': number(final_loss),
        'finalParams': [encoded(p) for p in flat],
    })


def training_cases():
    cases = []
    xor_x = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    xor_t = torch.tensor([[0.0], [1.0], [1.0], [0.0]])
    xor = dense_net([2, 2, 1], ['sigmoid', 'sigmoid'], 1.0)
    training_run(cases, 'XOR 2-2-1 sigmoid, MSE, SGD lr 5, 300 full-batch steps', xor, xor_x, xor_t, 'mse', 'SGD', {'lr': 5.0}, 300)
    training_run(cases, 'XOR 2-2-1 sigmoid, MSE, SGD Nesterov 0.9 with stepDecay(2, 50, 0.5) and clipGradValue 0.1, 200 steps',
                 xor, xor_x, xor_t, 'mse', 'SGD', {'lr': 2.0, 'momentum': 0.9, 'nesterov': True}, 200, clip_value=0.1,
                 schedule={'kind': 'stepDecay', 'args': [2.0, 50, 0.5]})
    blobs_x = values.uniform([12, 2], -2, 2)
    blobs_t = torch.tensor([float(int(v)) for v in torch.remainder(torch.floor(blobs_x[:, 0] + 2) + torch.floor(blobs_x[:, 1] + 2), 3)])
    training_run(cases, '2-8-3 tanh, cross entropy, Adam lr 0.02, 150 steps', dense_net([2, 8, 3], ['tanh', 'linear'], 0.8),
                 blobs_x, blobs_t, 'crossEntropy', 'Adam', {'lr': 0.02}, 150)
    circle_x = values.uniform([16, 2], -1.5, 1.5)
    circle_t = (circle_x.square().sum(1, keepdim=True) < 1).double()
    training_run(cases, '2-6-1 ReLU, BCE with logits, RMSProp lr 0.01 weightDecay 1e-3, 150 steps', dense_net([2, 6, 1], ['relu', 'linear'], 0.9),
                 circle_x, circle_t, 'bceWithLogits', 'RMSProp', {'lr': 0.01, 'weightDecay': 1e-3}, 150)
    training_run(cases, '2-6-1 tanh, BCE with logits, AdamW lr 0.03, 150 steps', dense_net([2, 6, 1], ['tanh', 'linear'], 0.9),
                 circle_x, circle_t, 'bceWithLogits', 'AdamW', {'lr': 0.03, 'weightDecay': 0.05}, 150)
    return cases
