"""What the command line says: its name, the error it reports in one line,
and warnings summarised one line per kind."""

import contextlib
import sys
import warnings

PROG = "sknnbasics"


class CommandError(Exception):
    """Bad input: reported as one line on stderr, exit status 1."""


def _one_line(text):
    return " ".join(str(text).split())


def _report_warnings(caught):
    """One line per kind of warning, with how many times it came."""
    by_category = {}
    for warning in caught:
        by_category.setdefault(warning.category.__name__, []).append(warning)
    for category, group in by_category.items():
        first = _one_line(group[0].message)
        if len(group) == 1:
            print(f"{PROG}: warning: {first} ({category})", file=sys.stderr)
        else:
            print(f"{PROG}: warning: {len(group)} {category}s, the first: {first}",
                  file=sys.stderr)


@contextlib.contextmanager
def _collecting_warnings():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    _report_warnings(caught)

