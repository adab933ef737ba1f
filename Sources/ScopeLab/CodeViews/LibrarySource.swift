/// The built-in scopes' own code, for `show source SCOPE`: their `enter` and `exit` (and
/// `runBody` and the helpers it hands to, where the body runs specially) as they are in
/// Sources/AsyncScope (the interpreter's `scope NAME` in Sources/ScopeLab/Run), with the
/// file and lines each came from.
///
/// The text is embedded by `scripts/embed-library-source`; LibrarySourceTests fails when
/// the sources no longer match it.
public enum LibrarySource {
  /// One method of a built-in scope, as it is in the library's source.
  struct Method: Sendable {
    /// The scope's name in the language: `timeout`.
    let scope: String
    let name: String
    /// Relative to the package root: `Sources/AsyncScope/Timeout.swift`.
    let file: String
    /// 1-based and inclusive: from the doc comment or attribute to the closing brace.
    let firstLine: Int
    let lastLine: Int
    /// The lines verbatim, less the method's indentation.
    let text: String

    /// `// Sources/AsyncScope/Timeout.swift:71-85`.
    var header: String { "// \(file):\(firstLine)-\(lastLine)" }
  }

  /// The scopes `show source` takes, in the order of the language reference.
  public static let scopes = ["timeout", "runner", "process", "group", "scope"]

  /// The methods of `scope`, each under a header line with its file and lines
  /// (`// Sources/AsyncScope/Timeout.swift:71-85`), a blank line between them, no
  /// newline at the end; nil for a scope that is not built in.
  public static func text(for scope: String) -> String? {
    let methods = methods(of: scope)
    guard !methods.isEmpty else { return nil }
    return methods.map { "\($0.header)\n\($0.text)" }.joined(separator: "\n\n")
  }

  /// The embedded methods of `scope`, in the order they are shown.
  static func methods(of scope: String) -> [Method] {
    embedded.filter { $0.scope == scope }
  }
}
