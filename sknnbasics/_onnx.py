"""ONNX export: skl2onnx converters for LogisticGD and the four networks.

skl2onnx turns a fitted scikit-learn model into an ONNX graph by looking up,
for the model's class, three functions: a *parser* (which outputs the model
has: a label and probabilities for a classifier, values for a regressor), a
*shape calculator* (their element types and shapes) and a *converter* (the
ONNX nodes that compute them). :func:`register_converters` registers the
three for the five estimators, so that ``skl2onnx.to_onnx`` converts them
alone or inside a Pipeline, with float32 or float64 inputs.

The graph is the lecture's forward propagation (§四), one ``Gemm`` and one
activation per layer, with one sample per row (the transpose of the lecture's
columns, as the data arrive)::

    Z[l] = A[l-1] · W[l]ᵀ + b[l]ᵀ,   A[l] = g[l](Z[l]),   A[0] = X

and the outputs are computed from Z[L] as the estimators compute them:

* two classes (one sigmoid unit): label ``classes_[z > 0]``, probabilities
  ``[σ(−z), σ(z)]`` (σ(−z), not 1 − σ(z): a small probability of
  ``classes_[0]`` keeps its digits, as in ``predict_proba``);
* more classes: label ``classes_[argmax z]``, probabilities softmax(z);
* multilabel (one sigmoid unit per label): labels ``[z > 0]`` as 0/1 int64,
  probabilities σ(z) of each label;
* regressors: ŷ = g[L](Z[L]) with g[L] identity, ReLU (``out_activation``)
  or exp (``loss="poisson"``), of shape (n_samples, n_outputs) — (n, 1) for a
  1-D y, as skl2onnx's own regressors.

skl2onnx is imported only by :func:`register_converters`, so that importing
sknnbasics never needs it (see :mod:`sknnbasics.onnx` for why registration
is a call and not an import).
"""

import numpy as np
from sklearn.utils.validation import check_is_fitted

from ._array_api import asnumpy
from ._classifiers import DeepNetClassifier, ShallowNetClassifier
from ._logistic import LogisticGD
from ._regressors import DeepNetRegressor, ShallowNetRegressor

CLASSIFIERS = (LogisticGD, ShallowNetClassifier, DeepNetClassifier)
REGRESSORS = (ShallowNetRegressor, DeepNetRegressor)

# the options of skl2onnx's own classifiers: ``zipmap`` (probabilities as a
# list of {label: probability} dicts, the default; False for one tensor;
# "columns" for one output per class), ``nocl`` (labels as their indices)
# and ``output_class_labels`` (classes_ as a third output)
CLASSIFIER_OPTIONS = {
    "zipmap": [True, False, "columns"],
    "nocl": [True, False],
    "output_class_labels": [False, True],
}

# g[l] by the estimators' names: the ONNX operator and its attributes
HIDDEN_ACTIVATIONS = {
    "tanh": "Tanh",
    "relu": "Relu",
    "identity": "Identity",
}
REGRESSOR_OUTPUTS = {"identity": "Identity", "relu": "Relu", "exp": "Exp"}


def register_converters():
    """Teach skl2onnx to convert the five sknnbasics estimators to ONNX.

    After this call, ``skl2onnx.to_onnx`` (or ``convert_sklearn``) converts a
    fitted :class:`~sknnbasics.LogisticGD`,
    :class:`~sknnbasics.ShallowNetClassifier`,
    :class:`~sknnbasics.DeepNetClassifier`,
    :class:`~sknnbasics.ShallowNetRegressor` or
    :class:`~sknnbasics.DeepNetRegressor`, alone or as a step of a Pipeline,
    for float32 or float64 inputs. Every hidden activation and every output
    layer converts; classifiers give a label and probabilities, and take
    skl2onnx's classifier options (``zipmap``, ``nocl``,
    ``output_class_labels``); regressors give one (n_samples, n_outputs)
    output. Calling it again changes nothing.

    Raises
    ------
    ImportError
        When skl2onnx is not installed (``pip install "sknnbasics[onnx]"``
        installs it with onnxruntime).

    Examples
    --------
    >>> import numpy as np
    >>> import onnxruntime
    >>> from skl2onnx import to_onnx
    >>> from sknnbasics import LogisticGD
    >>> from sknnbasics.onnx import register_converters
    >>> register_converters()
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]], dtype=np.float32)
    >>> model = LogisticGD().fit(X, ["no", "no", "yes", "yes"])
    >>> onx = to_onnx(model, X, options={"zipmap": False})
    >>> session = onnxruntime.InferenceSession(
    ...     onx.SerializeToString(), providers=["CPUExecutionProvider"])
    >>> label, probabilities = session.run(None, {"X": X})
    >>> label.tolist()
    ['no', 'no', 'yes', 'yes']
    >>> np.allclose(probabilities, model.predict_proba(X), rtol=1e-5, atol=0)
    True
    """
    try:
        from skl2onnx import update_registered_converter
    except ImportError as error:
        raise ImportError(
            f"Exporting sknnbasics models to ONNX needs skl2onnx, which could "
            f"not be imported ({error}). Install it with onnxruntime through "
            f'the extra: pip install "sknnbasics[onnx]".'
        ) from error
    for estimator in CLASSIFIERS:
        update_registered_converter(
            estimator, f"Sknnbasics{estimator.__name__}", _classifier_shapes,
            _convert_classifier, parser=_parse_classifier,
            options=CLASSIFIER_OPTIONS,
        )
    for estimator in REGRESSORS:
        update_registered_converter(
            estimator, f"Sknnbasics{estimator.__name__}", _regressor_shapes,
            _convert_regressor,
        )


# -- the parser --------------------------------------------------------------


def _parse_classifier(scope, model, inputs, custom_parsers=None):
    """skl2onnx's own classifier parser (label, probabilities, then the
    ``zipmap`` options), after a clear error for an unfitted model or for
    float64 probabilities that ONNX's ZipMap cannot take."""
    from skl2onnx._parse import _parse_sklearn_classifier
    from skl2onnx.common.data_types import DoubleTensorType

    _check_fitted(model)
    zipmap = scope.get_options(model, dict(zipmap=True))["zipmap"]
    if zipmap is not False and isinstance(inputs[0].type, DoubleTensorType):
        name = type(model).__name__
        raise ValueError(
            f"{name} gets float64 inputs here, so its probabilities are "
            f"float64, and ONNX's ZipMap (skl2onnx's default zipmap=True: one "
            f"{{label: probability}} dict per sample) takes float32 only, so "
            f"onnxruntime would refuse the graph. Pass options={{{name}: "
            f"{{'zipmap': False}}}} to to_onnx for one probability tensor, or "
            f"convert for float32 inputs."
        )
    return _parse_sklearn_classifier(scope, model, inputs,
                                     custom_parsers=custom_parsers)


def _check_fitted(model):
    """NotFittedError, in words that name the conversion, before any
    fitted attribute is read."""
    check_is_fitted(
        model,
        msg=(f"This {type(model).__name__} instance is not fitted yet, so there "
             f"is nothing to convert to ONNX. Call 'fit' with appropriate "
             f"arguments before converting it."),
    )


def _label_classes(model, scope=None):
    """``classes_`` as ONNX can hold them: int64 for integer, float or
    boolean labels, UTF-8 bytes for strings, as skl2onnx's classifiers;
    their indices 0, 1, … with skl2onnx's option ``nocl``."""
    classes = asnumpy(model.classes_)
    if scope is not None and scope.get_options(model, dict(nocl=False))["nocl"]:
        return np.arange(classes.shape[0], dtype=np.int64)
    if classes.dtype.kind in "biuf":
        # float labels are whole numbers: fit refuses others as continuous
        return classes.astype(np.int64)
    return np.array([str(label).encode("utf-8") for label in classes])


# -- the shape calculators ----------------------------------------------------


def _float_type(operator):
    """The tensor type of the computation: double for float64 inputs,
    float otherwise (integer inputs are cast to float, as skl2onnx's MLP)."""
    from skl2onnx.common.data_types import DoubleTensorType, FloatTensorType

    if isinstance(operator.inputs[0].type, DoubleTensorType):
        return DoubleTensorType
    return FloatTensorType


def _classifier_shapes(operator):
    """label: (N,) of int64 or strings, (N, n_labels) int64 for a
    multilabel model; probabilities: (N, n_classes) of the input's float."""
    from skl2onnx.common.data_types import Int64TensorType, StringTensorType

    model = operator.raw_operator
    _check_fitted(model)
    N = operator.inputs[0].get_first_dimension()
    classes = _label_classes(model, operator.scope_inst)
    if model._is_multilabel():
        label_type = Int64TensorType([N, len(classes)])
    elif classes.dtype == np.int64:
        label_type = Int64TensorType([N])
    else:
        label_type = StringTensorType([N])
    operator.outputs[0].type = label_type
    operator.outputs[1].type = _float_type(operator)([N, len(classes)])


def _regressor_shapes(operator):
    """variable: (N, n_outputs) of the input's float."""
    model = operator.raw_operator
    _check_fitted(model)
    N = operator.inputs[0].get_first_dimension()
    operator.outputs[0].type = _float_type(operator)([N, model.n_outputs_])


# -- the converters ------------------------------------------------------------


class _Graph:
    """Adds nodes and constants to skl2onnx's container under unique names
    (the small part of skl2onnx's converter API the converters use)."""

    def __init__(self, scope, container, dtype):
        self.scope, self.container, self.dtype = scope, container, dtype

    def node(self, op_type, inputs, output=None, *, domain="", **attributes):
        """The name of ``op_type(*inputs)``: ``output`` when given, else a new
        one."""
        if output is None:
            output = self.scope.get_unique_variable_name(op_type.lower())
        self.container.add_node(
            op_type, list(inputs), [output], op_domain=domain,
            name=self.scope.get_unique_operator_name(op_type), **attributes,
        )
        return output

    def constant(self, name, array):
        """The name of an initializer holding ``array``."""
        from skl2onnx.proto import onnx_proto

        array = np.asarray(array)
        onnx_type = {
            np.dtype(np.float32): onnx_proto.TensorProto.FLOAT,
            np.dtype(np.float64): onnx_proto.TensorProto.DOUBLE,
            np.dtype(np.int64): onnx_proto.TensorProto.INT64,
        }.get(array.dtype, onnx_proto.TensorProto.STRING)
        unique = self.scope.get_unique_variable_name(name)
        self.container.add_initializer(unique, onnx_type, list(array.shape),
                                       array.ravel().tolist())
        return unique


def _start(scope, operator, container):
    """The graph of this conversion, in the input's float type, and A[0]:
    the input cast to that type."""
    from skl2onnx.common.data_types import DoubleTensorType
    from skl2onnx.proto import onnx_proto

    double = _float_type(operator) is DoubleTensorType
    graph = _Graph(scope, container, np.float64 if double else np.float32)
    to = onnx_proto.TensorProto.DOUBLE if double else onnx_proto.TensorProto.FLOAT
    A0 = graph.node("Cast", [operator.inputs[0].full_name], to=to)
    return graph, A0


def _forward_propagation(graph, model, A0):
    """Z[L]: the hidden layers' Z[l] = A[l-1]·W[l]ᵀ + b[l]ᵀ and A[l] = g(Z[l]),
    then the output layer's Z[L] (its activation is the caller's)."""
    parameters = {name: asnumpy(value).astype(graph.dtype)
                  for name, value in model.parameters_.items()}
    L = len(parameters) // 2
    A = A0
    for l in range(1, L + 1):
        W = graph.constant(f"W{l}", parameters[f"W{l}"])
        b = graph.constant(f"b{l}", parameters[f"b{l}"].ravel())
        Z = graph.node("Gemm", [A, W, b], transB=1)
        A = Z if l == L else _hidden_activation(graph, model, Z)
    return Z


def _hidden_activation(graph, model, Z):
    """A[l] = g(Z[l]) for a hidden layer: the estimator's ``activation``."""
    name = model._hidden_activation().name
    if name == "sigmoid":
        return _sigmoid(graph, Z)
    if name == "leaky_relu":
        return _leaky_relu(graph, Z, model.negative_slope)
    return graph.node(HIDDEN_ACTIVATIONS[name], [Z])


def _leaky_relu(graph, Z, negative_slope):
    """max(z, s·z) for a slope s <= 1, min(z, s·z) above: s·z for z < 0 and
    z otherwise, the package's own formula. Not ONNX's ``LeakyRelu``, which
    onnxruntime implements for float32 only."""
    sZ = graph.node("Mul", [Z, graph.constant("slope", graph.dtype(negative_slope))])
    return graph.node("Max" if negative_slope <= 1 else "Min", [Z, sZ])


def _sigmoid(graph, Z, output=None):
    """σ(z) = 1 / (1 + e^{−z}), the package's own formula (for z < −88 in
    float32, e^{−z} = inf gives the limit 0). Not ONNX's ``Sigmoid``:
    onnxruntime's float32 kernel approximates it, more than 1e-5 off
    (relative) below σ = 0.008, 1 % off below 1e-5, and 0 below about 1e-7."""
    one = graph.constant("one", graph.dtype(1))
    denominator = graph.node("Add", [graph.node("Exp", [graph.node("Neg", [Z])]), one])
    return graph.node("Reciprocal", [denominator], output)


def _convert_classifier(scope, operator, container):
    """label and probabilities from Z[L] (see the module's docstring)."""
    model = operator.raw_operator
    graph, A0 = _start(scope, operator, container)
    ZL = _forward_propagation(graph, model, A0)
    label, probabilities = (output.full_name for output in operator.outputs[:2])
    if model._is_multilabel():
        _multilabel_outputs(graph, ZL, label, probabilities)
        return
    if model.classes_.shape[0] == 2:
        index = _binary_outputs(graph, ZL, probabilities)
    else:
        index = _multiclass_outputs(graph, ZL, probabilities)
    classes = graph.constant("classes", _label_classes(model, scope))
    graph.node("Gather", [classes, index], label, axis=0)


def _positive(graph, ZL):
    """[z > 0] as int64: the sigmoid units' decisions, σ(z) > ½."""
    from skl2onnx.proto import onnx_proto

    positive = graph.node("Greater", [ZL, graph.constant("zero", graph.dtype(0))])
    return graph.node("Cast", [positive], to=onnx_proto.TensorProto.INT64)


def _binary_outputs(graph, ZL, probabilities):
    """One unit for ``classes_[1]``: predict_proba's [σ(−z), σ(z)] into
    ``probabilities``; the index of the class, z > 0, returned."""
    minus = _sigmoid(graph, graph.node("Neg", [ZL]))
    graph.node("Concat", [minus, _sigmoid(graph, ZL)], probabilities, axis=1)
    return graph.node("Reshape", [_positive(graph, ZL), graph.constant("rows", [-1])])


def _multiclass_outputs(graph, ZL, probabilities):
    """softmax(Z[L]) into ``probabilities``; the index argmax z returned."""
    graph.node("Softmax", [ZL], probabilities, axis=1)
    return graph.node("ArgMax", [ZL], axis=1, keepdims=0)


def _multilabel_outputs(graph, ZL, label, probabilities):
    """σ(z) of each label into ``probabilities``, [z > 0] into ``label``."""
    _sigmoid(graph, ZL, probabilities)
    graph.node("Identity", [_positive(graph, ZL)], label)


def _convert_regressor(scope, operator, container):
    """ŷ = g[L](Z[L]): identity, ReLU or exp (Poisson)."""
    model = operator.raw_operator
    graph, A0 = _start(scope, operator, container)
    ZL = _forward_propagation(graph, model, A0)
    output = model._output_layer(model.n_outputs_).name
    graph.node(REGRESSOR_OUTPUTS[output], [ZL], operator.outputs[0].full_name)
