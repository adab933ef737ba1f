import AsyncScope

/// The programs the code views are proved on: every DESIGN.md example, every construct
/// and option of the language, and the tricky cases of Lessons/rules.md. The generated Swift
/// and Python of each must behave like scopelab's own run of it (events, order, outcome).
///
/// Keep each program short-running (well under a second) so the proofs stay fast.
public enum ProgramCorpus {
  /// One program, with a name usable as an identifier (`seed_done`).
  public struct Entry: Sendable, Equatable {
    public let name: String
    public let source: String
    /// Parameter values set before it runs (`sleep=3`), as `--set` takes them.
    public let settings: [String: String]

    public init(_ name: String, _ source: String, settings: [String: String] = [:]) {
      self.name = name
      self.source = source
      self.settings = settings
    }
  }

  /// The written programs, then every built-in lesson's.
  public static let all: [Entry] = written + lessons

  /// The known differences each program's Python view shows beside scopelab's run, by
  /// name (the rest of the two traces must match); a program not named shows none.
  public static let pythonDifferences: [String: Set<KnownDifference>] = [
    "busy_past_deadline": [.busyBlocksTheLoop],
    "group_order": [.exitOrder],
    "group_failure": [.exitOrder, .exceptionGroup],
    "nested_groups": [.exitOrder, .taskStartsLater],
    "group_two_failures": [.busyBlocksTheLoop, .exceptionGroup, .exitOrder],
    // The lessons' programs.
    "lesson_sleep_vs_timeout_6": [.busyBlocksTheLoop],
    "lesson_cancellation_2": [.busyBlocksTheLoop],
    "lesson_task_groups_1": [.exitOrder],
    "lesson_task_groups_2": [.exitOrder, .exceptionGroup],
    "lesson_task_groups_3": [.exitOrder],
    "lesson_task_groups_4": [.busyBlocksTheLoop, .exceptionGroup, .exitOrder],
    "lesson_task_groups_5": [.exceptionGroup, .exitOrder],
  ]

  /// Programs whose run and Python view take different paths by design: from the
  /// difference on, nothing is comparable, and `compare` must name it instead.
  public static let partingFromPython: [String: KnownDifference] = [
    "lesson_cancellation_3": .stickyCancellation,
    "refused_suppress": .suppressedCancellation,
    "lesson_cancellation_4": .suppressedCancellation,
    "lesson_cancellation_6": .stickyCancellation,
    "lesson_errors_and_suppression_3": .suppressedCancellation,
  ]

  /// The programs written for the corpus.
  public static let written: [Entry] = [
    // DESIGN.md's examples, shortened where they would take seconds.
    Entry("seed_done", #"timeout 0.2 { sleep 0.1; print "done" }; print "after""#),
    Entry(
      "seed_parameters", #"timeout $timeout { sleep $sleep; print "done" }; print "after""#,
      settings: ["sleep": "0.3", "timeout": "0.1"]),
    Entry("runner", "runner { sleep 0.05 }"),
    Entry("process_status", #"process sh -c "echo hi; exit 3" { wait }"#),
    // Half a second: time for both runtimes to start the child on a busy machine first.
    Entry("process_teardown", "timeout 0.5 { runner { process sleep 10 { wait } } }"),
    Entry("named_scopes", "scope A { scope B { print body } }"),
    Entry("catch_timeout", "try { timeout 0.1 { sleep 1 } } catch TimeoutError { print caught }"),
    Entry(
      "group_order",
      "group { task { sleep 0.2; print a }; task { sleep 0.1; print b } }; print after"),
    Entry(
      "group_failure",
      "timeout 1 { group { task { sleep 3 }; task { sleep 0.1; throw KeyError } } }"),
    // Every construct and option.
    Entry("suppress", "scope A(suppress) { throw KeyError }; print after"),
    Entry("fail_enter", "scope A(fail-enter) { print never }"),
    Entry("throw_exit", "scope A(throw-exit) { throw KeyError }"),
    Entry("slow_exit", "timeout 0.1 { scope A(slow-exit=0.1) { sleep 1 } }"),
    Entry("slow_enter", "scope A(slow-enter=0.05) { print entered }"),
    Entry("list_of_scopes", "scope A, scope B { print both }"),
    Entry("catch_any", "try { throw KeyError } catch { print caught }"),
    Entry(
      "catch_named",
      "try { throw KeyError } catch ValueError { print no } catch KeyError { print yes }"),
    Entry("return_value", "scope A { return 42 }; print never"),
    // Error names that are no Swift identifier, or would hide one the view uses.
    Entry(
      "odd_error_names",
      "try { throw Key-Error } catch Key.Error { print wrong } catch Key-Error { print right }; "
        + "scope self { try { throw Runner } catch Runner { print caught } }; throw class"),
    // A caught error that the trace tells more about: an exit's error that replaced the
    // body's, a body error raised after its timeout expired. Thrown, and caught, as itself.
    Entry(
      "catch_exit_error",
      "try { scope A(throw-exit) { throw KeyError } } catch ExitError { print caught }"),
    Entry(
      "catch_late_error",
      "try { timeout 0.05 { try { sleep 1 } catch { throw KeyError } } } catch KeyError { print caught }"
    ),
    Entry("reschedule", "timeout 5 { reschedule 0.05; sleep 1 }"),
    Entry("reschedule_none", "timeout 0.05 { reschedule none; sleep 0.1; print kept }"),
    Entry("zero_timeout", "timeout 0 { sleep 0 }"),
    Entry("negative_sleep", "sleep -1; print at-once"),
    Entry("quoted_text", #"print "two words" 'it''s' "a \"quote\"""#),
    // Lessons/rules.md's tricky cases.
    Entry("nested_inner_expires", "timeout 5 { timeout 0.05 { sleep 1 } }"),
    Entry("nested_outer_expires", "timeout 0.05 { timeout 5 { sleep 1 } }"),
    Entry("refused_suppress", "timeout 0.05 { scope A(suppress) { sleep 1 } }"),
    Entry("error_after_expiry", "timeout 0.05 { try { sleep 1 } catch { throw KeyError } }"),
    Entry("busy_past_deadline", "timeout 0.05 { busy 0.15 }"),
    Entry(
      "nested_groups",
      "group { task { group { task { sleep 0.05; print deep } } }; sleep 0.02; print body }"),
    Entry(
      "group_two_failures",
      "group { task { sleep 0.05; throw KeyError }; task { busy 0.1; throw ValueError } }"),
  ]

  /// Lesson programs left out. Two sleep for seconds so that the learner has time to
  /// press Ctrl-C, which is their point; run to the end they show nothing new. In two,
  /// things happen to two tasks at the same moment (both fail; both are cancelled), so
  /// their order differs from run to run (the lesson shows that): no two runs of them
  /// can be compared event by event.
  static let leftOut: Set<String> = [
    "lesson_runner_flag_6", "lesson_cancellation_1", "lesson_task_groups_6",
    "lesson_task_groups_3_solution",
  ]

  /// Every step program and challenge solution of the built-in lessons, with the
  /// parameters its step opens with (`lesson_sleep_vs_timeout_2`,
  /// `lesson_sleep_vs_timeout_3_solution`); each distinct program once.
  public static let lessons: [Entry] = {
    var entries: [Entry] = []
    var seen: Set<String> = []
    for lesson in LessonCatalog.builtIn.lessons {
      for (index, step) in lesson.steps.enumerated() {
        let parameters = lesson.parameters(atStep: index + 1)
        var sources: [(String, String)] = []
        if let program = step.program { sources.append(("", program)) }
        if case .challenge(let challenge)? = step.exercise, let solution = challenge.solution {
          sources.append(("_solution", solution))
        }
        for (suffix, source) in sources {
          let name =
            "lesson_" + lesson.id.replacing("-", with: "_") + "_\(index + 1)" + suffix
          guard !leftOut.contains(name), let program = try? Program(parsing: source) else {
            continue
          }
          var settings: [String: String] = [:]
          for used in program.parameterNames {
            guard let value = try? parameters.value(used),
              value != Parameters.builtIn.entries[used]?.defaultValue
            else { continue }
            settings[used] = value.description
          }
          let key = source + "\u{0}" + settings.sorted { $0.key < $1.key }.description
          guard seen.insert(key).inserted else { continue }
          entries.append(Entry(name, source, settings: settings))
        }
      }
    }
    return entries
  }()
}
