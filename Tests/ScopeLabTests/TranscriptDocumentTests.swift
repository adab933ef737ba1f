import Glibc
import Testing

@testable import ScopeLab

@Suite("Transcripts: the document model")
struct TranscriptDocumentTests {
  static let sample = """
    ---
    scopelab: transcript
    set: sleep=3s
    ---

    Some prose, with `code`.

    ```scope
    timeout 1 { sleep 2 }
    ```

    ## A step

    ```scopelab
    scopelab> set sleep 3
    sleep = 3s (was 1s)
    % wait: 1.5s
    scopelab> timeout 1 {
    ...> print hi }
      0.000s  enter timeout#1
    %% not a directive
    scopelab sleep-vs-timeout 2/5> help
    ```

    """

  // MARK: - Reading

  @Test("fences follow CommonMark: a longer fence holds a shorter one, tildes count too")
  func commonMarkFences() throws {
    let text = """
      ````
      ```scopelab
      scopelab> not a command: this is all one shown block
      ```
      ````

      ~~~scope
      ```
      ~~~

      ```scopelab
      scopelab> help
      ...
      ```
      """
    let document = try TranscriptDocument(parsing: text, name: "f.md")
    #expect(document.blocks.map(\.openingLine) == [11])
    #expect(document.blocks.first?.commands.map(\.text) == ["help"])
    // A shorter fence does not close a longer one.
    #expect(throws: TranscriptError.self) {
      try TranscriptDocument(parsing: "````md\ntext\n```\n", name: "g.md")
    }
    do {
      _ = try TranscriptDocument(parsing: "````md\ntext\n```\n", name: "g.md")
    } catch {
      #expect(error.description == "g.md:1: the ````md block opened here is never closed")
    }
  }

  @Test("% interrupt lines give a command its Ctrl-C moments, before or after its output")
  func interrupts() throws {
    let text = """
      ```scopelab
      scopelab> run sleep 5
      % interrupt: 0.5s
        0.000s  => ok
      % interrupt: 1.25s
      % wait: 2s
      scopelab> help
      ```
      """
    let document = try TranscriptDocument(parsing: text, name: "i.md")
    let commands = try #require(document.blocks.first?.commands)
    #expect(commands.map(\.interrupts) == [[.milliseconds(500), .milliseconds(1250)], []])
    #expect(commands[0].output.map(\.lineNumber) == [4])
    #expect(commands[0].outputLines == 4..<5)
    #expect(commands[1].wait == .seconds(2))
  }

  @Test("a recording cut short (no closing fence) is read as far as it goes, and says so")
  func cutShort() throws {
    let document = try TranscriptDocument(
      parsing: "intro\n```scopelab\nscopelab> help\nusage\nscopelab> run print h", name: "s.md")
    #expect(document.cutShort == 2)
    #expect(document.blocks.first?.commands.map(\.text) == ["help", "run print h"])
    #expect(
      document.cutShortWarning
        == "warning: s.md:2: the ```scopelab block opened here is never closed: a recording"
        + " cut short, read as far as it goes")
    #expect(try TranscriptDocument(parsing: Self.sample, name: "s.md").cutShort == nil)
  }

  @Test("files a transcript names resolve in its folder; a recording names them from there")
  func paths() {
    #expect(TranscriptDocument.path("l.md", in: "course") == "course/l.md")
    #expect(TranscriptDocument.path("l.md", in: "/a/b/") == "/a/b/l.md")
    #expect(TranscriptDocument.path("/x/l.md", in: "course") == "/x/l.md")
    #expect(TranscriptDocument.path("l.md", in: ".") == "l.md")
    #expect(TranscriptDocument.relativePath(of: "/a/b/l.md", from: "/a/b") == "l.md")
    #expect(TranscriptDocument.relativePath(of: "/a/c/l.md", from: "/a/b/") == "../c/l.md")
    #expect(TranscriptDocument.relativePath(of: "/a/./b/../c/l.md", from: "/a") == "c/l.md")
    #expect(TranscriptDocument.relativePath(of: "/x/l.md", from: "/a/b") == "/x/l.md")
    #expect(TranscriptDocument.relativePath(of: "course/l.md", from: "course") == "l.md")
  }

  @Test("a UTF-8 byte-order mark before the front matter is read past and kept")
  func byteOrderMark() throws {
    let text = "\u{FEFF}---\nscopelab: transcript\n---\n```scopelab\nscopelab> help\n```\n"
    let document = try TranscriptDocument(parsing: text, name: "b.md")
    #expect(document.frontMatter?["scopelab"] == "transcript")
    #expect(document.text == text)
  }

  @Test("front matter, headings and a session block with every kind of line")
  func structure() throws {
    let document = try TranscriptDocument(parsing: Self.sample, name: "s.md")
    #expect(document.frontMatter?.entries.map(\.key) == ["scopelab", "set"])
    #expect(document.frontMatter?["set"] == "sleep=3s")
    #expect(document.frontMatter?.entries.last?.lineNumber == 3)
    #expect(document.headings == [.init(title: "A step", lineNumber: 12)])
    let block = try #require(document.blocks.first)
    #expect(document.blocks.count == 1)
    #expect(block.openingLine == 14 && block.closingLine == 23)
    let commands = block.commands
    #expect(
      commands.map(\.prompt) == ["scopelab> ", "scopelab> ", "scopelab sleep-vs-timeout 2/5> "])
    #expect(commands.map(\.lines) == [["set sleep 3"], ["timeout 1 {", "print hi }"], ["help"]])
    #expect(commands.map(\.lineNumber) == [15, 18, 22])
    #expect(commands.map(\.wait) == [nil, .milliseconds(1500), nil])
    #expect(commands[0].output == [ExpectedLine(text: "sleep = 3s (was 1s)", lineNumber: 16)])
    #expect(
      commands[1].output == [
        ExpectedLine(text: "  0.000s  enter timeout#1", lineNumber: 20),
        ExpectedLine(text: "% not a directive", lineNumber: 21),
      ])
    #expect(commands[1].text == "timeout 1 {\nprint hi }")
    #expect(commands[1].outputLines == 20..<22)
    #expect(commands[2].output.isEmpty && commands[2].outputLines == 23..<23)
  }

  @Test(
    "reading and printing a file gives it back byte for byte",
    arguments: [
      sample, sample.replacingNewlines(with: "\r\n"), String(sample.dropLast()), "", "\n",
      "just prose\nno newline at the end", "```scopelab\n```", "a\n\n\n",
    ])
  func roundTrip(text: String) throws {
    let document = try TranscriptDocument(parsing: text, name: "s.md")
    #expect(Array(document.text.utf8) == Array(text.utf8))
  }

  // MARK: - Malformed files

  @Test(
    "a malformed file is one error naming the file, the line and the problem",
    arguments: [
      (
        "```scopelab\n% interrupt: 1s\n```\n",
        "s.md:2: '% interrupt' belongs to the command above it: it must follow one"
      ),
      (
        "```scopelab\nscopelab> help\nx\n% interrupt: 1s\ny\n```\n",
        "s.md:5: '% interrupt' lines go right after their command or after all of its output"
      ),
      (
        "```scopelab\nscopelab> help\n% interrupt: soon\n```\n",
        "s.md:3: % interrupt: "
      ),
      (
        "intro\n```scopelab\nscopelab> help\n% wait: 1s\n",
        "s.md:4: '% wait' must come right before a command"
      ),
      ("```swift\nlet x = 1\n", "s.md:1: the ```swift block opened here is never closed"),
      (
        "---\nscopelab: transcript\n",
        "s.md:1: the front matter opened here is never closed with '---'"
      ),
      ("---\njust words\n---\n", "s.md:2: a front matter line is 'key: value', not 'just words'"),
      (
        "---\nTitle: x\n---\n",
        "s.md:2: 'Title' is not a front matter key (lowercase letters, digits, '-')"
      ),
      ("---\nid: a\nid: b\n---\n", "s.md:3: 'id' is given twice (first at line 2)"),
      (
        "```scopelab\nscopelab> help\n% pause: 1s\n```\n",
        "s.md:3: unknown directive '% pause' (known: % wait: N.Ns, % interrupt: N.Ns; an output line that starts"
          + " with % is written %%)"
      ),
      (
        "```scopelab\n% wait: soon\nscopelab> help\n```\n",
        "s.md:2: % wait: 'soon' is not a duration"
      ),
      (
        "```scopelab\n% wait: -1s\nscopelab> help\n```\n",
        "s.md:2: % wait needs a time of 0 or more"
      ),
      (
        "```scopelab\nscopelab> help\n% wait: 1s\n```\n",
        "s.md:3: '% wait' must come right before a command"
      ),
      ("```scopelab\nhello\n```\n", "s.md:2: output before any command"),
      (
        "```scopelab\n...> more\n```\n",
        "s.md:2: a '...> ' line continues a command: it must follow one"
      ),
      (
        "```scopelab\nscopelab> a\nout\n...> b\n```\n", "s.md:4: a '...> ' line continues a command"
      ),
      ("text\nbinary\u{0}junk\n", "s.md:2: a NUL byte: this is not a text file"),
      (
        "```scopelab\nscopelab> run print x\n\u{1B}[31mred\n```\n",
        "s.md:3: control character \\u{1B}"
      ),
    ])
  func malformed(text: String, message: String) {
    let error = #expect(throws: TranscriptError.self) {
      _ = try TranscriptDocument(parsing: text, name: "s.md")
    }
    #expect(error?.description.hasPrefix(message) == true, "\(String(describing: error))")
    #expect(error?.description.contains("\n") == false)
  }

  @Test("a file that cannot be read, or is not UTF-8, is an error naming it")
  func unreadable() throws {
    let missing = #expect(throws: TranscriptError.self) {
      _ = try TranscriptDocument(contentsOf: "/nonexistent/session.md")
    }
    #expect(missing?.description == "/nonexistent/session.md: no such file")
    let directory = #expect(throws: TranscriptError.self) {
      _ = try TranscriptDocument(contentsOf: "/tmp")
    }
    #expect(directory?.description == "/tmp: is a directory, not a transcript")

    let path = "/tmp/scopelab-binary-\(getpid()).md"
    defer { unlink(path) }
    let bytes: [UInt8] = Array("line one\nline two\n".utf8) + [0xFF, 0xFE, 0x41, 0x0A]
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    try #require(fd >= 0)
    _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    close(fd)
    let binary = #expect(throws: TranscriptError.self) {
      _ = try TranscriptDocument(contentsOf: path)
    }
    #expect(binary?.description == "\(path):3: not UTF-8 text: is this a transcript?")
  }

  @Test("random bytes never crash the reader: they read, or fail with one line")
  func fuzz() {
    var generator = SystemRandomNumberGenerator()
    let alphabet = Array("`%.>-:# \n\r\tscopelab>wait1s{}[]") + ["\u{0}", "é", "日"]
    for _ in 0..<300 {
      let length = Int.random(in: 0..<200, using: &generator)
      let text = String((0..<length).map { _ in alphabet.randomElement(using: &generator) ?? " " })
      do {
        let document = try TranscriptDocument(parsing: text, name: "f.md")
        #expect(document.text == text)
      } catch {
        #expect(!error.description.contains("\n"))
      }
    }
  }

  // MARK: - Editing

  @Test("edits replace exactly their lines; the rest keeps its bytes and line breaks")
  func edits() throws {
    let text = "a\r\nb\r\nc\r\nd"
    let document = try TranscriptDocument(parsing: text, name: "e.md")
    #expect(document.edited([]) == text)
    #expect(document.edited([.init(range: 2..<3, lines: ["B"])]) == "a\r\nB\r\nc\r\nd")
    #expect(document.edited([.init(range: 2..<4, lines: [])]) == "a\r\nd")
    #expect(document.edited([.init(range: 3..<3, lines: ["new"])]) == "a\r\nb\r\nnew\r\nc\r\nd")
    #expect(
      document.edited([.init(range: 1..<2, lines: ["A"]), .init(range: 4..<5, lines: ["D", "E"])])
        == "A\r\nb\r\nc\r\nD\r\nE\r\n")
    #expect(document.edited([.init(range: 5..<5, lines: ["e"])]) == "a\r\nb\r\nc\r\nd\r\ne\r\n")
  }
}

extension String {
  fileprivate func replacingNewlines(with lineBreak: String) -> String {
    split(separator: "\n", omittingEmptySubsequences: false).joined(separator: lineBreak)
  }
}
