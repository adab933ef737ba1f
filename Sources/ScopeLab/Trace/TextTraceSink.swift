public import AsyncScope

/// The live text trace: one line per event, written the moment it happens.
///
/// ```
///  0.000s  enter timeout#1
///  1.001s    print done
///  1.001s  exit timeout#1 (received none)
///  1.001s  print after
///  1.001s  ok
/// ```
public struct TextTraceSink: TraceSink {
  public let output: any TextOutput
  public let palette: Palette

  public init(output: any TextOutput, palette: Palette = .plain) {
    self.output = output
    self.palette = palette
  }

  public func record(_ event: TraceEvent) {
    output.write(TraceLineFormatter(palette: palette).line(for: event) + "\n")
  }
}

/// Formats trace events as text lines.
public struct TraceLineFormatter: Sendable {
  public let palette: Palette

  public init(palette: Palette = .plain) {
    self.palette = palette
  }

  /// The whole line for `event`: time, indentation, description.
  public func line(for event: TraceEvent) -> String {
    let time = formatSeconds(event.time, digits: 3)
    let padded = String(repeating: " ", count: max(0, 8 - time.count)) + time
    let indent = String(repeating: "  ", count: indentDepth(event))
    return palette.dim(padded) + "  " + indent + describe(event)
  }

  /// Scope enter/exit at the scope's depth; what happens inside, one level deeper.
  private func indentDepth(_ event: TraceEvent) -> Int {
    switch event.kind {
    case .enter, .enterFailed, .exit, .suppressed, .result: event.depth
    default: event.scope == nil ? event.depth : event.depth + 1
    }
  }

  /// The event in words, without time or indentation.
  public func describe(_ event: TraceEvent) -> String {
    let id = event.scope?.id ?? "?"
    switch event.kind {
    case .enter:
      return palette.scope("enter \(id)")
    case .enterFailed(let error):
      return palette.error("enter \(id) failed: \(error)")
    case .exit(let error, let expired):
      var facts = ["received \(error ?? "none")"]
      if expired == true { facts.append("expired") }
      let text = "exit \(id) (\(facts.joined(separator: ", ")))"
      return error == nil ? palette.scope(text) : palette.warn(text)
    case .suppressed(let error):
      return palette.warn("\(id) suppressed \(error)")
    case .fired:
      return palette.warn("fired \(id): deadline passed, cancelling its body")
    case .flag(let name, let value):
      return "\(id) \(name)=\(value)"
    case .started(let pid, let command):
      return "started pid \(pid): \(command)"
    case .output(let text, let stream):
      return palette.dim("\(stream.rawValue) |") + " " + text
    case .signal(let pid, let signal):
      return palette.warn("signal \(signal) to pid \(pid)")
    case .status(let pid, let status):
      return "status pid \(pid) \(status)"
    case .reaped(let pid):
      return "reaped pid \(pid)"
    case .print(let text):
      return text
    case .result(let outcome, let value, let context, let detail):
      return describeResult(outcome: outcome, value: value, context: context, detail: detail)
    }
  }

  private func describeResult(
    outcome: String,
    value: String?,
    context: String?,
    detail: String?
  ) -> String {
    if outcome == "ok" {
      return palette.good(value.map { "ok: returned \($0)" } ?? "ok")
    }
    if let detail { return palette.error(detail) }
    var text = outcome
    if let context { text += " during handling of \(context)" }
    return palette.error(text)
  }
}
