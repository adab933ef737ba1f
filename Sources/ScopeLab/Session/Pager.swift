import AsyncScope
import LineEditor
import PosixThread
import Subprocess

#if canImport(System)
  import System
#else
  import SystemPackage
#endif

/// The pager output longer than the screen goes through at a terminal, as `git` does:
/// `SCOPELAB_PAGER`, else `PAGER`, else `less` - with `LESS=FRX` when `LESS` is unset, so
/// that it quits by itself when the text fits, keeps colours and leaves the text on the
/// screen. The command runs with `sh -c` (`PAGER='less -S'` works); an empty one or `cat`
/// means no pager.
///
/// The pager is started as `edit` starts the editor (swift-subprocess), in scopelab's own
/// process group, so it owns the terminal as a foreground program must; a Ctrl-C reaches
/// it and scopelab, which ignores a Ctrl-C while no run is going on. scopelab waits for
/// it before the next prompt, then puts the terminal's settings back as the line editor
/// left them. The text is given in an unlinked temporary file, so a pager that quits
/// early never blocks scopelab writing. A pager that cannot start shows nothing and
/// says nothing: the text is printed instead.
public struct Pager: Sendable {
  /// The shell command.
  public var command: String
  /// Whether to set `LESS=FRX` in the pager's environment (`LESS` is unset).
  public var setsLess: Bool
  /// The screen's size now (it may have been resized): text that takes all its rows
  /// (a line longer than the screen is wide takes more than one) is paged; `nil`, never.
  public var screen: @Sendable () -> (columns: Int, rows: Int)?

  public init(
    command: String, setsLess: Bool = false,
    screen: @escaping @Sendable () -> (columns: Int, rows: Int)?
  ) {
    self.command = command
    self.setsLess = setsLess
    self.screen = screen
  }

  /// The pager for a session whose standard input and output are `terminals` (both must
  /// be), with `environment`; `nil` for none.
  public static func decide(
    environment: [String: String], terminals: Bool,
    screen: @escaping @Sendable () -> (columns: Int, rows: Int)?
  ) -> Pager? {
    guard terminals else { return nil }
    let setting =
      environment["SCOPELAB_PAGER"] ?? environment["PAGER"] ?? "less"
    let command = setting.trimmingSpaces()
    guard !command.isEmpty, command != "cat" else { return nil }
    return Pager(command: command, setsLess: environment["LESS"] == nil, screen: screen)
  }

  /// Whether `text` is longer than the screen.
  func wants(_ text: String) -> Bool {
    guard let (columns, rows) = screen(), columns > 0 else { return false }
    var taken = 0
    for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
      taken += max(1, (TextLayout.visibleWidth(String(line)) + columns - 1) / columns)
      // The prompt takes the last row.
      if taken >= rows { return true }
    }
    return false
  }

  /// Shows `text` in the pager and waits until it quits; false if it could not start
  /// (nothing was shown: the caller prints the text).
  func show(_ text: String) async -> Bool {
    // A command whose program is not there does not start: no error from the shell.
    let program = String(command.prefix { !$0.isWhitespace })
    if program.contains("/") {
      guard Syscall.isExecutable(program) else { return false }
    } else if !program.contains("=") {
      guard (try? await Executable.name(program).resolveExecutablePath(in: .inherit)) != nil
      else { return false }
    }
    guard let input = Self.unlinkedFile(holding: text) else { return false }
    let ended: TerminationStatus?
    do {
      let result = try await Subprocess.run(
        .path(FilePath("/bin/sh")), arguments: ["-c", command],
        environment: setsLess ? .inherit.updating(["LESS": "FRX"]) : .inherit,
        input: .fileDescriptor(FileDescriptor(rawValue: input), closeAfterSpawningProcess: true),
        output: .fileDescriptor(.standardOutput, closeAfterSpawningProcess: false),
        error: .fileDescriptor(.standardError, closeAfterSpawningProcess: false))
      ended = result.terminationStatus
    } catch {
      Syscall.close(input)
      ended = nil
    }
    // The terminal as the line editor found it, whatever the pager left.
    Terminal.restore()
    switch ended {
    case nil: return false
    // The shell could not find or execute the command: nothing was shown.
    case .exited(126)?, .exited(127)?: return false
    default: return true
    }
  }

  /// A descriptor open for reading on a file that holds `text` and has no name any more.
  private static func unlinkedFile(holding text: String) -> Int32? {
    guard let file = try? RegularFile.createTemporary("scopelab-page", suffix: ".txt") else {
      return nil
    }
    defer { RegularFile.remove(file.path) }
    let problem = file.write(text)
    file.close()
    guard problem == nil else { return nil }
    return Syscall.openForReading(file.path)
  }

}

extension Session {
  /// Writes `text`, through the pager when there is one and the text is longer than the
  /// screen - never while a transcript is recorded or replayed (its output is the
  /// transcript's).
  func page(_ text: String) async {
    guard !text.isEmpty else { return }
    guard let pager, !isRecording, consent == nil, pager.wants(text) else {
      output.write(text)
      return
    }
    isPaging.withLock { $0 = true }
    let shown = await pager.show(text)
    isPaging.withLock { $0 = false }
    if !shown { output.write(text) }
  }
}
