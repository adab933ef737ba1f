# scopelab trace FILE.py: runs a learner's asyncio program under CPython 3.11+ and
# reports, as it happens, every `async with` in it (enter, exit with what it received,
# exit-done with what left it), timeouts firing, TaskGroup tasks, subprocesses and
# prints, one JSON object per line on standard output (fd 1 at start-up). The
# program's own standard output becomes `print` events, its sys.stderr `output` events
# (stream stderr); what its children write to the inherited standard output becomes
# `output` events. Every event carries `task`: 1 for the main task (the one asyncio.run
# runs), then 2, 3, ...: a TaskGroup task's when it is created, any other task's (such
# as asyncio.create_task's, gather's, loop.create_task's) when it first does something
# traced; so each asyncio task an event happens in has a number of its own.
#
# Embedded in scopelab (Package.swift, `.embedInCode`) and run with `python -c`;
# argv: FILE [ARGS...]. Hooks: sys.monitoring on 3.12+, sys.setprofile on 3.11 (with a
# frame-local trace function on `__aexit__` frames, for the exception that leaves one).
# The learner's source is compiled as it is, under its own file name.
#
# Lines that are not trace events, for scopelab only: {"event":"syntax-error", "line",
# "text"}, {"event":"alive","pid","text"} (a child still running after the program
# ended) and `detail` on `result`, `step`/`replacing` on `exit-done`.

import asyncio
import asyncio.base_subprocess
import asyncio.subprocess
import asyncio.timeouts
import builtins
import contextlib
import contextvars
import dis
import io
import json
import os
import signal
import sys
import threading
import time
import weakref

_T0 = time.monotonic()
_EVENTS = os.dup(1)
_stack = contextvars.ContextVar("scopelab_stack", default=())
# The task an event happens in: 1 for the main task, then 2, 3, ... for TaskGroup tasks
# when they are created and for other tasks when they first do something traced (a small
# stable number, never an address). `_task` holds (number, weak reference to the task it
# was given to, or None while that task is not known yet); a task inherits its creator's
# context, so an event whose current task is not the owner is the first of a task of its
# own, unless the task was numbered already (`_number_of`).
_task = contextvars.ContextVar("scopelab_task", default=(1, None))
_tasks = [1]  # the last task number given
_number_of = weakref.WeakKeyDictionary()  # asyncio task -> its number
# Numbers meant for a task not numbered yet -> the coroutine that task runs (asyncio.run's
# for 1, a TaskGroup task's), or None: the first task traced takes it.
_meant = {1: None}
_counts = {}
_scopes = {}  # id(cm object) -> the open Scope of that object
_children = {}  # pid -> command, for every child started


def _emit(**fields):
    # `task` follows `depth`, on every event (the current task's, unless given).
    task = fields.pop("task", None)
    out = {"t": round(max(0.0, time.monotonic() - _T0), 6)}
    for key, value in fields.items():
        out[key] = value
        if key == "depth":
            out["task"] = task if task is not None else _task_number()
    fields = out
    line = json.dumps(fields) + "\n"
    data = line.encode()
    while data:
        data = data[os.write(_EVENTS, data) :]


def _task_number():
    """The number of the task running now; an event outside any task (a loop callback,
    a thread) has its context's."""
    number, owner = _task.get()
    current = _current_task()
    if current is None or (owner is not None and owner() is current):
        return number
    known = _number_of.get(current)
    if known is None:
        if number in _meant and _meant[number] in (None, current.get_coro()):
            known = number  # the task this number was meant for: main, or a group's
            del _meant[number]
        else:
            _tasks[0] += 1
            known = _tasks[0]
        _number_of[current] = known
    _task.set((known, weakref.ref(current)))
    return known


def _current_task():
    try:
        return asyncio.current_task()
    except RuntimeError:  # no event loop running in this thread
        return None


class _Scope:
    __slots__ = ("name", "id", "depth", "obj", "received", "weak", "task")

    def __init__(self, name, depth, obj):
        _counts[name] = _counts.get(name, 0) + 1
        self.name = name
        self.id = f"{name}#{_counts[name]}"
        self.depth = depth
        self.obj = obj  # kept alive: its id() stays unique while the scope is listed
        self.received = None
        self.weak = True
        self.task = _task_number()

    def emit(self, event, **fields):
        _emit(
            event=event, scope=self.name, id=self.id, depth=self.depth, task=self.task, **fields
        )


def _name_of(obj):
    if isinstance(obj, asyncio.timeouts.Timeout):
        return "timeout"
    if isinstance(obj, asyncio.TaskGroup):
        return "group"
    if isinstance(obj, contextlib._AsyncGeneratorContextManager):
        gen = getattr(obj, "gen", None)
        name = getattr(gen, "__name__", None)
        if name:
            return name
    return type(obj).__name__


def _error_name(exc):
    if exc is None:
        return None
    if isinstance(exc, type):
        return exc.__name__
    return type(exc).__name__


def _self_of(frame):
    code = frame.f_code
    if code.co_argcount == 0:
        return None
    return frame.f_locals.get(code.co_varnames[0])


# What each hook does, whichever hook mechanism calls it.


def _aenter_started(frame):
    obj = _self_of(frame)
    if obj is None:
        return
    stack = _stack.get()
    scope = _Scope(_name_of(obj), len(stack), obj)
    _scopes[id(obj)] = scope
    scope.emit("enter")
    _stack.set(stack + (scope.id,))
    _frames[id(frame)] = (frame, scope, "enter")


def _aenter_ended(scope, raised):
    if raised is None:
        return
    _pop(scope)
    _scopes.pop(id(scope.obj), None)
    scope.emit("enter-failed", error=_error_name(raised))


def _pop(scope):
    stack = _stack.get()
    if scope.id in stack:
        _stack.set(stack[: stack.index(scope.id)])


def _aexit_started(frame):
    obj = _self_of(frame)
    if obj is None:
        return
    scope = _scopes.get(id(obj))
    if scope is None:
        # An exit with no open enter: a second exit of a scope that already exited, or
        # an exit of one never entered. The trace shows it under the old id, if any.
        scope = _exited.get(id(obj))
        if scope is None:
            scope = _Scope(_name_of(obj), len(_stack.get()), obj)
        scope.obj = obj
    code = frame.f_code
    arguments = [frame.f_locals.get(name) for name in code.co_varnames[1 : code.co_argcount]]
    if code.co_flags & _CO_VARARGS:
        arguments += list(frame.f_locals.get(code.co_varnames[code.co_argcount], ()))
    received = None
    if len(arguments) >= 2:
        received = arguments[1] if arguments[1] is not None else arguments[0]
    scope.received = received
    fields = {"error": _error_name(received)}
    if isinstance(obj, asyncio.timeouts.Timeout):
        fields["expired"] = bool(obj.expired())
    scope.emit("exit", **fields)
    _frames[id(frame)] = (frame, scope, "exit")


_exited = {}  # id(cm object) -> its scope, once its exit returned (for a second exit)


def _forget(scope):
    """Moves an exited scope to `_exited`, where it stays as long as its object lives
    (so an `async with lock:` in a loop keeps nothing), or for good if the object
    cannot be weakly referenced (its id() must then not be reused)."""
    key = id(scope.obj)
    _scopes.pop(key, None)
    _exited[key] = scope
    if key not in _watched:
        try:
            weakref.finalize(scope.obj, _unwatch, key)
            _watched.add(key)
        except TypeError:
            scope.weak = False
    if scope.weak:
        scope.obj = None  # a second exit gives it back


_watched = set()  # ids of the objects whose end `_forget` watches


def _unwatch(key):
    _watched.discard(key)
    _exited.pop(key, None)


def _aexit_ended(scope, returned, raised):
    # What exit itself did (prints, scopes) was one level deeper; what follows is not.
    _pop(scope)
    try:
        _report_exit_done(scope, returned, raised)
    finally:
        _forget(scope)


def _report_exit_done(scope, returned, raised):
    received = scope.received
    name = _error_name(received)
    if raised is not None:
        if raised is received:
            scope.emit("exit-done", error=name)
            return
        step = "raised"
        if (
            isinstance(scope.obj, asyncio.timeouts.Timeout)
            and isinstance(raised, TimeoutError)
            and isinstance(received, asyncio.CancelledError)
        ):
            step = "converted"
        scope.emit("exit-done", error=_error_name(raised), step=step, replacing=name)
        return
    if returned and received is not None:
        scope.emit("suppressed", error=name)
        scope.emit("exit-done", error=None)
        return
    if received is None and isinstance(scope.obj, asyncio.timeouts.Timeout) and scope.obj.expired():
        # The deadline passed, but the body finished all the same (TO4).
        scope.emit("exit-done", error=None, step="finished")
        return
    scope.emit("exit-done", error=name)


def _on_timeout_called(frame):
    scope = _scopes.get(id(_self_of(frame)))
    if scope is not None:
        scope.emit("fired")


_frames = {}  # id(frame) -> (frame, scope, "enter"|"exit"), while the frame runs
_AENTER = "__aenter__"
_AEXIT = "__aexit__"
_ON_TIMEOUT = asyncio.timeouts.Timeout._on_timeout.__code__
_CO_COROUTINE = 0x80
_CO_VARARGS = 0x04


def _interesting(code):
    if code is _ON_TIMEOUT:
        return True
    return code.co_name in (_AENTER, _AEXIT) and code.co_flags & _CO_COROUTINE


def _started(frame):
    code = frame.f_code
    try:
        if code is _ON_TIMEOUT:
            _on_timeout_called(frame)
        elif code.co_name == _AENTER:
            _aenter_started(frame)
        else:
            _aexit_started(frame)
    except Exception as error:  # never break the learner's program
        _tracer_failed(error)


def _ended(frame, returned, raised):
    entry = _frames.pop(id(frame), None)
    if entry is None:
        return
    _, scope, which = entry
    try:
        if which == "enter":
            _aenter_ended(scope, raised)
        else:
            _aexit_ended(scope, returned, raised)
    except Exception as error:  # never break the learner's program
        _tracer_failed(error)


_failures = []


def _tracer_failed(error):
    if not _failures:
        sys.__stderr__.write(f"scopelab: the tracer failed ({type(error).__name__}: {error})\n")
    _failures.append(error)


# sys.monitoring (3.12+): PY_START is a coroutine's first start only (a resume is
# PY_RESUME, not asked for); PY_RETURN and PY_UNWIND are its end, with the value or the
# exception. Code objects of no interest are switched off at their first start.

_TOOL = None


def _install_monitoring():
    global _TOOL
    mon = sys.monitoring
    for tool in (mon.PROFILER_ID, mon.OPTIMIZER_ID, 4, 3, 1):
        try:
            mon.use_tool_id(tool, "scopelab")
        except ValueError:
            continue
        _TOOL = tool
        break
    if _TOOL is None:
        raise RuntimeError("no free sys.monitoring tool id")
    events = mon.events

    def on_start(code, offset):
        if not _interesting(code):
            return mon.DISABLE
        mon.set_local_events(_TOOL, code, events.PY_RETURN)
        _started(sys._getframe(1))

    def on_return(code, offset, value):
        _ended(sys._getframe(1), value, None)

    def on_unwind(code, offset, exc):
        if code.co_name in (_AENTER, _AEXIT):
            _ended(sys._getframe(1), None, exc)

    mon.register_callback(_TOOL, events.PY_START, on_start)
    mon.register_callback(_TOOL, events.PY_RETURN, on_return)
    mon.register_callback(_TOOL, events.PY_UNWIND, on_unwind)
    mon.set_events(_TOOL, events.PY_START | events.PY_UNWIND)


def _uninstall_monitoring():
    mon = sys.monitoring
    mon.set_events(_TOOL, 0)
    mon.free_tool_id(_TOOL)


# sys.setprofile (3.11): "call" is a coroutine's start and every resume too - the
# RESUME instruction it stops at says which (0: the start); "return" is every
# suspension too (at a YIELD_VALUE) and an exception leaving the frame (not at a
# RETURN_VALUE, and with no exception given). For that exception, an `__aexit__` or
# `__aenter__` frame gets a frame-local trace function, which sees "exception" events;
# frame-local tracing needs a global trace function, here one that traces nothing.

_RESUME = dis.opmap["RESUME"]
_YIELD = dis.opmap["YIELD_VALUE"]
_RETURNS = {dis.opmap[name] for name in ("RETURN_VALUE", "RETURN_CONST") if name in dis.opmap}
_raising = {}  # id(frame) -> the last exception seen in it


def _local_trace(frame, event, arg):
    if event == "exception":
        _raising[id(frame)] = arg[1]
    return _local_trace


def _no_trace(frame, event, arg):
    return None


def _profile(frame, event, arg):
    code = frame.f_code
    if event == "call":
        if not _interesting(code):
            return
        if id(frame) in _frames:
            return  # a resume (after an await, or a throw() into it)
        lasti = frame.f_lasti
        raw = code.co_code
        if lasti < 0 or raw[lasti] != _RESUME or raw[lasti + 1] != 0:
            return  # not at the start
        _started(frame)
        if id(frame) in _frames:
            frame.f_trace_lines = False
            frame.f_trace = _local_trace
    elif event == "return":
        if id(frame) not in _frames:
            return
        lasti = frame.f_lasti
        op = code.co_code[lasti] if lasti >= 0 else None
        if op == _YIELD:
            return  # a suspension
        if op in _RETURNS:
            _raising.pop(id(frame), None)
            _ended(frame, arg, None)
        else:
            _ended(frame, None, _raising.pop(id(frame), None) or _unseen(frame))


def _unseen(frame):
    """The exception leaving a frame when no "exception" event named it: what its exit
    received, taken to go on; else an Exception."""
    entry = _frames.get(id(frame))
    if entry is not None and entry[1].received is not None and entry[2] == "exit":
        received = entry[1].received
        return received if isinstance(received, BaseException) else received()
    return Exception()


def _install_profile():
    sys.settrace(_no_trace)
    sys.setprofile(_profile)


def _uninstall_profile():
    sys.setprofile(None)
    sys.settrace(None)


# TaskGroup tasks, as `task` scopes: enter when created, exit when done.

_orig_create_task = asyncio.TaskGroup.create_task


def _create_task(self, coro, *args, **kwargs):
    stack = _stack.get()
    scope = _Scope("task", len(stack), coro)
    _tasks[0] += 1
    scope.task = _tasks[0]  # the task's own events, and everything it does
    context = kwargs.get("context") or contextvars.copy_context()
    context.run(_stack.set, stack + (scope.id,))
    context.run(_task.set, (scope.task, None))
    _meant[scope.task] = coro  # for the task's own first step, if the loop starts it eagerly
    kwargs["context"] = context
    scope.emit("enter")
    try:
        task = _orig_create_task(self, coro, *args, **kwargs)
    except BaseException as error:
        _meant.pop(scope.task, None)
        scope.emit("enter-failed", error=_error_name(error))
        raise
    _number_of[task] = scope.task
    _meant.pop(scope.task, None)

    def done(task):
        if task.cancelled():
            name = "CancelledError"
        else:
            name = _error_name(task.exception())
        scope.emit("exit", error=name)
        scope.emit("exit-done", error=name)

    task.add_done_callback(done)
    return task


# Subprocesses (asyncio.create_subprocess_exec/shell, loop.subprocess_exec/shell):
# started, signalled, status and reaped.


def _depth():
    return len(_stack.get())


_orig_transport_init = asyncio.base_subprocess.BaseSubprocessTransport.__init__


def _transport_init(self, loop, protocol, args, shell, *rest, **kwargs):
    _orig_transport_init(self, loop, protocol, args, shell, *rest, **kwargs)
    pid = self.get_pid()
    if shell:
        command = os.fsdecode(args) if isinstance(args, bytes) else str(args)
    else:
        command = " ".join(os.fsdecode(a) if isinstance(a, bytes) else str(a) for a in args)
    _children[pid] = command
    _emit(event="started", depth=_depth(), pid=pid, text=command)


def _traced_signal(original, fixed):
    def send(self, *args):
        number = fixed if fixed is not None else args[0]
        if self.returncode is None:
            try:
                name = signal.Signals(number).name
            except ValueError:
                name = str(number)
            # Process.send_signal() signals the one process, not its group.
            _emit(event="signal", depth=_depth(), pid=self.pid, signal=name, group=False)
        return original(self, *args)

    return send


_reaped = set()
_orig_exited = asyncio.base_subprocess.BaseSubprocessTransport._process_exited


def _process_exited(self, returncode):
    pid = self.get_pid()
    if pid in _children and pid not in _reaped:
        _reaped.add(pid)
        status = f"signaled({-returncode})" if returncode < 0 else f"exited({returncode})"
        _emit(event="status", depth=_depth(), pid=pid, status=status)
        _emit(event="reaped", depth=_depth(), pid=pid)
    return _orig_exited(self, returncode)


_orig_runner_run = asyncio.Runner.run


def _runner_run(self, coro, *args, **kwargs):
    if 1 in _meant:
        _meant[1] = coro  # its task is the main task, 1
    return _orig_runner_run(self, coro, *args, **kwargs)


def _install_patches():
    asyncio.TaskGroup.create_task = _create_task
    asyncio.Runner.run = _runner_run
    asyncio.base_subprocess.BaseSubprocessTransport.__init__ = _transport_init
    process = asyncio.subprocess.Process
    process.send_signal = _traced_signal(process.send_signal, None)
    process.terminate = _traced_signal(process.terminate, signal.SIGTERM)
    process.kill = _traced_signal(process.kill, signal.SIGKILL)
    asyncio.base_subprocess.BaseSubprocessTransport._process_exited = _process_exited


# The program's standard output: `print` events, a line at a time.


class _PrintStream(io.TextIOBase):
    """sys.stdout: each line a `print` event; or, as sys.stderr, an `output` event of
    stream stderr - so both come in order with the rest of the trace."""

    def __init__(self, stream=None):
        self._pending = ""
        self._stream = stream

    def writable(self):
        return True

    @property
    def encoding(self):
        return "utf-8"

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        self._pending += text
        while "\n" in self._pending:
            line, self._pending = self._pending.split("\n", 1)
            self._line(line)
        return len(text)

    def _line(self, line):
        if self._stream is None:
            _emit(event="print", depth=_depth(), text=line)
        else:
            _emit(event="output", depth=_depth(), text=line, stream=self._stream)

    def flush(self):
        pass

    def finish(self):
        if self._pending:
            self._line(self._pending)
            self._pending = ""


def _capture_fd1():
    """Points fd 1 at a pipe read by a thread: what children write there is `output`."""
    reader, writer = os.pipe()
    os.dup2(writer, 1)
    os.close(writer)

    def pump():
        pending = b""
        while True:
            try:
                chunk = os.read(reader, 65536)
            except OSError:
                break
            if not chunk:
                break
            pending += chunk
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                _emit(event="output", depth=_depth(), text=_decode(line), stream="stdout")
        if pending:
            _emit(event="output", depth=_depth(), text=_decode(pending), stream="stdout")

    thread = threading.Thread(target=pump, name="scopelab-stdout", daemon=True)
    thread.start()
    return thread


def _decode(raw):
    return raw.rstrip(b"\r").decode("utf-8", "replace")


def _alive(pid):
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
    except OSError:
        return False
    return fields[0] != b"Z"


def _location(error, path):
    line = None
    tb = error.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == path:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def main():
    path = sys.argv[1]
    try:
        with open(path, "rb") as file:
            source = file.read()
    except OSError as error:
        _emit(event="syntax-error", line=0, text=error.strerror or str(error))
        return 2
    try:
        code = compile(source, path, "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as error:
        line = getattr(error, "lineno", None) or 0
        message = getattr(error, "msg", None) or str(error)
        _emit(event="syntax-error", line=line, text=f"{type(error).__name__}: {message}")
        return 2
    sys.argv = sys.argv[1:]
    sys.path[0] = os.path.dirname(os.path.abspath(path))
    pump = _capture_fd1()
    stdout = _PrintStream()
    sys.stdout = stdout
    stderr = _PrintStream("stderr")
    sys.stderr = stderr
    namespace = {"__name__": "__main__", "__file__": path, "__builtins__": builtins}
    _install_patches()
    monitoring = hasattr(sys, "monitoring")
    outcome, detail, context = "ok", None, None
    if monitoring:
        _install_monitoring()
    else:
        _install_profile()
    try:
        exec(code, namespace)
    except SystemExit as error:
        if error.code not in (None, 0):
            outcome, detail = "SystemExit", f"SystemExit: {error.code}"
    except KeyboardInterrupt:
        outcome = "KeyboardInterrupt"
    except BaseException as error:
        outcome = type(error).__name__
        message = str(error)
        detail = f"{outcome}: {message}" if message else outcome
        line = _location(error, path)
        if line is not None:
            detail += f" ({os.path.basename(path)}:{line})"
        if error.__context__ is not None and not error.__suppress_context__:
            context = type(error.__context__).__name__
    finally:
        if monitoring:
            _uninstall_monitoring()
        else:
            _uninstall_profile()
    stdout.finish()
    stderr.finish()
    sys.stdout = sys.__stdout__
    sys.stderr = sys.__stderr__
    # Children that inherited fd 1 may still hold the pipe: wait a little for the rest.
    os.close(1)
    pump.join(0.2)
    for pid, command in _children.items():
        if pid not in _reaped and _alive(pid):
            _emit(event="alive", pid=pid, text=command)
    fields = {"outcome": outcome, "value": None, "context": context}
    if detail is not None:
        fields["detail"] = detail
    _emit(event="result", depth=0, **fields)
    return 0


if __name__ == "__main__":
    status = main()
    sys.stdout.flush()
    os._exit(status)
