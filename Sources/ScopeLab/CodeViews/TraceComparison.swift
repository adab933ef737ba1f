/// One trace event as `compare` shows and compares it.
public struct CompareRow: Sendable, Equatable {
  public var time: Double?
  public var name: String
  public var id: String
  /// The error (for the events that carry one), a print's text, or a result's outcome.
  public var detail: String?
  /// What is compared: the name, id, error, printed text, outcome and value; not the time.
  public var key: String

  public init(_ fields: [String: FlatJSON.Value]) {
    time = fields["t"]?.number
    name = fields["event"]?.string ?? "?"
    id = fields["id"]?.string ?? ""
    var parts = [name, id]
    switch name {
    case "exit", "exit-done", "enter-failed", "suppressed":
      detail = fields["error"]?.string
      parts.append(detail ?? "nil")
    case "print":
      detail = fields["text"]?.string ?? ""
      parts.append(detail ?? "")
    case "result":
      detail = fields["outcome"]?.string
      parts += [detail ?? "nil", fields["value"]?.string ?? "nil"]
    default:
      detail = nil
    }
    key = parts.joined(separator: " ")
  }

  /// `t event id [error]`, the time to the millisecond.
  public var text: String {
    let milliseconds = Int(((time ?? 0) * 1000).rounded())
    let fraction = String(milliseconds % 1000)
    let stamp =
      "\(milliseconds / 1000)." + String(repeating: "0", count: 3 - fraction.count)
      + fraction
    return ([stamp, name, id] + (detail.map { [$0] } ?? [])).filter { !$0.isEmpty }
      .joined(separator: " ")
  }
}

/// Two traces of one program, row by row.
public struct TraceComparison: Sendable {
  public var scopelab: [CompareRow]
  public var python: [CompareRow]
  public var differences: [KnownDifference]

  public init(scopelab: [CompareRow], python: [CompareRow], differences: [KnownDifference]) {
    self.scopelab = scopelab
    self.python = python
    self.differences = differences
  }

  /// The first row where the traces differ, if any.
  public var firstDifference: Int? {
    let count = max(scopelab.count, python.count)
    return (0..<count).first { index in
      index >= scopelab.count || index >= python.count
        || scopelab[index].key != python[index].key
    }
  }

  /// The table, then `notes` (one line each), the known differences, and the verdict:
  /// `agree` or `differ: ...` (none if `verdict` is false: the runs were interrupted); at
  /// most 80 columns.
  public func render(notes: [String] = [], verdict: Bool = true) -> String {
    let width = 37
    var lines = ["   " + Self.fit("scopelab", width) + "  " + "python"]
    let first = verdict ? firstDifference : nil
    for index in 0..<max(scopelab.count, python.count) {
      let left = index < scopelab.count ? scopelab[index].text : ""
      let right = index < python.count ? python[index].text : ""
      let marker = index == first ? ">> " : "   "
      lines.append(marker + Self.fit(left, width) + "  " + Self.fit(right, 38, pad: false))
    }
    for note in notes { lines += Self.wrap(note) }
    guard verdict else { return lines.joined(separator: "\n") + "\n" }
    for difference in differences {
      lines += Self.wrap("known difference \(difference.rawValue): \(difference.explanation)")
    }
    if let first {
      let known =
        differences.isEmpty
        ? "no known difference applies"
        : "known: " + differences.map(\.rawValue).joined(separator: ", ")
      lines.append("differ: first at event \(first + 1) (\(known))")
    } else {
      lines.append("agree")
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// `text` in lines of at most `width` characters, broken at spaces, the rest indented.
  static func wrap(_ text: String, width: Int = 80) -> [String] {
    var lines: [String] = []
    var line = ""
    for word in text.split(separator: " ") {
      if !line.isEmpty && line.count + 1 + word.count > width {
        lines.append(line)
        line = "    " + word
      } else {
        line += (line.isEmpty ? "" : " ") + word
      }
    }
    if !line.isEmpty { lines.append(line) }
    return lines
  }

  /// `text` cut to `width` characters (the last one `…`), padded to it if `pad`.
  static func fit(_ text: String, _ width: Int, pad: Bool = true) -> String {
    if text.count > width { return String(text.prefix(width - 1)) + "…" }
    return pad ? text + String(repeating: " ", count: width - text.count) : text
  }
}

extension KnownDifference {
  /// The differences that apply to `program`, by simple rules on its statements (and
  /// on Python's outcome): `busy` inside a timeout or a failing group, any group, ...
  public static func applying(to program: Program, python: [CompareRow] = [])
    -> [KnownDifference]
  {
    var found = Set<KnownDifference>()
    func throwsAnywhere(_ statements: [Statement]) -> Bool {
      statements.contains { statement in
        switch statement.kind {
        case .throwError: true
        case .scope(let scope): throwsAnywhere(scope.body.statements)
        case .task(let body): throwsAnywhere(body.statements)
        case .tryCatch(let tryStatement):
          tryStatement.catches.contains {
            throwsAnywhere($0.body.statements)
          }
        default: false
        }
      }
    }
    func look(_ statements: [Statement], inTimeout: Bool, inFailingGroup: Bool) {
      var taskBefore = false
      for statement in statements {
        switch statement.kind {
        case .busy:
          if inTimeout || inFailingGroup { found.insert(.busyBlocksTheLoop) }
          if taskBefore { found.insert(.taskStartsLater) }
        case .print, .throwError:
          if taskBefore { found.insert(.taskStartsLater) }
        case .sleep, .wait:
          taskBefore = false
        case .scope(let scope):
          if taskBefore { found.insert(.taskStartsLater) }
          var timeout = inTimeout
          var failing = inFailingGroup
          for header in scope.headers {
            if case .timeout = header.kind { timeout = true }
            if case .group = header.kind {
              found.insert(.exitOrder)
              if throwsAnywhere(scope.body.statements) {
                failing = true
                found.insert(.exceptionGroup)
              }
            }
          }
          look(scope.body.statements, inTimeout: timeout, inFailingGroup: failing)
        case .task(let body):
          taskBefore = true
          look(body.statements, inTimeout: inTimeout, inFailingGroup: inFailingGroup)
        case .tryCatch(let tryStatement):
          look(tryStatement.body.statements, inTimeout: inTimeout, inFailingGroup: inFailingGroup)
          for clause in tryStatement.catches {
            look(clause.body.statements, inTimeout: inTimeout, inFailingGroup: inFailingGroup)
          }
        default:
          break
        }
      }
    }
    look(program.statements, inTimeout: false, inFailingGroup: false)
    if python.contains(where: { $0.detail == "ExceptionGroup" }) { found.insert(.exceptionGroup) }
    return allCases.filter(found.contains)
  }
}
