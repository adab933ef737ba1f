import Testing

@testable import ScopeLab

/// Arbitrary input never crashes the parser: it parses, or fails with an error whose
/// position is inside the input. Parsed programs print back to text that parses to the
/// same program. Seeds are fixed, so a failure reproduces.
@Suite struct ParserFuzzTests {
  static let validPrograms = [
    "timeout 2 { sleep 1; print \"done\" }; print \"after\"",
    "timeout $timeout { sleep $sleep; print \"done\" }; print \"after\"",
    "runner { sleep 0.5 }",
    "process sh -c \"echo hi; exit 3\" { wait }",
    "timeout 0.5 { runner { process sleep 10 { wait } } }",
    "scope A { scope B { print body } }",
    "try { timeout 1 { sleep 3 } } catch TimeoutError { print caught }",
    "scope A(suppress, slow-exit=0.5), scope B(throw-exit) {\n  throw KeyError # boom\n}",
    "try {\n  process sh -c 'kill -9 $$' { wait }\n} catch KeyError { return 1 }\ncatch { }",
    "timeout 5 { reschedule ${sleep}ms; busy 0; print a\\ b \"c\\\"d\" 'e$f' }",
  ]

  static let tokens = [
    "timeout", "runner", "process", "scope", "sleep", "busy", "print", "throw", "try", "catch",
    "return", "wait", "reschedule", "{", "}", "(", ")", ",", ";", "\n", "\r\n", " ", "\t", "$x",
    "${y}", "${", "$$", "$", "'", "\"", "\\", "#c", "1", "0.5", "inf", "nan", "-1", "500ms", "A",
    "suppress", "fail-enter", "throw-exit", "slow-exit=1", "slow-enter=", "=", "\u{00E9}",
    "\u{0}", "\u{7F}", "KeyError",
  ]

  // MARK: - Never crashes

  @Test func randomBytes() {
    var random = SeededRandom(seed: 1)
    for _ in 0..<2_000 {
      let count = Int.random(in: 0...80, using: &random)
      let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }
      check(String(decoding: bytes, as: UTF8.self))
    }
  }

  @Test func randomPrintableText() {
    var random = SeededRandom(seed: 2)
    let alphabet = Array(" \n\t{}();,$'\"\\#=-.abcsz019")
    for _ in 0..<2_000 {
      let count = Int.random(in: 0...60, using: &random)
      check(
        String(
          (0..<count).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &random)] }))
    }
  }

  @Test func tokenSoup() {
    var random = SeededRandom(seed: 3)
    var parsedCount = 0
    for _ in 0..<3_000 {
      let count = Int.random(in: 0...30, using: &random)
      var source = ""
      for _ in 0..<count {
        source += Self.tokens[Int.random(in: 0..<Self.tokens.count, using: &random)]
        if Int.random(in: 0..<3, using: &random) > 0 { source += " " }
      }
      if check(source) { parsedCount += 1 }
    }
    // Both paths are exercised: some soups are programs, most are errors.
    #expect(parsedCount > 30)
    #expect(parsedCount < 2_000)
  }

  @Test func truncationsOfValidPrograms() {
    for program in Self.validPrograms {
      let characters = Array(program)
      for end in 0...characters.count {
        check(String(characters[..<end]))
        check(String(characters[end...]))
      }
    }
  }

  @Test func mutationsOfValidPrograms() {
    var random = SeededRandom(seed: 4)
    var parsedCount = 0
    let pieces = Self.tokens
    for _ in 0..<3_000 {
      var characters = Array(
        Self.validPrograms[Int.random(in: 0..<Self.validPrograms.count, using: &random)])
      for _ in 0..<Int.random(in: 1...4, using: &random) {
        let index = Int.random(in: 0...characters.count, using: &random)
        switch Int.random(in: 0..<3, using: &random) {
        case 0 where index < characters.count:
          characters.remove(at: index)
        case 1:
          characters.insert(
            contentsOf: pieces[Int.random(in: 0..<pieces.count, using: &random)], at: index)
        default:
          if index < characters.count {
            characters[index] =
              Array(pieces[Int.random(in: 0..<pieces.count, using: &random)]).first ?? " "
          }
        }
      }
      if check(String(characters)) { parsedCount += 1 }
    }
    #expect(parsedCount > 300)
    #expect(parsedCount < 2_700)
  }

  // MARK: - Round trip

  @Test func generatedProgramsRoundTrip() {
    var generator = ParserProgramGenerator(seed: 5)
    for _ in 0..<1_500 {
      let program = generator.program()
      for layout in [ProgramPrinter.Layout.multiline, .singleLine] {
        let text = program.formatted(layout)
        do throws(ProgramError) {
          let reparsed = try Program(parsing: text)
          #expect(reparsed.erasingPositions() == program, "\(text)")
        } catch {
          Issue.record("printed program does not parse:\n\(text)\n\(error.rendered)")
        }
      }
    }
  }

  @Test(arguments: validPrograms)
  func validProgramsRoundTrip(source: String) throws {
    let program = try #require(parsed(source))
    for layout in [ProgramPrinter.Layout.multiline, .singleLine] {
      let reparsed = try #require(parsed(program.formatted(layout)))
      #expect(reparsed.erasingPositions() == program.erasingPositions())
      #expect(reparsed.formatted(layout) == program.formatted(layout))
    }
  }

  // MARK: - The property

  /// Parses `source`: an error must point inside it and render with a caret; a program
  /// must survive printing and parsing again.
  @discardableResult
  private func check(_ source: String, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
    do throws(ProgramError) {
      let program = try Program(parsing: source)
      let text = program.formatted(.singleLine)
      do throws(ProgramError) {
        let reparsed = try Program(parsing: text)
        #expect(
          reparsed.erasingPositions() == program.erasingPositions(),
          "\(source.debugDescription) printed as \(text.debugDescription)",
          sourceLocation: sourceLocation)
      } catch {
        Issue.record(
          "\(source.debugDescription) printed as \(text.debugDescription), which fails: \(error)",
          sourceLocation: sourceLocation)
      }
      return true
    } catch {
      let lines = Self.lines(of: source)
      let valid =
        error.line >= 1 && error.line <= lines.count && error.column >= 1
        && error.column <= lines[error.line - 1].count + 1
      #expect(
        valid, "\(source.debugDescription): \(error.position)", sourceLocation: sourceLocation)
      #expect(
        error.sourceLine == lines[min(max(error.line, 1), lines.count) - 1],
        sourceLocation: sourceLocation)
      let rendered = error.rendered
      // Three lines - message, source line, caret - whatever the message quotes.
      #expect(
        rendered.hasPrefix("error: \(error.message.controlCharactersEscaped)\n"),
        sourceLocation: sourceLocation)
      #expect(rendered.split(separator: "\n").count == 3, sourceLocation: sourceLocation)
      #expect(rendered.hasSuffix("^"), sourceLocation: sourceLocation)
      #expect(!error.message.isEmpty, sourceLocation: sourceLocation)
      return false
    }
  }

  /// The lines of `source` as the parser counts them (`\n`, `\r\n`, `\r` end a line).
  private static func lines(of source: String) -> [String] {
    var lines = [""]
    for character in source {
      if SourceLines.isLineBreak(character) {
        lines.append("")
      } else {
        lines[lines.count - 1].append(character)
      }
    }
    return lines
  }
}
