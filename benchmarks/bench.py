"""Speed and memory of sknnbasics against peers that do the same math.

Run ``python benchmarks/bench.py`` (a few minutes) or ``--quick`` (under a
minute, smaller everything). Not a test: pytest never collects it. It prints
Markdown tables; ``benchmarks/README.md`` holds one run and explains them.

Every comparison runs the same iterations of the same math:

* networks against scikit-learn's ``MLPClassifier(solver="sgd",
  batch_size=m, momentum=0, alpha=0, learning_rate_init=α, tol=0,
  n_iter_no_change=huge, shuffle=False, max_iter=N)`` with the same hidden
  activation (ours with ``tol=None``: exactly N iterations);
* ``LogisticGD`` against the lecture's §二 loop written in plain numpy;
* both against PyTorch on the CPU with the same formulas, when it is installed;
* both against the *floor*: the same iterations' matrix products alone —
  W[l] A[l-1], dZ[l] A[l-1]ᵀ and W[l]ᵀ dZ[l] into preallocated arrays, in the
  same memory layout and through the same function as ours
  (``_network._product``) — over all m columns at once, and (networks)
  also a block of columns at a time as training does them.

Runs are interleaved (ours, peer, floor, ours, peer, floor, …) so that a
slow moment of the machine hits all of them, and each table reports the
median over the rounds of the per-round ratio.

``--sections gpu`` (not part of ``all``: it needs PyTorch with a CUDA device,
and ``SCIPY_ARRAY_API=1`` in the environment) times full-batch fits at
m = 10⁵ … 10⁷ rows on the GPU: ours on torch CUDA tensors (float32 and
float64) against ``MLPClassifier`` on NumPy on the same machine's CPU, and
against the floor on the GPU, a hand-written torch loop of the same formulas.
"""

import argparse
import gc
import math
import os
import platform
import resource
import statistics
import sys
import time
import tracemalloc
import warnings
from functools import partial
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.neural_network import MLPClassifier, MLPRegressor  # noqa: E402

from sknnbasics import (  # noqa: E402
    DeepNetClassifier,
    DeepNetRegressor,
    LogisticGD,
    ShallowNetClassifier,
    ShallowNetRegressor,
)
from sknnbasics._activations import get_activation  # noqa: E402
from sknnbasics._cost import OutputLayer  # noqa: E402
from sknnbasics._network import (  # noqa: E402
    _product,
    backward_propagation,
    compute_cost,
    forward_propagation,
    initialize_parameters,
)
from sknnbasics._training import _Workspace  # noqa: E402

try:
    import torch
except ImportError:
    torch = None

GPU = "cuda"  # the device of the gpu section
CATS = ROOT.parent / "shared" / "datasets" / "catvnoncat" / "train_catvnoncat.h5"
DTYPES = (np.float64, np.float32)


# -- data --------------------------------------------------------------------


def cat_images():
    """The 209 training images as (209, 12288) floats in [0, 1] and their
    labels, read from the raw layout of the HDF5 file, or None if absent."""
    if not CATS.exists():
        return None
    pixels = 209 * 64 * 64 * 3
    images = np.fromfile(CATS, dtype=np.uint8, count=pixels, offset=2144)
    labels = np.fromfile(CATS, dtype="<i8", count=209, offset=2144 + pixels)
    if images.size != pixels or not np.isin(labels, (0, 1)).all():
        return None
    return images.reshape(209, -1) / 255.0, labels


def random_problem(m, n_x, seed=0):
    """Standard-normal X (m, n_x) and 0/1 labels from a noisy linear rule."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((m, n_x))
    w = rng.standard_normal(n_x)
    y = (X @ w + 0.5 * rng.standard_normal(m) > 0).astype(np.int64)
    return X, y


def problem(m, n_x):
    """(X, y, source): the cat images for 209 × 12288, else random data."""
    if (m, n_x) == (209, 12288):
        cats = cat_images()
        if cats is not None:
            return *cats, "cat images"
    return *random_problem(m, n_x), "random"


# -- timing ------------------------------------------------------------------


CLOCK = time.perf_counter  # --clock cpu: time.process_time


def interleaved(functions, rounds):
    """Run each function once per round, in turn; return {name: [seconds]}."""
    for f in functions.values():  # warm-up: imports, first allocations, caches
        f()
    times = {name: [] for name in functions}
    gc.collect()
    gc.disable()  # a collection inside one run and not the other is noise
    try:
        for _ in range(rounds):
            for name, f in functions.items():
                start = CLOCK()
                f()
                times[name].append(CLOCK() - start)
    finally:
        gc.enable()
    return times


def median_ratio(times, a, b):
    """Median over the rounds of times[a] / times[b]."""
    return statistics.median(x / y for x, y in zip(times[a], times[b], strict=True))


def median(values):
    return statistics.median(values)


def geometric_mean(values):
    return math.exp(statistics.fmean(math.log(v) for v in values))


def quiet_fit(estimator, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return estimator.fit(X, y)


# -- the peers ---------------------------------------------------------------


def mlp(hidden, activation, learning_rate, max_iter, batch_size, shuffle=False):
    """scikit-learn's MLP set up to run plain gradient descent for exactly
    ``max_iter`` epochs."""
    return MLPClassifier(
        hidden_layer_sizes=hidden, activation=activation, solver="sgd",
        batch_size=batch_size, momentum=0.0, nesterovs_momentum=False, alpha=0.0,
        learning_rate="constant", learning_rate_init=learning_rate, tol=0.0,
        n_iter_no_change=10**9, shuffle=shuffle, max_iter=max_iter,
        random_state=0,
    )


def ours(hidden, activation, learning_rate, max_iter, batch_size=None):
    common = dict(activation=activation, solver="gd", learning_rate=learning_rate,
                  max_iter=max_iter, tol=None, batch_size=batch_size,
                  random_state=0)
    if len(hidden) == 1:
        return ShallowNetClassifier(hidden[0], **common)
    return DeepNetClassifier(hidden, **common)


def lecture_logistic_loop(X, y, learning_rate, max_iter):
    """§二 of the lecture, literally: the reference LogisticGD is timed against."""
    X = X.T
    n_x, m = X.shape
    Y = y.reshape(1, m).astype(X.dtype)
    w, b = np.zeros((n_x, 1), X.dtype), 0.0
    for _ in range(max_iter):
        A = 1 / (1 + np.exp(-(w.T @ X + b)))
        cost = -1 / m * np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A))  # noqa: F841
        dw = 1 / m * X @ (A - Y).T
        db = 1 / m * np.sum(A - Y)
        w = w - learning_rate * dw
        b = b - learning_rate * db
    return w, b


def torch_loop(X, y, dims, activation, learning_rate, max_iter):
    """The same formulas with torch tensors on the CPU (no autograd)."""
    dtype = torch.float64 if X.dtype == np.float64 else torch.float32
    A0 = torch.from_numpy(X).T
    Y = torch.from_numpy(y.reshape(1, -1)).to(dtype)
    m = A0.shape[1]
    g = {"tanh": torch.tanh, "relu": torch.relu, "sigmoid": torch.sigmoid}[activation]
    generator = torch.Generator().manual_seed(0)
    W = [torch.randn(dims[l], dims[l - 1], generator=generator, dtype=dtype)
         / math.sqrt(dims[l - 1]) for l in range(1, len(dims))]
    b = [torch.zeros(dims[l], 1, dtype=dtype) for l in range(1, len(dims))]
    L = len(W)
    with torch.no_grad():
        for _ in range(max_iter):
            A, Zs = [A0], []
            for l in range(L):
                Z = W[l] @ A[-1] + b[l]
                Zs.append(Z)
                A.append(torch.sigmoid(Z) if l == L - 1 else g(Z))
            ZL = Zs[-1]
            cost = (torch.clamp(ZL, min=0) - Y * ZL  # noqa: F841
                    + torch.log1p(torch.exp(-ZL.abs()))).mean()
            dZ = A[-1] - Y
            for l in range(L - 1, -1, -1):
                dW = dZ @ A[l].T / m
                db = dZ.sum(dim=1, keepdim=True) / m
                if l > 0:
                    dA = W[l].T @ dZ
                    if activation == "tanh":
                        dZ = dA * (1 - A[l] ** 2)
                    elif activation == "relu":
                        dZ = dA * (Zs[l - 1] >= 0)
                    else:
                        dZ = dA * A[l] * (1 - A[l])
                W[l] -= learning_rate * dW
                b[l] -= learning_rate * db


def torch_gpu_loop(A0, Y, dims, learning_rate, max_iter):
    """The lecture's full-batch gradient descent for a tanh network with one
    sigmoid output, in torch on A0's device (no autograd): the floor of the
    ``gpu`` section. A0 is (n_x, m), Y is (1, m), both already there."""
    dtype, where = A0.dtype, A0.device
    generator = torch.Generator().manual_seed(0)
    W = [(torch.randn(dims[l], dims[l - 1], generator=generator, dtype=dtype)
          / math.sqrt(dims[l - 1])).to(where) for l in range(1, len(dims))]
    b = [torch.zeros(dims[l], 1, dtype=dtype, device=where)
         for l in range(1, len(dims))]
    L, m = len(W), A0.shape[1]
    costs = []
    with torch.no_grad():
        for _ in range(max_iter):
            A = [A0]
            for l in range(L):
                Z = W[l] @ A[-1] + b[l]
                A.append(torch.sigmoid(Z) if l == L - 1 else torch.tanh(Z))
            costs.append(torch.mean(torch.clamp(Z, min=0) - Y * Z
                                    + torch.log1p(torch.exp(-Z.abs()))))
            dZ = A[-1] - Y
            for l in range(L - 1, -1, -1):
                dW = dZ @ A[l].T / m
                db = dZ.sum(dim=1, keepdim=True) / m
                if l > 0:
                    dZ = (W[l].T @ dZ) * (1 - A[l] ** 2)
                W[l] -= learning_rate * dW
                b[l] -= learning_rate * db
    return [float(c) for c in costs]  # as ours: J as a number every iteration


def gpu(sizes, iterations, rounds, n_x=20, hidden=(16,), learning_rate=0.05):
    """Full-batch fits on a CUDA GPU: ours on torch tensors vs MLPClassifier
    on NumPy (CPU) vs the hand-written torch loop (GPU). Exits with a message
    when there is no CUDA device."""
    if torch is None or not torch.cuda.is_available():
        sys.exit("The gpu section needs PyTorch with a CUDA device, and "
                 + ("torch is not installed" if torch is None else
                    f"torch {torch.__version__} sees no CUDA device")
                 + ": nothing to measure here. Run it on a machine with a GPU.")
    if os.environ.get("SCIPY_ARRAY_API") != "1":
        sys.exit("The gpu section uses scikit-learn's array_api_dispatch, which "
                 "needs SCIPY_ARRAY_API=1 set before scipy is imported: run "
                 "SCIPY_ARRAY_API=1 python benchmarks/bench.py --sections gpu")
    import sklearn

    def synchronized(f):
        def run():
            f()
            torch.cuda.synchronize()
        return run

    name = torch.cuda.get_device_name()
    print(f"\n## GPU: full batch, {iterations} iterations, {n_x} → "
          f"{' → '.join(map(str, hidden))} → 1, tanh ({name})\n")
    print("| m | dtype | MLPClassifier (CPU) s | ours (GPU) s | torch loop (GPU) s "
          "| MLP ÷ ours | ours ÷ loop |")
    print("|---|---|---|---|---|---|---|")
    rows = []
    for m in sizes:
        X, y = random_problem(m, n_x)
        for dtype in (np.float32, np.float64):
            X_d = X.astype(dtype)
            X_gpu = torch.asarray(X_d, device=GPU)
            y_gpu = torch.asarray(y, device=GPU)
            A0, Y = X_gpu.T, y_gpu.reshape(1, -1).to(X_gpu.dtype)
            model = ours(hidden, "tanh", learning_rate, iterations).set_params(
                solver="gd", momentum=0.0)

            def fit_gpu(model=model, X_gpu=X_gpu, y_gpu=y_gpu):
                with sklearn.config_context(array_api_dispatch=True):
                    quiet_fit(model, X_gpu, y_gpu)

            functions = {
                "ours": synchronized(fit_gpu),
                "loop": synchronized(partial(torch_gpu_loop, A0, Y,
                                             [n_x, *hidden, 1], learning_rate,
                                             iterations)),
                "mlp": partial(quiet_fit, mlp(hidden, "tanh", learning_rate,
                                              iterations, m), X_d, y),
            }
            times = interleaved(functions, rounds)
            row = {"m": m, "dtype": np.dtype(dtype).name,
                   "vs_mlp": median_ratio(times, "mlp", "ours"),
                   "vs_loop": median_ratio(times, "ours", "loop")}
            rows.append(row)
            print(f"| {m:.0e} | {row['dtype']} | {median(times['mlp']):.3f} | "
                  f"{median(times['ours']):.4f} | {median(times['loop']):.4f} | "
                  f"{row['vs_mlp']:.1f} | {row['vs_loop']:.2f} |")
            del X_gpu, y_gpu, A0, Y
            torch.cuda.empty_cache()
    return rows


def check_torch():
    """Drop the torch column (with a note) if the torch loop fails to run."""
    global torch
    if torch is None:
        return
    X, y = random_problem(20, 3)
    try:
        for dtype in DTYPES:
            for activation in ("tanh", "relu"):
                torch_loop(X.astype(dtype), y, [3, 4, 1], activation, 0.1, 2)
            torch_loop(X.astype(dtype), y, [3, 1], "tanh", 0.1, 2)
    except Exception as error:  # an optional peer must not stop the benchmark
        print(f"- torch {torch.__version__} is installed but the torch loop "
              f"failed ({error!r}): its column is skipped")
        torch = None


def floor_loop(X, dims, max_iter, blocked=False):
    """The matrix products of ``max_iter`` iterations and nothing else: a
    function to time. X is (m, n_x) as the estimators get it; A[0] = Xᵀ.

    Every product goes through ``_network._product``, so the floor uses the
    kernels ours uses. ``blocked=False``: each product over all m columns at
    once, as the lecture writes them. ``blocked=True``: the same products a
    block of columns at a time, with the block width training picks
    (``_training._Workspace``), which runs them faster when m is large.
    """
    rng = np.random.default_rng(1)
    dtype, m, L = X.dtype, X.shape[0], len(dims) - 1
    W = [None] + [(rng.standard_normal((dims[l], dims[l - 1]))
                   / math.sqrt(dims[l - 1])).astype(dtype) for l in range(1, L + 1)]
    width = m
    if blocked:
        parameters = {}
        for l in range(1, L + 1):
            parameters[f"W{l}"] = W[l]
            parameters[f"b{l}"] = np.zeros((dims[l], 1), dtype)
        workspace = _Workspace(parameters, X.T, np.zeros((1, m), dtype), None, m)
        width = workspace.block_width(m)
    flat = [None] + [np.empty(dims[l] * width, dtype) for l in range(1, L + 1)]
    d_flat = [None] + [rng.standard_normal(dims[l] * width).astype(dtype)
                       for l in range(1, L + 1)]
    dA_flat = [np.empty(dims[l] * width, dtype) for l in range(L)]
    dW = [None] + [np.empty_like(W[l]) for l in range(1, L + 1)]

    def run():
        for _ in range(max_iter):
            for start in range(0, m, width):
                A0 = X[start:start + width].T
                b = A0.shape[1]
                Z = [A0] + [flat[l][:dims[l] * b].reshape(dims[l], b)
                            for l in range(1, L + 1)]
                for l in range(1, L + 1):
                    _product(W[l], Z[l - 1], out=Z[l])
                for l in range(L, 0, -1):
                    dZ = d_flat[l][:dims[l] * b].reshape(dims[l], b)
                    _product(dZ, Z[l - 1].T, out=dW[l])
                    if l > 1:
                        _product(W[l].T, dZ,
                                 out=dA_flat[l - 1][:dims[l - 1] * b].reshape(
                                     dims[l - 1], b))
    return run


# -- sections ----------------------------------------------------------------


def full_batch(cases, iterations, rounds, learning_rate=0.05):
    """Full-batch fits: ours vs MLPClassifier vs torch vs the floor."""
    print("\n## Full-batch fit: ours vs MLPClassifier(sgd, batch_size=m) "
          "and the floor\n")
    print(f"N = {iterations} iterations per fit, {rounds} interleaved rounds; "
          "ratios are medians of per-round ratios (< 1: ours is faster).\n")
    header = ("| case | data | dtype | activation | ours ms/iter | MLP ms/iter "
              "| floor ms/iter | blocked floor ms/iter | ours ÷ MLP | ours ÷ floor "
              "| ours ÷ blocked floor |")
    if torch is not None:
        header += " ours ÷ torch |"
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    rows = []
    for name, m, n_x, hidden, activation in cases:
        X64, y, source = problem(m, n_x)
        for dtype in DTYPES:
            X = X64.astype(dtype)
            dims = [n_x, *hidden, 1]
            a = ours(hidden, activation, learning_rate, iterations)
            b = mlp(hidden, activation, learning_rate, iterations, batch_size=m)
            functions = {"ours": partial(quiet_fit, a, X, y),
                         "mlp": partial(quiet_fit, b, X, y),
                         "floor": floor_loop(X, dims, iterations),
                         "blocked": floor_loop(X, dims, iterations, blocked=True)}
            if torch is not None:
                functions["torch"] = partial(torch_loop, X, y, dims, activation,
                                             learning_rate, iterations)
            times = interleaved(functions, rounds)
            assert a.coefs_[0].dtype == dtype, "float32 must stay float32"
            row = dict(case=name, dtype=np.dtype(dtype).name,
                       vs_mlp=median_ratio(times, "ours", "mlp"),
                       vs_floor=median_ratio(times, "ours", "floor"),
                       vs_blocked=median_ratio(times, "ours", "blocked"))
            rows.append(row)
            line = (f"| {name} | {source} | {row['dtype']} | {activation} "
                    f"| {1e3 * median(times['ours']) / iterations:.2f} "
                    f"| {1e3 * median(times['mlp']) / iterations:.2f} "
                    f"| {1e3 * median(times['floor']) / iterations:.2f} "
                    f"| {1e3 * median(times['blocked']) / iterations:.2f} "
                    f"| {row['vs_mlp']:.2f} | {row['vs_floor']:.2f} "
                    f"| {row['vs_blocked']:.2f} |")
            if torch is not None:
                line += f" {median_ratio(times, 'ours', 'torch'):.2f} |"
            print(line, flush=True)
    if torch is None:
        print("\n(PyTorch is not installed: its column is skipped.)")
    return rows


def logistic(cases, iterations, rounds):
    """LogisticGD vs the lecture's numpy loop and the floor."""
    print("\n## LogisticGD vs the lecture's §二 loop in plain numpy\n")
    header = ("| m × n_x | data | dtype | LogisticGD ms/iter | numpy loop ms/iter "
              "| floor ms/iter | ours ÷ loop | ours ÷ floor |")
    if torch is not None:
        header += " ours ÷ torch |"
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    rows = []
    for m, n_x in cases:
        X64, y, source = problem(m, n_x)
        for dtype in DTYPES:
            X = X64.astype(dtype)
            learning_rate = 0.005 if n_x > 1000 else 0.1
            est = LogisticGD(learning_rate=learning_rate, max_iter=iterations,
                             tol=None)
            functions = {
                "ours": partial(quiet_fit, est, X, y),
                "loop": partial(lecture_logistic_loop, X, y, learning_rate,
                                iterations),
                "floor": floor_loop(X, [n_x, 1], iterations),
            }
            if torch is not None:
                functions["torch"] = partial(torch_loop, X, y, [n_x, 1], "tanh",
                                             learning_rate, iterations)
            times = interleaved(functions, rounds)
            row = dict(case=f"{m} × {n_x}", dtype=np.dtype(dtype).name,
                       vs_loop=median_ratio(times, "ours", "loop"),
                       vs_floor=median_ratio(times, "ours", "floor"))
            rows.append(row)
            line = (f"| {m} × {n_x} | {source} | {row['dtype']} "
                    f"| {1e3 * median(times['ours']) / iterations:.2f} "
                    f"| {1e3 * median(times['loop']) / iterations:.2f} "
                    f"| {1e3 * median(times['floor']) / iterations:.2f} "
                    f"| {row['vs_loop']:.2f} | {row['vs_floor']:.2f} |")
            if torch is not None:
                line += f" {median_ratio(times, 'ours', 'torch'):.2f} |"
            print(line, flush=True)
    return rows


def check_float32():
    """Every array of one training step stays float32 for float32 input."""
    X, y = random_problem(50, 6)
    X = X.astype(np.float32).T
    Y = y.reshape(1, -1).astype(np.float32)
    problems = []
    for activation in ("sigmoid", "tanh", "relu", "leaky_relu", "identity"):
        for K in (1, 3):
            Yk = Y if K == 1 else np.eye(K, dtype=np.float32)[:, np.arange(50) % K]
            parameters = initialize_parameters([6, 5, 4, K], "xavier", 0.01,
                                               np.random.RandomState(0), np.float32)
            hidden = get_activation(activation)
            output = OutputLayer("logistic" if K == 1 else "softmax")
            cache, grads, work = _Workspace(parameters, X, Yk, None, 50).views(50)
            cache = forward_propagation(X, parameters, hidden, output, cache)
            compute_cost(cache, Yk, parameters, output, None, 0.1, work)
            grads = backward_propagation(cache, Yk, parameters, hidden, output,
                                         None, 0.1, grads)
            arrays = {**cache, **grads, "work": work[0]}
            problems += [f"{activation}/{K}: {k} is {v.dtype}"
                         for k, v in arrays.items() if v.dtype != np.float32]
    est = quiet_fit(DeepNetClassifier((5, 4), max_iter=3, tol=None, random_state=0),
                    X.T, y)
    problems += [f"coefs_ {c.dtype}" for c in est.coefs_ if c.dtype != np.float32]
    print("\nfloat32 end to end:", "yes" if not problems else f"NO: {problems}")
    return not problems


def traced_peak(f):
    """Peak bytes numpy and Python allocated while f() ran, above the start."""
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        f()
        return tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()


def page_faults(f):
    """Minor page faults while f() ran: fresh memory touched for the first time
    (a large array allocated anew each iteration shows up here)."""
    gc.collect()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    f()
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before


def memory(m, n_x, n_h, iterations):
    print(f"\n## Memory during fit (m = {m}, n_x = {n_x}, n_h = {n_h}, tanh, "
          f"float64, N = {iterations})\n")
    X, y = random_problem(m, n_x)
    activation_bytes = n_h * m * 8
    print(f"One hidden activation array (n_h × m) is {activation_bytes / 1e6:.1f} MB;"
          f" X itself is {X.nbytes / 1e6:.1f} MB (allocated before, not counted).\n")
    print("| estimator | peak MB during fit | in activation arrays "
          "| page faults per iteration |")
    print("|---|---|---|---|")
    results = {}
    for name, make in [("ours", lambda: ours((n_h,), "tanh", 0.05, iterations)),
                       ("MLPClassifier", lambda: mlp((n_h,), "tanh", 0.05,
                                                     iterations, m))]:
        peak = traced_peak(lambda make=make: quiet_fit(make(), X, y))
        quiet_fit(make(), X, y)  # so that faults count the iterations, not imports
        one = page_faults(lambda make=make: quiet_fit(make().set_params(max_iter=1),
                                                      X, y))
        many = page_faults(lambda make=make: quiet_fit(make(), X, y))
        per_iteration = max(0, many - one) / (iterations - 1)
        results[name] = peak
        print(f"| {name} | {peak / 1e6:.1f} | {peak / activation_bytes:.1f} "
              f"| {per_iteration:.0f} |", flush=True)
    return results


def predict_latency(rounds):
    print("\n## Predict latency (n_x = 100, n_h = 64, tanh, float64)\n")
    X, y = random_problem(10_000, 100)
    a = quiet_fit(ours((64,), "tanh", 0.05, 5), X[:2000], y[:2000])
    b = quiet_fit(mlp((64,), "tanh", 0.05, 5, 2000), X[:2000], y[:2000])
    print("| rows | ours µs | MLPClassifier µs | ours ÷ MLP |")
    print("|---|---|---|---|")
    rows = {}
    for n_rows, r in [(1, rounds * 40), (10_000, rounds * 4)]:
        Xp = X[:n_rows]
        times = interleaved({"ours": partial(a.predict, Xp),
                             "mlp": partial(b.predict, Xp)}, r)
        rows[n_rows] = median_ratio(times, "ours", "mlp")
        print(f"| {n_rows} | {1e6 * median(times['ours']):.0f} "
              f"| {1e6 * median(times['mlp']):.0f} | {rows[n_rows]:.2f} |",
              flush=True)
    return rows


def mini_batch(cases, epochs, rounds):
    print(f"\n## Mini-batch epochs: ours vs MLPClassifier(sgd, shuffle=True), "
          f"{epochs} epochs, tanh, float64\n")
    print("| m × n_x → n_h | batch_size | ours ms/epoch | MLP ms/epoch | ours ÷ MLP |")
    print("|---|---|---|---|---|")
    rows = []
    for m, n_x, n_h, batch_size in cases:
        X, y = random_problem(m, n_x)
        a = ours((n_h,), "tanh", 0.05, epochs, batch_size)
        b = mlp((n_h,), "tanh", 0.05, epochs, batch_size, shuffle=True)
        times = interleaved({"ours": partial(quiet_fit, a, X, y),
                             "mlp": partial(quiet_fit, b, X, y)}, rounds)
        ratio = median_ratio(times, "ours", "mlp")
        rows.append(ratio)
        print(f"| {m} × {n_x} → {n_h} | {batch_size} "
              f"| {1e3 * median(times['ours']) / epochs:.1f} "
              f"| {1e3 * median(times['mlp']) / epochs:.1f} | {ratio:.2f} |",
              flush=True)
    return rows


def scale(sizes, iterations, rounds, n_x=20, n_h=16):
    print(f"\n## Scale: fit time against m (n_x = {n_x}, n_h = {n_h}, tanh, "
          f"float64, N = {iterations})\n")
    print("| m | ours s/fit | ns per row·iteration | MLP s/fit | ours ÷ MLP "
          "| ours peak MB | MLP peak MB |")
    print("|---|---|---|---|---|---|---|")
    per_row = []
    for m in sizes:
        X, y = random_problem(m, n_x)
        a = ours((n_h,), "tanh", 0.05, iterations)
        b = mlp((n_h,), "tanh", 0.05, iterations, m)
        times = interleaved({"ours": partial(quiet_fit, a, X, y),
                             "mlp": partial(quiet_fit, b, X, y)}, rounds)
        ours_peak = traced_peak(partial(quiet_fit, a, X, y))
        mlp_peak = traced_peak(partial(quiet_fit, b, X, y))
        t = median(times["ours"])
        per_row.append(t / (m * iterations))
        print(f"| {m:.0e} | {t:.3f} | {1e9 * per_row[-1]:.1f} "
              f"| {median(times['mlp']):.3f} "
              f"| {median_ratio(times, 'ours', 'mlp'):.2f} "
              f"| {ours_peak / 1e6:.0f} | {mlp_peak / 1e6:.0f} |", flush=True)
    return per_row


def stream(total, chunk, n_x=20, n_h=16):
    print(f"\n## partial_fit: streaming {total:.0e} rows in chunks of {chunk} "
          f"(n_x = {n_x}, n_h = {n_h}, tanh, float64)\n")
    est = ShallowNetClassifier(n_h, activation="tanh", solver="gd",
                               learning_rate=0.05, batch_size=None,
                               random_state=0)
    rng = np.random.default_rng(0)
    w = rng.standard_normal(n_x)
    checkpoints = {}
    n_chunks = total // chunk

    def run():
        for i in range(n_chunks):
            X = rng.standard_normal((chunk, n_x))
            y = (X @ w > 0).astype(np.int64)
            est.partial_fit(X, y, classes=[0, 1])
            del X, y  # so that one chunk at a time is alive
            if (i + 1) in (1, n_chunks // 10, n_chunks // 2, n_chunks):
                checkpoints[(i + 1) * chunk] = tracemalloc.get_traced_memory()[1]

    gc.collect()
    tracemalloc.start()
    start = time.perf_counter()
    try:
        run()
    finally:
        seconds = time.perf_counter() - start
        tracemalloc.stop()
    print("| rows seen | peak traced MB so far |")
    print("|---|---|")
    for rows, peak in checkpoints.items():
        print(f"| {rows:.0e} | {peak / 1e6:.1f} |")
    chunk_bytes = chunk * n_x * 8
    print(f"\n{total / seconds / 1e6:.2f} million rows/s (under tracemalloc); one "
          f"chunk of X is {chunk_bytes / 1e6:.1f} MB; final loss "
          f"{est.loss_curve_[-1]:.4f} after {est.n_iter_} calls.")
    return checkpoints


def vectorisation(m, rounds, n_x=20, n_h=16):
    """§三 多样本向量化: one forward pass over all m columns against the
    lecture's ``for i = 1 to m`` loop, the same function once per sample."""
    print(f"\n## Vectorisation: the forward pass over m = {m} samples at once vs "
          f"a loop over the samples (n_x = {n_x}, n_h = {n_h}, tanh, float64)\n")
    X = random_problem(m, n_x)[0].T  # (n_x, m), the lecture's orientation
    parameters = initialize_parameters([n_x, n_h, 1], "xavier", 0.01,
                                       np.random.RandomState(0))
    hidden, output = get_activation("tanh"), OutputLayer("logistic")
    columns = [X[:, i:i + 1] for i in range(m)]

    def vectorised():
        forward_propagation(X, parameters, hidden, output)

    def loop():
        for x in columns:
            forward_propagation(x, parameters, hidden, output)

    times = interleaved({"vectorised": vectorised, "loop": loop}, rounds)
    ratio = median_ratio(times, "loop", "vectorised")
    print("| vectorised ms | loop over samples ms | loop ÷ vectorised |")
    print("|---|---|---|")
    print(f"| {1e3 * median(times['vectorised']):.2f} "
          f"| {1e3 * median(times['loop']):.1f} | {ratio:.0f} |", flush=True)
    return ratio


# -- the defaults against MLPClassifier() and MLPRegressor() (issue 13) -------


def defaults_data():
    """The six classification and two regression data sets of issue 13."""
    from sklearn.datasets import (
        load_breast_cancer,
        load_diabetes,
        load_digits,
        load_iris,
        load_wine,
        make_circles,
        make_friedman1,
        make_moons,
    )
    classification = {
        "digits": load_digits(return_X_y=True),
        "iris": load_iris(return_X_y=True),
        "wine": load_wine(return_X_y=True),
        "breast_cancer": load_breast_cancer(return_X_y=True),
        "moons": make_moons(500, noise=0.2, random_state=0),
        "circles": make_circles(500, noise=0.1, factor=0.5, random_state=0),
    }
    regression = {
        "diabetes": load_diabetes(return_X_y=True),
        "friedman1": make_friedman1(n_samples=500, random_state=0),
    }
    return classification, regression


def _split_scores(make, X, y, splits, regression):
    """(mean test score, total fit seconds) of ``make()`` over ``splits``:
    make_pipeline(StandardScaler(), est), the target scaled too for a
    regressor (TransformedTargetRegressor)."""
    from sklearn.compose import TransformedTargetRegressor
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    scores, seconds = [], 0.0
    for train, test in splits:
        model = make_pipeline(StandardScaler(), make())
        if regression:
            model = TransformedTargetRegressor(regressor=model,
                                               transformer=StandardScaler())
        start = CLOCK()
        quiet_fit(model, X[train], y[train])
        seconds += CLOCK() - start
        scores.append(model.score(X[test], y[test]))
    return statistics.fmean(scores), seconds


def defaults(rounds):
    """Every network at its defaults against MLPClassifier() / MLPRegressor(),
    as issue 13 measures them: StandardScaler in a pipeline, 3 splits
    (stratified for classification; seeds 0, 1, 2), mean test accuracy / R²
    and the fit time summed over the splits. The estimators take turns on
    each split (MLP, ours, …), ``rounds`` times; the times are the medians
    over the rounds and the ratios medians of the per-round ratios."""
    from sklearn.model_selection import ShuffleSplit, StratifiedShuffleSplit

    classification, regression = defaults_data()
    classifiers = {
        "MLPClassifier()": MLPClassifier,
        "ShallowNetClassifier()": ShallowNetClassifier,
        "DeepNetClassifier()": DeepNetClassifier,
        'DeepNetClassifier(solver="adam")': partial(DeepNetClassifier,
                                                    solver="adam"),
    }
    regressors = {
        "MLPRegressor()": MLPRegressor,
        "ShallowNetRegressor()": ShallowNetRegressor,
        "DeepNetRegressor()": DeepNetRegressor,
    }
    summary = []
    for kind, sets, models in (("classification", classification, classifiers),
                               ("regression", regression, regressors)):
        is_regression = kind == "regression"
        metric = "R²" if is_regression else "accuracy"
        names = list(models)
        print(f"\n## Defaults: {kind} ({metric} on the test quarter, mean over 3 "
              f"splits; fit time summed over the splits; median of {rounds} "
              f"round(s))\n")
        print(f"| data | m | {' | '.join(names)} | "
              + " | ".join(f"time ÷ MLP: {n}" for n in names[1:]) + " |")
        print("| --- " * (2 + 2 * len(names) - 1) + "|")
        for data_name, (X, y) in sets.items():
            Splitter = ShuffleSplit if is_regression else StratifiedShuffleSplit
            splits = [next(Splitter(1, test_size=0.25, random_state=s).split(X, y))
                      for s in range(3)]
            score, times = {}, {n: [] for n in names}
            for _ in range(rounds):
                for name, Model in models.items():  # interleaved
                    value, seconds = _split_scores(
                        lambda Model=Model: Model(random_state=0), X, y, splits,
                        is_regression)
                    score[name] = value
                    times[name].append(seconds)
            ratios = {n: median_ratio(times, n, names[0]) for n in names[1:]}
            cells = [f"{score[n]:.3f} ({median(times[n]):.2f} s)" for n in names]
            print(f"| {data_name} | {X.shape[0]} | " + " | ".join(cells) + " | "
                  + " | ".join(f"{ratios[n]:.2f}" for n in names[1:]) + " |")
            for n in names[1:]:
                bar_score, bar_time = ((0.01, 1.0) if "solver" in n
                                       else (0.02, 1.5))
                ok = (score[n] >= score[names[0]] - bar_score
                      and ratios[n] <= bar_time)
                if not ok:
                    summary.append(
                        f"defaults, {data_name}: {n} {metric} {score[n]:.3f} vs "
                        f"{score[names[0]]:.3f}, time ×{ratios[n]:.2f} (bar: "
                        f"≥ MLP − {bar_score}, ≤ ×{bar_time}) — NOT MET")
    if not summary:
        summary.append("defaults: every row meets issue 13's bar")
    return summary


def environment(blas_threads):
    from threadpoolctl import threadpool_info

    print("# sknnbasics benchmark\n")
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f
                       if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    print(f"- CPU: {cpu}, {os.cpu_count()} logical cores; Python "
          f"{platform.python_version()}, numpy {np.__version__}")
    for pool in threadpool_info():
        print(f"- {pool['user_api']}: {pool['internal_api']} {pool['version']} "
              f"({pool.get('architecture')}, {pool['num_threads']} threads"
              f"{', pinned by --blas-threads' if blas_threads else ''})")
    import sklearn
    print(f"- scikit-learn {sklearn.__version__}; torch "
          f"{'not installed' if torch is None else torch.__version__}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="smaller problems and fewer rounds (< 1 minute)")
    parser.add_argument("--blas-threads", type=int, default=None,
                        help="limit the BLAS (and torch) to this many threads")
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                        help="wall: elapsed time (default); cpu: CPU time of the "
                             "process, which a busy machine disturbs less (use it "
                             "with --blas-threads 1, or it counts the BLAS "
                             "threads' waiting too)")
    parser.add_argument("--sections", default="all",
                        help="comma-separated subset of: fit, logistic, float32, "
                             "memory, predict, minibatch, scale, stream, "
                             "vectorise, defaults (not in all: the defaults "
                             "against MLPClassifier() / MLPRegressor()), gpu (not "
                             "in all: it needs a CUDA device and SCIPY_ARRAY_API=1)")
    args = parser.parse_args(argv)
    sections = (set(args.sections.split(",")) if args.sections != "all" else
                {"fit", "logistic", "float32", "memory", "predict", "minibatch",
                 "scale", "stream", "vectorise"})
    global CLOCK
    CLOCK = time.process_time if args.clock == "cpu" else time.perf_counter
    limiter = None
    if args.blas_threads:
        from threadpoolctl import threadpool_limits
        limiter = threadpool_limits(args.blas_threads)
        if torch is not None:
            torch.set_num_threads(args.blas_threads)
    environment(args.blas_threads)
    check_torch()
    if "gpu" in sections and (torch is None or not torch.cuda.is_available()):
        gpu([], 0, 0)  # exits with the reason
    print(f"- clock: {'CPU time of the process' if args.clock == 'cpu' else 'wall'}")

    q = args.quick
    shrink = 10 if q else 1
    N, rounds = (10, 5) if q else (30, 7)
    cases = [
        ("shallow 10000 × 100 → 64", 10_000 // shrink, 100, (64,), "tanh"),
        ("shallow 209 × 12288 → 7", 209, 12288, (7,), "tanh"),
        ("shallow 100000 × 20 → 16", 100_000 // shrink, 20, (16,), "tanh"),
        ("deep 209 × 12288 → 20 → 7 → 5", 209, 12288, (20, 7, 5), "relu"),
    ]
    if not q:
        cases += [
            ("shallow 10000 × 100 → 64", 10_000, 100, (64,), "relu"),
            ("shallow 100000 × 20 → 16", 100_000, 20, (16,), "relu"),
        ]
    summary = []
    if "gpu" in sections:
        sizes = [10**5, 10**6] if q else [10**5, 10**6, 10**7]
        rows = gpu(sizes, 10 if q else 30, 2 if q else 3)
        big = [r for r in rows if r["m"] >= 10**6]
        summary.append(
            "GPU full batch, MLPClassifier ÷ ours at m ≥ 1e6: min "
            f"{min(r['vs_mlp'] for r in big):.1f} (goal ≥ 20); ours ÷ torch "
            f"loop: max {max(r['vs_loop'] for r in rows):.2f} (goal ≤ 1.3)")
    if "fit" in sections:
        rows = full_batch(cases, N, rounds)
        mlp_ratios = [r["vs_mlp"] for r in rows]
        floor_ratios = [r["vs_floor"] for r in rows]
        summary += [
            f"full batch, ours ÷ MLPClassifier: max {max(mlp_ratios):.2f} "
            f"(target ≤ 1.0), geometric mean {geometric_mean(mlp_ratios):.2f} "
            f"(target ≤ 0.75)",
            f"full batch, ours ÷ floor: max {max(floor_ratios):.2f} (target ≤ 1.3), "
            f"geometric mean {geometric_mean(floor_ratios):.2f}",
            "full batch, ours ÷ the same products blocked as ours: max "
            f"{max(r['vs_blocked'] for r in rows):.2f}, geometric mean "
            f"{geometric_mean([r['vs_blocked'] for r in rows]):.2f}",
        ]
    if "logistic" in sections:
        rows = logistic([(10_000 // shrink, 100), (209, 12288),
                         (100_000 // shrink, 20)], N, rounds)
        summary.append("LogisticGD ÷ numpy loop: max "
                       f"{max(r['vs_loop'] for r in rows):.2f}, ÷ floor: max "
                       f"{max(r['vs_floor'] for r in rows):.2f}")
    if "float32" in sections:
        summary.append(f"float32 end to end: {check_float32()}")
    if "memory" in sections:
        peaks = memory(100_000 // shrink, 20, 16, 5)
        summary.append(f"peak memory during fit, ours ÷ MLP: "
                       f"{peaks['ours'] / peaks['MLPClassifier']:.2f}")
    if "predict" in sections:
        ratios = predict_latency(3 if q else 10)
        summary.append(f"predict, ours ÷ MLP: 1 row {ratios[1]:.2f}, 10000 rows "
                       f"{ratios[10_000]:.2f}")
    if "minibatch" in sections:
        ratios = mini_batch([(10_000 // shrink, 100, 64, 200),
                             (100_000 // shrink, 20, 16, 1000)],
                            2 if q else 5, rounds)
        summary.append(f"mini-batch epochs, ours ÷ MLP: max {max(ratios):.2f}")
    if "scale" in sections:
        sizes = [10**3, 10**4, 10**5] if q else [10**4, 10**5, 10**6]
        per_row = scale(sizes, 3 if q else 10, 2 if q else 3)
        summary.append("scale: time per row·iteration from the smallest to the "
                       f"largest m changes by ×{per_row[-1] / per_row[0]:.2f} "
                       "(1.0 = linear)")
    if "stream" in sections:
        total, chunk = (10**6, 10**5) if q else (10**7, 10**5)
        peaks = stream(total, chunk)
        values = list(peaks.values())
        summary.append(f"partial_fit stream of {total:.0e} rows: peak traced memory "
                       f"{values[0] / 1e6:.1f} MB after the first chunk, "
                       f"{values[-1] / 1e6:.1f} MB at the end")
    if "defaults" in sections:
        summary += defaults(rounds=1 if q else 3)
    if "vectorise" in sections:
        m = 1000 if q else 10_000
        ratio = vectorisation(m, rounds)
        summary.append(f"vectorised forward pass over m = {m} samples: {ratio:.0f}× "
                       "faster than a loop over the samples")
    print("\n## Summary\n")
    for line in summary:
        print(f"- {line}")
    if limiter is not None:
        limiter.restore_original_limits()


if __name__ == "__main__":
    main()
