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


def _report_warnings(caught, standardised=False, grid_option=True):
    """One line per kind of warning, with how many times it came.

    ``standardised``: the features went through a StandardScaler, so advice
    to standardise them (in the estimators' warnings) does not apply; a note
    says what does (with an example ``--grid`` when the command has one).
    """
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
    if standardised and any("standardis" in str(warning.message)
                            for warning in caught):
        example = (", e.g. --grid learning_rate=0.01,0.1,0.5" if grid_option
                   else "")
        print(f"{PROG}: note: the features are already standardised here "
              f"(StandardScaler comes first in the pipeline); try a smaller "
              f"learning_rate instead{example}", file=sys.stderr)


@contextlib.contextmanager
def _collecting_warnings(standardised=True, grid_option=True):
    """Collect the warnings of a block and report them once it has run
    (not when it fails: then its error, or "interrupted", is the one line)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    _report_warnings(caught, standardised, grid_option)

