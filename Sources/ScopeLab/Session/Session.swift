public import AsyncScope

/// The REPL's commands and state: parameters, the open lesson, the last run.
///
/// Lines come in from any ``LineReader`` (the terminal, a pipe, a script); output goes to
/// injected streams, so tests drive a session with no terminal at all.
public final class Session {
  public let output: any TextOutput
  public let errors: any TextOutput
  public let palette: Palette
  public let controller: RunController
  public private(set) var parameters = Parameters.builtIn
  public private(set) var lastRun: [TraceEvent] = []
  public private(set) var commandHistory: [String] = []

  public init(
    output: any TextOutput,
    errors: any TextOutput,
    palette: Palette = .plain,
    controller: RunController = RunController()
  ) {
    self.output = output
    self.errors = errors
    self.palette = palette
    self.controller = controller
  }

  /// The prompt: `scopelab> `, or with the open lesson and step.
  public var prompt: String { "scopelab> " }

  /// Runs one line typed at the prompt.
  public func execute(_ line: String) async -> CommandResult {
    let trimmed = line.trimmingSpaces()
    guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { return .done }
    commandHistory.append(trimmed)
    let (name, rest) = Self.split(trimmed)
    switch name {
    case "help": return help(rest)
    case "params": return showParameters(rest)
    case "set": return set(rest)
    case "reset": return reset(rest)
    case "run": return await run(rest)
    case "trace": return reprintTrace(rest)
    case "timeline": return redrawTimeline(rest)
    case "history": return showHistory(rest)
    case "quit", "exit": return .quit
    case "lessons", "lesson", "next", "back", "step", "restart", "where", "show", "hint":
      return fail("no lessons yet: '\(name)' will work once lessons are added")
    case "record", "replay":
      return fail("'\(name)' is not available yet")
    default:
      let hint = Suggestion.nearest(to: name, in: CommandSpec.names).map {
        " - did you mean '\($0)'?"
      }
      return fail("unknown command '\(name)'\(hint ?? "") (type 'help' for the list)")
    }
  }

  // MARK: - Commands

  private func help(_ rest: String) -> CommandResult {
    if rest.isEmpty {
      let width = CommandSpec.all.map(\.usage.count).max() ?? 0
      var text = "Commands:\n"
      for spec in CommandSpec.all {
        text += "  " + spec.usage.padded(to: width) + "  " + spec.summary + "\n"
      }
      text += "Type 'help COMMAND' for more, Ctrl-C to cancel a run, Ctrl-D or 'quit' to leave.\n"
      output.write(text)
      return .done
    }
    guard let spec = CommandSpec.named(rest) else {
      let hint = Suggestion.nearest(to: rest, in: CommandSpec.names).map { " - did you mean '\($0)'?" }
      return fail("no command '\(rest)'\(hint ?? "")")
    }
    output.write("usage: \(spec.usage)\n\(spec.details)\nexample: \(spec.example)\n")
    return .done
  }

  private func showParameters(_ rest: String) -> CommandResult {
    guard rest.isEmpty else { return fail("'params' takes no arguments") }
    let width = parameters.order.map(\.count).max() ?? 0
    var text = ""
    for name in parameters.order {
      guard let entry = parameters.entries[name] else { continue }
      let value = entry.value.description.padded(to: 6)
      let changed = entry.value == entry.defaultValue ? "" : " (changed)"
      text += "  \(name.padded(to: width))  \(value)  default \(entry.defaultValue)\(changed)"
      text += "  - \(entry.summary)\n"
    }
    output.write(text)
    return .done
  }

  private func set(_ rest: String) -> CommandResult {
    let words = rest.split(whereSeparator: \.isWhitespace).map(String.init)
    guard words.count == 2 else {
      return fail(
        words.isEmpty ? "usage: set NAME VALUE (for example: set sleep 3)"
          : words.count == 1 ? "set \(words[0]): missing a value (for example: set \(words[0]) 3)"
          : "usage: set NAME VALUE - one value, no spaces")
    }
    do {
      try parameters.set(words[0], to: words[1])
    } catch {
      return fail(error.description)
    }
    output.write("\(words[0]) = \((try? parameters.value(words[0]))?.description ?? words[1])\n")
    return .done
  }

  private func reset(_ rest: String) -> CommandResult {
    guard rest.isEmpty else { return fail("'reset' takes no arguments") }
    parameters.reset()
    output.write("parameters reset to their defaults\n")
    return .done
  }

  private func run(_ rest: String) async -> CommandResult {
    guard !rest.isEmpty else {
      return fail("no program to run: open a lesson, or give one (run timeout 2 { sleep 1 })")
    }
    let evaluator = ProgramEvaluator(parameters: parameters, clock: ContinuousClock())
    let program: Program
    do {
      program = try Program(parsing: rest)
      try program.validate(parameters: parameters.values)
    } catch {
      errors.write(error.withSource(rest).rendered + "\n")
      return .invalid
    }
    let recorder = TraceRecorder()
    let live = TextTraceSink(output: output, palette: palette)
    let run = ProgramRun(evaluator: evaluator, controller: controller)
    _ = await run.run(program, sink: FanOutSink([recorder, live]))
    lastRun = recorder.events
    output.write(Timeline(events: lastRun).render(palette: palette).joined(separator: "\n") + "\n")
    return .done
  }

  private func reprintTrace(_ rest: String) -> CommandResult {
    guard rest.isEmpty else { return fail("'trace' takes no arguments") }
    guard !lastRun.isEmpty else { return fail("nothing has run yet: try 'run'") }
    let formatter = TraceLineFormatter(palette: palette)
    output.write(lastRun.map(formatter.line).joined(separator: "\n") + "\n")
    return .done
  }

  private func redrawTimeline(_ rest: String) -> CommandResult {
    guard rest.isEmpty else { return fail("'timeline' takes no arguments") }
    guard !lastRun.isEmpty else { return fail("nothing has run yet: try 'run'") }
    output.write(Timeline(events: lastRun).render(palette: palette).joined(separator: "\n") + "\n")
    return .done
  }

  private func showHistory(_ rest: String) -> CommandResult {
    guard rest.isEmpty else { return fail("'history' takes no arguments") }
    var text = ""
    for (index, line) in commandHistory.enumerated() {
      text += String(index + 1).leftPadded(to: 4) + "  " + line + "\n"
    }
    output.write(text)
    return .done
  }

  // MARK: - Helpers

  private func fail(_ message: String) -> CommandResult {
    errors.write(palette.error("error:") + " " + message + "\n")
    return .invalid
  }

  /// The command word and the rest of the line, unparsed.
  static func split(_ line: String) -> (String, String) {
    guard let space = line.firstIndex(where: \.isWhitespace) else { return (line, "") }
    return (String(line[..<space]), String(line[space...]).trimmingSpaces())
  }
}

extension String {
  func padded(to width: Int) -> String {
    count >= width ? self : self + String(repeating: " ", count: width - count)
  }

  func leftPadded(to width: Int) -> String {
    count >= width ? self : String(repeating: " ", count: width - count) + self
  }

  func trimmingSpaces() -> String {
    var text = Substring(self)
    while let first = text.first, first.isWhitespace { text.removeFirst() }
    while let last = text.last, last.isWhitespace { text.removeLast() }
    return String(text)
  }
}
