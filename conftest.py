"""Set for the whole test run, before scikit-learn or SciPy is imported:
scikit-learn's array-API estimator checks run only under SCIPY_ARRAY_API=1,
and no check may be skipped."""

import os

os.environ["SCIPY_ARRAY_API"] = "1"
