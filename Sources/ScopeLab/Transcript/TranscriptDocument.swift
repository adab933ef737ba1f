import LineEditor

/// A transcript or lesson file: Markdown with a small front matter and ```` ```scopelab ````
/// blocks of commands and the output they gave (DESIGN.md, "Lessons and transcripts: one
/// format").
///
/// The document keeps every line as written, with its own line break, so printing it
/// (``text``) gives back the file byte for byte; the structure - front matter, headings,
/// session blocks - points into those lines by line number. ``edited(_:)`` replaces
/// lines and leaves every other byte alone, which is what `--bless` needs.
public struct TranscriptDocument: Sendable, Equatable {
  /// The file's name as errors show it.
  public let name: String
  /// Every line of the file, without its line break, in order (line 1 first).
  public let lines: [String]
  /// Each line's break as written: `"\n"`, `"\r\n"`, or `""` for a last line without one.
  public let breaks: [String]
  /// The `key: value` lines between the opening and closing `---`, if the file has them.
  public let frontMatter: FrontMatter?
  /// The `## ` headings (a lesson's steps), with their line numbers.
  public let headings: [Heading]
  /// The ```` ```scopelab ```` blocks, in order.
  public let blocks: [SessionBlock]
  /// The opening line of the ```` ```scopelab ```` block the file ends inside: a recording
  /// cut short (scopelab killed, a full disk). Every line it holds is read.
  public let cutShort: Int?

  /// The warning a cut-short file gets, if it is one.
  public var cutShortWarning: String? {
    cutShort.map {
      "warning: \(name.controlCharactersEscaped):\($0): the ```scopelab block opened here is"
        + " never closed: a recording cut short, read as far as it goes"
    }
  }

  /// A `## ` heading: a lesson step's title.
  public struct Heading: Sendable, Equatable {
    public let title: String
    public let lineNumber: Int
  }

  /// The file as it was read (or as ``edited(_:)`` made it).
  public var text: String {
    var text = ""
    for (line, lineBreak) in zip(lines, breaks) {
      text += line
      text += lineBreak
    }
    return text
  }

  /// The line with number `number` (from 1).
  public func line(_ number: Int) -> String {
    lines.indices.contains(number - 1) ? lines[number - 1] : ""
  }

  /// Reads `text` as a transcript named `name`.
  public init(parsing text: String, name: String) throws(TranscriptError) {
    self.name = name
    var lines: [String] = []
    var breaks: [String] = []
    var current = ""
    for character in text {
      if character == "\n" || character == "\r\n" {
        lines.append(current)
        breaks.append(String(character))
        current = ""
      } else {
        current.append(character)
      }
    }
    if !current.isEmpty || lines.isEmpty {
      lines.append(current)
      breaks.append("")
    }
    self.lines = lines
    self.breaks = breaks
    var parser = TranscriptParser(name: name, lines: lines)
    let parsed = try parser.parse()
    frontMatter = parsed.frontMatter
    headings = parsed.headings
    blocks = parsed.blocks
    cutShort = parsed.cutShort
  }

  /// Reads the file at `path`.
  public init(contentsOf path: String) throws(TranscriptError) {
    let bytes: [UInt8]
    do {
      bytes = try RegularFile.read(path, limit: RegularFile.textLimit, noun: "a transcript")
    } catch {
      throw TranscriptError(file: path, line: nil, message: "\(error)")
    }
    guard let text = String(validating: bytes, as: UTF8.self) else {
      let line =
        1 + (Self.firstInvalidUTF8(in: bytes).map { bytes[..<$0].count { $0 == 10 } } ?? 0)
      throw TranscriptError(
        file: path, line: line, message: "not UTF-8 text: is this a transcript?")
    }
    try self.init(parsing: text, name: path)
  }

  /// The offset of the first byte that is not part of valid UTF-8, if any.
  private static func firstInvalidUTF8(in bytes: [UInt8]) -> Int? {
    var iterator = bytes.makeIterator()
    var decoder = UTF8()
    var offset = 0
    while true {
      switch decoder.decode(&iterator) {
      case .scalarValue(let scalar):
        offset += UTF8.width(scalar)
      case .emptyInput: return nil
      case .error: return offset
      }
    }
  }

  /// A replacement of the lines `range` (line numbers from 1, upper bound excluded; an
  /// empty range inserts before its lower bound) by `lines`.
  public struct LineEdit: Sendable, Equatable {
    public var range: Range<Int>
    public var lines: [String]

    public init(range: Range<Int>, lines: [String]) {
      self.range = range
      self.lines = lines
    }
  }

  /// The file's text with `edits` made (they must not overlap); every line not edited
  /// keeps its bytes and its line break, and new lines take the file's usual break.
  public func edited(_ edits: [LineEdit]) -> String {
    let usual = breaks.first { !$0.isEmpty } ?? "\n"
    var text = ""
    var next = 1
    func copy(upTo end: Int) {
      while next < end && next <= lines.count {
        text += lines[next - 1] + breaks[next - 1]
        next += 1
      }
    }
    for edit in edits.sorted(by: { $0.range.lowerBound < $1.range.lowerBound }) {
      copy(upTo: edit.range.lowerBound)
      // A last line without a break gets one when lines come after it.
      if next > 1, next - 1 == lines.count, breaks[next - 2].isEmpty, !edit.lines.isEmpty {
        text += usual
      }
      for line in edit.lines { text += line + usual }
      next = max(next, edit.range.upperBound)
    }
    copy(upTo: lines.count + 1)
    return text
  }
}

/// The `key: value` lines of a file's front matter, in order.
public struct FrontMatter: Sendable, Equatable {
  public struct Entry: Sendable, Equatable {
    public let key: String
    public let value: String
    public let lineNumber: Int
  }

  public let entries: [Entry]

  /// The value for `key`, if the front matter has it.
  public subscript(key: String) -> String? {
    entries.first { $0.key == key }?.value
  }
}

/// A ```` ```scopelab ```` block: commands behind their prompts, each with its output.
public struct SessionBlock: Sendable, Equatable {
  /// The line of the opening fence.
  public let openingLine: Int
  /// The line of the closing fence.
  public let closingLine: Int
  public let commands: [RecordedCommand]
}

/// One command of a session block and what it printed.
public struct RecordedCommand: Sendable, Equatable {
  /// The prompt it was typed behind: `scopelab> ` or `scopelab sleep-vs-timeout 2/5> `.
  public let prompt: String
  /// The lines typed: the first, then each continuation line (written behind `...> `).
  public let lines: [String]
  /// The line number of the first line.
  public let lineNumber: Int
  /// The pause before it was typed (`% wait: 1.2s`), if recorded.
  public let wait: Duration?
  /// When Ctrl-C was pressed while it ran, from the moment it was typed, in order:
  /// `% interrupt: 2.0s` lines right after the command or after all of its output.
  public let interrupts: [Duration]
  /// The output it gave, each line with its number in the file (`%%` unescaped to `%`).
  public let output: [ExpectedLine]

  /// The command as the session receives it: its lines joined by line breaks.
  public var text: String { lines.joined(separator: "\n") }

  /// The line numbers of its output: its first output line (the line after its last
  /// typed line when it has none) up to the next command, directive or closing fence.
  public var outputLines: Range<Int> {
    let start = output.first?.lineNumber ?? lineNumber + lines.count
    return start..<(output.last.map { $0.lineNumber + 1 } ?? start)
  }
}

/// A file that is not a well-formed transcript: which file, which line, what is wrong.
public struct TranscriptError: Error, Sendable, Equatable, CustomStringConvertible {
  public let file: String
  public let line: Int?
  public let message: String

  public init(file: String, line: Int?, message: String) {
    self.file = file
    self.line = line
    self.message = message
  }

  /// `lesson.md:12: unknown directive '% pause' (known: % wait: N.Ns)`.
  public var description: String {
    "\(file.controlCharactersEscaped)\(line.map { ":\($0)" } ?? ""): "
      + message.controlCharactersEscaped
  }
}
