import PosixThread
import Synchronization

/// `scopelab trace FILE.swift`: a program that scopelab compiled and started reports every
/// event of its run to scopelab, with no change to its source.
///
/// scopelab starts the program with `SCOPELAB_TRACE` set to scopelab's own process id.
/// Before `main` runs, a constructor in CAsyncScope (`trace_environment.c`) sees the
/// variable and calls ``startTraceFromEnvironment()`` (`asyncscope_trace_environment_start`), which starts this run if
/// the program's parent is that process (a child the program starts in turn is not
/// traced: the variable is removed, and its parent would not match). Then:
///
/// - standard output becomes the trace: one JSON object per event and line, in the keys
///   of the JSONL trace, plus what only scopelab reads (``WireSink``); the program's own
///   standard output goes to /dev/null - every `print` is a `print` event, as in
///   `scopelab run`, and text written to standard output by other means is not shown;
/// - every task of the program is inside this run, at depth 0, unless a ``Tracer/run(_:)``
///   of its own binds another tracer (``Trace/currentFrame`` falls back to ``frame``).
///
/// The hooks elsewhere: ``Trace/currentFrame`` (the fallback), and ``ScopeTrace``, which
/// tells `left(_:depth:)` each error that leaves a scope, so that scopelab can name the
/// error that ends the program exactly as `run` names it.
enum TraceEnvironment {
  /// The variable scopelab sets: its process id.
  static let variable = "SCOPELAB_TRACE"

  /// The program's traced run, started by the constructor; nil when not traced.
  static let frame: TraceFrame? = start()

  private static func start() -> TraceFrame? {
    guard let value = Syscall.environment(variable), let parent = Int32(value),
      parent == Syscall.parentProcessID()
    else { return nil }
    // The constructor runs before any other thread exists: changing the environment and
    // the descriptors is safe here.
    Syscall.removeEnvironment(variable)
    guard let trace = Syscall.duplicate(1, atLeast: 3) else { return nil }
    Syscall.redirectToNull(1)
    let tracer = Tracer(sink: WireSink(descriptor: trace), clock: ContinuousClock())
    Trace.activeTracers.add(1, ordering: .relaxed)
    PrintHook.install()
    // No task exists yet: the main task is the program's async `main`, the first task.
    return TraceFrame(
      tracer: tracer, depth: 0, scope: nil, task: Tracer.mainTask, owner: .task(1),
      errors: tracer.errors)
  }

  /// An error left a scope at `depth`, with what the trace knows about it (what it
  /// replaced, a note): at depth 0 it may be the error that ends the program, so scopelab
  /// gets its trace name, what it replaced, its description as `run` gives it and as the
  /// runtime prints it.
  static func left(_ chain: ErrorChain, depth: Int) {
    guard depth == 0, let frame, case let sink as WireSink = frame.tracer.sink else { return }
    let error = chain.error
    sink.write([
      ("event", .string("error-left")),
      ("name", .string(errorName(error))),
      ("context", chain.contextDescription.map(WireSink.Value.string) ?? .null),
      ("detail", .string(chain.description())),
      ("description", .string(String(reflecting: error))),
    ])
  }
}

/// Called once, before `main`, by CAsyncScope's constructor when `SCOPELAB_TRACE` is set.
/// Not for use by programs.
@_cdecl("asyncscope_trace_environment_start")
public func startTraceFromEnvironment() {
  _ = TraceEnvironment.frame
}

/// Writes each event as one line of JSON to a descriptor, in one `write` (a line of up to
/// 4 KiB reaches a pipe whole). The keys are the JSONL trace's, plus, on `exit-done`, the
/// step exit took (`step`: `converted`, `raised` with `replacing`, `finished`, `passed`
/// with `because` and `enclosing`, `suppress-refused`) - what scopelab's text trace shows.
final class WireSink: TraceSink {
  let descriptor: Int32
  private let lock = Locked(())

  init(descriptor: Int32) {
    self.descriptor = descriptor
  }

  enum Value {
    case string(String)
    case seconds(Duration)
    case int(Int)
    case bool(Bool)
    case null
  }

  func record(_ event: TraceEvent) {
    write(Self.fields(of: event))
  }

  /// `event` as the line this sink writes, without its newline.
  static func line(for event: TraceEvent) -> String {
    line(fields(of: event))
  }

  private static func fields(of event: TraceEvent) -> [(String, Value)] {
    var fields: [(String, Value)] = [
      ("t", .seconds(event.time)), ("event", .string(event.kind.name)),
    ]
    if let scope = event.scope {
      fields += [("scope", .string(scope.name)), ("id", .string(scope.id))]
    }
    fields.append(("depth", .int(event.depth)))
    if let task = event.task { fields.append(("task", .int(task))) }
    func optional(_ text: String?) -> Value { text.map(Value.string) ?? .null }
    switch event.kind {
    case .enter, .fired: break
    case .enterFailed(let error), .suppressed(let error): fields.append(("error", .string(error)))
    case .exit(let error, let expired):
      fields.append(("error", optional(error)))
      if let expired { fields.append(("expired", .bool(expired))) }
    case .exitDone(let error, let step):
      fields.append(("error", optional(error)))
      fields += Self.fields(of: step)
    case .reschedule(let deadline):
      fields.append(("deadline", deadline.map(Value.seconds) ?? .null))
    case .interrupt(let signal, _, _): fields.append(("signal", .string(signal)))
    case .flag(let name, let value): fields += [("name", .string(name)), ("value", .bool(value))]
    case .started(let pid, let command):
      fields += [("pid", .int(Int(pid))), ("text", .string(command))]
    case .output(let text, let stream):
      fields += [("text", .string(text)), ("stream", .string(stream.rawValue))]
    case .signal(let pid, let signal, let group):
      fields += [("pid", .int(Int(pid))), ("signal", .string(signal))]
      if !group { fields.append(("group", .bool(false))) }
    case .status(let pid, let status):
      fields += [("pid", .int(Int(pid))), ("status", .string(status))]
    case .reaped(let pid): fields.append(("pid", .int(Int(pid))))
    case .print(let text): fields.append(("text", .string(text)))
    case .result(let outcome, let value, let context, let detail):
      fields += [
        ("outcome", .string(outcome)), ("value", optional(value)), ("context", optional(context)),
        ("detail", optional(detail)),
      ]
    }
    return fields
  }

  private static func fields(of step: TraceEvent.ExitStep?) -> [(String, Value)] {
    switch step {
    case nil: []
    case .converted: [("step", .string("converted"))]
    case .exitConverted(let replacing):
      [("step", .string("exit-converted")), ("replacing", .string(replacing))]
    case .bodyFinished: [("step", .string("finished"))]
    case .suppressRefused: [("step", .string("suppress-refused"))]
    case .raised(let replacing):
      [("step", .string("raised")), ("replacing", replacing.map(Value.string) ?? .null)]
    case .passedOn(.callerCancelled):
      [("step", .string("passed")), ("because", .string("caller-cancelled"))]
    case .passedOn(.enclosingExpired(let id)):
      [
        ("step", .string("passed")), ("because", .string("enclosing-expired")),
        ("enclosing", id.map(Value.string) ?? .null),
      ]
    }
  }

  private static func line(_ fields: [(String, Value)]) -> String {
    "{" + fields.map { quote($0.0) + ":" + encode($0.1) }.joined(separator: ",") + "}"
  }

  func write(_ fields: [(String, Value)]) {
    let bytes = Array((Self.line(fields) + "\n").utf8)
    lock.withLock { _ in
      // A failure means scopelab is gone: nothing to tell.
      _ = bytes.withUnsafeBytes { Syscall.writeAll(descriptor, $0) }
    }
  }

  private static func encode(_ value: Value) -> String {
    switch value {
    case .string(let text): return quote(text)
    case .int(let number): return String(number)
    case .bool(let flag): return flag ? "true" : "false"
    case .null: return "null"
    case .seconds(let duration):
      let (seconds, attoseconds) = duration.components
      let micros = max(0, seconds * 1_000_000 + attoseconds / 1_000_000_000_000)
      let fraction = String(micros % 1_000_000)
      return "\(micros / 1_000_000).\(String(repeating: "0", count: 6 - fraction.count))\(fraction)"
    }
  }

  private static func quote(_ text: String) -> String {
    var quoted = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": quoted += "\\\""
      case "\\": quoted += "\\\\"
      case "\n": quoted += "\\n"
      case _ where scalar.value < 0x20:
        let hex = String(scalar.value, radix: 16)
        quoted += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: quoted.unicodeScalars.append(scalar)
      }
    }
    return quoted + "\""
  }
}
