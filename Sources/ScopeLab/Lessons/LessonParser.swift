import AsyncScope

/// Reads a lesson from its file: the front matter (`id`, `title`, `parameters`), the
/// introduction before the first `## ` step, and in each step its prose, its
/// ```` ```scope ```` program and its ```` ```step ```` block (settings, hints, exercise).
///
/// Every problem is one ``TranscriptError`` naming the file, the line and what is wrong;
/// the programs are parsed and checked against the lesson's parameters, so a lesson that
/// loads has programs that run.
enum LessonParser {
  /// The keys of a ```` ```step ```` block.
  static let stepKeys = [
    "id", "set", "hint", "predict", "look", "challenge", "outcome", "has", "lacks", "before",
    "time",
    "solution", "check",
  ]

  static func lesson(from document: TranscriptDocument) throws(TranscriptError) -> Lesson {
    let file = document.name
    func fail(_ line: Int?, _ message: String) -> TranscriptError {
      TranscriptError(file: file, line: line, message: message)
    }
    guard let frontMatter = document.frontMatter else {
      throw fail(1, "a lesson starts with a front matter: ---, id: ..., title: ..., ---")
    }
    let entry = { (key: String) in frontMatter.entries.first { $0.key == key } }
    for item in frontMatter.entries where !["id", "title", "parameters"].contains(item.key) {
      throw fail(
        item.lineNumber, "'\(item.key)' is not a lesson key (a lesson has id, title, parameters)")
    }
    guard let idEntry = entry("id") else { throw fail(1, "the front matter has no 'id'") }
    let id = idEntry.value
    guard Self.isID(id) else {
      throw fail(
        idEntry.lineNumber,
        "the id '\(id.echoedForError)' must be lowercase letters, digits and '-'")
    }
    guard let title = entry("title")?.value, !title.isEmpty else {
      throw fail(entry("title")?.lineNumber ?? 1, "the front matter has no 'title'")
    }
    var declared: [Lesson.Setting] = []
    if let parameters = entry("parameters") {
      do {
        declared = try settings(parameters.value, known: nil)
      } catch {
        throw fail(parameters.lineNumber, "parameters: \(error.message)")
      }
    }
    var parameters = Parameters.builtIn
    for setting in declared {
      parameters.declare(setting.name, default: setting.value, summary: "")
    }
    let bodyStart = (frontMatter.entries.last?.lineNumber ?? 0) + 2
    guard !document.headings.isEmpty else {
      // Where the steps should begin: the first line after the front matter.
      throw fail(
        min(bodyStart, document.lines.count), "a lesson has at least one step: a '## ' heading")
    }
    let firstHeading = document.headings[0].lineNumber
    var introduction = Array(
      document.lines[min(bodyStart - 1, firstHeading - 1)..<(firstHeading - 1)])
    if let first = introduction.firstIndex(where: { !$0.trimmingSpaces().isEmpty }),
      introduction[first].hasPrefix("# ")
    {
      introduction.remove(at: first)
    }
    if let stray = Self.afterRunHeadings(in: document, lines: 1..<firstHeading).first {
      throw fail(stray, "'\(Self.afterRunHeading)' belongs in a step, after a '## ' heading")
    }
    var steps: [LessonStep] = []
    for (index, heading) in document.headings.enumerated() {
      let end =
        index + 1 < document.headings.count
        ? document.headings[index + 1].lineNumber : document.lines.count + 1
      guard !heading.title.isEmpty else { throw fail(heading.lineNumber, "a step needs a title") }
      steps.append(
        try step(
          heading, lines: (heading.lineNumber + 1)..<end, in: document, parameters: parameters))
    }
    steps = try Self.withUniqueIDs(steps, in: document)
    for block in document.blocks where block.openingLine < firstHeading {
      throw fail(block.openingLine, "an example block belongs in a step, after a '## ' heading")
    }
    return Lesson(
      id: id, title: title, source: file, parameters: declared,
      introduction: trimmedBlankLines(introduction), steps: steps, document: document)
  }

  /// One step: the lines after its heading, up to the next.
  private static func step(
    _ heading: TranscriptDocument.Heading, lines range: Range<Int>, in document: TranscriptDocument,
    parameters: Parameters
  ) throws(TranscriptError) -> LessonStep {
    func fail(_ line: Int, _ message: String) -> TranscriptError {
      TranscriptError(file: document.name, line: line, message: message)
    }
    var prose: [String] = []
    var program: (text: String, line: Int)?
    // Real code instead of a ```scope program: ```python starter (or swift), and its
    // solution, which is never shown.
    var starter: StepCode?
    var solution: StepCode?
    var proseBefore: [String]?
    var meta: [(key: String, value: String, line: Int)] = []
    var metaLine: Int?
    // `### After the run`: its line, and the prose after it (not shown until a run).
    var afterRunLine: Int?
    var afterRun: [String] = []
    var number = range.lowerBound
    while number < range.upperBound {
      let line = document.line(number)
      if Self.isAfterRunHeading(line) {
        if let afterRunLine {
          throw fail(
            number,
            "a step has one '\(Self.afterRunHeading)'; the first is at line \(afterRunLine)")
        }
        afterRunLine = number
        number += 1
        continue
      }
      guard let fence = TranscriptParser.Fence(opening: line),
        ["scope", "step", "scopelab"].contains(fence.info) || StepCode.block(fence.info) != nil
      else {
        // Prose, a fenced block of it whole: nothing inside a fence is a heading.
        var lines = [line]
        number += 1
        if let fence = TranscriptParser.Fence(opening: line) {
          while number < range.upperBound {
            let inside = document.line(number)
            lines.append(inside)
            number += 1
            if fence.isClosed(by: inside) { break }
          }
        }
        if afterRunLine == nil { prose += lines } else { afterRun += lines }
        continue
      }
      let opening = number
      // The program is shown before the after-run text: it cannot come after it. The
      // step and example blocks are never shown, so they may be anywhere.
      let isStarter = StepCode.block(fence.info)?.1 == .starter
      if fence.info == "scope" || isStarter, let afterRunLine {
        throw fail(
          opening,
          "the ```\(fence.info) program comes before '\(Self.afterRunHeading)' (line \(afterRunLine)):"
            + " the text after that heading is shown only after a run")
      }
      var body: [String] = []
      number += 1
      let info = fence.info
      while number < range.upperBound, !fence.isClosed(by: document.line(number)) {
        body.append(document.line(number))
        number += 1
      }
      guard number < range.upperBound else {
        throw fail(opening, "the ```\(info) block opened here is not closed within its step")
      }
      number += 1
      if let (language, role) = StepCode.block(info) {
        let text = body.joined(separator: "\n").trimmingSpaces()
        guard !text.isEmpty else { throw fail(opening, "the ```\(info) block is empty") }
        let code = StepCode(language: language, text: text, line: opening)
        switch role {
        case .starter:
          guard program == nil, starter == nil else {
            throw fail(
              opening, "a step has one program (```scope or ```\(info)); this is a second")
          }
          starter = code
          proseBefore = prose
          prose = []
        case .solution:
          guard solution == nil else {
            throw fail(opening, "a step has one ```\(info) block; this is a second")
          }
          solution = code
        }
        continue
      }
      switch info {
      case "scope":
        guard program == nil else {
          throw fail(opening, "a step has one ```scope program; this is a second")
        }
        guard starter == nil else {
          throw fail(
            opening, "a step has one program (```scope or a starter): it has a starter already")
        }
        let text = body.joined(separator: "\n").trimmingSpaces()
        guard !text.isEmpty else { throw fail(opening, "the ```scope block is empty") }
        program = (text, opening + 1)
        proseBefore = prose
        prose = []
      case "step":
        if let metaLine {
          throw fail(opening, "a step has one ```step block; the first is at line \(metaLine)")
        }
        metaLine = opening
        for (offset, text) in body.enumerated() where !text.trimmingSpaces().isEmpty {
          let line = opening + 1 + offset
          guard let colon = text.firstIndex(of: ":") else {
            throw fail(
              line, "a ```step line is 'key: value' (keys: \(stepKeys.joined(separator: ", ")))")
          }
          let key = String(text[..<colon]).trimmingSpaces()
          guard stepKeys.contains(key) else {
            let hint = Suggestion.nearest(to: key, in: stepKeys).map { " - did you mean '\($0)'?" }
            throw fail(
              line,
              "'\(key.echoedForError)' is not a step key\(hint ?? "") (keys: \(stepKeys.joined(separator: ", ")))"
            )
          }
          let value = String(text[text.index(after: colon)...]).trimmingSpaces()
          guard !value.isEmpty else { throw fail(line, "'\(key)' needs a value") }
          meta.append((key, value, line))
        }
      default:
        break
      }
    }
    for key in ["id", "set", "predict", "look", "challenge", "outcome", "solution", "check"] {
      let given = meta.filter { $0.key == key }
      if given.count > 1 { throw fail(given[1].line, "'\(key)' is given twice in this step") }
    }
    var settings: [Lesson.Setting] = []
    var stepParameters = parameters
    if let set = meta.first(where: { $0.key == "set" }) {
      do {
        settings = try Self.settings(set.value, known: parameters)
      } catch {
        throw fail(set.line, "set: \(error.message)")
      }
      for setting in settings {
        stepParameters.declare(setting.name, default: setting.value, summary: "")
      }
    }
    if let program {
      try check(program.text, line: program.line, parameters: stepParameters, in: document.name)
    }
    let hints = meta.filter { $0.key == "hint" }.map(\.value)
    let check = try Self.realCode(
      starter: starter, solution: solution, meta: meta, in: document.name)
    let exercise = try Self.exercise(
      meta, program: program?.text, parameters: stepParameters, in: document.name,
      line: metaLine ?? heading.lineNumber, check: check)
    var id = Self.slug(heading.title)
    if let given = meta.first(where: { $0.key == "id" }) {
      guard Self.isID(given.value) else {
        throw fail(
          given.line,
          "a step's id is lowercase letters, digits and '-', not '\(given.value.echoedForError)'")
      }
      id = given.value
    }
    return LessonStep(
      id: id, title: heading.title, lineNumber: heading.lineNumber,
      prose: trimmedBlankLines(proseBefore ?? prose),
      afterProgram: proseBefore == nil ? [] : trimmedBlankLines(prose),
      afterRun: trimmedBlankLines(afterRun), program: program?.text, settings: settings,
      hints: hints, exercise: exercise, starter: starter, solution: solution, check: check)
  }

  /// The lines in `range` that are ``afterRunHeading``, outside fenced blocks.
  static func afterRunHeadings(in document: TranscriptDocument, lines range: Range<Int>) -> [Int] {
    document.linesOutsideFences(range).filter { isAfterRunHeading($0.text) }.map(\.number)
  }

  /// The line that starts a step's after-run text (Lessons/README.md).
  static let afterRunHeading = "### After the run"

  /// Whether `line` is ``afterRunHeading`` (trailing spaces allowed).
  static func isAfterRunHeading(_ line: String) -> Bool {
    line.trimmingTrailingSpaces() == afterRunHeading
  }

  static func isID(_ text: String) -> Bool {
    !text.isEmpty
      && text.unicodeScalars.allSatisfy {
        ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-"
      }
  }

  /// `ok`, `TimeoutError`, `KeyboardInterrupt`, `SIGTERM`: a word of letters and digits.
  static func isOutcomeName(_ text: String) -> Bool {
    guard let first = text.unicodeScalars.first, first.properties.isAlphabetic else { return false }
    return text.unicodeScalars.allSatisfy {
      $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_"
    }
  }

  private static func trimmedBlankLines(_ lines: [String]) -> [String] {
    var lines = lines
    while lines.first?.trimmingSpaces().isEmpty == true { lines.removeFirst() }
    while lines.last?.trimmingSpaces().isEmpty == true { lines.removeLast() }
    return lines
  }
}
