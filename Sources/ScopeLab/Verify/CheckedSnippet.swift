import AsyncScope

/// A claim about real CPython or real Swift in a lesson or guide, backed by a run: a fenced
/// ```` ```python check ````, ```` ```swift check ```` or ```` ```swift check-error ````
/// block, then (blank lines between allowed) an ```` ```output ```` block with what it
/// prints - or, for `check-error`, what the compiler's diagnostics say.
///
/// To the learner both blocks are prose, shown as code; `scopelab verify` (and the tests
/// that verify the built-in lessons) runs the snippet and compares (``LessonVerifier``).
struct CheckedSnippet: Sendable, Equatable {
  enum Kind: String, Sendable, CaseIterable {
    case python = "python check"
    case swift = "swift check"
    /// Must fail to compile, with each line of its output block in the diagnostics.
    case swiftError = "swift check-error"

    /// `python` or `swift`: what consent names.
    var language: String { self == .python ? "python" : "swift" }
  }

  let kind: Kind
  /// The code, as written between the fences.
  let source: String
  /// The line of its opening fence.
  let line: Int
  /// The lines of its ```` ```output ```` block.
  let output: [ExpectedLine]
  /// The line of the output block's opening fence.
  let outputLine: Int

  /// What consent must allow before it runs.
  var consentItem: Consent.Item { .snippet(language: kind.language, source: source) }

  /// The snippets of `document` in file order, and its problems: a check block with no
  /// output block after it, an info string that looks like a check but is none
  /// (```` ```python checked ````). Fenced blocks inside other fences are not snippets.
  static func all(in document: TranscriptDocument) -> (
    snippets: [CheckedSnippet], problems: [(line: Int, message: String)]
  ) {
    var snippets: [CheckedSnippet] = []
    var problems: [(line: Int, message: String)] = []
    let known = Kind.allCases.map(\.rawValue)
    var number = 1
    // The block opened at `number`: its fence, its lines, and the line after its close.
    func block(at number: Int) -> (fence: TranscriptParser.Fence, body: [String], next: Int)? {
      guard let fence = TranscriptParser.Fence(opening: document.line(number)) else { return nil }
      var body: [String] = []
      var next = number + 1
      while next <= document.lines.count, !fence.isClosed(by: document.line(next)) {
        body.append(document.line(next))
        next += 1
      }
      return (fence, body, next + 1)
    }
    while number <= document.lines.count {
      guard let (fence, body, next) = block(at: number) else {
        number += 1
        continue
      }
      let words = fence.info.split(whereSeparator: \.isWhitespace).map(String.init)
      let info = words.joined(separator: " ")
      guard let kind = Kind(rawValue: info) else {
        if !known.contains(info), words.dropFirst().contains(where: { $0.hasPrefix("check") }) {
          problems.append(
            (
              number,
              "'```\(fence.info.echoedForError)' is not a checked snippet (known: "
                + known.map { "```" + $0 }.joined(separator: ", ") + ")"
            ))
        }
        number = next
        continue
      }
      var after = next
      while after <= document.lines.count, document.line(after).trimmingSpaces().isEmpty {
        after += 1
      }
      guard let (outputFence, outputBody, outputNext) = block(at: after),
        outputFence.info == "output"
      else {
        problems.append(
          (
            number,
            "the ```\(info) block needs an ```output block right after it (blank lines"
              + " allowed): what it prints"
              + (kind == .swiftError ? ", or lines of the compiler's diagnostics" : "")
          ))
        number = next
        continue
      }
      snippets.append(
        CheckedSnippet(
          kind: kind, source: body.joined(separator: "\n"), line: number,
          output: outputBody.enumerated().map {
            ExpectedLine(text: $0.element, lineNumber: after + 1 + $0.offset)
          }, outputLine: after))
      number = outputNext
    }
    return (snippets, problems)
  }
}
