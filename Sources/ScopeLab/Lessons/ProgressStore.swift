import AsyncScope
import LineEditor

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Where progress is kept between sessions: the file for the REPL, memory for tests and
/// for `replay --check`, which must never touch the learner's own progress.
public protocol ProgressStore: AnyObject {
  /// The saved progress, and a warning when what was there could not be used.
  func load() -> (LessonProgress, warning: String?)
  /// Saves `progress`; a warning when it could not be written.
  func save(_ progress: LessonProgress) -> String?
}

/// Progress that lasts as long as the store: a scratch session's.
public final class MemoryProgressStore: ProgressStore {
  public private(set) var progress: LessonProgress

  public init(_ progress: LessonProgress = LessonProgress()) {
    self.progress = progress
  }

  public func load() -> (LessonProgress, warning: String?) { (progress, nil) }

  public func save(_ progress: LessonProgress) -> String? {
    self.progress = progress
    return nil
  }
}

/// `progress.json` in the state directory, written atomically (a temporary file, then a
/// rename). A corrupt or unreadable file is moved aside as `progress.json.bad` with one
/// warning, and the session starts fresh.
public final class ProgressFile: ProgressStore {
  public let path: String
  /// Set when the file could not be moved aside: saving would destroy it, so nothing is saved.
  private var keepOut = false
  private var warnedAboutSaving = false

  public init(path: String) {
    self.path = path
  }

  /// `$XDG_STATE_HOME/scopelab/progress.json`, or `$HOME/.local/state/scopelab/progress.json`
  /// when `XDG_STATE_HOME` is unset, empty or relative; `nil` without either.
  public static func standardPath(environment: [String: String]) -> String? {
    StateDirectory.path(of: "progress.json", environment: environment)
  }

  /// The standard file for this process's environment, if there is one.
  public static func standard() -> ProgressFile? {
    StateDirectory.path(of: "progress.json").map(ProgressFile.init)
  }

  public func load() -> (LessonProgress, warning: String?) {
    var info = stat()
    guard stat(path, &info) == 0 else {
      guard errno == ENOENT || errno == ENOTDIR else {
        return (LessonProgress(), setAside("cannot be read: \(TextFile.reason(errno))"))
      }
      return (LessonProgress(), nil)
    }
    let bytes: [UInt8]
    do {
      bytes = try TextFile.read(path)
    } catch {
      return (LessonProgress(), setAside(error.description))
    }
    guard let text = String(validating: bytes, as: UTF8.self) else {
      return (LessonProgress(), setAside("is not UTF-8 text"))
    }
    do {
      return (try LessonProgress(json: text), nil)
    } catch {
      return (LessonProgress(), setAside("is not a progress file: \(error.message)"))
    }
  }

  public func save(_ progress: LessonProgress) -> String? {
    guard !keepOut else { return nil }
    if let problem = StateDirectory.makeDirectory(holding: path) {
      return warnOnce(problem.controlCharactersEscaped)
    }
    do {
      try TextFile.replace(path, with: progress.json)
      return nil
    } catch {
      return warnOnce("cannot save \(path.controlCharactersEscaped): \(error.description)")
    }
  }

  /// Moves the file aside as `progress.json.bad` and says so; if that fails, progress is
  /// not saved in this session, so the file is left as it is.
  private func setAside(_ problem: String) -> String {
    let aside = path + ".bad"
    let name = path.controlCharactersEscaped
    if rename(path, aside) == 0 {
      return "warning: the progress file \(name) \(problem); "
        + "kept as \(aside.controlCharactersEscaped), starting fresh"
    }
    keepOut = true
    return "warning: the progress file \(name) \(problem), and cannot be moved aside "
      + "(\(TextFile.reason(errno))): starting fresh, and progress will not be saved"
  }

  private func warnOnce(_ message: String) -> String? {
    guard !warnedAboutSaving else { return nil }
    warnedAboutSaving = true
    return "warning: progress not saved: \(message)"
  }
}
