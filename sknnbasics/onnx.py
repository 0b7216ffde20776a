"""Export to ONNX: ``register_converters()`` teaches skl2onnx the estimators.

Registration is one explicit call, not a side effect of importing sknnbasics
(nor of importing this module), for three reasons: importing sknnbasics must
not need skl2onnx, which is optional (``pip install "sknnbasics[onnx]"``)
and pulls in onnx and protobuf; registering changes skl2onnx's global tables,
which a program should ask for where a reader can see it, as skl2onnx's own
``update_registered_converter`` is called for any other third-party model;
and a missing skl2onnx is then one clear ImportError at that line, not a
registration silently skipped and a ``MissingShapeCalculator`` later.

Examples
--------
>>> import numpy as np
>>> from sklearn.pipeline import make_pipeline
>>> from sklearn.preprocessing import StandardScaler
>>> from sknnbasics import ShallowNetClassifier
>>> from sknnbasics.onnx import register_converters
>>> register_converters()  # doctest: +SKIP
>>> from skl2onnx import to_onnx  # doctest: +SKIP
>>> X = np.random.RandomState(0).randn(40, 3).astype(np.float32)
>>> y = (X[:, 0] > 0).astype(int)
>>> model = make_pipeline(StandardScaler(), ShallowNetClassifier(
...     n_hidden=4, max_iter=300, random_state=0)).fit(X, y)
>>> onx = to_onnx(model, X[:1], options={"zipmap": False})  # doctest: +SKIP
"""

from ._onnx import register_converters

__all__ = ["register_converters"]
