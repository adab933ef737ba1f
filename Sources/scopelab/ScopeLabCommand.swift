import ArgumentParser

/// `scopelab`: the interactive REPL, and its subcommands.
@main
struct ScopeLabCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "scopelab",
    abstract: "An interactive teaching REPL for async scopes - Swift's `async with`.",
    discussion: """
      Run with no arguments for the REPL. Lessons run real async scopes: real task
      cancellation, real deadlines, real child processes, with their trace printed live.
      """,
    version: ScopeLabVersion.current
  )

  func run() async throws {
    print("scopelab \(ScopeLabVersion.current): the REPL is not built yet; try --help")
  }
}

/// The version `--version` prints.
enum ScopeLabVersion {
  static let current = "0.1.0"
}
