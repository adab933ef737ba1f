/// Writes a ``Program`` back as canonical source text (for `show` and for tests).
///
/// Parsing the printed text gives the same program again (positions aside). Comments
/// and the original quoting are not kept: words are printed by ``Word/description``.
public struct ProgramPrinter: Sendable {
  /// How statements are laid out.
  public enum Layout: Sendable, Equatable {
    /// One statement per line, blocks indented by two spaces.
    case multiline
    /// Everything on one line: `timeout 2 { sleep 1; print done }; print after`.
    case singleLine
  }

  /// How statements are laid out.
  public var layout: Layout

  /// A printer using `layout`.
  public init(layout: Layout) {
    self.layout = layout
  }

  /// The whole program.
  public func program(_ program: Program) -> String {
    statements(program.statements, indent: "")
  }

  /// One statement, as it would start a line at `indent`.
  public func statement(_ statement: Statement, indent: String = "") -> String {
    switch statement.kind {
    case .scope(let scope):
      let headers = scope.headers.map(Self.header).joined(separator: ", ")
      return headers + " " + block(scope.body, indent: indent)
    case .sleep(let duration):
      return "sleep \(duration)"
    case .busy(let duration):
      return "busy \(duration)"
    case .reschedule(let duration):
      return "reschedule \(duration)"
    case .print(let words):
      return (["print"] + words.map(\.description)).joined(separator: " ")
    case .throwError(let name):
      return "throw \(name)"
    case .returnValue(let value):
      return value.map { "return \($0)" } ?? "return"
    case .wait:
      return "wait"
    case .task(let body):
      return "task " + block(body, indent: indent)
    case .tryCatch(let tryStatement):
      var text = "try " + block(tryStatement.body, indent: indent)
      for clause in tryStatement.catches {
        text += clause.errorName.map { " catch \($0) " } ?? " catch "
        text += block(clause.body, indent: indent)
      }
      return text
    }
  }

  /// A scope header: `timeout 2`, `runner`, `process sh -c "exit 3"`, `scope A(suppress)`.
  public static func header(_ header: ScopeHeader) -> String {
    switch header.kind {
    case .timeout(let duration):
      return "timeout \(duration)"
    case .runner:
      return "runner"
    case .group:
      return "group"
    case .process(let arguments):
      return (["process"] + arguments.map(\.description)).joined(separator: " ")
    case .named(let name, let options):
      guard !options.isEmpty else { return "scope \(name)" }
      return "scope \(name)(" + options.map(Self.option).joined(separator: ", ") + ")"
    }
  }

  private static func option(_ option: ScopeOption) -> String {
    switch option.kind {
    case .suppress, .failEnter, .throwExit: option.name
    case .slowEnter(let duration), .slowExit(let duration): "\(option.name)=\(duration)"
    }
  }

  private func statements(_ statements: [Statement], indent: String) -> String {
    let separator = layout == .multiline ? "\n" + indent : "; "
    return statements.map { statement($0, indent: indent) }.joined(separator: separator)
  }

  private func block(_ block: Block, indent: String) -> String {
    guard !block.statements.isEmpty else { return "{ }" }
    switch layout {
    case .singleLine:
      return "{ " + statements(block.statements, indent: indent) + " }"
    case .multiline:
      let inner = indent + "  "
      return "{\n" + inner + statements(block.statements, indent: inner) + "\n" + indent + "}"
    }
  }
}
