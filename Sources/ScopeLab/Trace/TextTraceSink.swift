public import AsyncScope

/// The live text trace: one line per event (wrapped at a terminal), written the moment it
/// happens.
///
/// ```
///   0.000s  enter timeout#1
///   1.001s    print done
///   1.001s  exit timeout#1 (received none)
///   1.001s  exit-done timeout#1
///   1.001s  print after
///   1.001s  => ok
/// ```
///
/// Text that comes from outside (a child's output, names and words from the program) is
/// shown with its control characters escaped, never obeyed.
///
/// With a `width` (at a terminal, which would fold a long line mid-word), a line longer
/// than it is wrapped between words, hung under the event's text
/// (``TraceLineFormatter/line(for:width:)``); without (a pipe, a transcript), each event is
/// one line.
public struct TextTraceSink: TraceSink {
  public let output: any TextOutput
  public let palette: Palette
  /// The columns a line is wrapped to; `nil`, one line per event.
  public let width: Int?
  /// The name of the cancellation a timeout converts: `CancelledError` for a traced
  /// Python program.
  public var cancellationName = TraceLineFormatter.swiftCancellation

  public init(output: any TextOutput, palette: Palette = .plain, width: Int? = nil) {
    self.output = output
    self.palette = palette
    self.width = width
  }

  public func record(_ event: TraceEvent) {
    var formatter = TraceLineFormatter(palette: palette)
    formatter.cancellationName = cancellationName
    output.write(formatter.line(for: event, width: width) + "\n")
  }
}

/// Formats trace events as text lines.
public struct TraceLineFormatter: Sendable {
  public let palette: Palette
  /// The cancellation a timeout's exit converts, as the `exit-done` line names it.
  public var cancellationName = Self.swiftCancellation

  /// Swift's cancellation error, the name a scope program's trace uses.
  public static let swiftCancellation = "CancellationError"

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

  /// The line for `event` fitted to `width` columns: wrapped between words, its lines
  /// after the first hung under the event's text (after the time and the indentation), so
  /// that the time column holds only times. With no `width`, ``line(for:)``.
  public func line(for event: TraceEvent, width: Int?) -> String {
    let line = line(for: event)
    guard let width else { return line }
    // Deep in a tree, at least the narrowest width is left for the text.
    let column = min(10 + 2 * indentDepth(event), max(0, width - TextLayout.minimumWidth))
    return TextLayout.wrap(line, width: width, continuation: String(repeating: " ", count: column))
      .joined(separator: "\n")
  }

  /// Scope enter/exit at the scope's depth; what happens inside, one level deeper.
  private func indentDepth(_ event: TraceEvent) -> Int {
    switch event.kind {
    case .enter, .enterFailed, .exit, .exitDone, .suppressed, .result: event.depth
    default: event.scope == nil ? event.depth : event.depth + 1
    }
  }

  /// The event in words, without time or indentation.
  public func describe(_ event: TraceEvent) -> String {
    let id = (event.scope?.id ?? "?").controlCharactersEscaped
    switch event.kind {
    case .enter:
      return palette.scope("enter \(id)")
    case .enterFailed(let error):
      return palette.error("enter-failed \(id): \(error.controlCharactersEscaped)")
    case .exit(let error, let expired):
      var facts = ["received \(error?.controlCharactersEscaped ?? "none")"]
      if expired == true { facts.append("expired") }
      let text = "exit \(id) (\(facts.joined(separator: ", ")))"
      return error == nil ? palette.scope(text) : palette.warn(text)
    case .exitDone(let error, let step):
      return describeExitDone(id: id, error: error?.controlCharactersEscaped, step: step)
    case .suppressed(let error):
      return palette.warn("\(id) suppressed \(error.controlCharactersEscaped)")
    case .fired:
      return palette.warn("fired \(id): deadline passed, cancelling its body")
    case .reschedule(let deadline):
      let when = deadline.map { "deadline now at \(formatSeconds($0, digits: 3))" }
      return palette.warn("reschedule \(id): \(when ?? "no deadline now")")
    case .interrupt(let signal, let count, let escalates):
      return palette.warn(
        "interrupt: " + Self.interruptText(signal: signal, count: count, escalates: escalates))
    case .flag(let name, let value):
      return "\(id) \(name.controlCharactersEscaped)=\(value)"
    case .started(let pid, let command):
      return "started pid \(pid): \(command.controlCharactersEscaped)"
    case .output(let text, let stream):
      return palette.dim("\(stream.rawValue) |") + " " + text.controlCharactersEscaped
    case .signal(let pid, let signal, let group):
      return palette.warn("signal \(signal) to \(group ? "the group of " : "")pid \(pid)")
    case .status(let pid, let status):
      return "status pid \(pid) \(status)"
    case .reaped(let pid):
      return "reaped pid \(pid)"
    case .print(let text):
      return text.controlCharactersEscaped
    case .result(let outcome, let value, let context, let detail):
      return describeResult(
        outcome: outcome.controlCharactersEscaped,
        value: value?.controlCharactersEscaped,
        context: context?.controlCharactersEscaped,
        detail: detail?.controlCharactersEscaped)
    }
  }

  /// What leaves the scope, and the step exit took that decided it.
  private func describeExitDone(id: String, error: String?, step: TraceEvent.ExitStep?) -> String {
    guard let error else {
      guard step == .bodyFinished else { return palette.scope("exit-done \(id)") }
      return palette.warn("exit-done \(id): deadline passed, but the body finished (TO4)")
    }
    let text: String
    switch step {
    case nil:
      text = "\(error) goes on"
    case .converted:
      text = "\(cancellationName) -> \(error) (deadline passed, TO3)"
    case .passedOn(because: .callerCancelled):
      text = "\(error) goes on (caller cancelled too: outside wins, TO3)"
    case .passedOn(because: .enclosingExpired(let outer)):
      let which = outer?.controlCharactersEscaped ?? "an enclosing timeout"
      text = "\(error) goes on (\(which) expired too: outermost converts, TO5)"
    case .suppressRefused:
      text = "\(error) goes on (suppress refused: a cancellation, W4)"
    case .bodyFinished:
      text = "\(error) goes on"
    case .exitConverted(let replacing):
      // Its own decision: nothing says its deadline passed, or that the error was its own.
      text = "\(replacing.controlCharactersEscaped) -> \(error) (converted by exit, W3)"
    case .raised(let replacing):
      let replaced = replacing.map { ", replacing \($0.controlCharactersEscaped) (W3)" } ?? ""
      text = "exit raised \(error)\(replaced)"
    }
    let line = "exit-done \(id): \(text)"
    return step == .converted ? palette.error(line) : palette.warn(line)
  }

  /// `Ctrl-C (SIGINT) - cancelling the run; every exit still runs`, and what the second
  /// and third presses do. The third's "quitting now" is the app's own line (on stderr,
  /// whatever the trace's format), so the trace only marks where it arrived.
  static func interruptText(signal: String, count: Int, escalates: Bool = false) -> String {
    guard signal == "SIGINT" else {
      return count == 1
        ? "\(signal) - cancelling the run; every exit still runs"
        : "\(signal) again - quitting now"
    }
    switch count {
    case 1: return "Ctrl-C (SIGINT) - cancelling the run; every exit still runs; a third quits"
    case 2 where escalates:
      return "Ctrl-C again - a process teardown skips the rest of its grace period; a third quits"
    case 2: return "Ctrl-C again - press once more to quit at once"
    default: return "Ctrl-C a third time"
    }
  }

  private func describeResult(
    outcome: String,
    value: String?,
    context: String?,
    detail: String?
  ) -> String {
    if outcome == "ok" {
      return palette.good("=> " + (value.map { "ok: returned \($0)" } ?? "ok"))
    }
    if let detail { return palette.error("=> " + detail) }
    var text = "=> " + outcome
    if let context { text += " during handling of \(context)" }
    return palette.error(text)
  }
}
