enum Corpus_lesson_errors_and_suppression_6_solution {
  static func run() async throws -> String? { nil }
}
