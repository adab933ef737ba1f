public import AsyncScope

/// The Python side of `scopelab trace FILE.py`: the tracer script (`scopelab_trace.py`,
/// embedded) and the decoding of the lines it prints into the project's ``TraceEvent``s.
/// A traced Swift program's lines (AsyncScope's `WireSink`) are decoded here too.
///
/// The tracer prints the contract's JSONL events, and a few lines for scopelab only: a
/// syntax error, a child still alive after the program ended, and on `exit-done` the step
/// exit took (`converted`, `raised` with what it replaced, `finished`: a timeout's body
/// that finished after its deadline), on `result` a one-line detail.
public enum PythonTracer {
  /// The tracer, run as `python -c SCRIPT FILE.py ARGS...`.
  public static let script = String(decoding: PackageResources.scopelab_trace_py, as: UTF8.self)

  /// One line of the tracer, decoded.
  public enum Line: Sendable, Equatable {
    /// A trace event.
    case event(TraceEvent)
    /// The program could not be compiled (or read): its line (0 for none) and the message.
    case syntaxError(line: Int, message: String)
    /// A child the program started was still running after it ended.
    case alive(pid: Int32, command: String)
    /// A traced Swift program (AsyncScope's `WireSink`): an error left an outermost scope,
    /// with its trace name, what it replaced, `describeError`'s words and its own
    /// description - how scopelab names the error that ends the program.
    case errorLeft(name: String, context: String?, detail: String, description: String)
  }

  /// Why a line is not one the tracer prints.
  public struct DecodeError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
  }

  /// Decodes one line the tracer printed.
  public static func decode(_ line: String) throws(DecodeError) -> Line {
    let fields: [String: FlatJSON.Value]
    do {
      fields = try FlatJSON.parseObject(line)
    } catch {
      throw DecodeError(description: "not a JSON object: \(error)")
    }
    func string(_ key: String) -> String? { fields[key]?.string }
    func int(_ key: String) -> Int? { fields[key]?.number.flatMap { Int(exactly: $0) } }
    func pid() throws(DecodeError) -> Int32 {
      guard let pid = int("pid").flatMap({ Int32(exactly: $0) }) else {
        throw DecodeError(description: "no pid")
      }
      return pid
    }
    func words() -> String { string("text") ?? "" }
    func errorName() -> String? { string("error") }
    guard let name = string("event") else { throw DecodeError(description: "no event") }
    switch name {
    case "syntax-error":
      return .syntaxError(line: int("line") ?? 0, message: words())
    case "alive":
      return .alive(pid: try pid(), command: words())
    case "error-left":
      return .errorLeft(
        name: string("name") ?? "Error", context: string("context"),
        detail: string("detail") ?? "", description: string("description") ?? "")
    default:
      break
    }
    let seconds = max(0, fields["t"]?.number ?? 0)
    let time = Duration.nanoseconds(Int64((seconds * 1e9).rounded()))
    let depth = max(0, int("depth") ?? 0)
    let scope = string("id").map { id in
      ScopeIdentity(name: string("scope") ?? id, id: id, depth: depth)
    }
    let kind: TraceEvent.Kind
    switch name {
    case "enter": kind = .enter
    case "enter-failed": kind = .enterFailed(error: errorName() ?? "Exception")
    case "exit":
      if case .bool(let expired)? = fields["expired"] {
        kind = .exit(error: errorName(), expired: expired)
      } else {
        kind = .exit(error: errorName(), expired: nil)
      }
    case "exit-done":
      let step: TraceEvent.ExitStep? =
        switch string("step") {
        case "converted": .converted
        case "exit-converted": .exitConverted(replacing: string("replacing") ?? "an error")
        case "raised": .raised(replacing: string("replacing"))
        case "finished": .bodyFinished
        case "suppress-refused": .suppressRefused
        case "passed":
          string("because") == "caller-cancelled"
            ? .passedOn(because: .callerCancelled)
            : .passedOn(because: .enclosingExpired(id: string("enclosing")))
        default: nil
        }
      kind = .exitDone(error: errorName(), step: step)
    case "suppressed": kind = .suppressed(error: errorName() ?? "Exception")
    case "fired": kind = .fired
    case "reschedule":
      kind = .reschedule(
        deadline: fields["deadline"]?.number.map { .nanoseconds(Int64(($0 * 1e9).rounded())) })
    case "flag":
      if case .bool(let value)? = fields["value"] {
        kind = .flag(name: string("name") ?? "?", value: value)
      } else {
        throw DecodeError(description: "flag without a value")
      }
    case "print": kind = .print(text: words())
    case "output":
      kind = .output(text: words(), stream: string("stream") == "stderr" ? .stderr : .stdout)
    case "started": kind = .started(pid: try pid(), command: words())
    case "signal":
      let group: Bool
      if case .bool(let value)? = fields["group"] { group = value } else { group = true }
      kind = .signal(pid: try pid(), signal: string("signal") ?? "?", group: group)
    case "status": kind = .status(pid: try pid(), status: string("status") ?? "?")
    case "reaped": kind = .reaped(pid: try pid())
    case "result":
      let outcome = string("outcome") ?? "ok"
      kind = .result(
        outcome: outcome, value: string("value"), context: string("context"),
        detail: string("detail"))
    default:
      throw DecodeError(description: "unknown event '\(name)'")
    }
    // A task's number, from tracers that tell it; a line without one is read as before.
    let task = int("task").flatMap { $0 > 0 ? $0 : nil }
    return .event(TraceEvent(time: time, scope: scope, depth: depth, kind: kind, task: task))
  }
}
