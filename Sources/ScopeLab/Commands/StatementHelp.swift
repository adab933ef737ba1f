/// A statement, scope option or topic of the program language, as `help` explains it
/// (`help timeout`, `help slow-exit`, `help durations`).
///
/// Every ``example`` is a program that runs as written: typed at the prompt it runs at
/// once, as a line that begins with a statement does.
public struct StatementHelp: Sendable, Equatable {
  /// The word after `help`: `timeout`, `try`, `slow-exit`, `durations`.
  public let name: String
  /// Other words that find it: `catch` for `try`, `slow-exit=D` for `slow-exit`.
  public let aliases: [String]
  /// How it is written: `timeout D { ... }`.
  public let usage: String
  /// A few plain sentences.
  public let details: String
  /// A program that shows it.
  public let example: String

  /// What `help NAME` prints.
  public var text: String {
    "usage: \(usage)\n\(TextLayout.unwrapped(details))\nexample: \(example)\n"
  }

  /// The topic `help word` means, if any.
  public static func named(_ word: String) -> StatementHelp? {
    all.first { $0.name == word || $0.aliases.contains(word) }
  }

  /// Every word `help` explains besides the commands, for completion and suggestions.
  public static var topicNames: [String] { all.map(\.name) }

  /// The statements, then the scope options, then durations.
  public static let all: [StatementHelp] = statements + options + [durations]

  static let statements: [StatementHelp] = [
    StatementHelp(
      name: "timeout", aliases: [], usage: "timeout D { ... }",
      details: """
        Runs the block with a deadline D from now. If the block is still running when
        the deadline passes, it is cancelled: a sleep in it ends at once, and the
        timeout's exit turns that cancellation into TimeoutError. A block that finishes
        in time is not touched. D is a duration (help durations); inf or none means no
        deadline.
        The deadline cancels only the block, which runs in a task of its own, so the
        code after a caught TimeoutError is not cancelled (rule TO1). asyncio.timeout
        cancels the current task instead, and takes that back with uncancel() in its
        __aexit__ (Python 3.11+).
        """,
      example: "timeout 0.3 { sleep 1; print never }"),
    StatementHelp(
      name: "runner", aliases: [], usage: "runner { ... }",
      details: """
        A scope with a flag: enter sets running = true, exit sets it back to false -
        however the block ends, even by an error or Ctrl-C. The trace shows both
        changes.
        """,
      example: "runner { sleep 0.1; print working }"),
    StatementHelp(
      name: "process", aliases: [], usage: "process ARG... { ... }",
      details: """
        Starts the command ARG... when the scope is entered (quoted like a shell, but
        no shell runs it) and runs the block while the child runs. If the block ends
        normally, exit waits for the child. After an error or a cancellation exit sends
        SIGTERM, waits up to $grace, then SIGKILL. Either way the child is reaped, and
        its exit status is a result, not an error. 'wait' in the block waits for it.
        """,
      example: "process sh -c \"echo hi; exit 3\" { wait }"),
    StatementHelp(
      name: "scope", aliases: ["options"], usage: "scope NAME(OPTIONS) { ... }",
      details: """
        A scope that only shows up in the trace: enter, the block, exit with what it
        received. Options in parentheses, separated by commas, change what it does:
          suppress        exit suppresses the error it receives
          fail-enter      enter throws EnterError; the block and exit never run
          throw-exit      exit throws ExitError, replacing the error in flight
          slow-enter=D    enter takes D before the block starts
          slow-exit=D     exit takes D, even when the run is being cancelled
        'help suppress' and so on explain each. Scopes in a list nest: 'scope A,
        scope B { ... }' means 'scope A { scope B { ... } }'.
        """,
      example: "scope A { scope B(suppress) { throw KeyError } }; print after"),
    StatementHelp(
      name: "group", aliases: ["taskgroup"], usage: "group { ... task { ... } ... }",
      details: """
        A task group, like Python's async with asyncio.TaskGroup(): each 'task' in the
        block runs at once, up to its first await, then beside the rest. Exit waits for every task, however
        the block ended. The first task (or the block) to fail with an error cancels all
        the others; once they have ended the group throws that error, naming the others'
        errors with it. A deadline or Ctrl-C outside cancels every task.
        """,
      example: "group { task { sleep 0.2; print a }; task { sleep 0.1; print b } }; print after"),
    StatementHelp(
      name: "task", aliases: [], usage: "task { ... }",
      details: """
        Inside a group: starts the block as a concurrent child task of the nearest
        enclosing group and goes on at once, without waiting for it. The trace shows it
        as a scope of its own (task#1), from its start to its end; 'return' cannot be
        used in it.
        """,
      example: "timeout 1 { group { task { sleep 3 }; task { sleep 0.2; throw KeyError } } }"),
    StatementHelp(
      name: "sleep", aliases: [], usage: "sleep D",
      details: """
        Sleeps for D. The sleep checks for cancellation: when a timeout's deadline
        passes or Ctrl-C cancels the run, it ends at once with CancellationError.
        A negative or zero D returns at once.
        """,
      example: "sleep 0.2; print awake"),
    StatementHelp(
      name: "busy", aliases: [], usage: "busy D",
      details: """
        Keeps the CPU busy for D without ever checking for cancellation. Swift code
        awaits it (await busy(for: D)), but it only yields now and then, and an await
        that does not check is not where a cancellation lands. A timeout that fires
        meanwhile cannot stop it:
        the block goes on until busy ends, and a block that then finishes without
        error ends the timeout with ok, not TimeoutError (rule TO4).
        """,
      example: "timeout 0.1 { busy 0.3; print finished }"),
    StatementHelp(
      name: "print", aliases: [], usage: "print WORDS | print \"text\"",
      details: """
        Prints its words, separated by single spaces, as a line of the trace. Quote
        text to keep several spaces or characters like ; { }. $name is replaced by a
        parameter's value, except inside single quotes.
        """,
      example: "print \"sleep is\" $sleep; print 'not $sleep'"),
    StatementHelp(
      name: "throw", aliases: [], usage: "throw NAME",
      details: """
        Throws an error called NAME (any name: KeyError, Boom, ...). It leaves every
        enclosing scope, whose exits receive it, until a try/catch catches it or a
        scope suppresses it; otherwise it is the outcome of the run.
        """,
      example: "scope A { throw KeyError }"),
    StatementHelp(
      name: "try", aliases: ["catch"], usage: "try { ... } catch NAME { ... } catch { ... }",
      details: """
        Runs the block; if it throws the error NAME, that catch block runs instead and
        the program goes on after it. A catch without a name catches anything,
        cancellation included - which is how a program swallows a cancellation by
        mistake. A catch may start on the line after the '}' before it.
        """,
      example: "try { timeout 0.2 { sleep 1 } } catch TimeoutError { print caught }"),
    StatementHelp(
      name: "return", aliases: [], usage: "return [VALUE]",
      details: """
        Ends the whole program at once with outcome ok (and VALUE, if given). Every
        scope on the way out still exits, and receives no error.
        """,
      example: "scope A { return 42; print never }"),
    StatementHelp(
      name: "wait", aliases: [], usage: "wait",
      details: """
        Inside a process block: waits until the child process exits. Without it the
        block may end first, and then the process scope's exit waits for the child.
        """,
      example: "process sleep 0.2 { wait; print \"child done\" }"),
    StatementHelp(
      name: "reschedule", aliases: [], usage: "reschedule D",
      details: """
        Inside a timeout block: moves the deadline of the nearest enclosing timeout to
        D from now - later or sooner; inf or none takes the deadline away.
        """,
      example: "timeout 0.2 { reschedule 1; sleep 0.3; print \"still here\" }"),
  ]

  static let options: [StatementHelp] = [
    StatementHelp(
      name: "suppress", aliases: [], usage: "scope NAME(suppress) { ... }",
      details: """
        The scope's exit suppresses the error it receives, as a Python __aexit__ that
        returns True: the program goes on after the block. It cannot suppress a
        cancellation it did not cause (rule W4); the trace says so.
        """,
      example: "scope A(suppress) { throw KeyError }; print after"),
    StatementHelp(
      name: "fail-enter", aliases: [], usage: "scope NAME(fail-enter) { ... }",
      details: """
        The scope's enter throws EnterError. The block never runs and neither does
        exit: exit only runs after an enter that succeeded (rule W1).
        """,
      example: "scope A(fail-enter) { print never }"),
    StatementHelp(
      name: "throw-exit", aliases: [], usage: "scope NAME(throw-exit) { ... }",
      details: """
        The scope's exit throws ExitError. It replaces the error in flight, which the
        outcome keeps as context: "ExitError during handling of KeyError" (rule W3).
        """,
      example: "scope A(throw-exit) { throw KeyError }"),
    StatementHelp(
      name: "slow-enter", aliases: ["slow-enter=D", "slow-enter="],
      usage: "scope NAME(slow-enter=D) { ... }",
      details: """
        The scope's enter takes D before the block starts. It is a sleep that checks
        for cancellation: if a timeout's deadline passes meanwhile, enter fails with
        CancellationError, and the block and exit never run (rule W1).
        """,
      example: "scope A(slow-enter=0.2) { print entered }"),
    StatementHelp(
      name: "slow-exit", aliases: ["slow-exit=D", "slow-exit="],
      usage: "scope NAME(slow-exit=D) { ... }",
      details: """
        The scope's exit takes D before it finishes. Cleanup survives cancellation
        (rule W5): even after a timeout fired, exit still takes its full D, and the
        timeout ends only after it.
        """,
      example: "timeout 0.1 { scope A(slow-exit=0.3) { sleep 1 } }"),
  ]

  static let durations = StatementHelp(
    name: "durations", aliases: ["duration", "D"],
    usage: "timeout D, sleep D, busy D, reschedule D, slow-enter=D, slow-exit=D, set NAME D",
    details: """
      A number with a unit: ns, us, ms, s, m or min, h - 500ms, 1.5s, 2m. A bare number
      is seconds: 2 is 2s, 0.25 is 250ms. Zero and negative values are allowed (a
      deadline already passed, a sleep that returns at once); inf or none means no
      limit. In a program $name uses a parameter ('params'). NaN or garbage is an error.
      """,
    example: "timeout 500ms { sleep 0.1; print quick }; sleep -1; timeout none { sleep 0 }")
}
