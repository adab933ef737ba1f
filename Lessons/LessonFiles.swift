/// The built-in lesson files, embedded into the binary (`.embedInCode` in Package.swift),
/// so an installed `scopelab` needs no files beside it.
public enum LessonFiles {
  /// Each lesson's file name and Markdown text, in curriculum order (DESIGN.md).
  public static let all: [(name: String, text: String)] = [
    ("runner-flag.md", text(PackageResources.runner_flag_md)),
    ("sleep-vs-timeout.md", text(PackageResources.sleep_vs_timeout_md)),
    ("process-scope.md", text(PackageResources.process_scope_md)),
    ("async-protocol.md", text(PackageResources.async_protocol_md)),
    ("errors-and-suppression.md", text(PackageResources.errors_and_suppression_md)),
    ("cancellation.md", text(PackageResources.cancellation_md)),
    ("task-groups.md", text(PackageResources.task_groups_md)),
    ("your-own-timeout.md", text(PackageResources.your_own_timeout_md)),
  ]

  /// `rules.md`: the rules scopelab runs by, that `why` and the lessons cite.
  public static let rules = text(PackageResources.rules_md)

  private static func text(_ bytes: [UInt8]) -> String {
    String(decoding: bytes, as: UTF8.self)
  }
}
