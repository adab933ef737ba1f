import Glibc

/// A fresh directory under /tmp, removed (with its contents) when released.
public final class TemporaryDirectory {
  public let path: String
  /// Whether the directory stays when released (a failed test's files, to look at).
  public var kept = false

  public init(prefix: String = "lineeditor-tests") throws {
    var template = Array("/tmp/\(prefix).XXXXXX".utf8CString)
    guard let made = mkdtemp(&template) else {
      throw PseudoTerminal.Failure(description: "mkdtemp failed: errno \(errno)")
    }
    path = String(cString: made)
  }

  deinit {
    if kept { return }
    _ = system("rm -rf '\(path)'")
  }

  /// Writes a file inside the directory.
  public func write(_ name: String, _ contents: String) throws {
    let fd = open(path + "/" + name, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { throw PseudoTerminal.Failure(description: "cannot write \(name)") }
    var bytes = Array(contents.utf8)
    _ = Glibc.write(fd, &bytes, bytes.count)
    close(fd)
  }

  /// The contents of a file inside the directory, or nil.
  public func read(_ name: String) -> String? {
    guard let file = fopen(path + "/" + name, "r") else { return nil }
    defer { fclose(file) }
    var result: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
      let count = fread(&buffer, 1, buffer.count, file)
      if count == 0 { break }
      result.append(contentsOf: buffer[0..<count])
    }
    return String(decoding: result, as: UTF8.self)
  }
}

extension TemporaryDirectory {
  /// The names in the directory.
  public func names() throws -> [String] {
    guard let directory = opendir(path) else {
      throw PseudoTerminal.Failure(description: "cannot list \(path)")
    }
    defer { closedir(directory) }
    var names: [String] = []
    while let entry = readdir(directory) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
        String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
      }
      names.append(name)
    }
    return names
  }
}

extension TemporaryDirectory {
  /// Makes a directory inside this one.
  public func makeDirectory(_ name: String) -> Bool {
    mkdir(path + "/" + name, 0o700) == 0
  }
}
