import Lessons
import LineEditor
import Testing

@testable import ScopeLab

/// Files from strangers and odd input never crash or hang the readers: a mutated lesson or
/// transcript reads as a document (and a lesson) or fails with one error naming the file
/// and a line in it; random continuation input always comes back as whole commands, each
/// made of consecutive input lines, and then the end. Seeds are fixed, so a failure
/// reproduces; the case counts keep the suite to seconds.
@Suite("Fuzz: lesson, transcript and continuation readers", .timeLimit(.minutes(2)))
struct InputFuzzTests {
  /// Lines that mean something to the readers, and some that mean trouble.
  static let lines = [
    "---", "id: x", "title: T", "parameters: sleep=1s", "set: sleep=2s", "## Step", "# Title",
    "```scope", "```scopelab", "```", "scopelab> run", "scopelab> print hi", "...> }",
    "scopelab x 1/2> run", "% wait: 1.5s", "% wait: -1s", "% pause", "%% literal", "...",
    "  0.000s  => ok", "expect: fired timeout", "outcome: ok", "look: x", "lacks: print a",
    "solution: sleep 1", "timeout 1 { sleep 2 }", "scope A(suppress) {", "}", "", "\t",
    "\u{1B}[31m", "\u{202E}x", "\u{0}", "caf\u{E9}", "key: value: more", "id: Bad ID",
  ]

  /// `text` changed in one to three random ways: lines deleted, doubled, swapped or
  /// inserted, a character replaced, the text cut short.
  static func mutated(_ text: String, _ random: inout SeededRandom) -> String {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    for _ in 0..<Int.random(in: 1...3, using: &random) {
      let index = Int.random(in: 0..<max(1, lines.count), using: &random)
      switch Int.random(in: 0..<7, using: &random) {
      case 0 where !lines.isEmpty: lines.remove(at: index)
      case 1 where !lines.isEmpty: lines.insert(lines[index], at: index)
      case 2 where lines.count > 1:
        lines.swapAt(index, Int.random(in: 0..<lines.count, using: &random))
      case 3:
        lines.insert(Self.lines[Int.random(in: 0..<Self.lines.count, using: &random)], at: index)
      case 4 where !lines.isEmpty && !lines[index].isEmpty:
        var characters = Array(lines[index])
        let replacement: [Character] = ["{", "}", "\"", "'", "\\", "$", "#", "\r", ":", "\u{7F}"]
        characters[Int.random(in: 0..<characters.count, using: &random)] =
          replacement[Int.random(in: 0..<replacement.count, using: &random)]
        lines[index] = String(characters)
      case 5:
        let cut = Int.random(in: 0...lines.joined(separator: "\n").count, using: &random)
        return String(lines.joined(separator: "\n").prefix(cut))
      default:
        lines.insert(Self.lines[Int.random(in: 0..<Self.lines.count, using: &random)], at: 0)
      }
    }
    return lines.joined(separator: "\n")
  }

  /// Reads `text` as a transcript and, when it is one, as a lesson; an error must name
  /// the file and a line of it. Returns whether it read as a lesson.
  @discardableResult
  static func read(_ text: String) -> Bool {
    let name = "fuzz.md"
    let lineCount = 1 + text.unicodeScalars.count { $0 == "\n" }  // "\r\n" is one Character
    func checkError(_ error: TranscriptError) {
      #expect(error.file == name)
      #expect(error.line.map { (1...lineCount + 1).contains($0) } == true, "\(error)\n\(text)")
      #expect(!error.description.contains("\n"), "\(error)")
    }
    do {
      let document = try TranscriptDocument(parsing: text, name: name)
      #expect(document.text == text, "a document gives back its text")
      guard Lesson.isLesson(document) else { return false }
      _ = try LessonParser.lesson(from: document)
      return true
    } catch {
      checkError(error)
      return false
    }
  }

  @Test("mutated lesson files read as a lesson or fail with file:line")
  func mutatedLessons() {
    var random = SeededRandom(seed: 151)
    var lessons = 0
    var total = 0
    for file in LessonFiles.all {
      #expect(Self.read(file.text), "\(file.name) itself reads as a lesson")
      for _ in 0..<60 {
        if Self.read(Self.mutated(file.text, &random)) { lessons += 1 }
        total += 1
      }
    }
    // Both paths are exercised: some mutants are still lessons, many are errors.
    #expect(lessons > 10 && lessons < total, "\(lessons) of \(total)")
  }

  @Test("mutated transcripts read as a document or fail with file:line")
  func mutatedTranscripts() {
    let transcript = """
      ---
      scopelab: transcript
      set: sleep=2s
      ---

      ```scopelab
      scopelab> run timeout 1 {
      ...>   sleep $sleep
      ...> }
        0.000s  enter timeout#1
      ...
      % wait: 0.5s
      scopelab> print %% done
      %% done
      ```

      """
    var random = SeededRandom(seed: 152)
    for _ in 0..<400 {
      Self.read(Self.mutated(transcript, &random))
    }
  }

  @Test("random text read as a transcript fails or reads, never crashes")
  func randomTranscriptText() {
    var random = SeededRandom(seed: 153)
    for _ in 0..<300 {
      let count = Int.random(in: 0...12, using: &random)
      let text = (0..<count).map { _ in
        Self.lines[Int.random(in: 0..<Self.lines.count, using: &random)]
      }.joined(separator: Bool.random(using: &random) ? "\n" : "\r\n")
      Self.read(text)
    }
  }

  // MARK: - Continuation input

  static let fragments = [
    "run", "timeout 1", "scope A", "scope A(", "suppress,", ")", "{", "}", "try {", "catch",
    "catch KeyError {", "print", "'", "\"", "\\", "${sleep}", "$", "#", ",", ";", "group {",
    "task {", "sleep 0", "x", " ", "help", "# {", "\"a\\", "'{'",
  ]

  @Test("random continuation input comes back as whole commands of consecutive lines")
  func continuationInput() async {
    var random = SeededRandom(seed: 154)
    let completion = SessionCompletion(parameterNames: Parameters.builtIn.order)
    for _ in 0..<1_000 {
      var inputs: [LineInput] = []
      for _ in 0..<Int.random(in: 0...12, using: &random) {
        switch Int.random(in: 0..<20, using: &random) {
        case 0: inputs.append(.interrupted)
        case 1: inputs.append(.invalid(InvalidLine(.containsNUL, lineNumber: inputs.count + 1)))
        default:
          let line = (0..<Int.random(in: 0...4, using: &random)).map { _ in
            Self.fragments[Int.random(in: 0..<Self.fragments.count, using: &random)]
          }.joined(separator: Bool.random(using: &random) ? " " : "")
          inputs.append(.line(line))
        }
      }
      let lines = inputs.compactMap { input -> String? in
        if case .line(let line) = input { return line }
        return nil
      }
      var reader = CommandReader(reader: ScriptedLineReader(inputs: inputs), showsPrompt: false)
      var cursor = 0
      var calls = 0
      reading: while true {
        calls += 1
        guard calls <= inputs.count + 2 else {
          Issue.record("more results than inputs: \(inputs)")
          break
        }
        switch await reader.next(prompt: "> ", completion: completion) {
        case .ended(let unfinished):
          if let unfinished { #expect(unfinished.hasPrefix("the input ended ")) }
          break reading
        case .command(let text, _):
          let typed = reader.lastTyped.lines
          #expect(typed.joined(separator: "\n") == text)
          // The command's lines are the next ones of the input, after any dropped ones.
          guard
            let start = (cursor..<max(cursor, lines.count)).first(where: { start in
              start + typed.count <= lines.count
                && Array(lines[start..<(start + typed.count)]) == typed
            })
          else {
            Issue.record("\(typed) is not a run of the input after line \(cursor): \(inputs)")
            break reading
          }
          cursor = start + typed.count
        case .interrupted, .invalid:
          continue
        }
      }
    }
  }

  @Test("the scanner takes any line; whatever it leaves open it can name")
  func scannerTakesAnything() {
    var random = SeededRandom(seed: 155)
    for _ in 0..<2_000 {
      var scanner = ContinuationScanner()
      for number in 1...Int.random(in: 1...5, using: &random) {
        let count = Int.random(in: 0...30, using: &random)
        let bytes = (0..<count).map { _ in UInt8.random(in: 0...127, using: &random) }
        scanner.scan(String(decoding: bytes, as: UTF8.self), lineNumber: number)
      }
      #expect(scanner.isComplete == (scanner.unfinished == nil))
    }
  }
}
