import Foundation

/// One python3 run: its exit status and stdout.
public typealias PythonRun = (status: Int32, output: String)

/// Runs python3 on each script, four at a time (the machine is small, and the programs'
/// deadlines are short), each stopped after `timeout` seconds; their exit statuses (or the
/// signal that ended them) and stdouts, in order. `finished` is told of each run as it
/// ends: its script's index, and the run.
///
/// Each script runs in a process of its own, as `python3 SCRIPT` would run it: as
/// `__main__`, with its own stdout, no stderr. CPython starts once, though
/// (``pythonForkServer``): a server imports what the scripts import and forks a child for
/// each, so that the interpreter's start-up, most of a short script's CPU time, is paid
/// once per call rather than once per script. The wait polls with `Task.sleep`, so no
/// thread of the pool is held while the scripts run.
public func runPython(
  _ scripts: [String], timeout: Double = 20, interpreter: String = "python3",
  finished: (Int, PythonRun) -> Void = { _, _ in }
) async throws -> [PythonRun] {
  let directory = FileManager.default.temporaryDirectory
    .appendingPathComponent("pyview-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: directory) }
  for (index, script) in scripts.enumerated() {
    try script.write(
      to: directory.appendingPathComponent("script\(index).py"), atomically: true,
      encoding: .utf8)
  }
  let server = directory.appendingPathComponent("server.py")
  try pythonForkServer.write(to: server, atomically: true, encoding: .utf8)
  let ended = directory.appendingPathComponent("ended")
  let errors = directory.appendingPathComponent("server.err")
  for file in [ended, errors] {
    _ = FileManager.default.createFile(atPath: file.path, contents: nil)
  }
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.currentDirectoryURL = directory
  // The test runner may ignore SIGTERM, and a child would inherit that: reset it.
  process.arguments = [
    "--default-signal=TERM,INT", interpreter, server.path, directory.path, "\(scripts.count)",
    "\(timeout)",
  ]
  process.standardOutput = FileHandle.nullDevice
  process.standardError = try FileHandle(forWritingTo: errors)
  try process.run()
  // A throw or a cancellation (a time limit) leaves no python behind: the server stops
  // its scripts when it is stopped.
  defer {
    if process.isRunning {
      process.terminate()
      process.waitUntilExit()
    }
  }
  var results = [PythonRun?](repeating: nil, count: scripts.count)
  var count = 0
  while count < scripts.count {
    let exited = !process.isRunning
    // `INDEX STATUS` a line, each once its script's process has ended and been reaped.
    // (Only whole lines: one may be being written.)
    let text = try String(contentsOf: ended, encoding: .utf8)
    let lines = text[..<(text.lastIndex(of: "\n") ?? text.startIndex)].split(separator: "\n")
    for line in lines.dropFirst(count) {
      let fields = line.split(separator: " ").compactMap { Int32($0) }
      guard fields.count == 2, let index = Int(exactly: fields[0]), results.indices.contains(index)
      else { throw PythonServerFailure(description: "python3: a bad line \(line)") }
      let output = directory.appendingPathComponent("script\(index).out")
      let result = (fields[1], try String(contentsOf: output, encoding: .utf8))
      results[index] = result
      finished(index, result)
      count += 1
    }
    if count == scripts.count { break }
    if exited {
      let text = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
      throw PythonServerFailure(
        description: "python3 ended (\(process.terminationStatus)) after \(count) of "
          + "\(scripts.count) scripts: \(text)")
    }
    try await Task.sleep(for: .milliseconds(5))
  }
  return results.compactMap { $0 }
}

/// The runs of ``runPython(_:timeout:interpreter:finished:)`` did not all end.
public struct PythonServerFailure: Error, CustomStringConvertible {
  public var description: String
}

/// ``runPython(_:timeout:interpreter:finished:)``'s server: `server.py DIRECTORY COUNT
/// TIMEOUT` runs `DIRECTORY/scriptN.py` for N below COUNT, four at a time, each in a
/// child forked from it, its stdout into `scriptN.out`; it appends `N STATUS` to
/// `DIRECTORY/ended` once the child has ended (STATUS its exit status, or the signal that
/// ended it), and stops a child that runs TIMEOUT seconds with SIGTERM. Stopped itself
/// (SIGTERM), it stops its children first.
let pythonForkServer = #"""
  import os, runpy, signal, sys, time, traceback
  # What the scripts import: each child has them at once.
  import asyncio, contextlib, contextvars, json

  directory, count, timeout = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
  running = {}  # pid: (index, deadline)

  def stop(number, frame):
      for pid in running:
          os.kill(pid, signal.SIGTERM)
      for pid in running:
          os.waitpid(pid, 0)
      os._exit(1)

  def run(index):
      """In the child: runs the script as python3 would, then exits with its status."""
      signal.signal(signal.SIGTERM, signal.SIG_DFL)
      status = 1
      try:
          output = os.open(f"{directory}/script{index}.out", os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
          os.dup2(output, 1)
          os.close(output)
          null = os.open(os.devnull, os.O_WRONLY)
          os.dup2(null, 2)
          os.close(null)
          path = f"{directory}/script{index}.py"
          sys.argv = [path]
          sys.path[0] = directory
          try:
              runpy.run_path(path, run_name="__main__")
              status = 0
          except SystemExit as exit:
              if exit.code is None or isinstance(exit.code, int):
                  status = exit.code or 0
              else:
                  print(exit.code, file=sys.stderr)
          except BaseException:
              traceback.print_exc()
          import atexit
          atexit._run_exitfuncs()
          sys.stdout.flush()
          sys.stderr.flush()
      finally:
          os._exit(status)

  signal.signal(signal.SIGTERM, stop)
  pending = list(range(count))
  with open(f"{directory}/ended", "a") as ended:
      while pending or running:
          while pending and len(running) < 4:
              index = pending.pop(0)
              pid = os.fork()
              if pid == 0:
                  run(index)
              running[pid] = (index, time.monotonic() + timeout)
          pid, status = os.waitpid(-1, os.WNOHANG)
          if pid == 0:
              for late, (_, deadline) in running.items():
                  if time.monotonic() > deadline:
                      os.kill(late, signal.SIGTERM)
              time.sleep(0.005)
              continue
          index, _ = running.pop(pid)
          code = os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
          ended.write(f"{index} {code}\n")
          ended.flush()
  """#

/// `python3 -m py_compile` on all the scripts in one process: its exit status.
public func compilePython(_ scripts: [String]) async throws -> Int32 {
  let files = scripts.enumerated().map { "compile\($0.offset).py" }
  let writes = zip(files, scripts).map { file, script in
    "open(\(pythonRepr(file)), 'w').write(\(pythonRepr(script)))"
  }
  let driver =
    writes.joined(separator: "\n") + "\nimport py_compile\n"
    + files.map { "py_compile.compile(\(pythonRepr($0)), doraise=True)" }.joined(separator: "\n")
  return try await runPython([driver])[0].status
}

/// `text` as a Python expression that evaluates to it, whatever it holds.
public func pythonRepr(_ text: String) -> String {
  "bytes.fromhex('"
    + text.utf8.map { byte in
      let hex = String(byte, radix: 16)
      return hex.count == 1 ? "0" + hex : hex
    }.joined() + "').decode()"
}

/// A JSON-lines trace (scopelab's `--jsonl`, or a traced Python view's output): one
/// object a line; lines that are no JSON object are left out.
public func traceEvents(_ jsonl: String) -> [[String: Any]] {
  jsonl.split(separator: "\n").compactMap { line in
    (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
  }
}

/// One event, as scopelab's and Python's traces are compared: its name, scope id, error
/// (where it has one), printed text, returned value. Python's `CancelledError` is Swift's
/// `CancellationError`.
public func traceKey(_ event: [String: Any]) -> String {
  let name = event["event"] as? String ?? "?"
  var parts = [name, event["id"] as? String ?? ""]
  if ["exit", "exit-done", "enter-failed", "suppressed", "result"].contains(name) {
    let error = event["error"] as? String ?? "nil"
    parts.append(error == "CancelledError" ? "CancellationError" : error)
  }
  if name == "print" { parts.append(event["text"] as? String ?? "") }
  if name == "result" { parts.append(event["value"] as? String ?? "nil") }
  return parts.joined(separator: " ")
}
