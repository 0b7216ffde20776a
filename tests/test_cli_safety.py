"""The command line never loses data: a command does all of its work or
changes nothing.

Ctrl-C is sent as a real SIGINT to a real ``python -m sknnbasics`` process;
failures while saving are injected in process. After each, the files that
were there are byte for byte as before and no temporary is left.
"""

import contextlib
import io
import os
import signal
import subprocess
import sys
import time

import joblib
import numpy as np
import pytest

import sknnbasics._cli
from sknnbasics._cli import main
from sknnbasics._files import Outputs
from sknnbasics._interrupt import Interrupted
from sknnbasics._messages import CommandError

pytestmark = pytest.mark.skipif(
    sys.platform == "win32",
    reason="SIGINT and hard links as on POSIX systems: run these on Linux or macOS")

TIMEOUT = 60  # s; a command that ignored Ctrl-C would run for minutes


def run(*argv):
    """(status, stdout, stderr) of ``main(argv)`` in this process."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main([str(arg) for arg in argv])
    return status, out.getvalue(), err.getvalue()


def snapshot(folder):
    """{name: bytes} of every file in ``folder``."""
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    """A small two-class CSV: 2000 rows, 5 features, target y."""
    folder = tmp_path_factory.mktemp("data")
    rng = np.random.default_rng(0)
    X = rng.normal(size=(2000, 5))
    y = (X[:, 0] + X[:, 1] ** 2 > 1).astype(int)
    path = folder / "train.csv"
    with open(path, "w") as file:
        file.write("a,b,c,d,e,y\n")
        for x, label in zip(X, y, strict=True):
            file.write(",".join(f"{v:.3f}" for v in x) + f",{label}\n")
    return path


@pytest.fixture
def folder(tmp_path, data):
    """A folder holding the data and an earlier model and CSV output."""
    (tmp_path / "train.csv").write_bytes(data.read_bytes())
    status, _, stderr = run("fit", tmp_path / "train.csv", "--target", "y",
                            "--model", "logistic", "--cv", "2",
                            "-o", tmp_path / "model.joblib")
    assert status == 0, stderr
    (tmp_path / "out.csv").write_bytes(b"an earlier output\n")
    return tmp_path


# -- Ctrl-C, as a real SIGINT -----------------------------------------------------


def start(*argv, cwd):
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    return subprocess.Popen(
        [sys.executable, "-m", "sknnbasics", *map(str, argv)], cwd=cwd, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def interrupt_and_wait(process):
    process.send_signal(signal.SIGINT)
    try:
        stdout, stderr = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        pytest.fail("the command went on after Ctrl-C")
    return process.returncode, stdout, stderr


LONG_FIT = ["--model", "shallow", "--set", "max_iter=100000", "--set", "tol=None",
            "--cv", "2"]


@pytest.mark.parametrize("force", [True, False])
def test_ctrl_c_during_fit_ends_the_command_and_writes_nothing(folder, force):
    before = snapshot(folder)
    output = "model.joblib" if force else "new.joblib"
    process = start("fit", "train.csv", "--target", "y", *LONG_FIT, "-o", output,
                    *(["--force"] if force else []), cwd=folder)
    # the first line comes once the data are read; then the search starts
    assert process.stdout.readline().startswith("train.csv: 2000 samples")
    time.sleep(1.0)  # well inside the first of 2 × 100,000 iterations
    assert process.poll() is None
    status, _, stderr = interrupt_and_wait(process)
    assert status == 130
    assert stderr == "sknnbasics: interrupted\n"
    assert snapshot(folder) == before  # also: no temporary left


def test_ctrl_c_while_importing_ends_in_one_line(folder):
    process = start("fit", "train.csv", "--target", "y", *LONG_FIT,
                    "-o", "new.joblib", cwd=folder)
    # numpy's extension is mapped: the imports (~1-3 s) are under way
    maps = f"/proc/{process.pid}/maps"
    deadline = time.monotonic() + TIMEOUT
    while os.path.exists(maps) and time.monotonic() < deadline:
        with contextlib.suppress(OSError), open(maps) as file:
            if "numpy" in file.read():
                break
    else:
        if not os.path.exists("/proc/self/maps"):
            time.sleep(0.2)  # no /proc: soon after the start
    status, stdout, stderr = interrupt_and_wait(process)
    assert (status, stdout, stderr) == (130, "", "sknnbasics: interrupted\n")
    assert not (folder / "new.joblib").exists()


def test_ctrl_c_during_demo_leaves_no_folder(tmp_path):
    process = start("demo", "--fast", "--output-dir", "out", cwd=tmp_path)
    assert process.stderr.readline().startswith("flower: 300 training")
    status, _, stderr = interrupt_and_wait(process)
    assert status == 130 and stderr.endswith("sknnbasics: interrupted\n")
    assert "Traceback" not in stderr
    assert list(tmp_path.iterdir()) == []


# The `sknnbasics` script, as pip writes it, with a Ctrl-C once the command has
# ended: right after main() returns, or while Python shuts down (a global of
# __main__ is deleted after Python has stopped running signal handlers).
AFTER_THE_COMMAND = """
import os, signal, sys
sys.argv = ["sknnbasics", *sys.argv[1:]]  # what the script sees
when = {when!r}

class CtrlCAtShutdown:
    def __del__(self):
        os.kill(os.getpid(), signal.SIGINT)

from sknnbasics._cli import main
status = main()
if when == "after main":
    os.kill(os.getpid(), signal.SIGINT)
else:
    at_shutdown = CtrlCAtShutdown()
sys.exit(status)
"""


@pytest.mark.parametrize("when", ["after main", "during shutdown"])
def test_ctrl_c_after_the_command_keeps_its_status(folder, when):
    result = subprocess.run(
        [sys.executable, "-c", AFTER_THE_COMMAND.format(when=when),
         "fit", "train.csv", "--target", "y", "--model", "logistic", "--cv", "2",
         "-o", "new.joblib"],
        cwd=folder, capture_output=True, text=True, timeout=TIMEOUT)
    # not -2 (killed by the signal) nor 130 ("interrupted"): the save is done
    assert result.returncode == 0, (result.returncode, result.stderr)
    assert result.stdout.endswith("saved new.joblib\n")
    assert "interrupted" not in result.stderr
    assert joblib.load(folder / "new.joblib")["target"] == "y"


# -- failures while saving ------------------------------------------------------------


def half_then(error):
    """A joblib.dump that writes a little and then fails with ``error``."""
    def dump(value, file, *args, **kwargs):
        file.write(b"\x80\x04half a pickle")
        raise error
    return dump


@pytest.mark.parametrize("error, status, line", [
    (OSError(28, "No space left on device"), 1,
     "sknnbasics: error: No space left on device.\n"),
    (Interrupted(), 130, "sknnbasics: interrupted\n"),
])
def test_a_failed_save_keeps_the_old_model(folder, monkeypatch, error, status, line):
    before = snapshot(folder)
    monkeypatch.setattr(joblib, "dump", half_then(error))
    result = run("fit", folder / "train.csv", "--target", "y", "--model",
                 "logistic", "--cv", "2", "-o", folder / "model.joblib", "--force")
    assert result[0] == status and result[2].endswith(line)
    assert snapshot(folder) == before


def test_a_failed_csv_output_keeps_the_old_one(folder, monkeypatch):
    before = snapshot(folder)

    def write_half(file, header, columns):
        file.write("y\n0\n")
        raise OSError(5, "Input/output error")

    monkeypatch.setattr("sknnbasics._cli._write_csv", write_half)
    status, _, stderr = run("predict", folder / "model.joblib",
                            folder / "train.csv", "-o", folder / "out.csv",
                            "--force")
    assert status == 1 and stderr == "sknnbasics: error: Input/output error.\n"
    assert snapshot(folder) == before


def test_a_failure_while_moving_files_into_place_puts_every_one_back(
        tmp_path, monkeypatch):
    for name in ("one", "two", "three"):
        (tmp_path / name).write_bytes(f"old {name}".encode())
    before = snapshot(tmp_path)
    replace, calls = os.replace, []

    def failing_replace(source, target):
        calls.append(target)
        if len(calls) == 3:
            raise OSError(13, "Permission denied")
        replace(source, target)

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError), Outputs(force=True) as outputs:
        for name in ("one", "two", "three"):
            outputs.write(tmp_path / name, lambda file: file.write(b"new"))
        outputs.commit()
    assert snapshot(tmp_path) == before  # and no temporary, no backup left


def test_two_saves_to_one_name_without_force_cannot_both_win(tmp_path):
    path = tmp_path / "model.joblib"
    with Outputs(force=False) as first, Outputs(force=False) as second:
        first.write(path, lambda file: file.write(b"first"))
        second.write(path, lambda file: file.write(b"second"))
        first.commit()
        with pytest.raises(CommandError, match="model.joblib already exists"):
            second.commit()
    assert snapshot(tmp_path) == {"model.joblib": b"first"}


def test_fit_fails_if_the_output_appears_while_it_runs(folder, monkeypatch):
    """Another command writes the output after fit's early check."""
    search = sknnbasics._cli._search

    def search_then_competitor(*args, **kwargs):
        result = search(*args, **kwargs)
        (folder / "new.joblib").write_bytes(b"the other command's model")
        return result

    monkeypatch.setattr(sknnbasics._cli, "_search", search_then_competitor)
    status, _, stderr = run("fit", folder / "train.csv", "--target", "y",
                            "--model", "logistic", "--cv", "2",
                            "-o", folder / "new.joblib")
    assert status == 1
    assert stderr.splitlines()[-1].startswith("sknnbasics: error: ")
    assert "new.joblib already exists" in stderr and "Traceback" not in stderr
    assert (folder / "new.joblib").read_bytes() == b"the other command's model"
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]


def test_written_files_get_the_usual_permissions(folder):
    umask = os.umask(0o022)
    try:
        assert run("predict", folder / "model.joblib", folder / "train.csv",
                   "-o", folder / "p.csv")[0] == 0
    finally:
        os.umask(umask)
    assert (folder / "p.csv").stat().st_mode & 0o777 == 0o644


# -- the output may not be an input ---------------------------------------------------


@pytest.mark.parametrize("argv, output", [
    (["fit", "{dir}/train.csv", "--target", "y", "--model", "logistic"],
     "train.csv"),
    (["fit", "{dir}/train.csv", "--target", "y", "--model", "logistic"],
     "link.csv"),
    (["predict", "{dir}/model.joblib", "{dir}/train.csv"], "train.csv"),
    (["predict", "{dir}/model.joblib", "{dir}/train.csv"], "model.joblib"),
    (["predict", "{dir}/model.joblib", "{dir}/train.csv"], "link.csv"),
    (["predict", "{dir}/model.joblib", "{dir}/train.csv"], "hard.joblib"),
])
def test_the_output_may_not_be_an_input_even_with_force(folder, argv, output):
    (folder / "link.csv").symlink_to(folder / "train.csv")
    os.link(folder / "model.joblib", folder / "hard.joblib")
    before = snapshot(folder)
    argv = [arg.format(dir=folder) for arg in argv]
    status, stdout, stderr = run(*argv, "-o", folder / output, "--force")
    assert status == 1 and stdout == ""
    assert stderr.startswith(f"sknnbasics: error: -o {folder / output} is the "
                             f"input file ") and stderr.count("\n") == 1
    assert snapshot(folder) == before


# -- memory ---------------------------------------------------------------------


READ = """
import resource, sys
from sknnbasics._files import _read_columns, _scan_csv

def peak():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB → bytes

path = sys.argv[1]
before = peak()
header, n_rows = _scan_csv(path)
X, y = _read_columns(path, header, n_rows, header[:-1], header[-1], "labels")
print(peak() - before, X.nbytes + y.nbytes, X.shape[0])
"""


@pytest.mark.skipif(sys.platform != "linux",
                    reason="ru_maxrss in KiB: Linux; run this on Linux")
def test_reading_a_csv_needs_little_more_memory_than_its_array(tmp_path):
    # 10 MB of short numbers: 200,000 rows × 8 features, float64 12.8 MB
    rng = np.random.default_rng(0)
    codes = rng.integers(0, 1000, size=(200_000, 8))
    labels = rng.integers(0, 2, size=200_000)
    cells = np.array([f"0.{k:03d}" for k in range(1000)])[codes]
    path = tmp_path / "big.csv"
    path.write_text("a,b,c,d,e,f,g,h,y\n" + "".join(
        f"{','.join(row)},{label}\n"
        for row, label in zip(cells.tolist(), labels.tolist(), strict=True)))
    result = subprocess.run([sys.executable, "-c", READ, str(path)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    growth, nbytes, n_rows = map(int, result.stdout.split())
    assert n_rows == 200_000
    # the array and the labels, plus a little: rows of Python strings would
    # take ~10 times the array (a str object per value is ~50 bytes)
    assert growth < 1.5 * nbytes, (growth / nbytes, path.stat().st_size)
