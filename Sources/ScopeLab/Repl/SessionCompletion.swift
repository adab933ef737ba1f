public import LineEditor

/// Tab completion for the REPL: commands, then what each command takes; inside a program
/// (after `run`, or on a line that begins with a statement), what fits where the cursor is.
public struct SessionCompletion: Sendable {
  /// The words a statement starts with - the language's own list. A line that begins with
  /// one runs as a program (`timeout 1 { sleep 2 }`).
  public static let programKeywords = Parser.statementKeywords

  /// What can start a line: not `wait` or `reschedule`, which only work inside a block.
  static let lineStartKeywords = programKeywords.filter { $0 != "wait" && $0 != "reschedule" }

  /// The options of `scope NAME(...)`, as completed: a duration option ends in `=`.
  static let scopeOptions = ScopeOption.flagNames + ScopeOption.durationNames.map { $0 + "=" }

  /// The errors a program catches or throws most: the outcomes a learner predicts, less
  /// `ok`, Ctrl-C and signals.
  static let errorNames = PredictedOutcome.known.filter { $0.hasSuffix("Error") }

  public let parameterNames: [String]
  public let lessonIDs: [String]
  public let files: FilePathCompletion

  public init(
    parameterNames: [String],
    lessonIDs: [String] = [],
    files: FilePathCompletion = FilePathCompletion()
  ) {
    self.parameterNames = parameterNames
    self.lessonIDs = lessonIDs
    self.files = files
  }

  /// The candidates for the word before the cursor on a continuation line, the command's
  /// `earlierLines` typed before it.
  public func candidates(for request: CompletionRequest, after earlierLines: [String])
    -> [String]
  {
    guard !earlierLines.isEmpty else { return candidates(for: request) }
    let text = (earlierLines + [request.textBeforeCursor]).joined(separator: "\n")
    return candidates(for: CompletionRequest(textBeforeCursor: text))
  }

  /// The candidates for the word before the cursor.
  public func candidates(for request: CompletionRequest) -> [String] {
    let words = request.precedingWords
    guard let command = words.first else {
      return request.matching(CommandSpec.names + Self.lineStartKeywords)
    }
    guard let name = CommandName(typed: command) else {
      guard Command.statementKeyword(startingWith: command) != nil else { return [] }
      return programCandidates(request, programStartsAfterFirstWord: false)
    }
    return arguments(of: name, words, request)
  }

  /// What `name`'s arguments complete to, its words so far `words` (the name first).
  private func arguments(of name: CommandName, _ words: [String], _ request: CompletionRequest)
    -> [String]
  {
    switch name {
    case .help where words.count == 1:
      return request.matching(CommandSpec.names + StatementHelp.topicNames)
    case .set where words.count == 1:
      return request.matching(parameterNames)
    case .lesson where words.count == 1:
      return request.matching(lessonIDs)
    case .show where words.count == 1:
      return request.matching(CodeLanguage.allCases.map(\.rawValue) + ["source"])
    case .show where words.count == 2 && words[1] == "source":
      return request.matching(LibrarySource.scopes)
    case .edit where words.count == 1:
      return request.matching(CodeLanguage.allCases.map(\.rawValue))
    case .check where words.last == "--kind":
      return request.matching(CheckCommandCore.Kind.allCases.map(\.rawValue))
    case .check where words.count >= 2 && !words.contains("--kind"):
      return request.matching(["--kind"])
    case .predict where words.count == 1:
      return request.matching(PredictedOutcome.known)
    case .record where request.word.hasPrefix("-") || (words.count == 2 && words[1] != "stop"):
      return request.matching(["--force"])
    case .record where words.count == 1:
      return request.matching(["stop"]) + files.candidates(for: request.word)
    case .replay:
      if request.word.hasPrefix("-") { return request.matching(["--speed", "--check"]) }
      return words.count == 1 ? files.candidates(for: request.word) : []
    case .run:
      return programCandidates(request, programStartsAfterFirstWord: true)
    default:
      return []
    }
  }

  /// Inside a program: keywords where a statement starts, scope options in `scope A(`,
  /// `$parameters` after `$`, and nothing else - no keywords where a duration goes.
  private func programCandidates(
    _ request: CompletionRequest, programStartsAfterFirstWord: Bool
  ) -> [String] {
    var scanner = ContinuationScanner()
    for (offset, line) in request.textBeforeCursor.split(
      separator: "\n", omittingEmptySubsequences: false
    ).enumerated() {
      scanner.scan(String(line), lineNumber: offset + 1)
    }
    let innermost = scanner.open.last
    if innermost?.isQuote == true { return [] }
    // The word's last piece: `sl` in `{sl`, `th` in `A(suppress,th`.
    let word = request.word
    let cut = word.lastIndex { Lexer.isOperator($0) }.map(word.index(after:)) ?? word.startIndex
    let prefix = String(word[..<cut])
    let partial = String(word[cut...])
    func offer(_ candidates: [String]) -> [String] {
      request.matching(candidates.map { prefix + $0 })
    }
    let parameters = parameterNames.map { "$" + $0 }
    if partial.hasPrefix("$") { return offer(parameters) }
    if innermost?.kind == .parenthesis {
      guard let equals = partial.firstIndex(of: "=") else { return offer(Self.scopeOptions) }
      let option = String(partial[...equals])
      return partial[partial.index(after: equals)...].hasPrefix("$")
        ? offer(parameters.map { option + $0 }) : []
    }
    switch previousPiece(request, prefix: prefix, programStartsAfterFirstWord) {
    case nil, "{", ";":
      return offer(Self.programKeywords)
    case "}":
      return offer(["catch"])  // after a block, only a try's catch goes on the statement
    case ",":
      return offer(ScopeHeader.keywords)
    case "catch", "throw":
      return offer(Self.errorNames)
    default:
      return []  // a duration, a name, words to print or a command's arguments
    }
  }

  /// What comes before the partial word, read with the language's own ``Lexer``: an
  /// operator (`{`, `;`, `}`, `,`), the word before it as written (`sleep`; `"catch"` is
  /// quoted text, not the keyword), or `nil` where a statement starts - at the start of the
  /// program or of a line. A comment, a quoted or escaped operator (`a\;`) is no operator.
  private func previousPiece(
    _ request: CompletionRequest, prefix: String, _ programStartsAfterFirstWord: Bool
  ) -> String? {
    let partial = request.word.dropFirst(prefix.count)
    var lexer = Lexer()
    lexer.lex(request.textBeforeCursor.dropLast(partial.count))
    // A word the partial one goes on from (`a\;` in `a\;sl`) ends here: it is the last.
    lexer.lex(" ")
    var tokens = lexer.takeTokens()[...]
    // `run`: the command's own name is not part of the program.
    if programStartsAfterFirstWord { tokens = tokens.dropFirst() }
    guard let last = tokens.last, last.kind != .newline else { return nil }
    return last.text
  }
}

extension Session {
  /// What Tab completes now: the current parameters and lesson ids.
  public var completion: SessionCompletion {
    SessionCompletion(parameterNames: parameters.order, lessonIDs: lessons.lessonIDs)
  }
}
