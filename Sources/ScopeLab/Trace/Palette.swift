/// ANSI colours for the trace, or none.
public struct Palette: Sendable, Equatable {
  public let enabled: Bool

  public init(enabled: Bool) {
    self.enabled = enabled
  }

  public static let plain = Palette(enabled: false)

  func dim(_ text: String) -> String { paint(text, "2") }
  func scope(_ text: String) -> String { paint(text, "36") }
  func warn(_ text: String) -> String { paint(text, "33") }
  func error(_ text: String) -> String { paint(text, "31") }
  func good(_ text: String) -> String { paint(text, "32") }
  func bold(_ text: String) -> String { paint(text, "1") }

  private func paint(_ text: String, _ code: String) -> String {
    enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
  }

  /// DESIGN.md's rule: colour only on a terminal whose `TERM` is not `dumb`, and only
  /// while `NO_COLOR` is unset - unless `--color always` or `never` says otherwise.
  public static func decide(
    choice: ColorChoice,
    isTerminal: Bool,
    environment: [String: String]
  ) -> Palette {
    switch choice {
    case .always: return Palette(enabled: true)
    case .never: return .plain
    case .auto:
      let term = environment["TERM"] ?? ""
      let noColor = environment["NO_COLOR"] != nil
      return Palette(enabled: isTerminal && term != "dumb" && !term.isEmpty && !noColor)
    }
  }
}

/// `--color auto|always|never`.
public enum ColorChoice: String, Sendable, CaseIterable {
  case auto, always, never
}
