import AsyncScope
import Lessons

/// A transcript is someone else's code: what replaying it would do beyond running scopes.
///
/// Replaying a file that starts processes (a `process` scope anywhere in a command's
/// program), writes files (`record`) or replays other files lists those commands and asks
/// first (DESIGN.md). Nothing is ever run through a shell: a process's arguments go to
/// the program as they are.
public enum TranscriptTrust {
  /// One command that needs consent, and why.
  public struct Concern: Sendable, Equatable, CustomStringConvertible {
    public let lineNumber: Int
    public let command: String
    public let reason: String

    /// `line 12: process sleep 10 { wait } (starts a process)`.
    public var description: String {
      "line \(lineNumber): \(command.echoed(limit: 60)) (\(reason))"
    }
  }

  /// The commands of `document` that would start processes, write files or replay other
  /// transcripts.
  public static func concerns(in document: TranscriptDocument) -> [Concern] {
    var concerns: [Concern] = []
    for block in document.blocks {
      for command in block.commands {
        if let reason = reason(for: command.text) {
          concerns.append(
            Concern(
              lineNumber: command.lineNumber, command: command.lines.joined(separator: " "),
              reason: reason))
        }
      }
    }
    return concerns
  }

  /// Why running `command` needs consent, if it does.
  static func reason(for command: String) -> String? {
    let (name, _) = Session.split(command.trimmingSpaces())
    switch name {
    case "record": return "writes a file"
    case "replay": return "replays another transcript"
    case "edit": return "opens an editor"
    default: break
    }
    guard let (_, source) = Session.programPart(of: command),
      let program = try? Program(parsing: source)
    else { return nil }
    return ProgramWalker.startsProcesses(program) ? "starts a process" : nil
  }

  /// The refusal when there is no terminal to ask: what the file would do, and how to
  /// trust it.
  public static func refusal(file: String, concerns: [Concern]) -> String {
    let first = concerns.prefix(3).map(\.description).joined(separator: "; ")
    let more = concerns.count > 3 ? "; and \(concerns.count - 3) more" : ""
    return
      "\(file.controlCharactersEscaped) would run commands that need your consent (\(first)\(more))"
      + " and there is no terminal to ask: read the file, then replay it with --trust"
  }

  /// The question at a terminal, listing every such command.
  public static func question(file: String, concerns: [Concern]) -> String {
    var text = "\(file.controlCharactersEscaped) would run:\n"
    for concern in concerns { text += "  \(concern)\n" }
    return text + "Replay it? [y/N] "
  }

  /// Whether `document` is one of the lessons built into scopelab, byte for byte: those
  /// are the project's own, checked in CI, and trusted like the binary itself.
  static func isBuiltInLesson(_ document: TranscriptDocument) -> Bool {
    let text = document.text
    return LessonFiles.all.contains { $0.text == text }
  }
}
