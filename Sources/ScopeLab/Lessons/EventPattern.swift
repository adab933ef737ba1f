public import AsyncScope

/// An event a challenge names, in the trace's own words: `fired timeout`,
/// `exit-done runner`, `print done`, `flag running=false`, `signal SIGKILL`,
/// `status exited(3)`, `enter task#2`, `result TimeoutError`.
///
/// The first word is the event (the JSONL `event` value); the rest, if any, narrows it:
/// for a scope event the scope's name or id (`timeout`, `timeout#2`), then optionally
/// the error it carries (`exit timeout CancellationError`); for `print` and `output` the
/// text; for `flag` `running=true|false`; for `signal` and `interrupt` the signal; for
/// `status` the status; for `started` the command's first word; for `result` the outcome.
public struct EventPattern: Sendable, Equatable, CustomStringConvertible {
  public let event: String
  public let argument: String?
  public let error: String?

  /// The event words a pattern may start with.
  public static let eventNames = [
    "enter", "enter-failed", "exit", "exit-done", "suppressed", "fired", "reschedule",
    "interrupt", "flag", "started", "output", "signal", "status", "reaped", "print", "result",
  ]

  private static let scopeEvents: Set<String> = [
    "enter", "enter-failed", "exit", "exit-done", "suppressed", "fired", "reschedule",
  ]

  /// Reads a pattern as a lesson writes it; the message says what is wrong.
  public init(parsing text: String) throws(PatternError) {
    let trimmed = text.trimmingSpaces()
    guard let space = trimmed.firstIndex(where: \.isWhitespace) else {
      try self.init(event: trimmed, rest: "")
      return
    }
    try self.init(
      event: String(trimmed[..<space]), rest: String(trimmed[space...]).trimmingSpaces())
  }

  private init(event: String, rest: String) throws(PatternError) {
    guard Self.eventNames.contains(event) else {
      let hint = Suggestion.nearest(to: event, in: Self.eventNames).map {
        " - did you mean '\($0)'?"
      }
      throw PatternError(
        message: "'\(event)' is not a trace event\(hint ?? "") (one of: "
          + Self.eventNames.joined(separator: ", ") + ")")
    }
    self.event = event
    var rest = rest
    if rest.count >= 2, rest.first == "\"", rest.last == "\"" {
      rest = String(rest.dropFirst().dropLast())
    }
    if Self.scopeEvents.contains(event) {
      let words = rest.split(whereSeparator: \.isWhitespace).map(String.init)
      guard words.count <= 2 else {
        throw PatternError(
          message: "'\(event)' takes a scope and an error at most, as in 'exit timeout KeyError'")
      }
      argument = words.first
      error = words.count == 2 ? words[1] : nil
    } else {
      argument = rest.isEmpty ? nil : rest
      error = nil
    }
    if event == "flag", let argument, argument != "running=true", argument != "running=false" {
      throw PatternError(message: "a flag is 'running=true' or 'running=false', not '\(argument)'")
    }
  }

  /// Whether `event` is one this pattern names.
  public func matches(_ event: TraceEvent) -> Bool {
    guard event.kind.name == self.event else { return false }
    guard let argument else { return true }
    if Self.scopeEvents.contains(self.event) {
      guard let scope = event.scope, scope.name == argument || scope.id == argument else {
        return false
      }
      guard let error else { return true }
      return Self.error(of: event.kind) == error
    }
    switch event.kind {
    case .print(let text): return text == argument
    case .output(let text, _): return text == argument
    case .flag(let name, let value): return "\(name)=\(value)" == argument
    case .signal(_, let signal, _): return signal == argument
    case .interrupt(let signal, _, _): return signal == argument
    case .status(_, let status): return status == argument
    case .started(_, let command):
      return command == argument || command.hasPrefix(argument + " ")
    case .result(let outcome, _, _, _): return outcome == argument
    default: return false
    }
  }

  private static func error(of kind: TraceEvent.Kind) -> String? {
    switch kind {
    case .enterFailed(let error), .suppressed(let error): error
    case .exit(let error, _), .exitDone(let error, _): error ?? "none"
    default: nil
    }
  }

  public var description: String {
    [event, argument, error].compactMap { $0 }.joined(separator: " ")
  }
}

/// A challenge goal that cannot be read: what is wrong, in one line.
public struct PatternError: Error, Sendable, Equatable {
  public let message: String
}
