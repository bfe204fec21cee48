"""The Python side of nnlab's bench: NumPy (forward and backward by hand with @) or PyTorch
(autograd), from the same weights and data as the other libraries.

    python3 bench/python/bench.py < request.json > result.json

The request (written by bench/python.ts) names the library, the thread count, the timing options
(the same as timing.ts: warm-up, ~sampleMs batches, at least minTimeMs and minSamples) and the
task, whose arrays are float32 slices of one raw little-endian file. The result is one JSON
object: the first step's value and the timing, in milliseconds per step, or {"skip": reason}
when the library cannot be imported.

Tasks:
  train: a stack of dense layers (activation per layer), a loss ("mse" against float targets,
         or "ce": softmax cross entropy on integer labels, mean over the batch), SGD with lr;
         the value is the step's loss (before the update).
  eval:  the stack's forward pass only; "maps" keeps every layer's output as one contiguous
         array per unit (heat maps) and the output as softmax probabilities; the value is
         the sum of |every value| (first call only; later calls return one element).
  unary: one elementwise function ("op": sigmoid, tanh or exp) on x, a new array each call,
         written as a user of the library writes it; the value as for eval.
"""
import json
import os
import sys
import time


def load_arrays(task, np):
    raw = np.fromfile(task["file"], dtype="<f4")

    def get(ref):
        offset, shape = ref["offset"], ref["shape"]
        size = 1
        for s in shape:
            size *= s
        return raw[offset:offset + size].reshape(shape).copy()

    layers = [(get(layer["weight"]), get(layer["bias"])) for layer in task["layers"]]
    x = get(task["x"])
    target = get(task["target"]) if "target" in task else None
    return layers, x, target


def first_sum_then_one(compute):
    """The sum of |output| in float64 on the first call, then one element (cheap to return)."""
    first = [True]

    def call():
        y = compute()
        if first[0]:
            first[0] = False
            return float(abs(y).sum(dtype="float64"))
        return float(y.flat[0])

    return call


def numpy_runner(task, np):
    layers, x, target = load_arrays(task, np)
    if task["kind"] == "unary":
        fns = {"sigmoid": lambda v: 1 / (1 + np.exp(-v)), "tanh": np.tanh, "exp": np.exp}
        fn = fns[task["op"]]
        return first_sum_then_one(lambda: fn(x))
    acts = task["activations"]
    lr = task.get("lr", 0.0)

    def act(name, z):
        if name == "relu":
            return np.maximum(z, 0, out=z)
        if name == "sigmoid":
            return np.reciprocal(1 + np.exp(-z), dtype=np.float32)
        if name == "tanh":
            return np.tanh(z, out=z)
        return z

    def act_grad(name, dy, y):
        if name == "relu":
            return dy * (y > 0)
        if name == "sigmoid":
            return dy * y * (1 - y)
        if name == "tanh":
            return dy * (1 - y * y)
        return dy

    def softmax(z):
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    if task["kind"] == "train":
        labels = target.astype(np.int64).reshape(-1) if task["loss"] == "ce" else None
        rows = np.arange(x.shape[0])

        def step():
            hs = [x]
            for (w, b), name in zip(layers, acts):
                hs.append(act(name, hs[-1] @ w + b))
            y = hs[-1]
            if task["loss"] == "mse":
                diff = y - target
                loss = float(np.mean(diff * diff))
                dy = (2.0 / diff.size) * diff
            else:
                p = softmax(y)
                loss = float(-np.mean(np.log(p[rows, labels])))
                p[rows, labels] -= 1
                dy = p / x.shape[0]
            for i in range(len(layers) - 1, -1, -1):
                w, b = layers[i]
                dz = act_grad(acts[i], dy, hs[i + 1])
                if i > 0:
                    dy = dz @ w.T
                w -= lr * (hs[i].T @ dz)
                b -= lr * dz.sum(axis=0)
            return loss

        return step

    first = [True]

    def evaluate():
        h = x
        maps = []
        for i, ((w, b), name) in enumerate(zip(layers, acts)):
            h = act(name, h @ w + b)
            if task.get("maps") and i < len(layers) - 1:
                maps.append(np.ascontiguousarray(h.T))
        if task.get("maps"):
            maps.append(np.ascontiguousarray(softmax(h).T))
        else:
            maps.append(h)
        if first[0]:
            first[0] = False
            return float(sum(np.abs(m).sum(dtype=np.float64) for m in maps))
        return float(maps[-1].flat[0])

    return evaluate


def torch_runner(task, np, torch):
    layers, x, target = load_arrays(task, np)
    acts = task["activations"]
    lr = task.get("lr", 0.0)
    fns = {"relu": torch.relu, "sigmoid": torch.sigmoid, "tanh": torch.tanh, "linear": lambda z: z}
    params = []
    for w, b in layers:
        params.append((torch.from_numpy(w).requires_grad_(task["kind"] == "train"), torch.from_numpy(b).requires_grad_(task["kind"] == "train")))
    xt = torch.from_numpy(x)

    if task["kind"] == "unary":
        fn = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "exp": torch.exp}[task["op"]]

        def compute():
            with torch.inference_mode():
                return fn(xt).numpy()

        return first_sum_then_one(compute)

    if task["kind"] == "train":
        if task["loss"] == "ce":
            labels = torch.from_numpy(target.astype(np.int64).reshape(-1))
            loss_fn = lambda y: torch.nn.functional.cross_entropy(y, labels)
        else:
            tt = torch.from_numpy(target)
            loss_fn = lambda y: torch.nn.functional.mse_loss(y, tt)
        flat = [p for pair in params for p in pair]

        def step():
            h = xt
            for (w, b), name in zip(params, acts):
                h = fns[name](torch.addmm(b, h, w))
            loss = loss_fn(h)
            loss.backward()
            with torch.no_grad():
                for p in flat:
                    p -= lr * p.grad
                    p.grad = None
            return float(loss.item())

        return step

    first = [True]

    def evaluate():
        with torch.inference_mode():
            h = xt
            maps = []
            for i, ((w, b), name) in enumerate(zip(params, acts)):
                h = fns[name](torch.addmm(b, h, w))
                if task.get("maps") and i < len(params) - 1:
                    maps.append(h.t().contiguous())
            if task.get("maps"):
                maps.append(torch.softmax(h, dim=1).t().contiguous())
            else:
                maps.append(h)
            if first[0]:
                first[0] = False
                return float(sum(m.abs().double().sum().item() for m in maps))
            return float(maps[-1].flatten()[0].item())

    return evaluate


def percentile(values, q):
    at = (len(values) - 1) * q
    lo, hi = int(at // 1), int(-(-at // 1))
    return values[lo] + (values[hi] - values[lo]) * (at - lo)


def measure(step, options):
    """timing.ts's measure: warm-up until steady, calibrate batches of ~sampleMs, then sample."""
    now = lambda: time.perf_counter() * 1000
    warm_start = now()
    previous = float("inf")
    while True:
        window_start = now()
        calls = 0
        while True:
            step()
            calls += 1
            if now() - window_start >= options["warmupWindowMs"]:
                break
        mean = (now() - window_start) / calls
        warmed = now() - warm_start
        steady = abs(mean - previous) <= 0.1 * previous
        if (warmed >= options["warmupMs"] and steady) or warmed >= options["maxWarmupMs"]:
            break
        previous = mean
    warmup_ms = now() - warm_start
    iters = 1
    for _ in range(3):
        n = 1
        while True:
            t0 = now()
            for _ in range(n):
                step()
            elapsed = now() - t0
            if elapsed >= options["sampleMs"] / 2 or n >= 1 << 20:
                iters = max(iters, round(n * options["sampleMs"] / max(elapsed, 1e-9)))
                break
            n *= 2
    wall, cpu, total = [], [], 0.0
    start = now()
    while len(wall) < options["minSamples"] or now() - start < options["minTimeMs"]:
        c0 = time.process_time()
        t0 = now()
        for _ in range(iters):
            step()
        t1 = now()
        c1 = time.process_time()
        total += t1 - t0
        wall.append((t1 - t0) / iters)
        cpu.append((c1 - c0) * 1000 / iters)
    wall.sort()
    cpu.sort()
    return {
        "medianMs": percentile(wall, 0.5), "p10Ms": percentile(wall, 0.1), "p90Ms": percentile(wall, 0.9),
        "meanMs": total / (len(wall) * iters),
        "cpuMedianMs": percentile(cpu, 0.5), "cpuP10Ms": percentile(cpu, 0.1), "cpuP90Ms": percentile(cpu, 0.9),
        "samples": len(wall), "itersPerSample": iters, "warmupMs": warmup_ms,
    }


def main():
    request = json.load(sys.stdin)
    library, threads = request["library"], request.get("threads", 1)
    # BLAS thread pools read these at import: set them before NumPy loads.
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(threads)
    try:
        import numpy as np
    except ImportError as error:
        print(json.dumps({"skip": f"python3 cannot import numpy ({error})"}))
        return
    if library == "torch":
        try:
            import torch
        except ImportError as error:
            print(json.dumps({"skip": f"python3 cannot import torch ({error}): pip install torch to add it"}))
            return
        torch.set_num_threads(threads)
        step = torch_runner(request["task"], np, torch)
        version = f"torch {torch.__version__}, {torch.get_num_threads()} thread(s)"
    else:
        step = numpy_runner(request["task"], np)
        version = f"numpy {np.__version__}, {threads} BLAS thread(s)"
    first = step()
    timing = measure(step, request["timing"])
    print(json.dumps({"firstValue": first, "timing": timing, "version": version}))


if __name__ == "__main__":
    main()
