/// The line around the cursor when the user presses Tab.
public struct CompletionRequest: Sendable, Equatable {
  /// The text of the line before the cursor.
  public var textBeforeCursor: String

  /// Creates a request for the text before the cursor.
  public init(textBeforeCursor: String) {
    self.textBeforeCursor = textBeforeCursor
  }

  /// The partial word at the cursor (empty after a space).
  public var word: String {
    let text = textBeforeCursor
    guard let space = text.lastIndex(where: \.isWhitespace) else { return text }
    return String(text[text.index(after: space)...])
  }

  /// The complete words before ``word``: `["record"]` for `record tra`.
  public var precedingWords: [String] {
    let text = textBeforeCursor
    let head = text.dropLast(word.count)
    return head.split(whereSeparator: \.isWhitespace).map(String.init)
  }

  /// The candidates among `words` that start with ``word``, sorted.
  public func matching(_ words: some Sequence<String>) -> [String] {
    let word = self.word
    return Array(Set(words.filter { $0.hasPrefix(word) })).sorted()
  }
}

/// What Tab does with a list of candidates, independent of libedit.
struct CompletionOutcome: Equatable {
  /// Text to insert at the cursor (possibly empty).
  var insertion: String
  /// Candidates to list below the line (when the choice is ambiguous).
  var listing: [String]

  init(insertion: String, listing: [String]) {
    self.insertion = insertion
    self.listing = listing
  }

  /// Inserts the candidates' common prefix; a single candidate is completed and
  /// followed by a space (unless it is a directory ending in "/", or ends in "=" where
  /// a value follows); when nothing more can be inserted, lists the candidates.
  init(word: String, candidates: [String]) {
    let candidates = Array(Set(candidates.filter { $0.hasPrefix(word) })).sorted()
    guard let first = candidates.first else {
      self.init(insertion: "", listing: [])
      return
    }
    if candidates.count == 1 {
      let suffix = String(first.dropFirst(word.count))
      self.init(
        insertion: first.hasSuffix("/") || first.hasSuffix("=") ? suffix : suffix + " ", listing: []
      )
      return
    }
    let prefix = candidates.dropFirst().reduce(first) { Self.commonPrefix($0, $1) }
    let insertion = String(prefix.dropFirst(word.count))
    self.init(insertion: insertion, listing: insertion.isEmpty ? candidates : [])
  }

  static func commonPrefix(_ a: String, _ b: String) -> String {
    String(zip(a, b).prefix { $0 == $1 }.map(\.0))
  }
}
