import TestSupport
import Testing

@testable import ScopeLab

/// Text from outside - what the user typed, a file, a child's output - is shown escaped:
/// no control character and no bidirectional formatting character reaches the terminal
/// raw, so none can recolour, move the cursor or reorder what a line seems to say.
@Suite("Escaping what is quoted back")
struct EscapingTests {
  static let esc = "\u{1B}[31m"
  static let override = "\u{202E}"

  @Test(
    "bidirectional formatting characters are shown escaped, like controls",
    arguments: [
      0x061C, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068,
      0x2069, 0x1B, 0x7F, 0x9B, 0x2028,
    ] as [UInt32])
  func escapesFormattingCharacters(value: UInt32) throws {
    let scalar = try #require(Unicode.Scalar(value))
    let text = "a" + String(scalar) + "b"
    let hex = String(value, radix: 16, uppercase: true)
    for shown in [text.controlCharactersEscaped, text.controlCharactersEscapedButLineBreaks] {
      #expect(!shown.unicodeScalars.contains(scalar), "\(shown)")
      #expect(shown.hasPrefix("a\\u{") && shown.hasSuffix("}b"), "\(shown)")
      #expect(shown.uppercased().contains(hex), "\(shown)")
    }
  }

  @Test("other text is left as it is; a message keeps its line breaks and tabs")
  func leavesTextAlone() {
    let text = "caf\u{E9} \u{4E2D} \u{200D} \u{05D0}"  // a joiner and Hebrew are not controls
    #expect(text.controlCharactersEscaped == text)
    #expect("a\n\tb\u{1B}".controlCharactersEscapedButLineBreaks == "a\n\tb\\u{1B}")
    #expect("a\n\tb".controlCharactersEscaped == "a\\n\\tb")
  }

  @Test("a parse error shows its source line escaped, the caret under the escape")
  func parseErrorSourceLine() {
    do {
      _ = try Program(parsing: "sleeep \(Self.override)x")
      Issue.record("parsed")
    } catch {
      let lines = error.rendered.split(separator: "\n").map(String.init)
      #expect(lines.count == 3, "\(error.rendered)")
      #expect(!error.rendered.contains(Self.override))
      #expect(lines.dropFirst().first == " 1 | sleeep \\u{202E}x")
      #expect(lines.last == "   | ^")
    }
    do {
      _ = try Program(parsing: "print a\(Self.esc)b")
      Issue.record("parsed")
    } catch {
      let lines = error.rendered.split(separator: "\n").map(String.init)
      #expect(!error.rendered.contains("\u{1B}"))
      #expect(lines.dropFirst().first == " 1 | print a\\u{1B}[31mb")
      // Under the escape of the ESC, the first character after `print a`.
      #expect(lines.last == "   |        ^")
    }
  }

  @Test("code views write bidirectional characters in their literals escaped")
  func codeViewLiterals() throws {
    let program = try Program(parsing: "print a\(Self.override)b")
    let python = PythonView.render(program, parameters: .builtIn)
    let swift = SwiftView.render(program, parameters: .builtIn)
    #expect(!python.contains(Self.override) && python.contains("print(\"a\\u202eb\")"))
    #expect(!swift.contains(Self.override) && swift.contains("a\\u{202E}b"))
  }

  @Test(
    "session errors that quote the command show it escaped",
    arguments: [
      "lesson \(esc)x\(override)", "set \(esc)x\(override) 1", "set sleep \(esc)x\(override)",
      "\(esc)foo\(override)", "help \(esc)x\(override)", "run \(esc)x\(override)",
      "record /nonexistent/\(esc)\(override).md",
      "replay /nonexistent/\(esc)\(override).md", "print \(override)x",
    ])
  func sessionErrors(command: String) async {
    let harness = SessionHarness()
    let reply = await harness.execute(command)
    let shown = reply.output + reply.errors
    #expect(!shown.contains("\u{1B}") && !shown.contains(Self.override), "\(shown)")
    #expect(shown.contains("\\u{202E}"), "\(shown)")
  }
}

extension EscapingTests {
  @Test("a lesson file's text is shown with its bidirectional overrides escaped")
  func lessonText() async throws {
    let directory = try TemporaryDirectory(prefix: "scopelab-bidi")
    let override = Self.override
    try directory.write(
      "bidi.md",
      """
      ---
      id: bidi
      title: T\(override)x
      ---

      Intro \(override) text.

      ## Step \(override) one

      Some text \(override) here.

      ```scope
      print a\(override)b
      ```

      """)
    let harness = SessionHarness()
    let reply = await harness.execute("lesson \(directory.path)/bidi.md")
    #expect(reply.result == .done, "\(reply.errors)")
    #expect(!reply.output.contains(override), "\(reply.output)")
    #expect(reply.output.contains("Step \\u{202E} one"), "\(reply.output)")
    #expect(reply.output.contains("Some text \\u{202E} here."), "\(reply.output)")
    #expect(reply.output.contains("    print a\\u{202E}b"), "\(reply.output)")
    let run = await harness.execute("run")
    #expect(!run.output.contains(override) && run.output.contains("a\\u{202E}b"), "\(run.output)")
  }
}

extension EscapingTests {
  @Test("compare's rows and JSONL trace lines carry a bidirectional override escaped")
  func compareAndJSONL() throws {
    let row = CompareRow([
      "t": .number(0), "event": .string("print"), "text": .string("a\u{202E}b"),
    ])
    #expect(row.text == "0.000 print a\\u{202E}b")
    let line = JSONValue.quote("a\u{202E}b\u{1B}")
    #expect(line == "\"a\\u202eb\\u001b\"")
    #expect(try FlatJSON.parseObject("{\"text\": \(line)}")["text"]?.string == "a\u{202E}b\u{1B}")
  }
}
