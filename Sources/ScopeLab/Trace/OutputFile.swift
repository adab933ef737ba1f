public import LineEditor

/// A file scopelab writes as it goes - a transcript, an asciicast, a `--perfetto` trace - is a
/// ``RegularFile/Output``.
extension RegularFile.Output {
  /// Creates `path` for writing (``RegularFile/create(_:overwrite:permissions:)``): an
  /// existing file is an error unless `overwrite`; a directory, a symbolic link, a FIFO or
  /// a device is refused.
  init(creating path: String, overwrite: Bool) throws(OutputFileError) {
    if RegularFile.isDirectory(path) {
      throw OutputFileError(
        path: path, problem: RegularFile.Problem(kind: .notRegular, description: "is a directory"))
    }
    do throws(RegularFile.Problem) {
      self = try RegularFile.create(path, overwrite: overwrite)
    } catch {
      throw OutputFileError(path: path, problem: error)
    }
  }
}

/// Why a file scopelab writes (a transcript, an asciicast, a `--perfetto` trace) cannot be
/// created or written: the ``RegularFile/Problem`` that creating or writing it met, told
/// as one sentence about recording to `path`.
public struct OutputFileError: Error, Sendable, Equatable, CustomStringConvertible {
  public let path: String
  /// What went wrong, as ``RegularFile`` tells it: its kind picks the sentence.
  public let problem: RegularFile.Problem
  /// Whether a write to the file, once created, failed (the disk is full, ...).
  public let writing: Bool

  public init(path: String, problem: RegularFile.Problem, writing: Bool = false) {
    self.path = path
    self.problem = problem
    self.writing = writing
  }

  /// Whether something is already there (and overwriting was not asked for).
  public var exists: Bool { !writing && problem.kind == .exists }

  /// The directory `path` is in, as written (`.` for a bare name).
  var directory: String { StateDirectory.directory(of: path) }

  /// One sentence, without `error:`.
  public var description: String {
    if writing { return "writing \(path) failed: \(problem.description)" }
    switch problem.kind {
    case .exists: return "\(path) exists"
    case .missing: return "cannot record to \(path): there is no directory \(directory)"
    case .denied: return "cannot record to \(path): permission denied"
    case .notRegular, .tooLarge, .other:
      let words = problem.description
      return "cannot record to \(path): \(words.hasPrefix("is ") ? "it " + words : words)"
    }
  }
}
