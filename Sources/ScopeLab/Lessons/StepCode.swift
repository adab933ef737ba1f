import AsyncScope
import LineEditor

/// Real code a lesson step holds: its ```` ```python starter ```` (or `swift`) block, the
/// step's program, or its ```` ```python solution ```` block, never shown.
public struct StepCode: Sendable, Equatable {
  public let language: CodeLanguage
  /// The code, as written between the fences.
  public let text: String
  /// The line of the block's opening fence in the lesson file.
  public let line: Int

  public init(language: CodeLanguage, text: String, line: Int) {
    self.language = language
    self.text = text
    self.line = line
  }

  /// A file of this code to run: `NAME.py` (or `.swift`) in a new temporary folder under
  /// `$TMPDIR` (else `/tmp`), and what removes both; or why there is none, in words.
  func temporaryFile(named name: String) -> Result<
    (path: String, remove: @Sendable () -> Void), TemporaryFileError
  > {
    var base = ProcessEnvironment.value("TMPDIR") ?? "/tmp"
    while base.count > 1, base.hasSuffix("/") { base.removeLast() }
    let directory: String
    do {
      directory = try RegularFile.createTemporaryDirectory(in: base, prefix: "scopelab-code")
    } catch {
      return .failure(TemporaryFileError("no temporary folder in \(base) (\(error))"))
    }
    let path = directory + "/" + name + "." + language.fileExtension
    do {
      try RegularFile.replace(path, with: text + "\n")
    } catch {
      RegularFile.removeDirectory(directory)
      return .failure(TemporaryFileError("cannot write \(path): \(error)"))
    }
    return .success(
      (
        path,
        {
          RegularFile.remove(path)
          RegularFile.removeDirectory(directory)
        }
      ))
  }

  /// Why ``temporaryFile(named:)`` made no file.
  struct TemporaryFileError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
  }

  /// What a block's info string says: `python starter` is the program, `swift solution`
  /// the solution; `nil` for any other fence.
  enum Role: String {
    case starter
    case solution
  }

  /// The language and role of a fence's info string (`python starter`); `nil` when it is
  /// no such block (`python check` is a checked snippet, `python` prose).
  static func block(_ info: String) -> (CodeLanguage, Role)? {
    let words = info.split(whereSeparator: \.isWhitespace).map(String.init)
    guard words.count == 2, let language = CodeLanguage(rawValue: words[0]),
      let role = Role(rawValue: words[1])
    else { return nil }
    return (language, role)
  }
}

/// A step's `check: timeout NAME` (or `check: scope NAME`): how `check` grades the
/// learner's real code in that step - and, with `challenge:`, what solves the step.
public struct StepCheck: Sendable, Equatable {
  public let kind: CheckCommandCore.Kind
  /// The scope's name in the learner's code (a class, or a function).
  public let scope: String

  public init(kind: CheckCommandCore.Kind, scope: String) {
    self.kind = kind
    self.scope = scope
  }

  /// `timeout Timeout`: a kind, then a name (letters, digits, `_`, dotted).
  init?(parsing text: String) {
    let words = text.split(whereSeparator: \.isWhitespace).map(String.init)
    guard words.count == 2, let kind = CheckCommandCore.Kind(rawValue: words[0]),
      Self.isScopeName(words[1])
    else { return nil }
    self.init(kind: kind, scope: words[1])
  }

  /// `Timeout`, `my_scopes.Timeout`: identifiers joined by dots.
  static func isScopeName(_ text: String) -> Bool {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    return parts.allSatisfy { part in
      guard let first = part.unicodeScalars.first, first == "_" || first.properties.isAlphabetic
      else { return false }
      return part.unicodeScalars.allSatisfy {
        $0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0)
      }
    }
  }
}

extension CodeLanguage {
  /// The file name ending of real code in this language, without the dot.
  public var fileExtension: String {
    switch self {
    case .swift: "swift"
    case .python: "py"
    }
  }

  /// The language's name in a sentence: `Python`, `Swift`.
  public var displayName: String {
    switch self {
    case .swift: "Swift"
    case .python: "Python"
    }
  }

  /// The language of a file of real code, by its name's ending; `nil` for any other.
  public init?(fileName: String) {
    guard let found = Self.allCases.first(where: { fileName.hasSuffix("." + $0.fileExtension) })
    else { return nil }
    self = found
  }
}
