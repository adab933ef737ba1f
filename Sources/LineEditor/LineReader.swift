/// The seam between a session and wherever its lines come from.
///
/// Three implementations: ``EditLineReader`` (libedit, when stdin is a terminal),
/// ``PlainLineReader`` (pipes and files) and ``ScriptedLineReader`` (tests).
/// ``Terminal/isInteractive`` tells which of the first two to use.
///
/// A session loops:
///
/// ```swift
/// while let input = await reader.readLine(prompt: "scopelab> ") {
///   switch input {
///   case .line(let text): reader.addHistory(text); await run(text)
///   case .interrupted: continue
///   case .invalid(let problem): report(problem)
///   }
/// }
/// reader.close()
/// ```
///
/// Only one `readLine` may be pending at a time.
public protocol LineReader: AnyObject, Sendable {
  /// Shows `prompt` (where the reader has a display) and waits for one line.
  ///
  /// Never blocks the caller's thread: reading happens on a thread the reader
  /// owns. Returns `nil` at end of input, or when the calling task is cancelled.
  func readLine(prompt: String) async -> LineInput?

  /// Adds a line to the history that the Up arrow and Ctrl-R recall, and to the
  /// history file if the reader keeps one.
  func addHistory(_ line: String)

  /// The lines in the history, oldest first.
  var history: [String] { get }

  /// Whether input has arrived already that the next ``readLine(prompt:)`` returns without
  /// waiting for the user: the rest of a paste at a terminal, more of a piped file. Never
  /// waits. A command reader uses it to tell a pasted program that goes on over its next
  /// line (a second `catch`) from one typed and ended with Enter.
  var hasPendingInput: Bool { get }

  /// Sets what Tab completes; `nil` turns completion off.
  func setCompletionProvider(_ provider: CompletionProvider?)

  /// Releases the reader (libedit's `el_end`, restoring the terminal). Idempotent;
  /// a pending `readLine` returns `nil`.
  func close()
}

/// Completion candidates for the word being completed.
///
/// Each candidate is a whole replacement for ``CompletionRequest/word``. Return
/// directories with a trailing "/" so that completion can continue inside them.
/// Called on the reader's thread while the user waits: keep it quick.
public typealias CompletionProvider = @Sendable (CompletionRequest) -> [String]
