#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reading a whole text file (a transcript, a lesson) with one-line errors.
enum TextFile {
  /// The largest file read: a transcript is text a person can read.
  static let maximumSize = 16 << 20

  /// Why a file could not be read.
  struct Problem: Error, CustomStringConvertible {
    let description: String
  }

  /// The bytes of the file at `path`.
  static func read(_ path: String) throws(Problem) -> [UInt8] {
    var fd: Int32
    repeat { fd = open(path, O_RDONLY | O_CLOEXEC) } while fd < 0 && errno == EINTR
    guard fd >= 0 else { throw Problem(description: Self.reason(errno)) }
    defer { close(fd) }
    var status = stat()
    guard fstat(fd, &status) == 0 else { throw Problem(description: Self.reason(errno)) }
    guard (status.st_mode & S_IFMT) != S_IFDIR else {
      throw Problem(description: "is a directory, not a transcript")
    }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
      if count < 0 {
        if errno == EINTR { continue }
        throw Problem(description: Self.reason(errno))
      }
      if count == 0 { return bytes }
      bytes += buffer[0..<count]
      guard bytes.count <= maximumSize else {
        throw Problem(description: "is larger than 16 MiB: not a transcript")
      }
    }
  }

  /// Writes `text` to `path` in one step: a temporary file beside it, then a rename, so
  /// a reader never sees half a file and a failure leaves the old one.
  static func replace(_ path: String, with text: String) throws(Problem) {
    let temporary = path + ".tmp-\(getpid())"
    let file: TranscriptFile
    do {
      file = try TranscriptFile(creating: temporary, overwrite: true)
    } catch {
      throw Problem(description: error.description)
    }
    let failure = file.write(text)
    let synced = file.sync()
    file.close()
    guard failure == nil, synced, rename(temporary, path) == 0 else {
      let code = failure ?? errno
      unlink(temporary)
      throw Problem(description: Self.reason(code))
    }
  }

  /// Removes `path` if it exists.
  static func remove(_ path: String) {
    unlink(path)
  }

  /// The offset of the first byte that is not part of valid UTF-8, if any.
  static func firstInvalidUTF8(in bytes: [UInt8]) -> Int? {
    var iterator = bytes.makeIterator()
    var decoder = UTF8()
    var offset = 0
    while true {
      switch decoder.decode(&iterator) {
      case .scalarValue(let scalar):
        offset += UTF8.width(scalar)
      case .emptyInput: return nil
      case .error: return offset
      }
    }
  }

  static func reason(_ code: Int32) -> String {
    switch code {
    case ENOENT: "no such file"
    case EACCES: "permission denied"
    case ENOTDIR: "a part of the path is not a directory"
    case ENOSPC: "no space left on the device"
    case EROFS: "the file system is read-only"
    default: "cannot be read (errno \(code))"
    }
  }
}
