import AsyncScope
import Lessons

/// A rule every run keeps, as `Lessons/rules.md` states it and `why`, the audit and the
/// lessons cite it: `TO3 - When the result is TimeoutError`.
public struct Rule: Sendable, Equatable {
  /// `TO3`, `W4`, `PR2`, `REPL1`, `RUNNER`.
  public let code: String
  public let title: String
  /// The rule in words, one paragraph.
  public let text: String
  /// The group it belongs to: `TO: the timeout scope`.
  public let group: String

  /// Every rule, in the document's order.
  public static let all: [Rule] = parse(LessonFiles.rules)

  /// The rule with `code` (any case: `to3` is TO3).
  public static func named(_ code: String) -> Rule? {
    all.first { $0.code.lowercased() == code.lowercased() }
  }

  /// `### CODE - Title` headings under `## Group` headings, each followed by its text.
  static func parse(_ document: String) -> [Rule] {
    var rules: [Rule] = []
    var group = ""
    var current: (code: String, title: String, lines: [String])?
    func finish() {
      guard let rule = current else { return }
      let text = rule.lines.joined(separator: " ").trimmingSpaces()
      rules.append(Rule(code: rule.code, title: rule.title, text: text, group: group))
      current = nil
    }
    for line in document.split(separator: "\n", omittingEmptySubsequences: false) {
      if line.hasPrefix("### ") {
        finish()
        let heading = String(line.dropFirst(4))
        guard let dash = heading.firstRange(of: " - ") else { continue }
        current = (String(heading[..<dash.lowerBound]), String(heading[dash.upperBound...]), [])
      } else if line.hasPrefix("## ") {
        finish()
        group = String(line.dropFirst(3))
      } else if current != nil {
        current?.lines.append(String(line))
      }
    }
    finish()
    return rules
  }

  /// What `help CODE` prints: the code and title, then the text indented by two spaces,
  /// on one line for the screen to wrap (``TextLayout``); its Markdown rendered with
  /// `palette`.
  public func explanation(palette: Palette = .plain) -> String {
    "\(code) - \(title)\n  " + ProseMarkdown.inline(text, palette: palette) + "\n"
  }

  /// What `rules` prints: each group, then a line per rule.
  public static var list: String {
    let width = all.map(\.code.count).max() ?? 0
    var text = ""
    var group = ""
    for rule in all {
      if rule.group != group {
        group = rule.group
        text += group + "\n"
      }
      text += "  " + rule.code.padded(to: width) + "  " + rule.title + "\n"
    }
    return text + "'help CODE' explains one (help TO3).\n"
  }
}
