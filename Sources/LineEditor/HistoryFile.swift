import Glibc

/// The history file: one entry per line, UTF-8, oldest first.
///
/// Saving merges with what is on disk, so two sessions at once both keep their
/// lines; the new contents go to a temporary file in the same directory that is
/// renamed over the old one, under an advisory lock, so a reader never sees a
/// half-written file. Nothing here throws: a file that cannot be read loads as
/// empty, and a failed save returns a ``HistoryWarning``.
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

  /// The entries on disk, oldest first; empty if the file is missing or unreadable.
  public func load() -> [String] {
    guard let bytes = Syscall.readFile(path) else { return [] }
    let text = String(decoding: bytes, as: UTF8.self)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    return HistoryList(lines, capacity: capacity).entries
  }

  /// Adds `lines` to the file, merged with what is on disk now (deduplicated,
  /// capped). Returns a warning instead of failing.
  @discardableResult
  public func append(_ lines: [String]) -> HistoryWarning? {
    if case .failure(let error) = Syscall.makeDirectories(directory) {
      return HistoryWarning(path: path, problem: "cannot create \(directory): \(error)")
    }
    let lock = Syscall.open(path + ".lock", O_RDWR | O_CREAT)
    var lockFD: CInt? = nil
    if case .success(let fd) = lock {
      lockFD = fd
      acquire(fd)
    }
    defer {
      if let lockFD {
        Syscall.unlock(lockFD)
        Syscall.close(lockFD)
      }
    }
    var merged = HistoryList(load(), capacity: capacity)
    merged.append(contentsOf: lines)
    return replace(with: merged.entries)
  }

  /// Waits up to about two seconds for the lock, then goes on without it (the
  /// rename still keeps the file whole; only a concurrent line may be lost).
  private func acquire(_ fd: CInt) {
    for _ in 0..<200 {
      if Syscall.tryLockExclusive(fd) { return }
      _ = Glibc.usleep(10_000)
    }
  }

  /// Writes `entries` to a temporary file and renames it over ``path``.
  private func replace(with entries: [String]) -> HistoryWarning? {
    let temporary = "\(path).\(Syscall.processID()).\(UInt32.random(in: 0...UInt32.max)).tmp"
    let opened = Syscall.open(temporary, O_WRONLY | O_CREAT | O_EXCL)
    guard case .success(let fd) = opened else {
      if case .failure(let error) = opened {
        return HistoryWarning(path: path, problem: "cannot write in \(directory): \(error)")
      }
      return nil
    }
    let text = entries.map { $0 + "\n" }.joined()
    let written = Syscall.writeAll(fd, text).flatMap { Syscall.sync(fd) }
    Syscall.close(fd)
    let renamed = written.flatMap { Syscall.rename(temporary, path) }
    if case .failure(let error) = renamed {
      Syscall.remove(temporary)
      return HistoryWarning(path: path, problem: "\(error)")
    }
    return nil
  }
}
