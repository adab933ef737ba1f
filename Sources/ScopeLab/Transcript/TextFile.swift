import LineEditor

/// The text files scopelab is given or writes (transcripts, lessons, `FILE.actual`, the
/// progress file), through LineEditor's ``RegularFile``: regular files only, at most
/// ``maximumSize`` read, replaced atomically and never through a symbolic link.
enum TextFile {
  /// The largest file read: a transcript is text a person can read.
  static let maximumSize = 16 << 20

  /// Why a file could not be read or written: a phrase that follows its path.
  typealias Problem = RegularFile.Problem

  /// The bytes of the file at `path`; `noun` says what it should be, for the problem
  /// ("is a directory, not a transcript").
  static func read(_ path: String, noun: String = "a transcript") throws(Problem) -> [UInt8] {
    try RegularFile.read(path, limit: maximumSize, noun: noun)
  }

  /// Writes `text` to `path` in one step: a temporary file beside it, created exclusively,
  /// then a rename, so a reader never sees half a file and a failure leaves the old one.
  /// A symbolic link at `path` is refused, not written through.
  static func replace(_ path: String, with text: String) throws(Problem) {
    try RegularFile.replace(path, with: text)
  }

  /// Removes `path` if it exists (a symbolic link itself, not what it points to).
  static func remove(_ path: String) {
    RegularFile.remove(path)
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

  /// Words for an errno: "no such file", "permission denied", ...
  static func reason(_ code: Int32) -> String {
    RegularFile.reason(code)
  }
}
