import LineEditor

/// Files a transcript names are found beside it: `lesson FILE.md`, `replay FILE` and the
/// front matter's `lesson:` resolve against the transcript's own folder, so a transcript
/// replays the same from any working directory.
extension TranscriptDocument {
  /// The folder the file is in: files its commands name (`lesson FILE.md`, `replay FILE`,
  /// the front matter's `lesson:`) are found there, wherever scopelab was started.
  public var folder: String { StateDirectory.directory(of: name) }

  /// `name`, a file a transcript in `folder` names: as it is when absolute, otherwise in
  /// that folder.
  public static func path(_ name: String, in folder: String?) -> String {
    guard let folder, folder != ".", !name.hasPrefix("/") else { return name }
    return folder.hasSuffix("/") ? folder + name : folder + "/" + name
  }

  /// The path of `file` as seen from `folder` (both as written, relative ones taken from
  /// the working directory): `lessons/mine.md`, `../mine.md`; absolute when nothing of
  /// the two is shared but the root.
  public static func relativePath(of file: String, from folder: String) -> String {
    func components(_ path: String) -> [String] {
      let absolute = path.hasPrefix("/") ? path : RegularFile.workingDirectory() + "/" + path
      var parts: [String] = []
      for part in absolute.split(separator: "/") where part != "." {
        if part == ".." { _ = parts.popLast() } else { parts.append(String(part)) }
      }
      return parts
    }
    let target = components(file)
    let base = components(folder)
    let shared = zip(target, base).prefix { $0 == $1 }.count
    guard shared > 0 else { return "/" + target.joined(separator: "/") }
    let up = Array(repeating: "..", count: base.count - shared)
    return (up + target.dropFirst(shared)).joined(separator: "/")
  }
}
