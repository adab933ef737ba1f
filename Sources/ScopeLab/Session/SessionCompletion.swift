public import LineEditor

/// Tab completion for the REPL: commands, then what each command takes.
public struct SessionCompletion: Sendable {
  /// Words a program starts its statements with.
  public static let programKeywords = [
    "timeout", "runner", "process", "scope", "sleep", "busy", "print", "throw", "try", "catch",
    "return", "wait", "reschedule",
  ]

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

  /// The candidates for the word before the cursor.
  public func candidates(for request: CompletionRequest) -> [String] {
    let words = request.precedingWords
    guard let command = words.first else { return request.matching(CommandSpec.names) }
    switch command {
    case "help" where words.count == 1:
      return request.matching(CommandSpec.names)
    case "set" where words.count == 1:
      return request.matching(parameterNames)
    case "lesson" where words.count == 1:
      return request.matching(lessonIDs)
    case "show" where words.count == 1:
      return request.matching(["swift", "python"])
    case "record" where words.count == 1:
      return request.matching(["stop"]) + files.candidates(for: request.word)
    case "replay":
      if request.word.hasPrefix("-") { return request.matching(["--speed", "--check"]) }
      return words.count == 1 ? files.candidates(for: request.word) : []
    case "run":
      if request.word.hasPrefix("$") {
        return request.matching(parameterNames.map { "$" + $0 })
      }
      return request.matching(Self.programKeywords)
    default:
      return []
    }
  }
}
