"""The files of the command line: CSV tables and model bundles.

CSV files are read with the standard library's ``csv`` module: a header line
of column names, then one sample per line, numbers in every feature column.
A model file is a joblib pickle of a small dict (see :func:`_model_bundle`)
that keeps the feature column names and the target name with the fitted
pipeline, so that ``predict`` can check the columns of new data.
"""

import csv
import math
import warnings
from pathlib import Path

import joblib
import numpy as np

from . import __version__
from ._messages import PROG, CommandError, _one_line, _report_warnings

MODEL_FORMAT = "sknnbasics-model"


# -- CSV files -----------------------------------------------------------------


def _read_csv(path):
    """The header and the data rows of a CSV file.

    Returns
    -------
    header : list of str
        The column names, stripped of surrounding spaces.
    rows : list of (int, list of str)
        Each data row with the line number it ends on (the header is line 1);
        blank lines are skipped.
    """
    try:
        with open(path, newline="", encoding="utf-8-sig") as file:
            reader = csv.reader(file)
            header = next(reader, None)
            if header is None:
                raise CommandError(
                    f"{path} is empty: expected a header line of column names "
                    f"and then one sample per line."
                )
            header = [name.strip() for name in header]
            rows = []
            for row in reader:
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) != len(header):
                    raise CommandError(
                        f"{path}, line {reader.line_num}: {len(row)} values, but "
                        f"the header has {len(header)} columns."
                    )
                rows.append((reader.line_num, row))
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file.") from None
    except UnicodeDecodeError:
        raise CommandError(
            f"{path} is not a UTF-8 text file; expected a CSV file."
        ) from None
    except csv.Error as exc:
        raise CommandError(f"{path} is not a readable CSV file: {exc}.") from None
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror}.") from None

    if not any(header):
        raise CommandError(
            f"{path}: line 1 is blank; expected the column names there.")
    if any(not name for name in header):
        raise CommandError(f"{path}: column {header.index('') + 1} has no name.")
    duplicates = sorted({name for name in header if header.count(name) > 1})
    if duplicates:
        raise CommandError(f"{path}: duplicate column names {', '.join(duplicates)}.")
    if not rows:
        raise CommandError(f"{path} has a header but no data rows.")
    return header, rows


def _numeric_columns(path, header, rows, columns):
    """The named columns as an (n_samples, n_features) float64 array.

    Raises a :class:`CommandError` naming the column and line of the first
    value that is not a finite number.
    """
    indices = [header.index(name) for name in columns]
    X = np.empty((len(rows), len(columns)), dtype=np.float64)
    for i, (line, row) in enumerate(rows):
        for j, k in enumerate(indices):
            text = row[k].strip()
            try:
                value = float(text)
            except ValueError:
                value = math.nan
            if not math.isfinite(value):
                what = "is empty" if not text else f"{text!r} is not a finite number"
                raise CommandError(
                    f"{path}, line {line}, column {columns[j]!r}: the value {what}; "
                    f"every feature column must hold numbers."
                )
            X[i, j] = value
    return X


def _check_new_file(path, force):
    """Refuse to overwrite ``path`` without ``--force``; its folder must exist."""
    path = Path(path)
    if path.is_dir():
        raise CommandError(f"{path} is a directory; give a file name.")
    if path.exists() and not force:
        raise CommandError(f"{path} already exists; pass --force to overwrite it.")
    if not path.parent.is_dir():
        raise CommandError(f"cannot write {path}: no directory {path.parent}.")


def _format_value(value):
    if isinstance(value, float | np.floating):
        return repr(float(value))  # shortest text that reads back exactly
    return str(value)


def _write_csv(file, header, columns):
    writer = csv.writer(file, lineterminator="\n")
    writer.writerow(header)
    for row in zip(*columns, strict=True):
        writer.writerow([_format_value(value) for value in row])


def _save_csv(path, header, columns):
    with open(path, "w", newline="", encoding="utf-8") as file:
        _write_csv(file, header, columns)


# -- model files -----------------------------------------------------------------


def _model_bundle(model, feature_names, target, **info):
    """What a model file holds: the fitted pipeline and what it expects.

    ``{"format": "sknnbasics-model", "sknnbasics_version": …, "model":
    Pipeline, "feature_names": [...], "target": str, **info}``; ``info`` holds
    how it was chosen (``cv_score``, ``best_params``).
    """
    return {
        "format": MODEL_FORMAT,
        "sknnbasics_version": __version__,
        "model": model,
        "feature_names": [str(name) for name in feature_names],
        "target": str(target),
        **info,
    }


def _save_model(path, bundle):
    joblib.dump(bundle, path)


def _load_model(path):
    """The bundle saved by ``fit`` or ``demo``; warnings (another sknnbasics or
    scikit-learn version) are reported as one line each.

    joblib files are pickles: load only files you trust.
    """
    if not Path(path).is_file():
        raise CommandError(f"{path}: no such file.")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            bundle = joblib.load(path)
        except Exception as exc:  # a foreign file fails in many ways
            raise CommandError(
                f"{path} is not an sknnbasics model: joblib cannot load it "
                f"({type(exc).__name__}: {_one_line(exc)})."
            ) from None
    if not (isinstance(bundle, dict) and bundle.get("format") == MODEL_FORMAT):
        raise CommandError(
            f"{path} is not an sknnbasics model: it holds a "
            f"{type(bundle).__name__}, not a model saved by `{PROG} fit` or "
            f"`{PROG} demo`."
        )
    _report_warnings(caught)
    return bundle

