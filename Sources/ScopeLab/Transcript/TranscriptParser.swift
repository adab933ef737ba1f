import AsyncScope

/// Reads the structure of a transcript's lines: front matter, headings, fenced blocks and,
/// inside ```` ```scopelab ```` blocks, prompt lines, continuation lines, directives and
/// output. Every problem is a ``TranscriptError`` naming the file and the line.
struct TranscriptParser {
  let name: String
  let lines: [String]
  private var index = 0
  private var cutShort: Int?

  /// The prompt of the continuation lines of a multi-line command.
  static let continuationPrompt = ContinuationScanner.prompt
  /// A directive's first character; `%%` at the start of an output line stands for `%`.
  static let directive: Character = "%"

  /// An output line as a file writes it: a `%` at its start doubled, so it is no
  /// directive (the reader takes one away again).
  static func writtenOutputLine(_ line: String) -> String {
    line.first == directive ? String(directive) + line : line
  }

  /// A UTF-8 byte-order mark before the first line is not part of it (editors on some
  /// systems write one); the document keeps it, so the file is written back as it was.
  init(name: String, lines: [String]) {
    self.name = name
    var lines = lines
    if let first = lines.first, first.hasPrefix("\u{FEFF}") { lines[0] = String(first.dropFirst()) }
    self.lines = lines
  }

  struct Parsed {
    /// The opening line of a ```` ```scopelab ```` block the file ends inside, if it does.
    var cutShort: Int?
    var frontMatter: FrontMatter?
    var headings: [TranscriptDocument.Heading] = []
    var blocks: [SessionBlock] = []
  }

  private func failure(_ message: String, line: Int?) -> TranscriptError {
    TranscriptError(file: name, line: line, message: message)
  }

  mutating func parse() throws(TranscriptError) -> Parsed {
    var parsed = Parsed()
    try checkCharacters()
    parsed.frontMatter = try frontMatter()
    while index < lines.count {
      let line = lines[index]
      let number = index + 1
      index += 1
      if line.hasPrefix("## ") {
        parsed.headings.append(
          .init(title: String(line.dropFirst(3)).trimmingSpaces(), lineNumber: number))
      } else if let fence = Fence(opening: line) {
        if fence.info == "scopelab" {
          parsed.blocks.append(try sessionBlock(fence, openingLine: number))
          parsed.cutShort = cutShort
        } else {
          try skip(fence, openingLine: number)
        }
      }
    }
    return parsed
  }

  /// No NUL bytes and no control characters but tab: a transcript is text, and what it
  /// holds is shown on a terminal.
  private func checkCharacters() throws(TranscriptError) {
    for (offset, line) in lines.enumerated() {
      for scalar in line.unicodeScalars where scalar != "\t" {
        guard scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) else { continue }
        let what =
          scalar == "\0"
          ? "a NUL byte: this is not a text file"
          : "control character \(String(scalar).controlCharactersEscaped): a transcript is plain text"
        throw failure(what, line: offset + 1)
      }
    }
  }

  // MARK: - Front matter

  /// `---`, then `key: value` lines, then `---`, at the very start of the file.
  private mutating func frontMatter() throws(TranscriptError) -> FrontMatter? {
    guard lines.first?.trimmingTrailingSpaces() == "---" else { return nil }
    index = 1
    var entries: [FrontMatter.Entry] = []
    while index < lines.count {
      let line = lines[index]
      let number = index + 1
      index += 1
      if line.trimmingTrailingSpaces() == "---" { return FrontMatter(entries: entries) }
      if line.trimmingSpaces().isEmpty || line.hasPrefix("#") { continue }
      guard let colon = line.firstIndex(of: ":") else {
        throw failure(
          "a front matter line is 'key: value', not '\(line.echoedForError)'", line: number)
      }
      let key = String(line[..<colon])
      guard Self.isKey(key) else {
        throw failure(
          "'\(key.echoedForError)' is not a front matter key (lowercase letters, digits, '-')",
          line: number)
      }
      if let earlier = entries.first(where: { $0.key == key }) {
        throw failure("'\(key)' is given twice (first at line \(earlier.lineNumber))", line: number)
      }
      let value = String(line[line.index(after: colon)...]).trimmingSpaces()
      entries.append(.init(key: key, value: value, lineNumber: number))
    }
    throw failure("the front matter opened here is never closed with '---'", line: 1)
  }

  private static func isKey(_ key: String) -> Bool {
    guard let first = key.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
    return key.unicodeScalars.allSatisfy {
      ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_"
    }
  }

  // MARK: - Fences

  /// A fence as CommonMark reads one: three or more backticks (or tildes), indented by at
  /// most three spaces; the opening one may carry an info string (```` ```scopelab ````).
  struct Fence: Equatable {
    let marker: Character
    let length: Int
    let info: String

    /// The fence `line` opens, if it opens one.
    init?(opening line: String) {
      let indent = line.prefix { $0 == " " }.count
      guard indent <= 3, let marker = line.dropFirst(indent).first, marker == "`" || marker == "~"
      else { return nil }
      let rest = line.dropFirst(indent)
      let length = rest.prefix { $0 == marker }.count
      let info = String(rest.dropFirst(length)).trimmingSpaces()
      // A backtick fence's info string holds no backtick (it would be inline code).
      guard length >= 3, marker == "~" || !info.contains("`") else { return nil }
      self.marker = marker
      self.length = length
      self.info = info
    }

    /// Whether `line` closes this fence: the same character, at least as many of it, and
    /// nothing after them.
    func isClosed(by line: String) -> Bool {
      let indent = line.prefix { $0 == " " }.count
      guard indent <= 3 else { return false }
      let rest = line.dropFirst(indent)
      let length = rest.prefix { $0 == marker }.count
      return length >= self.length && rest.dropFirst(length).allSatisfy { $0 == " " || $0 == "\t" }
    }
  }

  private mutating func skip(_ fence: Fence, openingLine: Int) throws(TranscriptError) {
    while index < lines.count {
      defer { index += 1 }
      if fence.isClosed(by: lines[index]) { return }
    }
    let opening = String(repeating: fence.marker, count: fence.length)
    throw failure(
      "the \(opening)\(fence.info.echoedForError) block opened here is never closed",
      line: openingLine)
  }

  // MARK: - Session blocks

  private mutating func sessionBlock(
    _ fence: Fence, openingLine: Int
  ) throws(TranscriptError) -> SessionBlock {
    var commands: [RecordedCommand] = []
    var pending:
      (prompt: String, lines: [String], number: Int, wait: Duration?, interrupts: [Duration])?
    var output: [ExpectedLine] = []
    var wait: (Duration, Int)?
    // A command's output lines are one run: `% interrupt` lines go before or after them.
    var interruptsEnded = false
    func checkNotAfterInterrupts(_ number: Int) throws(TranscriptError) {
      guard interruptsEnded else { return }
      throw failure(
        "'% interrupt' lines go right after their command or after all of its output",
        line: number)
    }
    func finish() {
      guard let command = pending else { return }
      commands.append(
        RecordedCommand(
          prompt: command.prompt, lines: command.lines, lineNumber: command.number,
          wait: command.wait, interrupts: command.interrupts, output: output))
      pending = nil
      output = []
      interruptsEnded = false
    }
    while index < lines.count {
      let line = lines[index]
      let number = index + 1
      index += 1
      if fence.isClosed(by: line) {
        if let (_, waitLine) = wait {
          throw failure("'% wait' must come right before a command", line: waitLine)
        }
        finish()
        return SessionBlock(openingLine: openingLine, closingLine: number, commands: commands)
      }
      if line.hasPrefix(Self.continuationPrompt) {
        guard var command = pending, output.isEmpty else {
          throw failure(
            "a '\(Self.continuationPrompt)' line continues a command: it must follow one",
            line: number)
        }
        command.lines.append(String(line.dropFirst(Self.continuationPrompt.count)))
        pending = command
        continue
      }
      if let prompt = Self.prompt(of: line) {
        finish()
        pending = (prompt, [String(line.dropFirst(prompt.count))], number, wait?.0, [])
        wait = nil
        continue
      }
      if line.hasPrefix(String(Self.directive) + String(Self.directive)) {
        guard pending != nil, wait == nil else {
          throw failure("output must follow a command", line: number)
        }
        try checkNotAfterInterrupts(number)
        output.append(ExpectedLine(text: String(line.dropFirst()), lineNumber: number))
        continue
      }
      if line.first == Self.directive {
        switch try directive(line, number: number) {
        case .wait(let duration):
          guard wait == nil else { throw failure("two '% wait' lines in a row", line: number) }
          wait = (duration, number)
        case .interrupt(let moment):
          guard var command = pending, wait == nil else {
            throw failure(
              "'% interrupt' belongs to the command above it: it must follow one", line: number)
          }
          command.interrupts.append(moment)
          pending = command
          if !output.isEmpty { interruptsEnded = true }
        }
        continue
      }
      guard pending != nil else {
        throw failure(
          "output before any command: a block starts with a prompt line ('scopelab> ...')",
          line: number)
      }
      guard wait == nil else {
        throw failure("'% wait' must come right before a command", line: number - 1)
      }
      try checkNotAfterInterrupts(number)
      output.append(ExpectedLine(text: line, lineNumber: number))
    }
    // The file ends inside the block: a recording cut short (killed, a full disk). Every
    // line it holds is kept; the document says where it was cut.
    if let (_, waitLine) = wait {
      throw failure("'% wait' must come right before a command", line: waitLine)
    }
    finish()
    cutShort = openingLine
    return SessionBlock(openingLine: openingLine, closingLine: lines.count + 1, commands: commands)
  }

  /// `% wait: 1.2s`: the pause before the next command.
  /// A directive line: `% wait: 1.2s` (the pause before the next command) or
  /// `% interrupt: 2.0s` (a Ctrl-C that long after the command above was typed).
  private enum Directive {
    case wait(Duration)
    case interrupt(Duration)
  }

  private func directive(_ line: String, number: Int) throws(TranscriptError) -> Directive {
    let body = String(line.dropFirst()).trimmingSpaces()
    let word = String(body.prefix { $0 != ":" && !$0.isWhitespace })
    guard word == "wait" || word == "interrupt", body.dropFirst(word.count).first == ":" else {
      throw failure(
        "unknown directive '% \(word.echoedForError)' (known: % wait: N.Ns, % interrupt: N.Ns;"
          + " an output line that starts with % is written %%)", line: number)
    }
    let text = String(body.dropFirst(word.count + 1)).trimmingSpaces()
    let value: UserDuration
    do {
      value = try UserDuration(parsing: text)
    } catch {
      throw failure("% \(word): \(error)", line: number)
    }
    guard let duration = value.duration, duration >= .zero else {
      throw failure(
        "% \(word) needs a time of 0 or more seconds, like % \(word): 1.2s", line: number)
    }
    return word == "wait" ? .wait(duration) : .interrupt(duration)
  }

  /// The prompt a line starts with: `scopelab> `, or a lesson's `scopelab ID N/M> `.
  static func prompt(of line: String) -> String? {
    let plain = "scopelab> "
    if line.hasPrefix(plain) || line == "scopelab>" { return line.hasPrefix(plain) ? plain : line }
    guard line.hasPrefix("scopelab "), let end = line.firstRange(of: "> ") else { return nil }
    let middle = line[line.index(line.startIndex, offsetBy: 9)..<end.lowerBound]
    let words = middle.split(separator: " ", omittingEmptySubsequences: false)
    guard words.count == 2, !words[0].isEmpty, words[0].allSatisfy({ !$0.isWhitespace }) else {
      return nil
    }
    let step = words[1].split(separator: "/", omittingEmptySubsequences: false)
    guard step.count == 2,
      step.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && Int($0) != nil })
    else { return nil }
    return String(line[..<end.upperBound])
  }
}

extension String {
  /// Text from a file, safe to show in a one-line error.
  var echoedForError: String { echoed(limit: 40) }
}
