import PosixThread

/// Completes file paths, for the argument of commands like `record` and `replay`.
///
/// ```swift
/// reader.setCompletionProvider { request in
///   if request.precedingWords == ["record"] {
///     return FilePathCompletion().candidates(for: request.word)
///   }
///   return request.matching(commands)
/// }
/// ```
public struct FilePathCompletion: Sendable {
  /// The directory that relative paths are resolved against; `nil` for the
  /// current directory.
  public var baseDirectory: String?

  /// The home directory that a leading `~/` stands for; `nil` for `$HOME`.
  public var homeDirectory: String?

  /// Creates a completer for paths relative to `baseDirectory` (default: the
  /// current directory).
  public init(baseDirectory: String? = nil, homeDirectory: String? = nil) {
    self.baseDirectory = baseDirectory
    self.homeDirectory = homeDirectory
  }

  /// The paths that complete `partial`, sorted, spelled as the user started them
  /// (`~/` kept). Directories end in "/". Names starting with "." are offered
  /// only when the partial name starts with ".".
  public func candidates(for partial: String) -> [String] {
    let (directoryPart, namePrefix) = split(partial)
    let directory = resolve(directoryPart)
    guard let names = Syscall.directoryEntries(directory) else { return [] }
    let showHidden = namePrefix.hasPrefix(".")
    return
      names
      .filter { $0.hasPrefix(namePrefix) && (showHidden || !$0.hasPrefix(".")) }
      .map { name in
        let isDirectory = Syscall.isDirectory(join(directory, name))
        return directoryPart + name + (isDirectory ? "/" : "")
      }
      .sorted()
  }

  /// Splits `dir/sub/na` into `("dir/sub/", "na")`.
  private func split(_ partial: String) -> (String, String) {
    guard let slash = partial.lastIndex(of: "/") else { return ("", partial) }
    let cut = partial.index(after: slash)
    return (String(partial[..<cut]), String(partial[cut...]))
  }

  /// The directory on disk that a typed directory part names.
  private func resolve(_ directoryPart: String) -> String {
    var path = directoryPart
    if path == "~/" || path.hasPrefix("~/") {
      let home = homeDirectory ?? ProcessEnvironment.value("HOME") ?? "/"
      path = join(home, String(path.dropFirst(2)))
    }
    if path.hasPrefix("/") { return path }
    let base = baseDirectory ?? "."
    return path.isEmpty ? base : join(base, path)
  }

  private func join(_ directory: String, _ name: String) -> String {
    directory.hasSuffix("/") ? directory + name : directory + "/" + name
  }
}
