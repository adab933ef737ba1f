import LineEditor

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A file scopelab writes as it goes - a transcript, an asciicast, a `--perfetto` trace - is a
/// ``RegularFile/Output``.
extension RegularFile.Output {
  /// Creates `path` for writing (``RegularFile/create(_:overwrite:permissions:)``): an
  /// existing file is an error unless `overwrite`; a directory, a symbolic link, a FIFO or
  /// a device is refused.
  init(creating path: String, overwrite: Bool) throws(OutputFileError) {
    if RegularFile.isDirectory(path) {
      throw OutputFileError(path: path, reason: .isDirectory)
    }
    do throws(RegularFile.Problem) {
      self = try RegularFile.create(path, overwrite: overwrite)
    } catch {
      throw OutputFileError(path: path, problem: error)
    }
  }
}

/// Why a file scopelab writes (a transcript, an asciicast, a `--perfetto` trace) cannot be
/// created or written.
public struct OutputFileError: Error, Sendable, Equatable, CustomStringConvertible {
  public enum Reason: Sendable, Equatable {
    /// Something is already there (and overwriting was not asked for).
    case exists
    /// A directory on the way does not exist.
    case noDirectory
    /// The path names a directory.
    case isDirectory
    /// Not allowed to create or write it.
    case permissionDenied
    /// A write failed (the disk is full, ...): `strerror`'s words.
    case writeFailed(String)
    /// Anything else: `strerror`'s words.
    case other(String)
  }

  public let path: String
  public let reason: Reason

  public init(path: String, reason: Reason) {
    self.path = path
    self.reason = reason
  }

  /// The reason for a ``RegularFile/Problem`` from creating `path`: its errno picks the
  /// sentence, and anything else is the problem's own words (``RegularFile/reason(_:)``).
  init(path: String, problem: RegularFile.Problem) {
    self.path = path
    switch problem.code {
    case EEXIST: reason = .exists
    case ENOENT, ENOTDIR: reason = .noDirectory
    case EISDIR: reason = .isDirectory
    case EACCES, EPERM, EROFS: reason = .permissionDenied
    default:
      let words = problem.description
      reason = .other(words.hasPrefix("is ") ? "it " + words : words)
    }
  }

  /// The directory `path` is in, as written (`.` for a bare name).
  var directory: String { StateDirectory.directory(of: path) }

  /// One sentence, without `error:`.
  public var description: String {
    switch reason {
    case .exists: "\(path) exists"
    case .noDirectory: "cannot record to \(path): there is no directory \(directory)"
    case .isDirectory: "cannot record to \(path): it is a directory"
    case .permissionDenied: "cannot record to \(path): permission denied"
    case .writeFailed(let problem): "writing \(path) failed: \(problem)"
    case .other(let problem): "cannot record to \(path): \(problem)"
    }
  }
}
