public import AsyncScope
import LineEditor

/// The REPL's commands and state: parameters, the lessons, the last run.
///
/// Lines come in from any ``LineReader`` (the terminal, a pipe, a script); output goes to
/// injected streams, so tests drive a session with no terminal at all. Every error is one
/// line on `errors` starting `error:` (a program's parse error adds its source line and a
/// caret), and its command returns ``CommandResult/invalid``; a run that ends in an error
/// is a run outcome, not invalid input.
public final class Session {
  /// Asks a yes-or-no question and waits for the answer; `false` unless it is yes.
  public typealias Confirmation = @Sendable (_ question: String) async -> Bool

  public let output: any TextOutput
  public let errors: any TextOutput
  /// Where `output` and `errors` are tapped: a transcript being recorded (`record FILE`)
  /// is attached to it.
  public let tap: OutputTap
  /// How to ask before overwriting a file or forgetting solved exercises: at a terminal, a
  /// question on the line reader; `nil` (the default, and in a pipe) refuses instead.
  public var confirmation: Confirmation?
  /// Whether a transcript recorded in this session failed to write (a full disk): the
  /// REPL then exits non-zero, so a script that recorded from a pipe learns of it.
  public internal(set) var recordingFailed = false
  public let palette: Palette
  public let controller: RunController
  /// The clock the programs `run` and `compare` run on (their deadlines, sleeps and trace
  /// times): the continuous clock, or a test's clock that the test moves.
  public let clock: any Clock<Duration>
  public internal(set) var parameters = Parameters.builtIn
  /// Where the learner is in the lessons, and their progress.
  public internal(set) var lessons: any LessonNavigator
  public private(set) var lastRun: [TraceEvent] = []
  /// The source of the last program run, for `show swift` and `show python`.
  public private(set) var lastProgram: String?
  public private(set) var commandHistory: [String] = []
  /// `predict OUTCOME`: what the learner expects the next run to end with.
  public internal(set) var prediction: String?
  /// `record` and `replay`, plugged in by whoever built the session (``RecordAndReplay``);
  /// `nil`, neither is available.
  public let transcripts: (any TranscriptCommands)?
  /// The pager long output goes through (a terminal's); `nil`, none.
  public var pager: Pager?
  /// Whether the pager is showing text now (a Ctrl-C then is the pager's).
  let isPaging = Locked(false)
  /// The output of a command that may be paged, kept until it is done.
  var pageBuffer: String?
  /// The program `edit` gave (a scope program, or the learner's file of real code from
  /// `edit python|swift`), and the lesson position it belongs to: `run` runs it until the
  /// learner moves to another step.
  var editedProgram: (program: CurrentProgram, position: String?)?
  /// The folder the learner's real code is kept in (`edit python|swift`):
  /// `$XDG_STATE_HOME/scopelab/code`, beside the progress, in the REPL; `nil`, none.
  public var codeDirectory: String?
  /// The language of the real code the last run ran; `nil` for a scope program.
  var lastRunLanguage: CodeLanguage?
  /// The folder of the transcript driving this session (a replay): the files its commands
  /// name are found there. `nil` when a person types the commands.
  public var fileBase: String?
  /// What a file driving this session (a replay) may do that starts a process or writes a
  /// file; `nil` when a person types the commands.
  public var consent: Consent?
  /// How a challenge's `time:` windows are judged at the end of a run: as written for a
  /// person at the REPL; a check on a busy machine moves their late edges
  /// (``ChallengeTiming``, ``SchedulingProbe``).
  public var challengeTiming: @Sendable () -> ChallengeTiming = { ChallengeTiming() }
  /// Whether `edit` can open an editor: standard input and output are a terminal.
  public var editorHasTerminal: @Sendable () -> Bool = { Session.standardStreamsAreTerminal() }
  /// Where `edit` looks for `VISUAL`, `EDITOR` and `PATH`: a variable's value, `nil` when
  /// it is unset or empty.
  public var environment: @Sendable (String) -> String? = {
    ProcessEnvironment.value($0).flatMap { $0.isEmpty ? nil : $0 }
  }
  /// The columns the timeline may take, asked before each picture (the terminal may have
  /// been resized).
  let timelineWidth: @Sendable () -> Int
  /// The columns prose (lessons, `help`, `why`, messages) is fitted to, asked before each
  /// command's text: the terminal's, or a fixed width in a pipe and a replay (``TextLayout``).
  let textWidth: @Sendable () -> Int
  /// The columns an error is fitted to, or `nil` to keep each error on one line (a pipe:
  /// a script reads one line per error).
  let errorWidth: @Sendable () -> Int?
  /// The columns of the terminal the output goes to, or `nil` when it is none (a pipe, a
  /// replay). A terminal folds a line longer than it mid-word: there, and only there, a
  /// run's trace and audit lines and a too long line of code in prose are wrapped between
  /// words; elsewhere they stay one line each, as a transcript holds them.
  let screenWidth: @Sendable () -> Int?

  public init(
    output: any TextOutput,
    errors: any TextOutput,
    palette: Palette = .plain,
    controller: RunController = RunController(),
    clock: any Clock<Duration> = ContinuousClock(),
    lessons: any LessonNavigator = LessonGuide(),
    transcripts: (any TranscriptCommands)? = nil,
    timelineWidth: @escaping @Sendable () -> Int = { 80 },
    textWidth: @escaping @Sendable () -> Int = { 80 },
    errorWidth: @escaping @Sendable () -> Int? = { nil },
    screenWidth: @escaping @Sendable () -> Int? = { nil }
  ) {
    let tap = OutputTap(output: output, errors: errors)
    self.tap = tap
    self.output = tap.output
    self.errors = tap.errors
    self.palette = palette
    self.controller = controller
    self.clock = clock
    self.transcripts = transcripts
    var lessons = lessons
    if var guide = lessons as? LessonGuide {
      guide.palette = palette
      lessons = guide
    }
    self.lessons = lessons
    self.timelineWidth = timelineWidth
    self.textWidth = textWidth
    self.errorWidth = errorWidth
    self.screenWidth = screenWidth
  }

  /// The prompt: `scopelab> `, or with the open lesson and step
  /// (`scopelab sleep-vs-timeout 2/5> `).
  public var prompt: String {
    lessons.position.map { "scopelab \($0)> " } ?? "scopelab> "
  }

  /// Runs one command typed at the prompt: a line, or several joined by line breaks
  /// when braces or quotes were open. A line that begins with a statement keyword runs
  /// as a program, as if typed after `run`.
  ///
  /// - Parameter historyEntry: What `history` lists for the command (its one-line form,
  ///   for a command of several lines); the command itself by default.
  public func execute(_ line: String, historyEntry: String? = nil) async -> CommandResult {
    await execute(Command.parse(line), line: line, historyEntry: historyEntry)
  }

  /// Runs one command typed at the prompt as ``Command/parse(_:)`` read it from `line`.
  public func execute(_ parsed: Command.Parsed, line: String, historyEntry: String? = nil) async
    -> CommandResult
  {
    if case .empty = parsed { return .done }
    commandHistory.append(historyEntry?.trimmingSpaces() ?? line.trimmingSpaces())
    // What may be longer than the screen is kept until the command is done, then paged.
    guard parsed.name?.isPaged == true, pager != nil else { return await perform(parsed) }
    pageBuffer = ""
    let result = await perform(parsed)
    let text = pageBuffer ?? ""
    pageBuffer = nil
    await page(text)
    return result
  }

  private func perform(_ parsed: Command.Parsed) async -> CommandResult {
    switch parsed {
    case .empty: return .done
    case .command(let command): return await perform(command)
    case .invalid(let problem) where problem.name == .record:
      guard let transcripts else { return withoutTranscripts(.record) }
      return transcripts.recordProblem(problem, in: self)
    case .invalid(let problem): return fail(problem.message)
    }
  }

  /// Runs `command`: what a line typed at the prompt does once it is read, without the
  /// history and the pager.
  public func perform(_ command: Command) async -> CommandResult {
    switch command {
    case .help(let topic): return help(topic)
    case .lessons: return performLessonCommand(.list)
    case .lesson(nil): return resumeLesson()
    case .lesson(let name?): return performLessonCommand(.open(name))
    case .next: return performLessonCommand(.next)
    case .back: return performLessonCommand(.back)
    case .step(let number): return performLessonCommand(.step(number))
    case .restart(let force): return await restartLesson(force: force)
    case .whereAmI: return performLessonCommand(.whereAmI)
    case .show(.step):
      if lessons.position == nil, let code = current, code.isRealCode, let language = code.language
      {
        return showRealCode(code, as: language)
      }
      return performLessonCommand(.show(nil))
    case .show(.code(let language)):
      if let code = current, code.isRealCode { return showRealCode(code, as: language) }
      return showCode(language)
    case .show(.source(let scope)): return showSource(scope)
    case .hint: return performLessonCommand(.hint)
    case .params: return showParameters()
    case .set(let arguments): return set(arguments)
    case .reset: return reset()
    case .run(let source): return await run(source)
    case .compare(let source): return await compare(source)
    case .check(let arguments): return await check(arguments)
    case .trace: return reprintTrace()
    case .timeline: return redrawTimeline()
    case .why: return why()
    case .rules:
      say(Rule.list)
      return .done
    case .predict(let outcome): return predict(outcome)
    case .edit(let language): return await edit(language)
    case .record(let record):
      guard let transcripts else { return withoutTranscripts(.record) }
      return await transcripts.record(record, in: self)
    case .replay(let replay):
      guard let transcripts else { return withoutTranscripts(.replay) }
      return await transcripts.replay(replay, in: self)
    case .history: return showHistory()
    case .quit: return .quit
    }
  }

  // MARK: - Commands

  /// `record` or `replay` in a session built without them (``transcripts``).
  private func withoutTranscripts(_ name: CommandName) -> CommandResult {
    fail("'\(name.rawValue)' is not available in this session")
  }

  private func help(_ topic: String?) -> CommandResult {
    guard let rest = topic else {
      say(CommandSpec.overview)
      return .done
    }
    // `help runner` is the statement, `help RUNNER` (or `help to3`) the rule.
    let exactRule = Rule.all.first { $0.code == rest }
    if exactRule == nil, let topic = StatementHelp.named(rest) {
      say(topic.text, verbatim: Self.codeLabels)
      return .done
    }
    if let rule = exactRule ?? Rule.named(rest) {
      say(rule.explanation(palette: palette))
      return .done
    }
    guard let spec = CommandSpec.named(rest) else {
      let known = StatementHelp.topicNames + CommandSpec.names + Rule.all.map(\.code)
      let hint = Suggestion.nearest(to: rest, in: known).map { " - did you mean '\($0)'?" }
      return fail(
        "no command, statement or rule '\(rest.echoed())'\(hint ?? "")"
          + " (type 'help' for the list, 'rules' for the rules)")
    }
    var text = "usage: \(spec.usage)\n\(TextLayout.unwrapped(spec.details))\n"
    if spec.name == "set" {
      let values = parameters.order.compactMap { name in
        (try? parameters.value(name)).map { "\(name) (now \($0))" }
      }
      text += "The parameters: " + values.joined(separator: ", ") + ".\n"
    }
    say(text + "example: \(spec.example)\n", verbatim: Self.codeLabels)
    return .done
  }

  private func run(_ given: String?) async -> CommandResult {
    if given == nil, let code = current, code.isRealCode { return await runCode(code) }
    guard let source = given ?? currentProgram else {
      return fail(
        lessons.position == nil
          ? "no program to run: open a lesson, or give one (run timeout 2 { sleep 1 })"
          : "this step has no program: give one (run timeout 2 { sleep 1 }), or 'next'")
    }
    let isStepProgram = source == lessons.currentProgram
    let program: Program
    do {
      program = try Program(parsing: source, checkedAgainst: parameters)
    } catch {
      writeProgramError(error)
      return .invalid
    }
    // What the person wrote in their editor is theirs.
    if ProgramWalker.startsProcesses(program), editedProgram?.program != .scope(source),
      let refused = refusal(withoutConsentTo: .run(source))
    {
      return refused
    }
    lastProgram = source
    lastRunLanguage = nil
    lastRun = await program.runRecording(
      parameters: parameters, clock: clock, controller: controller,
      live: TextTraceSink(output: output, palette: palette, width: fittedScreenWidth)
    ).events
    // A run with no scope has no bars to draw; `timeline` still says so if asked.
    if lastRun.contains(where: { $0.scope != nil }) { drawTimeline() }
    // Orphans the run left (a grandchild that escaped its group by setsid) are ours as
    // their reaper: the audit names the ones still running, and they are killed.
    printAudit(strays: await ProcessOrphans.killAdopted())
    finishRun(isStepProgram: isStepProgram)
    return .done
  }

  /// Keeps `events` as the last run's, for `trace`, `timeline` and `why`; `language` is
  /// the real code's that ran (Python's cancellation is `CancelledError` in `trace`).
  func recordRun(_ events: [TraceEvent], language: CodeLanguage? = nil) {
    lastRun = events
    lastRunLanguage = language
  }

  private func reprintTrace() -> CommandResult {
    guard !lastRun.isEmpty else { return fail("nothing has run yet: try 'run'") }
    var formatter = TraceLineFormatter(palette: palette)
    if lastRunLanguage == .python { formatter.cancellationName = "CancelledError" }
    let width = fittedScreenWidth
    emit(lastRun.map { formatter.line(for: $0, width: width) }.joined(separator: "\n") + "\n")
    return .done
  }

  private func redrawTimeline() -> CommandResult {
    guard !lastRun.isEmpty else { return fail("nothing has run yet: try 'run'") }
    drawTimeline()
    return .done
  }

  private func showHistory() -> CommandResult {
    var text = ""
    for (index, line) in commandHistory.enumerated() {
      text += String(index + 1).leftPadded(to: 4) + "  " + line.echoed(limit: 200) + "\n"
    }
    emit(text)
    return .done
  }

  // MARK: - Helpers

  private func drawTimeline() {
    let timeline = Timeline(events: lastRun, width: timelineWidth())
    output.write(timeline.render(palette: palette).joined(separator: "\n") + "\n")
  }

  /// Prints `message` as an error, its control characters escaped (it may quote what
  /// was typed); the command was invalid.
  func fail(_ message: String) -> CommandResult {
    let line = palette.error("error:") + " " + message.controlCharactersEscapedButLineBreaks
    // Wrapped, the lines after the first are indented: one error, not several.
    let fitted = fittedErrorWidth.map { width in
      line.contains("\n")
        ? TextLayout.fit(line, width: width)
        : TextLayout.wrap(line, width: width, continuation: "  ").joined(separator: "\n")
    }
    errors.write((fitted ?? line) + "\n")
    return .invalid
  }

  /// Writes prose to the output, fitted to the screen's width (``TextLayout``): lines
  /// wrapped between words; code and programs left as they are, but at a terminal a line
  /// of code wider than it is broken at spaces (``TextLayout/wrapCode(_:width:)``).
  func say(_ text: String, verbatim: [String] = []) {
    emit(
      TextLayout.fit(text, width: proseWidth, verbatim: verbatim, codeWidth: fittedScreenWidth))
  }

  /// The lines of `help` that hold syntax or a program, which wrapping would break.
  static let codeLabels = ["usage: ", "example: "]

  /// Writes `text` to the output as it is - or, while a command's output is kept for the
  /// pager, keeps it.
  func emit(_ text: String) {
    if pageBuffer != nil {
      pageBuffer? += text
    } else {
      output.write(text)
    }
  }

  /// The columns prose is fitted to now: the screen's - but while a transcript is recorded,
  /// the width a replay checks it at (``TextLayout/transcriptWidth``), so that what is
  /// recorded is what the replay prints, whatever the terminal's width.
  var proseWidth: Int {
    isRecording ? TextLayout.transcriptWidth : textWidth()
  }

  /// The columns of the terminal the output goes to now (``screenWidth``); `nil` in a pipe
  /// or a replay, and while a transcript is recorded (it holds a trace line as one line).
  var fittedScreenWidth: Int? {
    isRecording ? nil : screenWidth()
  }

  /// The columns an error is fitted to now; `nil`, one line (a pipe, or a recording).
  var fittedErrorWidth: Int? {
    isRecording ? nil : errorWidth()
  }

  /// Whether the session's streams are tapped: a transcript is being recorded.
  public var isRecording: Bool { tap.sink != nil }

  /// `text` fitted to the screen's width (``TextLayout``).
  public func fitted(_ text: String) -> String {
    TextLayout.fit(text, width: proseWidth)
  }

  /// A program's error (its message, source line and caret) fitted as an error is.
  func writeProgramError(_ error: ProgramError) {
    let text = error.rendered
    errors.write((fittedErrorWidth.map { TextLayout.fit(text, width: $0) } ?? text) + "\n")
  }
}
