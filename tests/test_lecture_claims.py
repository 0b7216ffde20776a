"""The lecture's claims that are about behaviour, not formulas, shown to hold.

Each test pins down one sentence of the lecture (quoted in its comment) on a
fixed, seeded problem. Where a claim is a tendency rather than an identity
(α too small, large initial weights, depth, tanh over sigmoid), the margins
come from measuring more seeds than the test runs and leave room beyond the
worst seed measured; the measured numbers are in the comments.

The last part checks the claims table of the docs (``docs/lecture_claims.rst``):
every code, test and page it links to exists, and the sentences about default
values match ``get_params()``.
"""

import ast
import re
import warnings
from pathlib import Path

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning

from sknnbasics import (
    DeepNetClassifier,
    DeepNetRegressor,
    LogisticGD,
    ShallowNetClassifier,
    ShallowNetRegressor,
)
from sknnbasics._activations import get_activation, sigmoid
from sknnbasics._cost import OutputLayer, logistic_loss, squared_loss
from sknnbasics._network import (
    backward_propagation,
    compute_cost,
    forward_propagation,
    initialize_parameters,
)
from sknnbasics.datasets import make_flower

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
EPS = np.finfo(np.float64).eps


# -- §二 squared loss makes logistic regression's cost non-convex ----------------


def _costs_along_lines(loss, X, y, starts, directions, t):
    """J(θ₀ + t·d) for every start θ₀ = (w, b), direction d and step t:
    shape (n_lines, len(t)). ``loss`` is "squared" or "cross-entropy"."""
    Y = y[None, :].astype(float)
    costs = []
    for theta0 in starts:
        for d in directions:
            thetas = theta0 + t[:, None] * d  # (len(t), n_x + 1)
            row = []
            for theta in thetas:
                Z = (X @ theta[:-1] + theta[-1])[None, :]
                if loss == "squared":
                    row.append(squared_loss(sigmoid(Z), Y).mean())
                else:
                    row.append(logistic_loss(Z, Y).mean())
            costs.append(row)
    return np.array(costs)


def test_squared_loss_is_not_convex_and_cross_entropy_is():
    # §二: "使用这个损失函数将得到一个非凸函数，最终将存在很多局部最优解". A
    # function is convex iff it is convex along every line, i.e. every second
    # difference J(t−h) − 2J(t) + J(t+h) along every line is ≥ 0.
    X, y = make_classification(n_samples=40, n_features=2, n_informative=2,
                               n_redundant=0, flip_y=0.1, random_state=0)
    rng = np.random.RandomState(0)
    starts = 3 * rng.standard_normal((6, 3))
    directions = rng.standard_normal((6, 3))
    directions /= np.linalg.norm(directions, axis=1, keepdims=True)
    t = np.linspace(-8, 8, 161)
    second = {}
    for loss in ("squared", "cross-entropy"):
        J = _costs_along_lines(loss, X, y, starts, directions, t)
        second[loss] = (J[:, :-2] - 2 * J[:, 1:-1] + J[:, 2:], J)
    d2, J = second["squared"]
    # squared loss: clearly negative curvature somewhere (measured: −8.3e-4,
    # against rounding errors of ~1e-15)
    assert d2.min() < -1e-4
    d2, J = second["cross-entropy"]
    # cross-entropy: none on 36 lines × 159 points, beyond the rounding of
    # three costs of ~40 terms each (a few eps · J each)
    assert d2.min() >= -64 * EPS * J.max()


def test_squared_loss_has_two_local_minima_on_the_gallery_data():
    # the data of examples/logistic/plot_nonconvex_squared_loss.py, b = 0
    x = np.array([4.1, 0.2, -0.2, -0.5, -0.2, -0.6])
    y = np.array([0, 1, 0, 0, 1, 0])
    w = np.linspace(-12, 12, 2401)
    Z, Y = np.outer(w, x), np.broadcast_to(y, (w.size, y.size)).astype(float)
    J_squared = 0.5 * np.mean((sigmoid(Z) - Y) ** 2, axis=1)
    J_cross = np.array([logistic_loss(z[None, :], y[None, :]).mean() for z in Z])
    for J, n_minima in ((J_squared, 2), (J_cross, 1)):
        d = np.diff(J)
        minima = np.flatnonzero((d[:-1] < 0) & (d[1:] > 0)) + 1
        assert len(minima) == n_minima


# -- §二 α too small / too large ------------------------------------------------


def _gallery_logistic_data():
    """The data of examples/logistic/plot_learning_rate.py."""
    rng = np.random.RandomState(0)
    X = rng.multivariate_normal([0, 0], [[1, 0.85], [0.85, 1]], size=300)
    p = 1 / (1 + np.exp(-(2 * X[:, 0] - X[:, 1])))
    return X, (rng.uniform(size=300) < p).astype(int)


def test_learning_rate_too_small_needs_many_more_iterations_too_large_overshoots():
    # §二: "太小会使迭代次数增加 … 太大则会容易错过最优解"
    X, y = _gallery_logistic_data()
    N = 60
    auto = LogisticGD(max_iter=1, tol=None).fit(X, y).learning_rate_

    def cost(alpha, n):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            return LogisticGD(learning_rate=alpha, max_iter=n,
                              tol=None).fit(X, y).loss_curve_

    right = cost(auto, N)
    small = cost(auto / 100, 10 * N)
    large = cost(12 * auto, N)
    # about right: J falls at every step (measured 0.6931 → 0.5485)
    assert np.all(np.diff(right) <= 0)
    # too small: after N iterations J is still far above (measured 0.646
    # against 0.5485), and even 10·N iterations do not reach what α reached
    # in N (measured 0.582)
    assert small[N - 1] > right[-1] + 0.05
    assert small[-1] > right[-1] + 0.02
    # too large: the cost rises at some steps instead of falling (measured 38
    # of 59 steps) and ends far above (measured 0.693)
    assert np.sum(np.diff(large) > 0) >= 10
    assert large[-1] > right[-1] + 0.1


# -- §二 log P = −mJ ---------------------------------------------------------------


@pytest.mark.parametrize("n_classes", [2, 3])
def test_log_likelihood_is_minus_m_times_the_cost(n_classes):
    # §二 成本函数: log P = Σᵢ log p(y⁽ⁱ⁾|x⁽ⁱ⁾) = −Σᵢ L(ŷ⁽ⁱ⁾, y⁽ⁱ⁾) = −mJ
    X, y = make_classification(n_samples=7, n_features=3, n_informative=3,
                               n_redundant=0, n_classes=n_classes,
                               n_clusters_per_class=1, random_state=1)
    model = LogisticGD(learning_rate=0.3, max_iter=5, tol=None).fit(X, y)
    proba = model.predict_proba(X)
    P = np.prod(proba[np.arange(len(y)), np.searchsorted(model.classes_, y)])
    # J from the estimator's own cost, on its fitted parameters
    Y = (np.eye(n_classes)[y].T if n_classes > 2 else y[None, :]).astype(float)
    output = OutputLayer("softmax" if n_classes > 2 else "logistic")
    cache = forward_propagation(X.T, model.parameters_, get_activation("identity"),
                                output)
    J = compute_cost(cache, Y, model.parameters_, output)
    m = len(y)
    # two routes to one number: a product of 7 probabilities, and a sum of 7
    # stable log-losses; each rounds at a few eps relative
    assert np.log(P) == pytest.approx(-m * J, rel=1e-13)


# -- §三 vectorising over m samples ---------------------------------------------------


def test_vectorised_forward_pass_equals_the_loop_over_samples():
    # §三 多样本向量化: "for i = 1 to m: z[1](i) = W[1]x(i) + b[1] …" becomes
    # Z[1] = W[1]X + b[1]; the columns of the second are the first's vectors
    rng = np.random.RandomState(0)
    X = rng.standard_normal((3, 9))
    parameters = initialize_parameters([3, 4, 1], "xavier", rng=rng)
    parameters["b1"] += rng.standard_normal((4, 1))  # b[1] ≠ 0, to be broadcast
    parameters["b2"] += 0.5
    hidden, output = get_activation("tanh"), OutputLayer("logistic")
    cache = forward_propagation(X, parameters, hidden, output)
    for i in range(X.shape[1]):
        x = X[:, [i]]
        z1 = parameters["W1"] @ x + parameters["b1"]
        a1 = np.tanh(z1)
        z2 = parameters["W2"] @ a1 + parameters["b2"]
        a2 = 1 / (1 + np.exp(-z2))
        # a dot product of ≤ 4 terms, summed in another order: a few eps
        np.testing.assert_allclose(cache["Z1"][:, [i]], z1, rtol=1e-14, atol=1e-15)
        np.testing.assert_allclose(cache["A1"][:, [i]], a1, rtol=1e-14, atol=1e-15)
        np.testing.assert_allclose(cache["Z2"][:, [i]], z2, rtol=1e-14, atol=1e-15)
        np.testing.assert_allclose(cache["A2"][:, [i]], a2, rtol=1e-14)


# -- §三 activation choice ---------------------------------------------------------


def test_sigmoid_and_tanh_saturate_at_large_z_and_relu_does_not():
    # §三 激活函数比较: "当 |z| 很大的时候，激活函数的斜率（梯度）很小 … ReLU 在 z
    # 大于零时梯度始终为1"
    z = np.array([-20.0, -10.0, 10.0, 20.0])
    slopes = {}
    for name in ("sigmoid", "tanh", "relu", "leaky_relu"):
        g = get_activation(name)
        slopes[name] = g.g_prime(z, g.g(z))
    assert np.all(slopes["sigmoid"] < 5e-5)  # σ'(10) = 4.5e-5
    assert np.all(slopes["tanh"] < 1e-8)  # tanh'(10) = 8.2e-9
    assert np.all(slopes["relu"][z > 0] == 1.0)
    assert np.all(slopes["leaky_relu"][z < 0] == 0.01)
    # and near 0 the slopes are the largest: σ'(0) = ¼, tanh'(0) = 1
    for name, at_zero in (("sigmoid", 0.25), ("tanh", 1.0)):
        g = get_activation(name)
        assert g.g_prime(np.zeros(1), g.g(np.zeros(1)))[0] == at_zero


def test_tanh_hidden_layer_beats_sigmoid_from_the_same_start():
    # §三: "对于隐藏层的激活函数，一般来说，tanh函数要比sigmoid函数表现更好"
    X, y = make_flower(n_samples=200, random_state=0)
    for seed in range(3):
        nets = {g: ShallowNetClassifier(n_hidden=4, activation=g, solver="gd",
                                        init="xavier",
                                        learning_rate=0.1, batch_size=None,
                                        max_iter=500, tol=None, random_state=seed)
                for g in ("sigmoid", "tanh")}
        # the same initial W[1], W[2] (drawn from the same seed, same shapes)
        starts = [initialize_parameters([2, 4, 1], "xavier",
                                        rng=np.random.RandomState(seed))
                  for _ in nets]
        assert all(np.array_equal(starts[0][k], starts[1][k]) for k in starts[0])
        J = {g: net.fit(X, y).loss_curve_[-1] for g, net in nets.items()}
        # measured over 5 seeds: tanh 0.32–0.34, sigmoid 0.60–0.63
        assert J["tanh"] < 0.75 * J["sigmoid"], (seed, J)


# -- §三 small random weights, and why --------------------------------------------


def _relative_first_step_of_W1(activation, init_scale, seed, X, y):
    """‖dW[1]‖ / ‖W[1]‖ at the start: how fast the hidden layer can move, per
    unit of α, relative to the size of its weights."""
    parameters = initialize_parameters([2, 20, 1], "random", init_scale,
                                       rng=np.random.RandomState(seed))
    hidden, output = get_activation(activation), OutputLayer("logistic")
    Y = y[None, :].astype(float)
    cache = forward_propagation(X.T, parameters, hidden, output)
    grads = backward_propagation(cache, Y, parameters, hidden, output)
    return np.linalg.norm(grads["dW1"]) / np.linalg.norm(parameters["W1"])


def test_large_initial_weights_stall_a_tanh_hidden_layer_and_not_a_relu_one():
    # §三 随机初始化: "如果使用sigmoid函数或tanh函数作为激活函数，W比较小，得到的
    # |z|也比较小（靠近零点），而零点区域的梯度比较大 … 如果激活函数是ReLU … 则不
    # 需要考虑这个问题". Scale 10 against scale 1, five seeds.
    X, y = make_flower(n_samples=200, random_state=0)
    ratio = {g: [_relative_first_step_of_W1(g, 10.0, s, X, y)
                 / _relative_first_step_of_W1(g, 1.0, s, X, y) for s in range(5)]
             for g in ("tanh", "relu")}
    # tanh: the hidden layer's relative step shrinks (measured 0.09–0.47,
    # mean 0.19); ReLU: it does not (measured 1.01–1.19), since
    # ReLU'(10z) = ReLU'(z)
    assert np.mean(ratio["tanh"]) < 0.5, ratio
    assert min(ratio["relu"]) > 0.8, ratio


def test_large_initial_weights_train_a_tanh_network_slower():
    # the cost after N iterations: init_scale=10 against 1, five seeds
    X, y = make_flower(n_samples=200, random_state=0)
    final = {}
    for scale in (1.0, 10.0):
        final[scale] = np.mean([
            ShallowNetClassifier(n_hidden=4, activation="tanh", init="random",
                                 init_scale=scale, learning_rate=0.2, max_iter=300,
                                 tol=None, random_state=seed).fit(X, y).loss_curve_[-1]
            for seed in range(5)])
    # measured: mean J 0.32 (scale 1) against 0.71 (scale 10)
    assert final[10.0] > 1.5 * final[1.0], final


# -- §四 depth: fewer neurons for the same job ---------------------------------------


def make_checkerboard(n_samples, squares=4, random_state=None):
    """The data of examples/deep/plot_depth_checkerboard.py."""
    rng = np.random.RandomState(random_state)
    X = rng.uniform(-1, 1, size=(n_samples, 2))
    cells = np.floor((X + 1) * squares / 2).astype(int)
    return X, cells.sum(axis=1) % 2


def test_a_deep_network_with_fewer_units_beats_a_wider_shallow_one():
    # §四: "深层网络还有另外一个优点，就是能够减少神经元个数". Two hidden layers of
    # 10 units (20 units, 151 parameters) against one of 38 (38 units, 153).
    X, y = make_checkerboard(500, random_state=0)
    X_test, y_test = make_checkerboard(2000, random_state=1)
    settings = dict(solver="gd", learning_rate=1.0, batch_size=None,
                    max_iter=1500, tol=None, activation="tanh")
    for seed in range(3):
        deep = DeepNetClassifier((10, 10), random_state=seed, **settings).fit(X, y)
        shallow = ShallowNetClassifier(38, random_state=seed, **settings).fit(X, y)
        # measured over 6 seeds: J 0.14–0.23 against 0.36–0.48, test accuracy
        # 0.85–0.88 against 0.72–0.82
        assert deep.loss_curve_[-1] < 0.75 * shallow.loss_curve_[-1], seed
        assert deep.score(X_test, y_test) > shallow.score(X_test, y_test) + 0.02


# -- the claims table of the docs resolves --------------------------------------------


def _rows(table_text):
    """The rows of the first list-table in ``table_text``: lists of cell texts."""
    rows = []
    for block in re.split(r"^   \* - ", table_text, flags=re.MULTILINE)[1:]:
        cells = re.split(r"^     - ", "- " + block, flags=re.MULTILINE)
        rows.append([" ".join(c.removeprefix("- ").split()) for c in cells])
    return rows


def _labels():
    """Every ``.. _label:`` defined in the docs pages."""
    labels = set()
    for page in DOCS.rglob("*.rst"):
        labels |= set(re.findall(r"^\.\. _([\w-]+):\s*$",
                                 page.read_text(encoding="utf-8"), flags=re.MULTILINE))
    return labels


def _resolve(dotted):
    import importlib
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attribute in parts[cut:]:
            obj = getattr(obj, attribute)
        return obj
    raise ImportError(dotted)


def _claims_rows():
    text = (DOCS / "lecture_claims.rst").read_text(encoding="utf-8")
    rows = _rows(text)
    header, body = rows[0], rows[1:]
    assert header == ["§", "claim", "code", "test", "page"]
    return body


def test_the_claims_table_covers_every_section_of_the_lecture():
    body = _claims_rows()
    sections = [row[0] for row in body]
    assert {"一", "二", "三", "四", "五"} <= {s.strip("§ ") for s in sections if s}
    assert len(body) >= 28
    assert all(len(row) == 5 for row in body)


def test_every_link_of_the_claims_table_resolves():
    labels = _labels()
    problems = []
    for row in _claims_rows():
        claim, code, test, page = row[1:]
        objects = re.findall(r":(?:func|meth|class|attr):`~?(sknnbasics\.[\w.]+)`",
                             code)
        tests = re.findall(r"``tests/(test_\w+\.py)::(test_\w+)``", test)
        refs = re.findall(r":ref:`(?:[^`<]*<)?([\w.-]+)>?`", page)
        docs = re.findall(r":doc:`(?:[^`<]*<)?([\w/]+)>?`", page)
        if not objects or not tests or not refs + docs:
            problems.append(f"{claim}: needs code, test and page links")
        for dotted in objects:
            try:
                _resolve(dotted)
            except (ImportError, AttributeError):
                problems.append(f"{claim}: no {dotted}")
        for test_file, name in tests:
            path = ROOT / "tests" / test_file
            if not path.is_file() or name not in {
                    node.name for node in ast.parse(path.read_text("utf-8")).body
                    if isinstance(node, ast.FunctionDef)}:
                problems.append(f"{claim}: no tests/{test_file}::{name}")
        for label in refs:
            gallery = re.fullmatch(r"sphx_glr_auto_examples_(\w+?)_(plot_\w+\.py)",
                                   label)
            if gallery:
                exists = (ROOT / "examples" / gallery[1] / gallery[2]).is_file()
            else:
                exists = label in labels
            if not exists:
                problems.append(f"{claim}: no page label {label}")
        for doc in docs:
            if not (DOCS / f"{doc}.rst").is_file():
                problems.append(f"{claim}: no page {doc}")
    assert not problems, "\n".join(problems)


def test_the_claims_page_is_in_the_toctree():
    assert re.search(r"^   lecture_claims$", (DOCS / "index.rst").read_text("utf-8"),
                     flags=re.MULTILINE)


# -- the defaults the pages state are the estimators' defaults ------------------------

ESTIMATORS = [LogisticGD, ShallowNetClassifier, ShallowNetRegressor,
              DeepNetClassifier, DeepNetRegressor]


def _defaults_table():
    """{parameter: {estimator name: cell}} from the defaults table of
    docs/user_guide/hyperparameters.rst."""
    text = (DOCS / "user_guide" / "hyperparameters.rst").read_text("utf-8")
    table = text.split(".. _defaults:", 1)[1]
    table = table.split(".. list-table::", 1)[1].split("\n\n\n", 1)[0]
    rows = _rows(table)
    header = [re.search(r"`(\w+)`", cell)[1] if "`" in cell else cell
              for cell in rows[0]]
    assert header[1:6] == [cls.__name__ for cls in ESTIMATORS]
    return {re.fullmatch(r"``(\w+)``", row[0])[1]: dict(zip(header[1:6], row[1:6],
                                                            strict=True))
            for row in rows[1:]}


def test_the_defaults_table_is_every_estimators_get_params():
    table = _defaults_table()
    problems = []
    for cls in ESTIMATORS:
        params = cls().get_params()
        missing = set(params) - set(table)
        if missing:
            problems.append(f"{cls.__name__}: {sorted(missing)} not in the table")
        for name, cells in table.items():
            cell = cells[cls.__name__]
            if name not in params:
                if cell != "—":
                    problems.append(f"{cls.__name__}.{name}: no such parameter, "
                                    f"the table says {cell}")
                continue
            literal = re.fullmatch(r"``(.*)``", cell)
            shown = ast.literal_eval(literal[1]) if literal else cell
            if shown != params[name] or type(shown) is not type(params[name]):
                problems.append(f"{cls.__name__}.{name}: the table says {cell}, "
                                f"get_params() says {params[name]!r}")
    assert not problems, "\n".join(problems)


def test_every_sentence_naming_a_default_matches_get_params():
    # sentences like ``init="xavier"`` (the default …) or "the default
    # ``activation="tanh"``" anywhere in the pages
    pattern = (r"(?:[Tt]he default,? ``(\w+)=([^`]+)``"
               r"|``(\w+)=([^`]+)``,? \(?the default)")
    defaults = {}
    for cls in ESTIMATORS:
        for name, value in cls().get_params().items():
            defaults.setdefault(name, set()).add(repr(value))
    found, problems = 0, []
    pages = [p for p in DOCS.rglob("*.rst") if "auto_examples" not in p.parts]
    for page in pages:
        text = " ".join(page.read_text("utf-8").split())
        for match in re.finditer(pattern, text):
            name = match[1] or match[3]
            value = ast.literal_eval(match[2] or match[4])
            found += 1
            if repr(value) not in defaults.get(name, set()):
                problems.append(f"{page.name}: {match[0]}")
    assert found >= 2
    assert not problems, "\n".join(problems)
