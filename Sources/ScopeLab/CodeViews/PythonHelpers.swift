/// The Python helper code of `PythonView`, printed once above the program: only the
/// helpers the program uses, and the tracing section only for a traced script.
enum PythonHelpers {
  /// What a program uses, gathered while it is written.
  struct Uses: Sendable, Equatable {
    var runner = false
    var process = false
    var scope = false
    var busy = false
    var errors: [DeclaredError] = []
  }

  /// An error class the script declares: the program's name for it, and its Python
  /// class name (the same, unless the name cannot be one: see ``PythonProgramWriter``).
  struct DeclaredError: Sendable, Equatable {
    var name: String
    var identifier: String

    /// `class NAME(Exception)`; a renamed class gets the program's name back as its
    /// `__name__`, which both the trace and the outcome line print.
    var declaration: String {
      let declaration = "class \(identifier)(Exception):\n    pass"
      guard identifier != name else { return declaration }
      return declaration + "\n\n\n\(identifier).__name__ = \(PythonProgramWriter.quote(name))"
    }
  }

  static func imports(_ uses: Uses, traced: Bool) -> String {
    var modules = ["asyncio"]
    if uses.process { modules += ["os", "signal"] }
    if traced || uses.busy { modules.append("time") }
    if traced { modules += ["contextlib", "contextvars", "json", "sys"] }
    return "import " + modules.joined(separator: ", ")
  }

  static func helpers(_ uses: Uses, traced: Bool) -> [String] {
    var parts: [String] = []
    if uses.busy {
      parts.append(
        """
        def busy(seconds):
            \"\"\"Spin without awaiting: blocks the event loop, by design.\"\"\"
            end = time.perf_counter() + seconds
            while time.perf_counter() < end:
                pass
        """)
    }
    if uses.runner { parts.append(runner(traced: traced)) }
    if uses.scope { parts.append(scope) }
    if uses.process { parts.append(process(traced: traced)) }
    let classes = uses.errors.map(\.declaration)
    if !classes.isEmpty { parts.append(classes.joined(separator: "\n\n\n")) }
    return parts
  }

  private static func runner(traced: Bool) -> String {
    let note = traced ? "\n        note(self, \"flag\", name=\"running\", value=value)" : ""
    return """
      class Item:
          running = False


      item = Item()


      class Runner:
          \"\"\"A plain synchronous context manager: item.running is True inside.\"\"\"

          def __init__(self, item):
              self.item = item

          def __enter__(self):
              self.set(True)
              return self.item

          def __exit__(self, kind, error, traceback):
              self.set(False)

          def set(self, value):
              self.item.running = value\(note)
      """
  }

  private static let scope = """
    class EnterError(Exception):
        pass


    class ExitError(Exception):
        pass


    class Scope:
        \"\"\"scope NAME(options): an async context manager that can misbehave on purpose.\"\"\"

        def __init__(self, name, suppress=False, fail_enter=False, throw_exit=False,
                     slow_enter=0, slow_exit=0):
            self.name, self.suppress, self.fail_enter = name, suppress, fail_enter
            self.throw_exit, self.slow_enter, self.slow_exit = throw_exit, slow_enter, slow_exit

        async def __aenter__(self):
            await asyncio.sleep(self.slow_enter)
            if self.fail_enter:
                raise EnterError
            return self

        async def __aexit__(self, kind, error, traceback):
            if self.slow_exit:
                # Cleanup survives cancellation: shielded, and waited for even if cancelled,
                # as scopelab's exits are (W5). A plain await here would be cut short by a
                # cancellation that arrives during exit (a deadline, Ctrl-C).
                cleanup = asyncio.ensure_future(asyncio.sleep(self.slow_exit))
                while not cleanup.done():
                    try:
                        await asyncio.shield(cleanup)
                    except asyncio.CancelledError:
                        pass
            if self.throw_exit:
                raise ExitError
            # As any __aexit__: True swallows the error, CancelledError too - inside
            # asyncio.timeout that hides the timeout. (scopelab's scopes refuse to: W4.)
            return self.suppress
    """

  private static func process(traced: Bool) -> String {
    func note(_ text: String) -> String { traced ? "\n" + text : "" }
    let output =
      traced
      ? "note(self, \"output\", text=line.decode(errors=\"replace\").rstrip(\"\\n\"), stream=name)"
      : "print(line.decode(errors=\"replace\"), end=\"\", flush=True)"
    return """
      class Process:
          \"\"\"A child process in its own process group, torn down like scopelab does.

          Plain asyncio does not: when asyncio.timeout cuts short an await child.wait()
          on a create_subprocess_exec child, the child goes on running, even after
          asyncio.run has returned (CPython 3.11-3.13). This __aexit__ stops it: SIGTERM
          to its group, GRACE seconds, then SIGKILL, and waits until it has ended.\"\"\"

          def __init__(self, *argv):
              self.argv = argv

          async def __aenter__(self):
              pipe = asyncio.subprocess.PIPE
              self.child = await asyncio.create_subprocess_exec(
                  *self.argv, stdout=pipe, stderr=pipe, start_new_session=True)\(note("        note(self, \"started\", pid=self.child.pid, text=\" \".join(self.argv))"))
              self.pumps = [asyncio.create_task(self.pump(self.child.stdout, "stdout")),
                            asyncio.create_task(self.pump(self.child.stderr, "stderr"))]
              self.ended = asyncio.create_task(self.watch())
              return self

          async def pump(self, stream, name):
              async for line in stream:
                  \(output)

          async def watch(self):
              \"\"\"The child's exit status, once it has exited and its output is read.\"\"\"
              # Not child.wait(): it also waits for the pipes to close, which a grandchild
              # may hold open for ever. Reading ends soon after the child.
              while self.child.returncode is None:
                  await asyncio.sleep(0.01)
              _, reading = await asyncio.wait(self.pumps, timeout=0.25)
              for pump in reading:
                  pump.cancel()
              status = self.child.returncode\(note("        note(self, \"status\", pid=self.child.pid, status=f\"exited({status})\" if status >= 0 else f\"signaled({-status})\")"))\(note("        note(self, \"reaped\", pid=self.child.pid)"))
              return status

          async def wait(self):
              \"\"\"Wait for the child to end by itself.\"\"\"
              return await asyncio.shield(self.ended)

          def kill(self, number):
              try:
                  os.killpg(self.child.pid, number)
              except ProcessLookupError:
                  pass\(note("        note(self, \"signal\", pid=self.child.pid, signal=signal.Signals(number).name)"))

          async def __aexit__(self, kind, error, traceback):
              if error is None:
                  try:
                      await self.wait()  # the body ended normally: the child's own exit
                  except asyncio.CancelledError:
                      await self.stop()  # ... unless a timeout or Ctrl-C cuts it short
                      raise
              await self.stop()

          async def stop(self):
              \"\"\"Tear the child down if it still runs (SIGTERM, GRACE seconds, SIGKILL),
              wait until it has ended, and kill what it left running in its group.\"\"\"
              if self.child.returncode is None:
                  self.kill(signal.SIGTERM)
                  try:
                      await asyncio.wait_for(self.wait(), GRACE)
                  except (TimeoutError, asyncio.CancelledError):
                      self.kill(signal.SIGKILL)
              await self.wait()
              if group_alive(self.child.pid):
                  self.kill(signal.SIGKILL)


      def group_alive(group):
          \"\"\"Whether a process of the group still runs. (os.killpg(group, 0) also finds
          one that has died but is not reaped yet; on Linux /proc tells them apart.)\"\"\"
          try:
              os.killpg(group, 0)
          except ProcessLookupError:
              return False
          if not os.path.isdir("/proc"):
              return True
          for pid in filter(str.isdigit, os.listdir("/proc")):
              try:
                  with open(f"/proc/{pid}/stat") as stat:
                      state, _, pgid = stat.read().rsplit(")", 1)[1].split()[:3]
              except (OSError, ValueError):
                  continue
              if int(pgid) == group and state != "Z":
                  return True
          return False
      """
  }

  /// The tracing section of a traced script: wraps every context manager so that it
  /// prints scopelab's JSONL events; the program itself is the same as untraced.
  static func tracing(_ uses: Uses) -> String {
    var rebind: [String] = []
    if uses.runner { rebind.append("Runner = traced(\"runner\", Runner)") }
    if uses.process { rebind.append("Process = traced(\"process\", Process)") }
    if uses.scope { rebind.append("Scope = traced(None, Scope)") }
    let rebinding = rebind.isEmpty ? "" : "\n" + rebind.joined(separator: "\n")
    return """
      started, scope_ids = time.monotonic(), {}
      scope_depth = contextvars.ContextVar("depth", default=0)


      def emit(event, **fields):
          t = round(max(0.0, time.monotonic() - started), 6)
          sys.stdout.write(json.dumps({"t": t, "event": event, **fields}) + "\\n")
          sys.stdout.flush()


      def note(manager, event, **fields):
          emit(event, **manager.trace, **fields)


      def error_name(error):
          return None if error is None else type(error).__name__


      class Traced:
          \"\"\"Wraps a (sync or async) context manager; prints its enter/exit events.\"\"\"

          announced = False  # its enter event is already printed

          def __init__(self, name, manager):
              scope_ids[name] = scope_ids.get(name, 0) + 1
              self.manager, self.depth = manager, scope_depth.get()
              self.scope = {"scope": name, "id": f"{name}#{scope_ids[name]}", "depth": self.depth}
              manager.trace = self.scope

          def entering(self, enter):
              emit("enter", **self.scope)
              try:
                  value = enter()
              except BaseException as error:
                  emit("enter-failed", **self.scope, error=error_name(error))
                  raise
              scope_depth.set(self.depth + 1)
              return value

          def exiting(self, error):
              scope_depth.set(self.depth)
              expired = {}
              if isinstance(self.manager, asyncio.Timeout):
                  expired = {"expired": self.manager.expired()}
              emit("exit", **self.scope, error=error_name(error), **expired)

          def exited(self, error, suppress):
              if suppress and error is not None:
                  emit("suppressed", **self.scope, error=error_name(error))
                  error = None
              emit("exit-done", **self.scope, error=error_name(error))
              return suppress

          def failed(self, error):
              emit("exit-done", **self.scope, error=error_name(error))

          def __enter__(self):
              return self.entering(self.manager.__enter__)

          def __exit__(self, kind, error, traceback):
              self.exiting(error)
              try:
                  suppress = self.manager.__exit__(kind, error, traceback)
              except BaseException as new:
                  self.failed(new)
                  raise
              return self.exited(error, suppress)

          async def __aenter__(self):
              if not self.announced:
                  emit("enter", **self.scope)
              try:
                  value = await self.manager.__aenter__()
              except BaseException as error:
                  emit("enter-failed", **self.scope, error=error_name(error))
                  raise
              scope_depth.set(self.depth + 1)
              return value

          async def __aexit__(self, kind, error, traceback):
              self.exiting(error)
              try:
                  suppress = await self.manager.__aexit__(kind, error, traceback)
              except BaseException as new:
                  self.failed(new)
                  raise
              return self.exited(error, suppress)


      def traced(name, factory):
          return lambda *args, **options: Traced(name or args[0], factory(*args, **options))


      class Timeout(asyncio.Timeout):
          moved = False  # the first reschedule is __aenter__'s own

          def reschedule(self, when):
              if self.moved:
                  note(self, "reschedule", deadline=None if when is None else round(when - started, 6))
              self.moved = True
              super().reschedule(when)

          def _on_timeout(self):
              note(self, "fired")
              super()._on_timeout()


      def timeout(delay):
          loop = asyncio.get_running_loop()
          return Traced("timeout", Timeout(None if delay is None else loop.time() + delay))


      class TaskGroup(asyncio.TaskGroup):
          def create_task(self, coroutine):
              scope = Traced("task", contextlib.nullcontext())
              emit("enter", **scope.scope)  # scopelab traces a task's enter when it is created
              scope.announced = True

              async def task():
                  async with scope:
                      return await coroutine
              return super().create_task(task())


      asyncio.timeout = timeout
      asyncio.TaskGroup = traced("group", TaskGroup)
      print = lambda *words: emit("print", text=" ".join(map(str, words)))\(rebinding)
      """
  }
}
