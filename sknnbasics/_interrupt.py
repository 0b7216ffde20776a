"""Ctrl-C on the command line: the whole command stops, nothing is written.

Inside Python, a KeyboardInterrupt during ``fit`` is caught by the training
loop, which keeps the last complete weights (right in a notebook). On the
command line the same Ctrl-C must end the command: so while a command runs,
SIGINT raises :class:`Interrupted`, which derives from BaseException only,
so that neither the training loop (``except KeyboardInterrupt``) nor
scikit-learn's error handling in GridSearchCV (``except Exception``) stops it.
``main`` turns it into the line ``sknnbasics: interrupted`` and exit status
130 (128 + SIGINT, what a shell reports). Once its files are in place
(:func:`finished`), and in the ``sknnbasics`` process until it exits, a
Ctrl-C changes nothing: the command has done its work.

This module uses the standard library only: the package imports it first,
so that a Ctrl-C during the ~3 s of importing numpy and scikit-learn also
ends ``sknnbasics …`` with that one line and no traceback.
"""

import contextlib
import os
import signal
import sys
import threading
from pathlib import Path

PROG = "sknnbasics"
STATUS = 130


class Interrupted(BaseException):
    """Ctrl-C (SIGINT) while a command runs."""


def _quit_now(signum, frame):
    # nothing has been written yet: end the process at once, in one line
    os.write(2, f"{PROG}: interrupted\n".encode())
    os._exit(STATUS)


def _launched_as_command():
    """Whether this process is ``python -m sknnbasics …`` or the
    ``sknnbasics`` script, and the package is being imported for it."""
    # `python -m sknnbasics`: runpy imports the package before __main__,
    # while sys.argv[0] is still "-m"
    if sys.argv[:1] == ["-m"]:
        argv = getattr(sys, "orig_argv", [])
        return PROG in argv or f"-m{PROG}" in argv
    # the script pip writes (sknnbasics, sknnbasics.exe, sknnbasics-script.py)
    name = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else ""
    return name.removesuffix(".exe").removesuffix("-script.py") == PROG


def _main_thread():
    return threading.current_thread() is threading.main_thread()


def quiet_while_launching():
    """On the command line, make SIGINT end the process in one line until
    :func:`stopping_the_command` takes over."""
    if _launched_as_command() and _main_thread():
        with contextlib.suppress(ValueError, OSError):
            signal.signal(signal.SIGINT, _quit_now)


class _State:
    handling = False  # a command's handler is installed
    raised = False  # Interrupted was raised: later SIGINTs are ignored
    finished = False  # the outputs are in place: too late to cancel
    deferred = 0  # inside `deferred()`: record, raise on leaving
    pending = False


def _raise_interrupted(signum, frame):
    if _State.raised or _State.finished:
        return  # already unwinding (removing temporaries), or done
    if _State.deferred:
        _State.pending = True
        return
    _State.raised = True
    raise Interrupted


@contextlib.contextmanager
def stopping_the_command():
    """While the block runs, Ctrl-C raises :class:`Interrupted` (only in the
    main thread, where Python delivers signals; elsewhere nothing changes)."""
    if not _main_thread() or _State.handling:
        yield
        return
    previous = signal.signal(signal.SIGINT, _raise_interrupted)
    _State.handling, _State.raised, _State.pending = True, False, False
    _State.finished = False
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, _after_the_command(previous))
        _State.handling = False


def _after_the_command(previous):
    """The SIGINT handler for what follows a command: ``previous``, or,
    in the ``sknnbasics`` process itself, SIG_IGN.

    There, all that follows is the exit with the command's status, and a
    Ctrl-C must not change it: ``_quit_now`` would report "interrupted"
    (130) for a command that did all of its work, and once Python starts
    shutting down it runs no Python handler at all: it resets each one to
    the system's default (before it tears down numpy and scikit-learn,
    which takes a few tenths of a second), so the process would die by the
    signal (status -2, no message) after a complete save. SIG_IGN is the
    one handler Python keeps in place through its shutdown.
    """
    return signal.SIG_IGN if previous is _quit_now else previous


def finished():
    """The command's files are in place: from now on Ctrl-C changes nothing
    (it would report "interrupted" for a command that did all its work)."""
    _State.finished = True


@contextlib.contextmanager
def deferred(*, then_raise=True):
    """A block that a Ctrl-C does not cut in two (creating and registering a
    temporary file, renaming files into place, removing temporaries).

    A Ctrl-C that comes meanwhile is raised when the block ends
    (``then_raise``) or, for the final renaming, dropped: the command has
    then done all of its work.
    """
    _State.deferred += 1
    try:
        yield
    finally:
        _State.deferred -= 1
        if not _State.deferred and _State.pending:
            _State.pending = False
            if (then_raise and _State.handling and not _State.raised
                    and not _State.finished):
                _State.raised = True
                raise Interrupted


quiet_while_launching()  # see the module's docstring
