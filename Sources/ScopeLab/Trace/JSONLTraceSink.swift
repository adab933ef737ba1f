public import AsyncScope

/// `--trace-format jsonl`: one JSON object per event, one per line, written at once.
public struct JSONLTraceSink: TraceSink {
  public let output: any TextOutput

  public init(output: any TextOutput) {
    self.output = output
  }

  public func record(_ event: TraceEvent) {
    output.write(Self.encode(event) + "\n")
  }

  /// The event as one line of JSON, with exactly DESIGN.md's keys, and `task` (the task's
  /// number, ``TraceEvent/task``) when the producer told it.
  public static func encode(_ event: TraceEvent) -> String {
    var fields: [(String, JSONValue)] = [
      ("t", .number(event.time.inSeconds)),
      ("event", .string(event.kind.name)),
    ]
    if let scope = event.scope {
      fields += [
        ("scope", .string(scope.name)), ("id", .string(scope.id)), ("depth", .int(scope.depth)),
      ]
    }
    if let task = event.task { fields.append(("task", .int(task))) }
    switch event.kind {
    case .enter, .fired:
      break
    case .enterFailed(let error), .suppressed(let error):
      fields.append(("error", .string(error)))
    case .exitDone(let error, _):
      fields.append(("error", error.map(JSONValue.string) ?? .null))
    case .reschedule(let deadline):
      fields.append(("deadline", deadline.map { JSONValue.number($0.inSeconds) } ?? .null))
    case .interrupt(let signal, _, _):
      fields.append(("signal", .string(signal)))
    case .exit(let error, let expired):
      fields.append(("error", error.map(JSONValue.string) ?? .null))
      if let expired { fields.append(("expired", .bool(expired))) }
    case .flag(let name, let value):
      fields += [("name", .string(name)), ("value", .bool(value))]
    case .started(let pid, let command):
      fields += [("pid", .int(Int(pid))), ("text", .string(command))]
    case .output(let text, let stream):
      fields += [("text", .string(text)), ("stream", .string(stream.rawValue))]
    case .signal(let pid, let signal, let group):
      fields += [("pid", .int(Int(pid))), ("signal", .string(signal))]
      // Only when false: a process scope's teardown always signals the group.
      if !group { fields.append(("group", .bool(false))) }
    case .status(let pid, let status):
      fields += [("pid", .int(Int(pid))), ("status", .string(status))]
    case .reaped(let pid):
      fields.append(("pid", .int(Int(pid))))
    case .print(let text):
      fields.append(("text", .string(text)))
    case .result(let outcome, let value, let context, _):
      fields.append(("outcome", .string(outcome)))
      fields.append(("error", outcome == "ok" ? .null : .string(outcome)))
      fields.append(("value", value.map(JSONValue.string) ?? .null))
      fields.append(("context", context.map(JSONValue.string) ?? .null))
    }
    return JSONValue.object(fields)
  }
}

/// The few JSON values the trace needs, encoded by hand (no Foundation on the hot path).
enum JSONValue {
  case string(String)
  case number(Double)
  case int(Int)
  case bool(Bool)
  case null
  /// JSON already encoded (an object), written as it is.
  case raw(String)

  var encoded: String {
    switch self {
    case .string(let text): return Self.quote(text)
    case .number(let value):
      // Microsecond precision, never negative, never exponent notation.
      let micros = max(0, (value * 1_000_000).rounded())
      let whole = Int(micros / 1_000_000)
      let fraction = Int(micros) - whole * 1_000_000
      let digits = String(fraction)
      return "\(whole).\(String(repeating: "0", count: 6 - digits.count))\(digits)"
    case .int(let value): return String(value)
    case .bool(let value): return value ? "true" : "false"
    case .null: return "null"
    case .raw(let json): return json
    }
  }

  /// A JSON object from its fields, in order, on one line.
  static func object(_ fields: [(String, JSONValue)]) -> String {
    "{" + fields.map { quote($0.0) + ":" + $0.1.encoded }.joined(separator: ",") + "}"
  }

  static func quote(_ text: String) -> String {
    // Bidirectional formatting characters too: a line of JSON shown on a terminal must
    // read as it is.
    let inside = text.escapedForLiteral { scalar in
      scalar.value < 0x20 || scalar.isBidirectionalControl
        ? "\\u" + String.hex(scalar.value, digits: 4) : nil
    }
    return "\"" + inside + "\""
  }
}
