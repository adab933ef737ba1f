import AsyncScope

/// The REPL's commands (DESIGN.md's REPL contract), in the order `help` lists them: each
/// with its help text and how the rest of its line is read (``Command``).
public enum CommandName: String, Sendable, CaseIterable {
  case help
  case lessons
  case lesson
  case next
  case back
  case step
  case restart
  case whereAmI = "where"
  case show
  case params
  case set
  case reset
  case run
  case compare
  case check
  case trace
  case timeline
  case why
  case rules
  case hint
  case predict
  case edit
  case record
  case replay
  case history
  case quit

  /// The command typed as `word`; `exit` is `quit`.
  public init?(typed word: String) {
    self.init(rawValue: word == "exit" ? "quit" : word)
  }

  /// What `help` says of it.
  public var spec: CommandSpec {
    switch self {
    case .help:
      CommandSpec(
        name: "help", usage: "help [COMMAND|STATEMENT|RULE]",
        summary: "list the commands, or explain one",
        details: """
          With a command name, shows its usage, what it does and an example. With a
          statement of the language (timeout, scope, sleep, ...) or a scope option
          (suppress, slow-exit, ...) explains that, with a program to try; 'help
          durations' explains how durations are written. With a rule's code (TO3, W4,
          PR2, ...) states the rule; 'rules' lists them.
          """,
        example: "help timeout")
    case .lessons:
      CommandSpec(
        name: "lessons", usage: "lessons", summary: "list the lessons",
        details: """
          Shows each lesson's number, id and title, the steps you have done out of its
          steps, and 'finished' when every step is done. '>' marks the open lesson.
          """,
        example: "lessons")
    case .lesson:
      CommandSpec(
        name: "lesson", usage: "lesson [NAME|NUMBER|FILE.md]",
        summary: "open a lesson where you left off",
        details: """
          Opens a lesson by its id or its number in 'lessons', at the step you were at
          (your progress is kept between sessions), with that step's parameters. A path
          ending in .md opens a lesson file of your own. A bare 'lesson' reopens the
          lesson you opened last.
          """,
        example: "lesson sleep-vs-timeout")
    case .next:
      CommandSpec(
        name: "next", usage: "next", summary: "go to the next step",
        details: "Moves to the next step of the open lesson and shows it.", example: "next")
    case .back:
      CommandSpec(
        name: "back", usage: "back", summary: "go to the previous step",
        details: "Moves to the previous step of the open lesson and shows it.", example: "back")
    case .step:
      CommandSpec(
        name: "step", usage: "step N", summary: "go to step N",
        details: "Jumps to step N (from 1) of the open lesson.", example: "step 3")
    case .restart:
      CommandSpec(
        name: "restart", usage: "restart [--force]", summary: "back to the first step",
        details: """
          Goes back to step 1 of the open lesson, resets its parameters and forgets its
          solved exercises and done steps. When it has solved exercises, restart asks
          first; where it cannot ask (a pipe), it needs --force.
          """,
        example: "restart")
    case .whereAmI:
      CommandSpec(
        name: "where", usage: "where", summary: "say which lesson and step are open",
        details: "Prints the open lesson, the step number and its title.", example: "where")
    case .show:
      CommandSpec(
        name: "show", usage: "show [swift|python|source SCOPE]",
        summary: "the step's program as Swift or Python",
        details: """
          Bare show prints the open step again: its prose, program and exercise, and its
          after-run text once you have run the step. show swift and show python print the
          program 'run' runs - the open step's, or
          the one 'edit' gave, else the last one run - as a complete Swift program on
          AsyncScope (what the library does not have, such as a 'scope NAME', written out
          in the file), or an asyncio script, with the current parameters. show source
          SCOPE prints the library's own enter and exit of a built-in scope (timeout,
          runner, process, group, scope). Real code (a step's starter, or your copy
          from 'edit python') is shown as it is written, in its own language only.
          """,
        example: "show python")
    case .params:
      CommandSpec(
        name: "params", usage: "params", summary: "list the parameters",
        details: "Shows each parameter with its value, unit and default.", example: "params")
    case .set:
      CommandSpec(
        name: "set", usage: "set NAME VALUE", summary: "change a parameter",
        details: """
          Durations: \(UserDuration.examples).
          Negative values too, but not for grace. More: help durations.
          """,
        example: "set sleep 3")
    case .reset:
      CommandSpec(
        name: "reset", usage: "reset", summary: "restore the parameters",
        details: """
          Puts every parameter back: to the open step's values in a lesson (and 'run'
          runs the step's program again after 'edit'), otherwise to its default.
          """,
        example: "reset")
    case .run:
      CommandSpec(
        name: "run", usage: "run [PROGRAM]", summary: "run the step's program, or PROGRAM",
        details: """
          Runs real async scopes and prints their trace live, then a timeline. Ctrl-C
          cancels the run: every exit still runs. Statements: timeout D { }, runner { },
          process ARG... { }, scope NAME(OPTIONS) { }, sleep D, busy D, print WORDS,
          throw NAME, try { } catch NAME { }, return, wait, reschedule D ('help timeout'
          and so on). A line that starts with a statement runs without 'run'; while a
          '{' or a quote is open, the next line goes on with the program under '...> '.
          When the current program is real code (a step's starter, or your copy from
          'edit python' or 'edit swift'), a bare run runs it traced, as 'scopelab trace
          FILE' does.
          """,
        example: "run timeout $timeout { sleep $sleep; print done }; print after")
    case .compare:
      CommandSpec(
        name: "compare", usage: "compare [PROGRAM]",
        summary: "run it here and in Python, side by side",
        details: """
          Runs PROGRAM, or the one 'run' runs (the step's, or the one 'edit' gave), else
          the last one run, in scopelab, then its Python view under CPython 3.11+, and
          shows both traces side by side: >> marks the first place they differ, and the
          known differences that explain it are named. Times do not count: only the
          order of events, ids, errors and outcome.
          """,
        example: "compare timeout 0.2 { busy 0.6 }")
    case .check:
      CommandSpec(
        name: "check", usage: "check [NAME --kind timeout|scope]",
        summary: "grade your own scope against the rules",
        details: """
          Grades the scope NAME in the current real code (your copy from 'edit python'
          or 'edit swift', or the step's starter) as 'scopelab check FILE --scope NAME
          --kind KIND' does: a small program per rule (W1-W4; for a timeout TO1,
          TO3-TO6), each held or broken, with the trace that broke it. In a step that
          names its scope ('check: timeout Timeout'), a bare 'check' grades that, and a
          challenge there is solved when every rule holds.
          """,
        example: "check Timeout --kind timeout")
    case .trace:
      CommandSpec(
        name: "trace", usage: "trace", summary: "print the last run's trace again",
        details: "Reprints every line of the last run's trace.", example: "trace")
    case .timeline:
      CommandSpec(
        name: "timeline", usage: "timeline", summary: "draw the last run's timeline again",
        details: "One bar per scope from enter to exit on a common time axis.",
        example: "timeline")
    case .why:
      CommandSpec(
        name: "why", usage: "why", summary: "explain the last run's outcome",
        details: """
          Explains how the last run ended, from its trace, in the words of the rules: the
          scope and the step that decided the outcome (a deadline that passed, an enter that
          failed, an exit that raised or suppressed, a group's first failure, Ctrl-C) and
          the rule's name (TO3, W1, ...), then the scopes the error went through. After
          every run an 'audit:' line checks that every exit ran once, every runner flag is
          false again and no child process is left.
          """,
        example: "why")
    case .rules:
      CommandSpec(
        name: "rules", usage: "rules", summary: "list the rules every run keeps",
        details: """
          Lists the rules that 'why', the audit and the lessons cite by their code (TO3,
          W4, PR2, ...), each with its title; 'help CODE' explains one.
          """,
        example: "help TO3")
    case .hint:
      CommandSpec(
        name: "hint", usage: "hint", summary: "a hint for the current step",
        details: "Shows the open step's hints one at a time, each saying more than the last.",
        example: "hint")
    case .predict:
      CommandSpec(
        name: "predict", usage: "predict OUTCOME", summary: "say how the next run will end",
        details: """
          Before 'run': ok, an error name (TimeoutError, KeyError, ...) or
          KeyboardInterrupt. The run then ends with 'prediction held' or 'prediction did
          not hold' and what to look at in the trace. In a step that asks for a
          prediction, a prediction that held solves the exercise. A prediction belongs to
          the step it was made in: moving to another step drops it.
          """,
        example: "predict TimeoutError")
    case .edit:
      CommandSpec(
        name: "edit", usage: "edit [python | swift]",
        summary: "edit the current program in your editor",
        details: """
          Opens $VISUAL or $EDITOR on the current program (the step's, or the last one
          run). When the editor exits, the edited program is shown and checked, and
          becomes the one 'run', 'show swift' and 'compare' use, until you move to
          another step or type 'step N', 'reset' or 'restart'. 'edit python' and 'edit
          swift' open it as real code: your own copy, kept for each lesson step in
          scopelab's data folder (where your progress is). The first time it starts as
          the step's starter code, or as the program's Python or Swift view with the
          current values; after that it is your work, reopened as you left it. Once
          saved, 'run' runs it traced (as 'scopelab trace FILE'), 'show' shows it and
          'check' grades it; 'step N', 'reset' and 'restart' go back to the step's
          program, and your copy stays. An editor that fails, or a file left as it
          was, changes nothing.
          """,
        example: "edit python")
    case .record:
      CommandSpec(
        name: "record", usage: "record FILE [--force] | record stop",
        summary: "record the session as a transcript",
        details: """
          Writes each command from now on, as typed, and what it prints to FILE: a
          transcript that 'replay FILE' runs again (and 'replay --check' checks). Every
          line is in the file as soon as it is shown. An existing FILE is overwritten
          only if you say so when asked, or with --force. 'record stop' ends it, and so
          do quit and Ctrl-D. 'scopelab --record FILE' records from the first command.
          """,
        example: "record session.md")
    case .replay:
      CommandSpec(
        name: "replay", usage: "replay FILE [--speed X] [--check]",
        summary: "replay a transcript",
        details: "Runs a recorded transcript again; --check compares its output.",
        example: "replay session.md --check")
    case .history:
      CommandSpec(
        name: "history", usage: "history", summary: "list the commands typed so far",
        details: "Prints this session's commands, numbered.", example: "history")
    case .quit:
      CommandSpec(
        name: "quit", usage: "quit", summary: "leave scopelab (or Ctrl-D)",
        details: "Cancels and awaits anything still running, then exits. 'exit' does the same.",
        example: "quit")
    }
  }
}

/// One REPL command as `help` explains it.
public struct CommandSpec: Sendable, Equatable {
  public let name: String
  public let usage: String
  public let summary: String
  public let details: String
  public let example: String

  /// Every command of DESIGN.md's REPL contract, in the order `help` lists them.
  public static var all: [CommandSpec] { CommandName.allCases.map(\.spec) }

  /// The command names, for completion and suggestions.
  public static var names: [String] { all.map(\.name) }

  /// The command called `name`; `exit` is `quit`.
  public static func named(_ name: String) -> CommandSpec? {
    CommandName(typed: name)?.spec
  }

  /// The lines of `help`'s overview: related commands share a line, so that every
  /// command fits on one screen (the commands each line covers, then its text).
  static let overviewGroups: [(names: [CommandName], usage: String, summary: String)] = [
    ([.lessons], "lessons", "list the lessons, with your progress"),
    ([.lesson], "lesson [NAME|NUMBER|FILE.md]", "open a lesson where you left off"),
    ([.next, .back, .step], "next | back | step N", "move between the lesson's steps"),
    (
      [.whereAmI, .show, .restart], "where | show | restart",
      "where you are, the step again, start over"
    ),
    ([.hint], "hint", "the step's hints, one at a time"),
    ([.predict], "predict OUTCOME", "say how the next run will end"),
    ([.run], "run [PROGRAM]", "run the step's program, or PROGRAM"),
    ([.why], "why", "explain how the last run ended, and the rule"),
    ([.rules], "rules | help RULE", "the rules runs keep: TO3, W4, PR2, ..."),
    ([.trace, .timeline], "trace | timeline", "the last run's trace or timeline again"),
    (
      [.edit, .check], "edit [python|swift] | check",
      "edit the program, or as real code; grade your scope"
    ),
    (
      [.params, .set, .reset], "params | set NAME VALUE | reset",
      "see, change, restore parameters"
    ),
    ([], "show swift | show python", "the program as Swift or as Python asyncio"),
    ([], "show source SCOPE", "the library's own enter and exit of a scope"),
    ([.compare], "compare [PROGRAM]", "the same program under CPython, side by side"),
    ([.record], "record FILE | record stop", "record the session as a transcript"),
    ([.replay], "replay FILE [--check]", "replay a transcript, or check it"),
    (
      [.history, .help, .quit], "history | help [COMMAND] | quit", "commands so far, help, leave"
    ),
  ]

  /// What `help` prints: every command on one screen (at most 24 lines of 80 columns).
  public static var overview: String {
    let width = overviewGroups.map(\.usage.count).max() ?? 0
    var text = "Commands:\n"
    for group in overviewGroups {
      text += "  " + group.usage.padded(to: width) + "  " + group.summary + "\n"
    }
    text += "A line that starts with a statement runs it: timeout 1 { sleep 2 }\n"
    text += "More: 'help COMMAND', 'help STATEMENT', 'help durations'. Ctrl-C cancels a run.\n"
    return text
  }
}
