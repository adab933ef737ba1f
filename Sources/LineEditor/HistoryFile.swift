import PosixThread

/// The history file: one entry per line, UTF-8, oldest first.
///
/// Saving merges with what is on disk, so two sessions at once both keep their
/// lines; the new contents go to a temporary file in the same directory that is
/// renamed over the old one, under an advisory lock, so a reader never sees a
/// half-written file (``RegularFile``). Nothing here throws: a file that cannot be
/// read loads as empty with a ``HistoryWarning`` and is never replaced, and a failed
/// save returns a warning too.
public struct HistoryFile: Sendable, Equatable {
  /// Where the history lives.
  public var path: String

  /// The most entries kept in the file.
  public var capacity: Int

  /// Creates a history file at `path` keeping at most `capacity` entries.
  public init(path: String, capacity: Int = 1000) {
    self.path = path
    self.capacity = capacity
  }

  /// `$XDG_STATE_HOME/scopelab/history`, or `$HOME/.local/state/scopelab/history`
  /// when `XDG_STATE_HOME` is unset, empty or relative. `nil` without either.
  public static func standardPath(environment: [String: String]) -> String? {
    StateDirectory.path(of: "history", environment: environment)
  }

  /// The standard history file for this process's environment, if there is one.
  public static func standard(capacity: Int = 1000) -> HistoryFile? {
    StateDirectory.path(of: "history").map { HistoryFile(path: $0, capacity: capacity) }
  }

  /// The directory holding the file.
  public var directory: String { StateDirectory.directory(of: path) }

  /// The most bytes read from the file: a longer file is read from its end, with a warning
  /// (and not saved over).
  public static let maximumSize = 4 << 20

  /// What reading the file gave: the entries, oldest first, and why the file is not to
  /// be replaced, if it is not (it could not be read, or not all of it, or it holds lines
  /// that are not text).
  public struct Contents: Sendable, Equatable {
    public var entries: [String]
    public var warning: HistoryWarning?
  }

  /// The entries on disk, oldest first; empty if the file is missing or unreadable.
  public func load() -> [String] {
    read().entries
  }

  /// The entries on disk, and a warning when the file is there but cannot be used whole:
  /// not a regular file, unreadable, larger than ``maximumSize`` (its last part is read),
  /// or holding bytes that are not UTF-8 or NUL (those lines are left out). Such a file is
  /// never replaced: ``append(_:)`` leaves it as it is and returns the warning.
  public func read() -> Contents {
    let bytes: [UInt8]
    var problems: [String] = []
    do {
      let (tail, truncated) = try RegularFile.readTail(
        path, limit: Self.maximumSize, noun: "a history file")
      if truncated {
        problems.append(
          "it is larger than \(RegularFile.size(Self.maximumSize)) (only its last part is used)")
        // The first line read is likely cut: drop it.
        bytes = Array(tail.drop { $0 != 10 }.dropFirst())
      } else {
        bytes = tail
      }
    } catch {
      guard error.kind != .missing else { return Contents(entries: [], warning: nil) }
      return Contents(entries: [], warning: HistoryWarning(path: path, problem: error.description))
    }
    var lines: [String] = []
    var unreadable = 0
    for line in bytes.split(separator: 10, omittingEmptySubsequences: true) {
      if !line.contains(0), let text = String(validating: line, as: UTF8.self) {
        lines.append(text)
      } else {
        unreadable += 1
      }
    }
    if unreadable > 0 {
      problems.append(
        "\(unreadable == 1 ? "a line holds" : "\(unreadable) lines hold") "
          + "bytes that are not UTF-8 text or NUL (left out)")
    }
    let warning =
      problems.isEmpty
      ? nil
      : HistoryWarning(
        path: path,
        problem: problems.joined(separator: "; ") + "; the file is left as it is")
    return Contents(entries: HistoryList(lines, capacity: capacity).entries, warning: warning)
  }

  /// Adds `lines` to the file, merged with what is on disk now (deduplicated,
  /// capped). Returns a warning instead of failing; a file that cannot be read whole
  /// (see ``read()``) is not replaced.
  @discardableResult
  public func append(_ lines: [String]) -> HistoryWarning? {
    if case .failure(let error) = Syscall.makeDirectories(directory) {
      return HistoryWarning(path: path, problem: "cannot create \(directory): \(error)")
    }
    return RegularFile.withLock(path + ".lock") { () -> HistoryWarning? in
      let onDisk = read()
      if let warning = onDisk.warning { return warning }
      var merged = HistoryList(onDisk.entries, capacity: capacity)
      merged.append(contentsOf: lines)
      do throws(RegularFile.Problem) {
        let text = merged.entries.map { $0 + "\n" }.joined()
        try RegularFile.replace(path, with: text, permissions: 0o600)
        return nil
      } catch {
        return HistoryWarning(path: path, problem: error.description)
      }
    }
  }
}
