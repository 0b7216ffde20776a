"""Run a seeded sample of one-line mutants of sknnbasics against the test suite.

A *mutant* is the package with one small deliberate breakage: an operator
swapped, a comparison loosened, a constant nudged, a returned value replaced,
a statement deleted. A good test suite fails on (*catches*) almost every
mutant; one it passes (a *survivor*) is either *equivalent* (the change does
not alter behaviour, e.g. ``x * 1`` → ``x / 1``) or marks a behaviour no test
checks.

How it works:

1. Every ``.py`` file under ``sknnbasics/`` is parsed with :mod:`ast` and every
   place one of the operators below applies is listed (a *site*); docstrings,
   f-strings, annotations and error-message strings are left alone.
2. ``--n`` sites are drawn with ``random.Random(--seed)`` from that list, so
   the same seed on the same source gives the same sample.
3. The repository (without ``.git``) is copied to a scratch folder per
   worker. For each mutant the one file is rewritten there, and
   ``python -m pytest -x -q -p no:cacheprovider`` runs with ``PYTHONPATH`` set
   to the scratch copy (and no bytecode written, so no stale ``.pyc`` is
   used) under a per-mutant timeout. The tests that mention the mutated
   module's names most run first, so a caught mutant stops early.
4. A failing run, a crash or a timeout counts as *caught*. The survivors are
   printed as diffs for manual review, and everything goes to a JSON report.

Operators:

* ``binop``: ``+`` ↔ ``-``, ``*`` ↔ ``/``, ``//`` → ``/``, ``**`` → ``*``
* ``compare``: ``<`` ↔ ``<=``, ``>`` ↔ ``>=``, ``==`` ↔ ``!=``, ``is`` ↔ ``is not``,
  ``in`` ↔ ``not in``
* ``boolop``: ``and`` ↔ ``or``
* ``not``: ``not x`` → ``x``
* ``constant``: an int k → k + 1, a float x → 2x (0.0 → 1.0), True ↔ False
* ``return``: ``return x`` → ``return None``
* ``delete``: a simple statement (assignment, call, augmented assignment,
  raise) → ``pass``

Usage (from the repository root)::

    python tools/mutation_sample.py --seed 2026 --n 70 --jobs 2 \\
        --report mutation-report.json

``--list`` prints the sample without running anything; ``--only 3,17`` runs
just those mutants of the sample (to recheck survivors after adding tests).
The numbers of a run, and the review of its survivors, are kept in
CONTRIBUTING.md.
"""

import argparse
import ast
import concurrent.futures
import difflib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "sknnbasics"

BINOP_SWAPS = {
    ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult,
    ast.FloorDiv: ast.Div, ast.Pow: ast.Mult,
}
COMPARE_SWAPS = {
    ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.Is: ast.IsNot, ast.IsNot: ast.Is,
    ast.In: ast.NotIn, ast.NotIn: ast.In,
}
DELETABLE = (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Expr, ast.Raise)


@dataclass
class Mutant:
    """One site: where, which operator, and the text that replaces the span."""

    module: str  # path relative to the repository root
    line: int
    col: int
    end_line: int
    end_col: int
    operator: str
    replacement: str
    original: str = ""

    @property
    def key(self):
        return f"{self.module}:{self.line}:{self.col}:{self.operator}"


def _skipped_nodes(tree):
    """ids of nodes not to mutate: docstrings, f-strings, annotations, string
    constants (messages), field declarations and the ``__main__`` block."""
    skipped = set()

    def skip(node):
        skipped.update(id(n) for n in ast.walk(node))

    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (isinstance(body, list) and body and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)):
            skip(body[0])
        if isinstance(node, ast.JoinedStr):
            skip(node)
        if isinstance(node, (ast.arg, ast.AnnAssign)) and node.annotation:
            skip(node.annotation)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.returns:
            skip(node.returns)
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            skip(node)
        if isinstance(node, ast.AnnAssign) and node.value is None:
            skip(node)  # a declaration (a dataclass field), not a statement
        if (isinstance(node, ast.If) and isinstance(node.test, ast.Compare)
                and ast.unparse(node.test) == "__name__ == '__main__'"):
            skip(node)  # the script entry point: never run on import
    return skipped


def _sites(path, source):
    """Every mutation site of one module, in source order."""
    tree = ast.parse(source)
    skipped = _skipped_nodes(tree)
    module = path.relative_to(ROOT).as_posix()
    found = []

    def add(node, operator, replacement, span=None):
        span = span or node
        found.append(Mutant(module, span.lineno, span.col_offset, span.end_lineno,
                            span.end_col_offset, operator, replacement))

    for node in ast.walk(tree):
        if id(node) in skipped or not hasattr(node, "lineno"):
            continue
        if isinstance(node, ast.BinOp) and type(node.op) in BINOP_SWAPS:
            new = ast.BinOp(node.left, BINOP_SWAPS[type(node.op)](), node.right)
            add(node, "binop", f"({ast.unparse(new)})")
        elif isinstance(node, ast.AugAssign) and type(node.op) in BINOP_SWAPS:
            new = ast.AugAssign(node.target, BINOP_SWAPS[type(node.op)](), node.value)
            add(node, "binop", ast.unparse(new))
        elif isinstance(node, ast.Compare):
            for i, op in enumerate(node.ops):
                if type(op) in COMPARE_SWAPS:
                    ops = list(node.ops)
                    ops[i] = COMPARE_SWAPS[type(op)]()
                    new = ast.Compare(node.left, ops, node.comparators)
                    add(node, f"compare{i}", f"({ast.unparse(new)})")
        elif isinstance(node, ast.BoolOp):
            other = ast.Or() if isinstance(node.op, ast.And) else ast.And()
            add(node, "boolop", f"({ast.unparse(ast.BoolOp(other, node.values))})")
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            add(node, "not", f"({ast.unparse(node.operand)})")
        elif isinstance(node, ast.Constant) and not isinstance(node.value, str):
            value = node.value
            if isinstance(value, bool):
                add(node, "constant", repr(not value))
            elif isinstance(value, int):
                add(node, "constant", repr(value + 1))
            elif isinstance(value, float):
                add(node, "constant", repr(value * 2 if value else 1.0))
        if isinstance(node, ast.Return) and node.value is not None and not (
                isinstance(node.value, ast.Constant) and node.value.value is None):
            add(node, "return", "return None")
        if isinstance(node, DELETABLE) and not (
                isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)):
            add(node, "delete", "pass")
    return found


def all_sites():
    """The mutation sites of every module of the package, in a fixed order."""
    sites = []
    for path in sorted((ROOT / PACKAGE).rglob("*.py")):
        sites.extend(_sites(path, path.read_text(encoding="utf-8")))
    return sites


def _offset(lines, line, col):
    """Character offset of (1-based line, 0-based UTF-8 byte column)."""
    before = sum(len(text) for text in lines[:line - 1])
    prefix = lines[line - 1].encode("utf-8")[:col].decode("utf-8")
    return before + len(prefix)


def apply(mutant, source):
    """``source`` with the mutant's span replaced by its replacement."""
    lines = source.splitlines(keepends=True)
    start = _offset(lines, mutant.line, mutant.col)
    end = _offset(lines, mutant.end_line, mutant.end_col)
    mutated = source[:start] + mutant.replacement + source[end:]
    ast.parse(mutated)  # a mutant must at least be valid Python
    return mutated, source[start:end]


def sample(seed, n):
    """The ``n`` mutants drawn with ``seed``, numbered in source order."""
    sites = all_sites()
    drawn = random.Random(seed).sample(range(len(sites)), min(n, len(sites)))
    return [sites[i] for i in sorted(drawn)], len(sites)


def test_order(module, source, root):
    """The pytest arguments for a mutant of ``module`` (a path relative to the
    repository, whose text is ``source``) in the copy at ``root``: its own
    doctests, then the test files by how often they mention the module's
    top-level names (most first), then the other modules' doctests."""
    tree = ast.parse(source)
    names = {Path(module).stem.lstrip("_")}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    names = {name for name in names if len(name) > 3}
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, sorted(names))) + r")\b")

    def score(test_file):
        return -len(pattern.findall(test_file.read_text(encoding="utf-8")))

    tests = sorted((root / "tests").glob("test_*.py"), key=lambda p: (score(p), p.name))
    own = root / module
    modules = sorted(p for p in (root / PACKAGE).rglob("*.py") if p != own)
    return [str(p.relative_to(root)) for p in [own, *tests, *modules]]


def _copy_tree(destination):
    ignore = shutil.ignore_patterns(".git", "__pycache__", "*.pyc", "_build",
                                    "auto_examples", "generated", ".ruff_cache",
                                    ".pytest_cache", "*.joblib")
    shutil.copytree(ROOT, destination, ignore=ignore)


_RUNNING = set()  # pytest processes in flight, ended if the tool is stopped


def run_mutant(number, mutant, original, scratch, timeout):
    """Run the suite against one mutant in the worker's ``scratch`` copy;
    ``original`` is the module's text as it was when the tool started."""
    target = scratch / mutant.module
    mutated, _ = apply(mutant, original)
    target.write_text(mutated, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(scratch), "PYTHONDONTWRITEBYTECODE": "1"}
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider",
               *test_order(mutant.module, original, scratch)]
    start = time.monotonic()
    # a session of its own, so that a timeout ends pytest and its children
    process = subprocess.Popen(command, cwd=scratch, env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               start_new_session=True)
    _RUNNING.add(process)
    try:
        output, _ = process.communicate(timeout=timeout)
        outcome = "survived" if process.returncode == 0 else "caught"
        tail = output.strip().splitlines()[-1:]
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        outcome, tail = "timeout", [f"no result within {timeout} s"]
    finally:
        _RUNNING.discard(process)
        target.write_text(original, encoding="utf-8")
    return {"number": number, "outcome": outcome, "seconds": time.monotonic() - start,
            "summary": tail[0] if tail else ""}


def diff(mutant, source):
    mutated, _ = apply(mutant, source)
    return "".join(difflib.unified_diff(
        source.splitlines(keepends=True), mutated.splitlines(keepends=True),
        fromfile=mutant.module, tofile=f"{mutant.module} (mutant)", n=0))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--n", type=int, default=70, help="mutants to draw")
    parser.add_argument("--jobs", type=int, default=1, help="mutants run at once")
    parser.add_argument("--timeout", type=float, default=900,
                        help="seconds per mutant before it counts as caught")
    parser.add_argument("--only", default="",
                        help="comma-separated numbers of the sample to run")
    parser.add_argument("--list", action="store_true",
                        help="print the sample and exit")
    parser.add_argument("--report", type=Path, help="write a JSON report here")
    args = parser.parse_args(argv)

    mutants, n_sites = sample(args.seed, args.n)
    # the source as it is now: edits made while the tool runs do not leak in
    originals = {m.module: (ROOT / m.module).read_text("utf-8") for m in mutants}
    for mutant in mutants:
        _, mutant.original = apply(mutant, originals[mutant.module])
    chosen = (sorted(int(i) for i in args.only.split(",")) if args.only
              else list(range(len(mutants))))
    print(f"{n_sites} mutation sites in {PACKAGE}/; seed {args.seed}, "
          f"{len(mutants)} drawn, {len(chosen)} to run")
    if args.list:
        for i in chosen:
            m = mutants[i]
            print(f"#{i} {m.key}: {m.original!r} -> {m.replacement!r}")
        return 0

    scratch_root = Path(tempfile.mkdtemp(prefix="sknnbasics-mutants-"))
    results = {}
    try:
        workers = [scratch_root / f"worker{w}" for w in range(max(1, args.jobs))]
        for worker in workers:
            _copy_tree(worker)
        free = list(workers)
        pool = concurrent.futures.ThreadPoolExecutor(len(workers))
        try:
            pending = {}
            queue = list(chosen)
            while queue or pending:
                while queue and free:
                    i, worker = queue.pop(0), free.pop()
                    future = pool.submit(run_mutant, i, mutants[i],
                                         originals[mutants[i].module], worker,
                                         args.timeout)
                    pending[future] = worker
                done, _ = concurrent.futures.wait(
                    pending, return_when=concurrent.futures.FIRST_COMPLETED)
                for future in done:
                    free.append(pending.pop(future))
                    result = future.result()
                    results[result["number"]] = result
                    m = mutants[result["number"]]
                    print(f"#{result['number']:3d} {result['outcome']:8s} "
                          f"{result['seconds']:6.1f}s {m.key}: {m.original!r} -> "
                          f"{m.replacement!r}", flush=True)
        finally:
            # stopped early (Ctrl-C, kill): end the pytest runs before waiting
            # for the threads that wait on them
            for process in list(_RUNNING):
                os.killpg(process.pid, signal.SIGKILL)
            pool.shutdown(wait=True)
    finally:
        shutil.rmtree(scratch_root, ignore_errors=True)

    survivors = [i for i in chosen if results[i]["outcome"] == "survived"]
    caught = len(chosen) - len(survivors)
    print(f"\ncaught {caught}/{len(chosen)} "
          f"({100 * caught / max(1, len(chosen)):.1f} %); survivors:")
    for i in survivors:
        print(f"\n#{i} {mutants[i].key}\n"
              f"{diff(mutants[i], originals[mutants[i].module])}")
    if args.report:
        report = {"seed": args.seed, "n": args.n, "sites": n_sites,
                  "caught": caught, "total": len(chosen),
                  "mutants": [{**asdict(mutants[i]), **results[i]} for i in chosen]}
        args.report.write_text(json.dumps(report, indent=1, ensure_ascii=False),
                               encoding="utf-8")
    return 0


if __name__ == "__main__":
    # a plain `kill` ends the tool as Ctrl-C does: its pytest runs end with it
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    sys.exit(main())
