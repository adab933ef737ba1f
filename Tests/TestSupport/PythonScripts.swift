import Foundation

/// One python3 run: its exit status and stdout.
public typealias PythonRun = (status: Int32, output: String)

/// Runs python3 on each script, four at a time (the machine is small, and the programs'
/// deadlines are short), each stopped after `timeout` seconds; their exit statuses and
/// stdouts, in order. A finished script's place goes to the next at once, and the wait
/// polls with `Task.sleep`, so no thread of the pool is held while the scripts run.
/// `finished` is told of each run as it ends: its script's index, and the run.
public func runPython(
  _ scripts: [String], timeout: Double = 20, interpreter: String = "python3",
  finished: (Int, PythonRun) -> Void = { _, _ in }
) async throws -> [PythonRun] {
  let directory = FileManager.default.temporaryDirectory
    .appendingPathComponent("pyview-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: directory) }
  var results = [PythonRun?](repeating: nil, count: scripts.count)
  var running: [(index: Int, process: Process, output: URL, deadline: Date)] = []
  // A throw or a cancellation (a time limit) leaves no python behind.
  defer {
    for run in running where run.process.isRunning {
      run.process.terminate()
      run.process.waitUntilExit()
    }
  }
  var next = 0
  while next < scripts.count || !running.isEmpty {
    while running.count < 4 && next < scripts.count {
      let file = directory.appendingPathComponent("script\(next).py")
      let output = directory.appendingPathComponent("script\(next).out")
      try scripts[next].write(to: file, atomically: true, encoding: .utf8)
      _ = FileManager.default.createFile(atPath: output.path, contents: nil)
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      process.currentDirectoryURL = directory
      // The test runner may ignore SIGTERM, and a child would inherit that: reset it.
      process.arguments = ["--default-signal=TERM,INT", interpreter, file.path]
      process.standardOutput = try FileHandle(forWritingTo: output)
      process.standardError = FileHandle.nullDevice
      try process.run()
      running.append((next, process, output, Date().addingTimeInterval(timeout)))
      next += 1
    }
    try await Task.sleep(for: .milliseconds(5))
    var still: [(index: Int, process: Process, output: URL, deadline: Date)] = []
    for run in running {
      if run.process.isRunning && Date() < run.deadline {
        still.append(run)
        continue
      }
      if run.process.isRunning {
        run.process.terminate()
        run.process.waitUntilExit()
      }
      let result = (
        run.process.terminationStatus, try String(contentsOf: run.output, encoding: .utf8)
      )
      results[run.index] = result
      finished(run.index, result)
    }
    running = still
  }
  return results.compactMap { $0 }
}

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
