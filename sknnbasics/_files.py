"""The files of the command line: CSV tables, model bundles, and writing
them all or nothing.

CSV files are read with the standard library's ``csv`` module: a header line
of column names, then one sample per line, numbers in every feature column.
They are read twice: once to check their shape and count the rows, then into
a preallocated float64 array, so that reading needs little more memory than
the array itself (a list of rows of strings takes about ten times as much).

A model file is a joblib pickle of a small dict (see :func:`_model_bundle`)
that keeps the feature column names and the target name with the fitted
pipeline, so that ``predict`` can check the columns of new data.

Every file is written by :class:`Outputs`: to a temporary file in the target's
folder, flushed to disk, then renamed into place (the way git writes), so a
failure or a Ctrl-C at any moment leaves the old file byte for byte as it was
and no temporary behind.
"""

import contextlib
import csv
import errno
import io
import math
import os
import stat
import tempfile
import warnings
from pathlib import Path

import joblib
import numpy as np

from . import __version__
from ._interrupt import deferred, finished
from ._messages import PROG, CommandError, _one_line, _report_warnings

MODEL_FORMAT = "sknnbasics-model"
BUNDLE_KEYS = ("model", "feature_names", "target")


# -- reading CSV files ---------------------------------------------------------


@contextlib.contextmanager
def _reading(path):
    """Turn the ways reading a file fails into one-line errors."""
    try:
        yield
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file.") from None
    except IsADirectoryError:
        raise CommandError(f"{path} is a directory; expected a CSV file.") from None
    except UnicodeDecodeError:
        raise CommandError(
            f"{path} is not a UTF-8 text file; expected a CSV file."
        ) from None
    except csv.Error as exc:
        raise CommandError(f"{path} is not a readable CSV file: {exc}.") from None
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror}.") from None


def _data_rows(reader):
    """(line number, row) of each non-blank row after the header."""
    for row in reader:
        if any(cell.strip() for cell in row):
            yield reader.line_num, row


def _scan_csv(path):
    """The column names of a CSV file and its number of data rows.

    Checks the shape (a header, as many values on each line as columns)
    without keeping the rows; blank lines are skipped.

    Returns
    -------
    header : list of str
        The column names, stripped of surrounding spaces.
    n_rows : int
    """
    with _reading(path), open(path, newline="", encoding="utf-8-sig") as file:
        reader = csv.reader(file)
        header = next(reader, None)
        if header is None:
            raise CommandError(
                f"{path} is empty: expected a header line of column names "
                f"and then one sample per line."
            )
        header = [name.strip() for name in header]
        n_rows = 0
        for line, row in _data_rows(reader):
            if len(row) != len(header):
                raise CommandError(
                    f"{path}, line {line}: {len(row)} values, but the header has "
                    f"{len(header)} columns."
                )
            n_rows += 1

    if not any(header):
        raise CommandError(
            f"{path}: line 1 is blank; expected the column names there.")
    if any(not name for name in header):
        raise CommandError(f"{path}: column {header.index('') + 1} has no name.")
    duplicates = sorted({name for name in header if header.count(name) > 1})
    if duplicates:
        raise CommandError(f"{path}: duplicate column names {', '.join(duplicates)}.")
    if not n_rows:
        raise CommandError(f"{path} has a header but no data rows.")
    return header, n_rows


def _line_of_row(path, i):
    """The line number of data row ``i`` (counted from 0) of a CSV file
    (for error messages: blank lines and quoted line breaks count)."""
    with _reading(path), open(path, newline="", encoding="utf-8-sig") as file:
        reader = csv.reader(file)
        next(reader, None)
        for k, (line, _) in enumerate(_data_rows(reader)):
            if k == i:
                return line
    raise CommandError(f"{path} changed while it was being read.")


def _not_a_number(path, line, column, text, what):
    text = text.strip()
    problem = f"{text!r} is not a finite number" if text else "is empty"
    return CommandError(f"{path}, line {line}, column {column!r}: the value {problem}; "
                        f"{what}.")


def _read_columns(path, header, n_rows, columns, target=None, target_kind=None):
    """The named columns as an (n_rows, len(columns)) float64 array, and the
    target column.

    ``target_kind`` says what the target holds: ``"labels"`` (text, none
    empty: a (n_rows,) str array), ``"numbers"`` (finite numbers: float64),
    ``"labels or empty"`` / ``"numbers or empty"`` (empty cells allowed: ""
    or NaN). Raises a :class:`CommandError` naming the column and line of the
    first value that is not what it should be.
    """
    indices = [header.index(name) for name in columns]
    X = np.empty((n_rows, len(columns)), dtype=np.float64)
    numeric = target_kind is not None and target_kind.startswith("numbers")
    empty_allowed = target_kind is not None and target_kind.endswith("or empty")
    if target is not None:
        k = header.index(target)
        y = np.empty(n_rows, dtype=np.float64) if numeric else np.empty(n_rows, np.intp)
        labels = {}  # label → code: each distinct label is stored once
    i = 0
    with _reading(path), open(path, newline="", encoding="utf-8-sig") as file:
        reader = csv.reader(file)
        next(reader, None)
        for line, row in _data_rows(reader):
            if i == n_rows or len(row) != len(header):
                raise CommandError(f"{path} changed while it was being read.")
            try:
                values = [float(row[j]) for j in indices]
            except ValueError:
                values = None
            if values is None or not all(map(math.isfinite, values)):
                for name, j in zip(columns, indices, strict=True):
                    try:
                        finite = math.isfinite(float(row[j]))
                    except ValueError:
                        finite = False
                    if not finite:
                        raise _not_a_number(path, line, name, row[j],
                                            "every feature column must hold numbers")
            X[i] = values
            if target is not None:
                text = row[k].strip()
                if not text and not empty_allowed:
                    raise CommandError(
                        f"{path}, line {line}: the target {target!r} is empty.")
                if not numeric:
                    y[i] = labels.setdefault(text, len(labels))
                elif not text:
                    y[i] = math.nan
                else:
                    try:
                        y[i] = float(text)
                    except ValueError:
                        y[i] = math.nan
                    if not math.isfinite(y[i]):
                        raise _not_a_number(path, line, target, text,
                                            "a regressor's target must hold numbers")
            i += 1
    if i != n_rows:
        raise CommandError(f"{path} changed while it was being read.")
    if target is None:
        return X, None
    if not numeric:
        y = np.array(list(labels))[y]
    return X, y


# -- writing files, all or nothing --------------------------------------------------


def _check_output(path, force, inputs=()):
    """Refuse early (before any work) an output that cannot be written:
    a folder, a missing folder, an existing file without ``--force``, or one
    of the command's ``inputs`` (even with ``--force``, even through a link).
    """
    path = Path(path)
    if path.is_dir():
        raise CommandError(f"{path} is a directory; give a file name.")
    if not path.parent.is_dir():
        raise CommandError(f"cannot write {path}: no directory {path.parent}.")
    for source in inputs:
        with contextlib.suppress(OSError):
            if os.path.samefile(path, source):
                raise CommandError(
                    f"-o {path} is the input file {source}; writing it would "
                    f"destroy the input. Choose another output file.")
    if path.exists() and not force:
        raise CommandError(f"{path} already exists; pass --force to overwrite it.")


def _new_file_mode(path):
    """The mode a file written at ``path`` should have: the old file's, or
    what ``open`` would give (0o666 less the umask)."""
    with contextlib.suppress(OSError):
        return stat.S_IMODE(os.stat(path).st_mode)
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


class Outputs:
    """The files a command writes, all or nothing.

    :meth:`write` writes each file to a temporary file in its folder (flushed
    and fsynced); :meth:`commit` then moves them all into place. Without
    ``force`` a file is created only if it does not exist at that moment
    (``os.link`` fails on an existing name), so two commands racing for one
    name cannot both win; with ``force`` it replaces the old one
    (``os.replace``). If anything fails before or during :meth:`commit` —
    an error, a Ctrl-C — the files already moved are put back as they were
    and every temporary is removed. Use it as a context manager.
    """

    def __init__(self, force):
        self.force = force
        self._staged = []  # (temporary, path)
        self._backups = []  # temporaries holding the replaced files

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        with deferred():
            for temporary in [temp for temp, _ in self._staged] + self._backups:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
            self._staged, self._backups = [], []

    def write(self, path, write):
        """Write ``path`` by calling ``write(file)`` on a binary file object
        open on a temporary in the same folder; returns the temporary's path
        (to check what was written before :meth:`commit`)."""
        path = Path(path)
        with deferred():  # a temporary is created and registered, or neither
            fd, temporary = tempfile.mkstemp(
                dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            self._staged.append((temporary, path))
        with open(fd, "wb") as file:
            write(file)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, _new_file_mode(path))
        return temporary

    def write_text(self, path, write):
        """Like :meth:`write` with a UTF-8 text file object (for ``csv``)."""
        def write_binary(file):
            text = io.TextIOWrapper(file, encoding="utf-8", newline="")
            write(text)
            text.flush()
            text.detach()
        return self.write(path, write_binary)

    def commit(self):
        """Move every file written into place; all of them or none."""
        done = []  # (path, backup of the replaced file or None)
        # a Ctrl-C now no longer cancels: the command has done its work
        with deferred(then_raise=False):
            try:
                for temporary, path in self._staged:
                    if self.force:
                        backup = self._backup(path)
                        os.replace(temporary, path)
                    else:
                        backup = None
                        self._create(temporary, path)
                    done.append((path, backup))
                finished()
            except BaseException:
                for path, backup in reversed(done):
                    with contextlib.suppress(OSError):
                        if backup is None:
                            os.unlink(path)
                        else:
                            os.replace(backup, path)
                raise
            finally:
                self._staged = [(temp, path) for temp, path in self._staged
                                if os.path.lexists(temp)]

    @staticmethod
    def _create(temporary, path):
        """Give ``temporary`` the name ``path`` if nothing has that name."""
        try:
            os.link(temporary, path)
        except FileExistsError:
            raise CommandError(
                f"{path} already exists (it appeared while this command ran); "
                f"pass --force to overwrite it.") from None
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP,
                                 errno.EMLINK, errno.EXDEV):
                raise
            # no hard links here (e.g. FAT): claim the name, then fill it
            try:
                os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
            except FileExistsError:
                raise CommandError(
                    f"{path} already exists (it appeared while this command "
                    f"ran); pass --force to overwrite it.") from None
            os.replace(temporary, path)
            return
        os.unlink(temporary)

    def _backup(self, path):
        """A second name (hard link) for the file at ``path``, to put it back
        if a later file of the commit fails; None if there is none."""
        for attempt in range(100):
            backup = path.with_name(f".{path.name}.{os.getpid()}.{attempt}.old")
            try:
                os.link(path, backup)
            except FileExistsError:
                continue
            except OSError:
                return None  # no file there, or no hard links
            self._backups.append(backup)
            return backup
        return None


def _format_value(value):
    if isinstance(value, float | np.floating):
        return repr(float(value))  # shortest text that reads back exactly
    return str(value)


def _write_csv(file, header, columns):
    writer = csv.writer(file, lineterminator="\n")
    writer.writerow(header)
    for row in zip(*columns, strict=True):
        writer.writerow([_format_value(value) for value in row])


# -- model files -----------------------------------------------------------------


def _model_bundle(model, feature_names, target, **info):
    """What a model file holds: the fitted pipeline and what it expects.

    ``{"format": "sknnbasics-model", "sknnbasics_version": …, "model":
    Pipeline, "feature_names": [...], "target": str, **info}``; ``info`` holds
    how it was chosen (``cv_score``, ``scoring``, ``best_params``).
    """
    return {
        "format": MODEL_FORMAT,
        "sknnbasics_version": __version__,
        "model": model,
        "feature_names": [str(name) for name in feature_names],
        "target": str(target),
        **info,
    }


def _write_model(outputs, path, bundle):
    return outputs.write(path, lambda file: joblib.dump(bundle, file))


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
    missing = [key for key in BUNDLE_KEYS if key not in bundle]
    names = bundle.get("feature_names")
    if missing or not (
            hasattr(bundle["model"], "predict")
            and isinstance(names, list) and names
            and all(isinstance(name, str) for name in names)
            and isinstance(bundle["target"], str)):
        what = (f"it lacks {', '.join(missing)}" if missing else
                "its model, feature_names or target is not what `fit` saves")
        raise CommandError(f"{path} is a damaged sknnbasics model: {what}.")
    _report_warnings(caught)
    return bundle
