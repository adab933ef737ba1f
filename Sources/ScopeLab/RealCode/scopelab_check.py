# scopelab check FILE.py --scope NAME --kind timeout|scope: the rule programs, each run
# under scopelab_trace.py (argv: THIS_FILE LEARNER NAME KIND RULE), so that every
# `async with` of the learner's scope is traced. One Python serves a whole check
# (`THIS_FILE --serve TRACER TIMEOUT GRACE LEARNER NAME KIND RULE...`, at the end of this
# file): it imports asyncio and the tracer's modules once, then forks a child per rule
# that runs the tracer on this file for that rule alone. It imports the learner's file as a
# module (its `if __name__ == "__main__":` part does not run; anything at its top level
# does), looks NAME up in it (a dotted NAME follows attributes: `asyncio.timeout` in a
# file that imports asyncio), builds the scope as NAME(delay) for a timeout - as
# asyncio.timeout(delay) - or NAME() for a plain scope, runs the rule's small program
# and prints one verdict line last:
#   scopelab-check: held[: note]   scopelab-check: broken: what happened
#   scopelab-check: invalid: FILE:LINE: message   (the file or NAME cannot be used)
# The rules are SEMANTICS.md's, in their Python reading (the PY section).
#
# Embedded in scopelab (Package.swift, `.embedInCode`).

import asyncio
import importlib.util
import os
import sys
import time

VERDICT = "scopelab-check:"
INVALID = 3  # the exit status of a program that found the file or NAME unusable
DELAY = 0.05  # a deadline that fires: tens of ms
LONG = 10.0  # a deadline that never fires during a rule


class Invalid(Exception):
    pass


def load(path, name):
    sys.dont_write_bytecode = True  # no __pycache__ left beside the learner's file
    directory = os.path.dirname(os.path.abspath(path))
    sys.path.insert(0, directory)
    stem = os.path.splitext(os.path.basename(path))[0] or "learner"
    try:
        with open(path, "rb") as file:
            source = file.read()
    except OSError as error:
        raise Invalid(f"{path}: {error.strerror or error}")
    try:
        compile(source, path, "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as error:
        line = getattr(error, "lineno", None)
        place = f"{path}:{line}" if line else path
        message = getattr(error, "msg", None) or str(error)
        raise Invalid(f"{place}: {type(error).__name__}: {message}")
    spec = importlib.util.spec_from_file_location(stem, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[stem] = module
    try:
        spec.loader.exec_module(module)
    except BaseException as error:
        line = None
        tb = error.__traceback__
        while tb is not None:
            if tb.tb_frame.f_code.co_filename == path:
                line = tb.tb_lineno
            tb = tb.tb_next
        place = f"{path}:{line}" if line else path
        raise Invalid(f"{place}: importing it raised {type(error).__name__}: {error}")
    value = module
    for part in name.split("."):
        try:
            value = getattr(value, part)
        except AttributeError:
            raise Invalid(f"{path}: no scope '{name}' in it")
    if not callable(value):
        raise Invalid(f"{path}: '{name}' is not a class or function")
    return value


class Broken(Exception):
    pass


def expect(condition, message):
    if not condition:
        raise Broken(message)


def named(error):
    return "ok" if error is None else type(error).__name__


async def outcome(coro):
    """What a coroutine ended with: (None, value) or (the exception, None)."""
    try:
        return None, await coro
    except BaseException as error:  # noqa: the rule programs look at every ending
        return error, None


async def in_task(coro):
    """Runs coro in a task of its own; (the exception or None, the task)."""
    task = asyncio.create_task(coro)
    try:
        await task
    except BaseException as error:
        return error, task
    return None, task


# ---- the rules. Each returns a note (held) or raises Broken.


async def rule_W1(make, kind):
    # An enter that fails: cancel the task before the scope is entered, so the first
    # suspension in __aenter__ (if any) raises. Body and exit must not run; the error
    # comes out unchanged.
    ran = []

    async def body():
        asyncio.current_task().cancel()
        async with make(LONG if kind == "timeout" else None):
            ran.append("body")
            await asyncio.sleep(0)
        ran.append("after")

    error, _ = await in_task(body())
    if ran:
        # Enter succeeded; what the body's cancellation does is W2's and W4's to judge.
        return (
            "enter succeeded in a cancelled task (it never suspended, or swallowed the"
            " cancellation), so its failure could not be provoked"
        )
    expect(
        isinstance(error, asyncio.CancelledError),
        f"a cancellation during enter came out as {named(error)}, not CancelledError",
    )
    return "enter failed with CancelledError: body and exit did not run, the error came out unchanged"


async def rule_W2(make, kind):
    # Exit once on every way out: normal end, an error, a cancellation from outside. The
    # trace's audit counts the exits; here: what comes out of each.
    delay = DELAY if kind == "timeout" else None

    async def normal():
        async with make(LONG if kind == "timeout" else None):
            await asyncio.sleep(0)
        return "after"

    error, value = await outcome(normal())
    expect(error is None and value == "after", f"a body that ended normally came out as {named(error)}")
    if kind == "timeout":
        # Its timer must be gone with it: a short deadline, left early, never fires later.
        async def early():
            async with make(delay):
                await asyncio.sleep(0)
            await asyncio.sleep(delay * 3)
            return "after"

        error, _ = await in_task(early())
        expect(
            error is None,
            f"after the scope ended before its deadline, a later await raised {named(error)}:"
            " the timer was not disarmed in exit",
        )

    async def failing():
        async with make(LONG if kind == "timeout" else None):
            await asyncio.sleep(0)
            raise KeyError("body")

    await outcome(failing())  # KeyError, or suppressed: W3 judges which

    async def cancelled():
        async with make(LONG if kind == "timeout" else None):
            await asyncio.sleep(LONG)

    task = asyncio.create_task(cancelled())
    await asyncio.sleep(0.01)
    task.cancel()
    try:
        await task
    except BaseException:
        pass
    return "normal end, error and cancellation each left the scope (exits counted in the trace)"


async def rule_W3(make, kind):
    # What exit sees: the body's error itself. It may suppress it (a truthy return: the
    # statement after runs) or replace it by raising; a timeout whose deadline has not
    # passed must let it through unchanged (TO4).
    raised = KeyError("body")
    after = []

    async def body():
        async with make(LONG if kind == "timeout" else None):
            await asyncio.sleep(0)
            raise raised
        after.append(True)

    error, _ = await outcome(body())
    if error is raised:
        return "the body's KeyError came out unchanged"
    if kind == "timeout":
        raise Broken(
            f"the body's KeyError came out as {named(error)} before the deadline (TO4: it must"
            " pass through unchanged)"
        )
    if error is None:
        expect(after, "the error was suppressed but the statement after the scope did not run")
        return "exit suppressed the KeyError (allowed: the statement after ran)"
    if error.__context__ is raised:
        return f"exit replaced the KeyError with {named(error)} (allowed: the KeyError is its context)"
    raise Broken(
        f"the body's KeyError came out as {named(error)}, which was not raised while handling it:"
        " exit did not see the body's error"
    )


async def rule_W4(make, kind):
    # A cancellation the scope did not cause propagates (asyncio lets __aexit__ suppress
    # CancelledError; doing so breaks every enclosing timeout and task group).
    after = []

    async def body():
        async with make(LONG if kind == "timeout" else None):
            await asyncio.sleep(LONG)
        after.append(True)

    task = asyncio.create_task(body())
    await asyncio.sleep(0.01)
    print("check: task.cancel() from outside, while the body sleeps")
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        pass
    except BaseException as error:
        raise Broken(f"an outside task.cancel() came out of the scope as {named(error)}")
    expect(
        task.cancelled(),
        "an outside task.cancel() was suppressed by the scope: the statement after it ran"
        " and the task ended normally",
    )
    return "an outside cancellation came out as CancelledError"


async def rule_TO3(make, kind):
    # Its own deadline becomes TimeoutError.
    start = time.monotonic()
    async def body():
        async with make(DELAY):
            await asyncio.sleep(LONG)
        return "after"

    error, _ = await in_task(body())
    took = time.monotonic() - start
    expect(
        isinstance(error, TimeoutError),
        f"a body still sleeping at its deadline ({DELAY}s) came out as {named(error)},"
        " not TimeoutError",
    )
    expect(took >= DELAY - 0.02, f"the deadline fired early: after {took:.3f}s")
    return f"TimeoutError after {took:.3f}s"


async def rule_TO3_outside(make, kind):
    # async-timeout issue #229: after the deadline fired, an outside task.cancel() (here
    # while the body cleans up) must still come out as CancelledError.
    fired = asyncio.Event()

    async def body():
        async with make(DELAY):
            try:
                await asyncio.sleep(LONG)
            finally:
                fired.set()
                await asyncio.sleep(LONG)  # cleanup, cancelled from outside

    task = asyncio.create_task(body())
    await fired.wait()
    print("check: the deadline fired, the body is cleaning up; task.cancel() from outside")
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        pass
    except BaseException as error:
        raise Broken(
            f"an outside task.cancel() after the deadline fired came out as {named(error)}:"
            " the timeout converted a cancellation it did not cause (async-timeout #229)"
        )
    expect(task.cancelled(), "an outside task.cancel() after the deadline fired was swallowed")
    return "the outside cancellation came out as CancelledError"


async def rule_TO1(make, kind):
    # After a handled timeout the task is usable: it can await again, and an enclosing
    # asyncio.timeout still raises TimeoutError at its own deadline (uncancel()).
    async def body():
        try:
            async with make(DELAY):
                await asyncio.sleep(LONG)
        except TimeoutError:
            pass
        await asyncio.sleep(0.01)
        return asyncio.current_task().cancelling()

    error, task = await in_task(body())
    expect(error is None, f"after a handled timeout the next await raised {named(error)}")
    left = task.result()

    async def enclosed():
        async with asyncio.timeout(DELAY * 6):
            try:
                async with make(DELAY):
                    await asyncio.sleep(LONG)
            except TimeoutError:
                pass
            await asyncio.sleep(LONG)

    error, _ = await in_task(enclosed())
    expect(
        isinstance(error, TimeoutError),
        f"after a handled timeout, an enclosing asyncio.timeout came out as {named(error)}, not"
        f" TimeoutError: the task's cancel count was left at {left} (uncancel() it in __aexit__)",
    )
    return "the task awaited again, and an enclosing asyncio.timeout still raised TimeoutError"


async def rule_TO2(make, kind):
    # The scope never returns before its body has finished: a body whose cleanup outlasts
    # the deadline runs to its end first. Python runs the body inside the `async with`,
    # so __aexit__ cannot come early; what a timeout can still do is cancel the body again
    # during that cleanup, cutting it short.
    finished = []
    cleanup = 0.2

    async def body():
        try:
            async with make(DELAY):
                try:
                    await asyncio.sleep(LONG)
                finally:
                    await asyncio.sleep(cleanup)
                    finished.append(True)
        except BaseException as error:
            return bool(finished), error
        return bool(finished), None

    error, task = await in_task(body())
    expect(error is None, f"the rule's body came out as {named(error)}")
    done, ending = task.result()
    expect(
        done,
        f"the body's cleanup after the deadline was cut short: the timeout cancelled the body"
        f" again before it had finished (the scope came out as {named(ending)})",
    )
    return f"the scope came out (as {named(ending)}) only after the body's {cleanup}s cleanup had finished"


async def rule_TO4(make, kind):
    # A body error raised after expiry (failed cleanup) propagates as itself.
    async def body():
        async with make(DELAY):
            try:
                await asyncio.sleep(LONG)
            finally:
                raise KeyError("cleanup")

    error, _ = await in_task(body())
    expect(
        isinstance(error, KeyError),
        f"a KeyError raised by the body's cleanup after the deadline came out as {named(error)}",
    )
    return "the cleanup's KeyError came out as itself"


async def rule_TO4_value(make, kind):
    # A body that swallows its cancellation and returns a value returns that value: the
    # scope does not raise TimeoutError for a body that completed (asyncio and Trio agree;
    # a "deadline wins" timeout hides the result). asyncio.timeout holds it on CPython
    # 3.11, 3.12 and 3.13: __aexit__ converts only when a CancelledError arrives, and its
    # expired() is then True.
    interrupted = []
    scope = make(DELAY)

    async def body():
        value = None
        async with scope:
            try:
                await asyncio.sleep(DELAY * 40)
            except asyncio.CancelledError:
                interrupted.append(True)  # swallowed: the body goes on
            value = "the body's value"
        return value

    error, task = await in_task(body())
    expect(
        interrupted,
        f"the deadline ({DELAY}s) did not interrupt the body's sleep of {DELAY * 40}s",
    )
    expect(
        error is None,
        f"a body that swallowed its cancellation and completed came out as {named(error)}:"
        " the scope hid the body's result (convert only a CancelledError that arrives)",
    )
    expect(task.result() == "the body's value", f"the body's value came out as {task.result()!r}")
    expired = getattr(scope, "expired", None)
    if callable(expired):
        try:
            said = expired()
        except Exception as error:
            raise Broken(f"expired() raised {named(error)} after the deadline fired: {error}")
        expect(said, f"the body's value came out, but expired() said {said!r} after the deadline fired")
        return "the body's value came out, and expired() said True"
    return "the body's value came out, no TimeoutError"


async def rule_TO5(make, kind):
    # Nested: the inner deadline first - the inner converts, the outer does not;
    # the outer first - the inner passes the cancellation through, the outer converts.
    async def inner_first():
        async with make(LONG):
            try:
                async with make(DELAY):
                    await asyncio.sleep(LONG)
            except TimeoutError:
                return "inner"
        return "none"

    error, task = await in_task(inner_first())
    expect(
        error is None and task.result() == "inner",
        f"with the inner deadline first, the inner timeout's TimeoutError was not caught inside"
        f" the outer one (it came out as {named(error)})",
    )
    await outer_converts(make, LONG, "with the outer deadline first")
    return "inner first: the inner converted; outer first: the outer converted"


async def outer_converts(make, inner, what):
    # An outer timeout of DELAY around an inner one of `inner`: the outer must convert,
    # the inner must not.
    caught = []

    async def nested():
        async with make(DELAY):
            try:
                async with make(inner):
                    await asyncio.sleep(LONG)
            except TimeoutError:
                caught.append(True)
                return  # it took the outer one's cancellation: nothing would end the sleep
            await asyncio.sleep(LONG)

    error, _ = await in_task(nested())
    expect(
        not caught,
        f"{what}, the inner timeout converted the outer one's cancellation into TimeoutError",
    )
    expect(isinstance(error, TimeoutError), f"{what}, the outer timeout came out as {named(error)}")


async def rule_TO5_equal(make, kind):
    # Equal deadlines, the two scopes entered back to back: only the outer converts, every
    # time, whichever timer fires first.
    rounds = 10
    for round in range(1, rounds + 1):
        await outer_converts(make, DELAY, f"with equal deadlines (round {round} of {rounds})")
    return f"{rounds} rounds: the outer timeout converted each time, the inner one never"


async def rule_TO6(make, kind):
    # A deadline already passed: the first await raises, TimeoutError every time; a body
    # with no await still completes.
    for delay in (0, -1):
        async def body():
            async with make(delay):
                await asyncio.sleep(0)
            return "after"

        error, _ = await in_task(body())
        expect(
            isinstance(error, TimeoutError),
            f"a deadline already passed ({delay}) with a body of one `await asyncio.sleep(0)`"
            f" came out as {named(error)}, not TimeoutError",
        )

    async def no_await():
        async with make(0):
            value = "done"
        return value

    error, _ = await in_task(no_await())
    expect(error is None, f"a body with no await under a passed deadline came out as {named(error)}")
    await asyncio.sleep(0.01)
    return "TimeoutError at the first await; a body with no await completed"


RULES = {
    "W1": rule_W1,
    "W2": rule_W2,
    "W3": rule_W3,
    "W4": rule_W4,
    "TO1": rule_TO1,
    "TO2": rule_TO2,
    "TO3": rule_TO3,
    "TO3-outside": rule_TO3_outside,
    "TO4": rule_TO4,
    "TO4-value": rule_TO4_value,
    "TO5": rule_TO5,
    "TO5-equal": rule_TO5_equal,
    "TO6": rule_TO6,
}


def invalid(message):
    """The file or NAME cannot be used: the verdict, and the end of this program (with
    INVALID, so that the server runs no further rule)."""
    print(VERDICT, "invalid:", message)
    sys.stdout.flush()
    os._exit(INVALID)


def main():
    path, name, kind, rule = sys.argv[1:5]
    try:
        scope = load(path, name)
    except Invalid as error:
        invalid(error)
    if kind == "timeout":
        make = lambda delay: scope(delay)
        shown = f"{name}({LONG})"
    else:
        make = lambda delay: scope()
        shown = f"{name}()"
    async def build():  # in a running loop, as asyncio.timeout(delay) needs
        return make(LONG)

    try:
        sample = asyncio.run(build())
    except Exception as error:
        invalid(f"{path}: {shown} raised {named(error)}: {error}")
    missing = [m for m in ("__aenter__", "__aexit__") if not hasattr(type(sample), m)]
    if missing:
        invalid(f"{path}: {shown} is not an async context manager (no {' or '.join(missing)})")
    try:
        note = asyncio.run(RULES[rule](make, kind))
    except Broken as error:
        print(VERDICT, "broken:", error)
    except BaseException as error:
        print(VERDICT, f"broken: the rule's program ended with {named(error)}: {error}")
    else:
        print(VERDICT, "held:", note)


# ---- the server: one Python per check, a child per rule.
#
# Each rule runs in a child forked from a Python that has imported asyncio and what the
# tracer imports, but nothing of the learner's: the child runs the tracer (compiled once)
# as `python -c TRACER` would, which imports the learner's module afresh, in a process
# group of its own, its standard error in a file of its own. A rule that takes longer than
# TIMEOUT seconds gets SIGINT (its `async with`s exit), then SIGKILL after GRACE; once it
# has ended, whatever is left of its process group is killed, so nothing of one rule
# reaches the next. After each rule a line for scopelab:
#   {"event": "check-rule-end", "rule": KEY, "status": EXIT|null, "signal": N|null,
#    "stopped": true|false, "error": LAST LINE OF ITS STANDARD ERROR|null}
# A rule whose program found the file or NAME unusable (exit status INVALID) ends the
# check: every rule would say the same. SIGINT to the server stops the rule under way
# the same way and ends the server.


def _wait(pid, seconds):
    """Waits up to `seconds` for child `pid` to end: its wait status, or None."""
    import select

    deadline = time.monotonic() + seconds
    try:
        handle = os.pidfd_open(pid)
    except (AttributeError, OSError):
        handle = None
    try:
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                return status
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            if handle is not None:
                select.select([handle], [], [], left)
            else:
                time.sleep(min(left, 0.01))
    finally:
        if handle is not None:
            os.close(handle)


def _signal_group(group, number):
    try:
        os.killpg(group, number)
    except OSError:
        pass


def _stop(pid, grace):
    """SIGINT to the rule's process group, SIGKILL after `grace`: its wait status."""
    import signal

    _signal_group(pid, signal.SIGINT)
    status = _wait(pid, grace)
    if status is None:
        _signal_group(pid, signal.SIGKILL)
        status = _wait(pid, 5.0)
    return status


def _last_line(file):
    file.seek(0, os.SEEK_END)
    size = file.tell()
    file.seek(max(0, size - 65536))
    text = file.read().decode("utf-8", "replace")
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else None


def _die_with(server):
    """PR_SET_PDEATHSIG for this forked child, as the server has it (scopelab starts it
    so): if the server is killed, the rule under way dies too."""
    import signal

    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (ImportError, OSError, AttributeError):
        return
    if os.getppid() != server:  # it died before the call
        os._exit(70)


def _child(tracer, arguments, error, server):
    """In the forked child: the tracer on one rule, as `python -c TRACER ARGS` runs it."""
    try:
        _die_with(server)
        os.setpgid(0, 0)
        os.dup2(error.fileno(), 2)
        sys.argv = ["-c"] + arguments
        exec(tracer, {"__name__": "__main__", "__builtins__": __builtins__})
    except BaseException:
        import traceback

        traceback.print_exc()
    os._exit(70)


def serve(tracer_path, timeout, grace, path, name, kind, rules):
    import json
    import signal
    import tempfile

    # What the tracer imports, imported once for every rule.
    import asyncio.base_subprocess  # noqa: F401
    import asyncio.subprocess  # noqa: F401
    import asyncio.timeouts  # noqa: F401
    import contextlib  # noqa: F401
    import contextvars  # noqa: F401
    import ctypes  # noqa: F401  (for _die_with)
    import dis  # noqa: F401
    import io  # noqa: F401
    import threading  # noqa: F401
    import weakref  # noqa: F401

    with open(tracer_path, "rb") as file:
        tracer = compile(file.read(), "<string>", "exec", dont_inherit=True)
    harness = os.path.abspath(sys.argv[0])
    server = os.getpid()
    pid = None
    try:
        for rule in rules:
            with tempfile.TemporaryFile() as error:
                sys.stdout.flush()
                pid = os.fork()
                if pid == 0:
                    _child(tracer, [harness, path, name, kind, rule], error, server)
                try:
                    os.setpgid(pid, pid)
                except OSError:
                    pass  # the child has done it, or has ended
                status = _wait(pid, timeout)
                stopped = status is None
                if stopped:
                    status = _stop(pid, grace)
                _signal_group(pid, signal.SIGKILL)  # what is left of the rule's group
                pid = None
                end = {"event": "check-rule-end", "rule": rule, "status": None, "signal": None}
                if status is not None and os.WIFEXITED(status):
                    end["status"] = os.WEXITSTATUS(status)
                elif status is not None and os.WIFSIGNALED(status):
                    end["signal"] = os.WTERMSIG(status)
                end["stopped"] = stopped
                end["error"] = _last_line(error)
            sys.stdout.write(json.dumps(end) + "\n")
            sys.stdout.flush()
            if end["status"] == INVALID:
                return
    except KeyboardInterrupt:
        if pid is not None:
            _stop(pid, grace)
            _signal_group(pid, signal.SIGKILL)
        sys.exit(130)


if len(sys.argv) > 1 and sys.argv[1] == "--serve":
    serve(
        sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), sys.argv[5], sys.argv[6],
        sys.argv[7], sys.argv[8:],
    )
else:
    main()
