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
/// rename; ``RegularFile``). A corrupt or unreadable file is moved aside as
/// `progress.json.bad` (or `.bad-2`, `.bad-3`, ...: an earlier copy is never replaced) with
/// one warning, and the session starts fresh; something that is not a regular file (a
/// FIFO, a directory) is left alone and nothing is saved.
///
/// Two sessions may run at once: saving takes a lock (`progress.json.lock`), reads what is
/// on disk and merges it with this session's changes (``LessonProgress/merged(into:since:)``),
/// so neither loses the other's lessons.
public final class ProgressFile: ProgressStore {
  public let path: String
  /// Set when the file could not be moved aside: saving would destroy it, so nothing is saved.
  private var keepOut = false
  private var warnedAboutSaving = false
  /// The progress this session loaded or last saved: what it changed since is what it
  /// brings to the merge.
  private var base = LessonProgress()

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
    RegularFile.withLock(path + ".lock") {
      switch readDisk() {
      case .progress(let progress):
        base = progress
        return (progress, nil)
      case .absent:
        base = LessonProgress()
        return (base, nil)
      case .corrupt(let problem):
        base = LessonProgress()
        return (base, setAside(problem))
      case .unusable(let problem):
        keepOut = true
        return (
          LessonProgress(),
          "warning: the progress file \(path.controlCharactersEscaped) \(problem): "
            + "starting fresh, and progress will not be saved"
        )
      }
    }
  }

  public func save(_ progress: LessonProgress) -> String? {
    guard !keepOut else { return nil }
    if let problem = StateDirectory.makeDirectory(holding: path) {
      return warnOnce(problem.controlCharactersEscaped)
    }
    return RegularFile.withLock(path + ".lock") {
      var merged = progress
      var warning: String? = nil
      switch readDisk() {
      case .progress(let onDisk): merged = progress.merged(into: onDisk, since: base)
      case .absent: break
      case .corrupt(let problem):
        // Broken since this session read it: kept aside like at the start.
        warning = setAside(problem)
        guard !keepOut else { return warning }
      case .unusable(let problem):
        return warnOnce("\(path.controlCharactersEscaped) \(problem)")
      }
      do throws(RegularFile.Problem) {
        try RegularFile.replace(path, with: merged.json)
        base = progress
        return warning
      } catch {
        return warnOnce("cannot save \(path.controlCharactersEscaped): \(error.description)")
      }
    }
  }

  /// What is on disk now.
  private enum OnDisk {
    case progress(LessonProgress)
    case absent
    /// Something unreadable or not a progress file: to be moved aside.
    case corrupt(String)
    /// Not a regular file: left alone.
    case unusable(String)
  }

  private func readDisk() -> OnDisk {
    let bytes: [UInt8]
    do {
      bytes = try RegularFile.read(path, limit: RegularFile.textLimit, noun: "a progress file")
    } catch {
      switch error.kind {
      case .missing: return .absent
      case .notRegular: return .unusable(error.description)
      case .tooLarge: return .corrupt(error.description)
      case .exists, .denied, .other: return .corrupt("cannot be read: \(error.description)")
      }
    }
    guard let text = String(validating: bytes, as: UTF8.self) else {
      return .corrupt("is not UTF-8 text")
    }
    do {
      return .progress(try LessonProgress(json: text))
    } catch {
      return .corrupt("is not a progress file: \(error.message)")
    }
  }

  /// Moves the file aside as `progress.json.bad` (or the first of `.bad-2`, `.bad-3`, ...
  /// not taken) and says so; if that fails, progress is not saved in this session, so the
  /// file is left as it is.
  private func setAside(_ problem: String) -> String {
    let name = path.controlCharactersEscaped
    var failure = ENOENT
    moving: for number in 1...1000 {
      let aside = path + (number == 1 ? ".bad" : ".bad-\(number)")
      switch RegularFile.move(path, toNew: aside) {
      case nil:
        return "warning: the progress file \(name) \(problem); "
          + "kept as \(aside.controlCharactersEscaped), starting fresh"
      case EEXIST?: continue
      case let code?:
        failure = code
        break moving
      }
    }
    keepOut = true
    return "warning: the progress file \(name) \(problem), and cannot be moved aside "
      + "(\(RegularFile.reason(failure))): starting fresh, and progress will not be saved"
  }

  private func warnOnce(_ message: String) -> String? {
    guard !warnedAboutSaving else { return nil }
    warnedAboutSaving = true
    return "warning: progress not saved: \(message)"
  }
}
