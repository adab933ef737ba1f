import AsyncScope

@testable import ScopeLab

/// Small lessons for the engine's tests, independent of the built-in curriculum.
enum LessonFixtures {
  /// Three steps: a prediction, a challenge, a step with no exercise and no program.
  static let demo = """
    ---
    id: demo
    title: A demo lesson
    parameters: sleep=100ms, pause=50ms
    ---

    # A demo lesson

    The introduction.

    ## Predict a sleep

    Before the program.

    ```scope
    timeout $timeout { sleep $sleep; print "done" }
    ```

    After the program.

    ```step
    predict: ok
    look: the sleep is short
    hint: First hint.
    hint: Second hint, saying more.
    ```

    ## Make it time out

    ```scope
    timeout 1 { sleep $sleep }
    ```

    ```step
    set: sleep=20ms
    challenge: the deadline fires and "late" never prints
    outcome: TimeoutError
    has: fired timeout
    lacks: print late
    solution: timeout 0.05 { sleep 1; print late }
    hint: Make the sleep longer than the deadline.
    hint: run timeout 0.05 { sleep 1 }
    ```

    ## The end

    Nothing to run here.
    """

  static let second = """
    ---
    id: demo-two
    title: The second demo
    ---

    ## Only step

    ```scope
    print "two"
    ```

    ```step
    hint: one
    hint: two
    ```
    """

  static func lesson(_ text: String, name: String = "demo.md") throws -> Lesson {
    try Lesson(parsing: text, name: name)
  }

  static func catalog() throws -> LessonCatalog {
    LessonCatalog(lessons: [try lesson(demo), try lesson(second, name: "demo-two.md")])
  }

  /// A session on the demo catalog, with its progress in `store`, its programs run on
  /// `clock`.
  static func harness(
    store: MemoryProgressStore = MemoryProgressStore(),
    clock: any Clock<Duration> = ContinuousClock()
  ) throws -> SessionHarness {
    SessionHarness(lessons: LessonGuide(catalog: try catalog(), store: store), clock: clock)
  }
}
