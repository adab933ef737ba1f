/// `scopelab lessons`: the built-in lessons with the learner's progress, as the REPL's
/// `lessons` lists them, ending with how to open one from the command line.
public enum LessonsListing {
  /// Writes the list to `output` (a progress file that cannot be read: a warning to
  /// `errors`).
  public static func write(to output: StandardOutput, errors: StandardOutput) {
    let store: any ProgressStore = ProgressFile.standard() ?? MemoryProgressStore()
    let guide = LessonGuide(store: store)
    if let warning = guide.warning { errors.write(warning + "\n") }
    output.write(
      LessonText.list(
        guide.catalog.lessons, progress: guide.progress, open: nil,
        howToOpen: "'scopelab --lesson NAME' starts the REPL at a lesson, where you left off."))
  }
}
