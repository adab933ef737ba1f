/// What a session driven by a file (a replayed transcript or lesson) may do beyond running
/// programs that start no process: the things the person agreed to before the replay began.
///
/// A session the person types into has no consent set (``Session/consent`` is `nil`): what
/// they type is theirs. A replay's session has one, and every command that would start a
/// process or write a file checks it at the moment it would act, so nothing the consent
/// question did not list can run - not a program the analysis (``TranscriptTrust``) missed,
/// not a lesson file changed after the question was answered.
public struct Consent: Sendable, Equatable {
  /// One thing a replay may do only with consent.
  public enum Item: Sendable, Hashable {
    /// Run this program (its source as written), which starts a process.
    case run(String)
    /// `compare`: run this program in scopelab and as Python under python3.
    case compare(String)
    /// `edit`: open an editor.
    case edit
    /// `record ARGUMENTS`: write a transcript file.
    case record(String)
    /// `replay ARGUMENTS`: replay other files (what they would do is listed too).
    case replay(String)
    /// `verify`: run a checked snippet (```` ```python check ````, ```` ```swift check ````)
    /// of a lesson or guide - `language` is `python` or `swift` - as written.
    case snippet(language: String, source: String)
    /// A bare `run` or `check` of a lesson step's real code (its ```` ```python starter ````
    /// or `swift`), as written: `run` traces it, `check` runs programs that import it.
    case code(language: CodeLanguage, source: String)

    /// What it does, for the question and for a refusal: `starts a process`.
    var effect: String {
      switch self {
      case .run: "starts a process"
      case .compare: "runs python3"
      case .edit: "opens an editor"
      case .record: "writes a file"
      case .replay: "replays another file"
      case .snippet(let language, _):
        language == "python" ? "runs python3" : "compiles it with swiftc and runs it"
      case .code(.python, _): "runs it under python3"
      case .code(.swift, _): "compiles it with swiftc and runs it"
      }
    }

    /// The program it runs, if it runs one.
    var program: String? {
      switch self {
      case .run(let program), .compare(let program), .snippet(_, let program),
        .code(_, let program):
        program
      case .edit, .record, .replay: nil
      }
    }
  }

  /// Whether everything is allowed: `--trust`, or a built-in lesson replayed as shipped.
  public let all: Bool
  /// What is allowed when not everything is.
  public let items: Set<Item>

  public init(_ items: some Sequence<Item>) {
    all = false
    self.items = Set(items)
  }

  private init(all: Bool) {
    self.all = all
    items = []
  }

  /// Anything may run: the person trusts the file.
  public static let everything = Consent(all: true)
  /// Nothing that needs consent may run.
  public static let nothing = Consent([Item]())

  public func allows(_ item: Item) -> Bool {
    all || items.contains(item)
  }
}
