import AsyncScope

/// One REPL command, read once from the line typed: what the session runs
/// (``Session/perform(_:)``), what recording and the consent analysis look at, and what a
/// caller builds to drive a session without typing (a replay restoring its transcript's
/// lesson: ``Command/lesson(_:)``).
///
/// What the rest of a line means is decided here, with every error a command's arguments
/// alone can cause; what depends on the session (a parameter that does not exist, no
/// lesson open) is the session's to say.
public enum Command: Sendable, Equatable {
  /// `help [COMMAND|STATEMENT|RULE]`
  case help(topic: String?)
  /// `lessons`
  case lessons
  /// `lesson [NAME|NUMBER|FILE.md]`: `nil` reopens the lesson opened last.
  case lesson(String?)
  /// `next`
  case next
  /// `back`
  case back
  /// `step N`, `N` as typed (the lessons say whether it is a step).
  case step(String)
  /// `restart [--force]`
  case restart(force: Bool)
  /// `where`
  case whereAmI
  /// `show`, `show swift|python`, `show source SCOPE`
  case show(Show)
  /// `hint`
  case hint
  /// `params`
  case params
  /// `set NAME VALUE`
  case set(SetArguments)
  /// `reset`
  case reset
  /// `run [PROGRAM]`, or a line that starts with a statement: `nil` runs the current program.
  case run(String?)
  /// `compare [PROGRAM]`
  case compare(String?)
  /// `check [NAME --kind timeout|scope]`: grade the current real code; `nil`, with the
  /// open step's `check:`.
  case check(Check?)
  /// `trace`
  case trace
  /// `timeline`
  case timeline
  /// `why`
  case why
  /// `rules`
  case rules
  /// `predict OUTCOME`
  case predict(String)
  /// `edit`, `edit python`, `edit swift`: `nil` edits the current program as it is (a
  /// scope program, or real code); a language opens it as real code in that language.
  case edit(CodeLanguage?)
  /// `record FILE [--force]`, `record stop`
  case record(Record)
  /// `replay FILE [--speed X] [--check] [--trust]`
  case replay(Replay)
  /// `history`
  case history
  /// `quit` or `exit`
  case quit

  /// What `show` shows.
  public enum Show: Sendable, Equatable {
    /// Bare `show`: the open step again.
    case step
    /// `show swift`, `show python`: the program as code.
    case code(CodeLanguage)
    /// `show source SCOPE`: the library's own enter and exit of a built-in scope.
    case source(String)
  }

  /// `set`'s words. Whether the name is a parameter is the session's to say, before the
  /// number of values is judged.
  public struct SetArguments: Sendable, Equatable {
    public var name: String
    /// The words after the name: one, for a command that is right.
    public var values: [String]
    /// `sleep=3` (or `sleep = 3`) typed after `set`: read as one, for "did you mean".
    public var assignment: Assignment?

    public init(name: String, values: [String], assignment: Assignment? = nil) {
      self.name = name
      self.values = values
      self.assignment = assignment
    }
  }

  /// `check NAME --kind timeout|scope`: the scope in the learner's code and how to grade it.
  public struct Check: Sendable, Equatable {
    public var scope: String
    public var kind: CheckCommandCore.Kind

    public init(scope: String, kind: CheckCommandCore.Kind) {
      self.scope = scope
      self.kind = kind
    }
  }

  /// `record`'s arguments.
  public struct Record: Sendable, Equatable {
    public enum Action: Sendable, Equatable {
      case start(path: String, force: Bool)
      case stop
    }

    public var action: Action
    /// The arguments as typed: what a replay's consent lists (``Consent/Item/record(_:)``).
    public var arguments: String
  }

  /// `replay`'s arguments.
  public struct Replay: Sendable, Equatable {
    /// The file, as typed (a replay finds it beside the transcript that names it).
    public var file: String
    public var speed: Double
    public var check: Bool
    public var trust: Bool
    /// The arguments as typed: what a replay's consent lists (``Consent/Item/replay(_:)``).
    public var arguments: String
  }

  /// A line that is no command, or a command whose arguments do not fit.
  public struct Problem: Error, Sendable, Equatable {
    /// The command, when the line named one.
    public let name: CommandName?
    /// One line, without `error:`.
    public let message: String
    /// The rest of the line as typed.
    public let arguments: String
  }

  /// What a line typed at the prompt is: nothing (a blank line or a comment), a command,
  /// or the one-line error that says why it is none.
  public enum Parsed: Sendable, Equatable {
    case empty
    case command(Command)
    case invalid(Problem)

    /// The command the line names, if it names one.
    public var name: CommandName? {
      switch self {
      case .empty: nil
      case .command(let command): command.name
      case .invalid(let problem): problem.name
      }
    }
  }

  /// The prompt for the second and later lines of a command (DESIGN.md): a transcript
  /// writes them behind it too.
  public static let continuationPrompt = ContinuationScanner.prompt

  /// Reads `line` (one line, or a program's lines joined by line breaks).
  public static func parse(_ line: String) -> Parsed {
    let trimmed = line.trimmingSpaces()
    guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { return .empty }
    let (word, rest) = split(trimmed)
    guard let name = CommandName(typed: word) else {
      if statementKeyword(startingWith: trimmed) != nil { return .command(.run(trimmed)) }
      let known = Parser.statementKeywords + CommandSpec.names
      let hint = Suggestion.nearest(to: word, in: known).map { " - did you mean '\($0)'?" }
      return .invalid(
        Problem(
          name: nil,
          message: "unknown command '\(word.echoed())'\(hint ?? "") (type 'help' for the list)",
          arguments: rest))
    }
    switch name.parse(rest, typed: word) {
    case .success(let command): return .command(command)
    case .failure(let message):
      return .invalid(Problem(name: name, message: message.text, arguments: rest))
    }
  }

  /// The command word and the rest of the line, unparsed.
  public static func split(_ line: String) -> (String, String) {
    guard let space = line.firstIndex(where: \.isWhitespace) else { return (line, "") }
    return (String(line[..<space]), String(line[space...]).trimmingSpaces())
  }

  /// The statement keyword a line begins with (`timeout` in `timeout 1 { sleep 2 }` or
  /// `runner{ }`), if it begins with one: such a line runs as if typed after `run`.
  public static func statementKeyword(startingWith line: String) -> String? {
    let head = String(line.prefix { !$0.isWhitespace && !Lexer.isOperator($0) })
    return Parser.statementKeywords.contains(head) ? head : nil
  }

  /// The command's name.
  public var name: CommandName {
    switch self {
    case .help: .help
    case .lessons: .lessons
    case .lesson: .lesson
    case .next: .next
    case .back: .back
    case .step: .step
    case .restart: .restart
    case .whereAmI: .whereAmI
    case .show: .show
    case .hint: .hint
    case .params: .params
    case .set: .set
    case .reset: .reset
    case .run: .run
    case .compare: .compare
    case .check: .check
    case .trace: .trace
    case .timeline: .timeline
    case .why: .why
    case .rules: .rules
    case .predict: .predict
    case .edit: .edit
    case .record: .record
    case .replay: .replay
    case .history: .history
    case .quit: .quit
    }
  }
}

extension CommandName {
  /// Whether its output goes through the pager when it is longer than the screen.
  var isPaged: Bool {
    [.show, .help, .rules, .why, .lessons, .history, .trace, .check].contains(self)
  }

  /// A usage error: one line, without `error:`.
  struct Usage: Error {
    let text: String
    init(_ text: String) { self.text = text }
  }

  /// The command `rest` (the line after the command word, `typed`) makes, or why it makes none.
  func parse(_ rest: String, typed: String) -> Result<Command, Usage> {
    let words = rest.split(whereSeparator: \.isWhitespace).map(String.init)
    func bare(_ command: Command, _ message: String? = nil) -> Result<Command, Usage> {
      rest.isEmpty ? .success(command) : .failure(Usage(message ?? "'\(typed)' takes no arguments"))
    }
    func one(_ usage: String, _ make: (String) -> Command) -> Result<Command, Usage> {
      guard words.count == 1, let word = words.first else { return .failure(Usage(usage)) }
      return .success(make(word))
    }
    switch self {
    case .help: return .success(.help(topic: rest.isEmpty ? nil : rest))
    case .lessons: return bare(.lessons)
    case .lesson:
      if rest.isEmpty { return .success(.lesson(nil)) }
      return one("usage: lesson [NAME|NUMBER|FILE.md]") { .lesson($0) }
    case .next: return bare(.next)
    case .back: return bare(.back)
    case .step: return one("usage: step N") { .step($0) }
    case .restart:
      guard rest.isEmpty || rest == "--force" else {
        return .failure(Usage("usage: restart [--force]"))
      }
      return .success(.restart(force: rest == "--force"))
    case .whereAmI: return bare(.whereAmI)
    case .show: return Self.show(words)
    case .hint: return bare(.hint)
    case .params: return bare(.params)
    case .set:
      guard let name = words.first else {
        return .failure(Usage("usage: set NAME VALUE (for example: set sleep 3)"))
      }
      let assignment = Assignment(rest)?.trimmed
      return .success(
        .set(
          Command.SetArguments(
            name: name, values: Array(words.dropFirst()),
            assignment: assignment.flatMap {
              $0.value.isEmpty || $0.value.contains(where: \.isWhitespace) ? nil : $0
            })))
    case .reset: return bare(.reset)
    case .run: return .success(.run(rest.isEmpty ? nil : rest))
    case .compare: return .success(.compare(rest.isEmpty ? nil : rest))
    case .trace: return bare(.trace)
    case .timeline: return bare(.timeline)
    case .why: return bare(.why)
    case .rules: return bare(.rules, "'rules' takes no arguments: 'help TO3' shows one")
    case .predict:
      return one("usage: predict OUTCOME (ok, TimeoutError, KeyError, KeyboardInterrupt, ...)") {
        .predict($0)
      }
    case .edit:
      if rest.isEmpty { return .success(.edit(nil)) }
      guard words.count == 1, let language = CodeLanguage(rawValue: words[0]) else {
        return .failure(Usage("usage: edit [python | swift]"))
      }
      return .success(.edit(language))
    case .check: return Self.check(words)
    case .record: return Self.record(words, arguments: rest)
    case .replay: return Self.replay(words, arguments: rest)
    case .history: return bare(.history)
    case .quit: return bare(.quit)
    }
  }

  private static func show(_ words: [String]) -> Result<Command, Usage> {
    guard let first = words.first else { return .success(.show(.step)) }
    if first == "source" {
      let scopes = LibrarySource.scopes.joined(separator: ", ")
      guard words.count == 2 else {
        return .failure(Usage("usage: show source SCOPE (one of: \(scopes))"))
      }
      guard LibrarySource.text(for: words[1]) != nil else {
        return .failure(
          Usage("no built-in scope '\(words[1].echoed())' - show source takes one of: \(scopes)"))
      }
      return .success(.show(.source(words[1])))
    }
    guard let language = CodeLanguage(rawValue: first) else {
      return .failure(Usage("usage: show [swift | python | source SCOPE]"))
    }
    guard words.count == 1 else { return .failure(Usage("'show \(first)' takes no arguments")) }
    return .success(.show(.code(language)))
  }

  private static func check(_ words: [String]) -> Result<Command, Usage> {
    let usage = "usage: check [NAME --kind timeout|scope]"
    guard !words.isEmpty else { return .success(.check(nil)) }
    var names: [String] = []
    var kind: CheckCommandCore.Kind?
    var rest = words[...]
    while let word = rest.popFirst() {
      if word == "--kind" {
        guard let text = rest.popFirst(), let given = CheckCommandCore.Kind(rawValue: text) else {
          return .failure(Usage("check: --kind takes timeout or scope (\(usage))"))
        }
        kind = given
      } else if word.hasPrefix("-") {
        return .failure(Usage("check: unknown option '\(word.echoed())' (\(usage))"))
      } else {
        names.append(word)
      }
    }
    guard names.count == 1, let name = names.first else {
      return .failure(Usage(names.isEmpty ? "check: which scope? (\(usage))" : usage))
    }
    guard StepCheck.isScopeName(name) else {
      return .failure(Usage("check: '\(name.echoed())' is not a scope's name (\(usage))"))
    }
    guard let kind else {
      return .failure(
        Usage("check: say what '\(name.echoed())' is with --kind timeout or --kind scope"))
    }
    return .success(.check(Command.Check(scope: name, kind: kind)))
  }

  private static func record(_ words: [String], arguments: String) -> Result<Command, Usage> {
    if words == ["stop"] { return .success(.record(.init(action: .stop, arguments: arguments))) }
    let usage = "usage: record FILE [--force] | record stop"
    if let option = words.first(where: { $0.hasPrefix("-") && $0 != "--force" }) {
      return .failure(Usage("record: unknown option '\(option.echoed())' (\(usage))"))
    }
    let paths = words.filter { $0 != "--force" }
    guard paths.count == 1, let path = paths.first else {
      return .failure(Usage(paths.isEmpty ? usage : "record: one FILE please (\(usage))"))
    }
    return .success(
      .record(
        .init(action: .start(path: path, force: words.contains("--force")), arguments: arguments)))
  }

  private static func replay(_ words: [String], arguments: String) -> Result<Command, Usage> {
    let usage = "usage: replay FILE [--speed X] [--check] [--trust]"
    var words = words[...]
    var replay = Command.Replay(
      file: "", speed: 1, check: false, trust: false, arguments: arguments)
    var files: [String] = []
    while let word = words.popFirst() {
      switch word {
      case "--check": replay.check = true
      case "--trust": replay.trust = true
      case "--speed":
        guard let text = words.first, let speed = Double(text), speed.isFinite, speed > 0 else {
          return .failure(Usage("replay: --speed takes a number above 0, like 2 or 0.5 (\(usage))"))
        }
        words.removeFirst()
        replay.speed = speed
      case _ where word.hasPrefix("-"):
        return .failure(Usage("replay: unknown option '\(word.echoed())' (\(usage))"))
      default:
        files.append(word)
      }
    }
    guard files.count == 1, let file = files.first else {
      return .failure(Usage(files.isEmpty ? usage : "replay: one FILE please (\(usage))"))
    }
    replay.file = file
    return .success(.replay(replay))
  }
}
