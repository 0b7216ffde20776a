"""Export to ONNX: ``register_converters()`` teaches skl2onnx the estimators.

Registration is one explicit call, not a side effect of importing sknnbasics
(nor of importing this module), for three reasons: importing sknnbasics must
not need skl2onnx, which is optional (``pip install "sknnbasics[onnx]"``)
and pulls in onnx and protobuf; registering changes skl2onnx's global tables,
which a program should ask for where a reader can see it, as skl2onnx's own
``update_registered_converter`` is called for any other third-party model;
and a missing skl2onnx is then one clear ImportError at that line, not a
registration silently skipped and a ``MissingShapeCalculator`` later.

The converters themselves, and what the graph computes, are in
``sknnbasics/_onnx.py``; the user guide's "Saving, loading and deploying"
page shows a whole pipeline exported and run by onnxruntime.
"""

from ._onnx import register_converters

__all__ = ["register_converters"]
