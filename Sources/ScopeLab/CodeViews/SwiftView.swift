import AsyncScope

/// The Swift view of a scope program: a complete program on the public `AsyncScope` API
/// that behaves like the interpreted run (the same trace events, in the same order, with
/// the same outcome), with the current parameter values as constants at the top.
///
/// It is written as a Swift developer writes it - `try await Task.sleep(for:)`, `print`,
/// `group.addTask`, a `struct KeyError: Error {}` - and what the library does not offer
/// is a few lines of plain Swift in the file itself: a `Scope` for `scope NAME(...)`
/// with the options the program uses, `busy(for:)`, the program's errors. Run under a
/// ``Tracer``, its `print` lines are trace events like the interpreter's.
///
/// ```swift
/// let program = try Program(parsing: #"timeout $timeout { sleep $sleep }"#)
/// print(SwiftView.render(program, parameters: .builtIn))
/// ```
///
/// Both forms come from the same generator: ``Form/program`` is what a learner pastes
/// into a project, ``Form/function(named:)`` what the generated corpus test target
/// compiles and runs under a tracer.
public enum SwiftView {
  /// What the statements are wrapped in.
  public enum Form: Sendable, Equatable {
    /// `@main struct Main { static func main() async throws { ... } }`; `return V` ends
    /// `main` (the value is not shown).
    case program
    /// `enum NAME { static func run() async throws -> String? { ... } }`: the value of the
    /// program's `return`, or `nil` when it ran to its end.
    case function(named: String)
  }

  /// The program as Swift source text, formatted as `swift format` would, ending in a
  /// line break.
  public static func render(
    _ program: Program, parameters: Parameters, as form: Form = .program
  ) -> String {
    var writer = SwiftWriter(parameters: parameters)
    return writer.file(program, form: form)
  }
}
