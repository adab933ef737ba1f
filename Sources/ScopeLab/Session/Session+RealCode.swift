import AsyncScope
import LineEditor

/// Real code in the REPL: `edit python|swift` (the learner's own copy, kept per lesson
/// step), a bare `run` of real code traced as `scopelab trace FILE` runs it, `show` of it,
/// and `check`, which grades it as `scopelab check` does.
extension Session {
  /// What a bare `run` runs: the program `edit` gave for this step, or the step's own (a
  /// scope program or its starter code).
  var current: CurrentProgram? {
    if let edited = editedProgram, edited.position == lessons.position { return edited.program }
    if let starter = openStep?.starter { return .starter(starter) }
    return lessons.currentProgram.map(CurrentProgram.scope)
  }

  /// The open lesson's open step, when the navigator is a ``LessonGuide``.
  var openStep: LessonStep? {
    (lessons as? LessonGuide)?.currentStep
  }

  /// Where the learner's copy of the current program in `language` is kept:
  /// `CODE/LESSON-ID/STEP-ID.py`, or `CODE/scratch.py` with no lesson open; `nil` when
  /// the session has no folder for code (``codeDirectory``).
  func codePath(_ language: CodeLanguage) -> String? {
    guard let directory = codeDirectory, !directory.isEmpty else { return nil }
    let base = directory.hasSuffix("/") ? directory : directory + "/"
    let name =
      if let lesson = openLesson, let step = openStep { "\(lesson.id)/\(step.id)" } else {
        "scratch"
      }
    return base + name + "." + language.fileExtension
  }

  /// `edit python`, `edit swift`: the learner's copy of the current program as real code
  /// in their editor; saved, it is what `run`, `show` and `check` use in this step.
  func editCode(_ language: CodeLanguage) async -> CommandResult {
    if let refused = refusal(withoutConsentTo: .edit) { return refused }
    if let starter = openStep?.starter, starter.language != language {
      return fail(
        "this step's program is \(starter.language.displayName) code: 'edit \(starter.language.rawValue)'"
          + " opens it (scopelab does not translate real code)")
    }
    guard let path = codePath(language) else {
      return fail(
        "edit \(language.rawValue) keeps your code in scopelab's data folder, and there is none:"
          + " set HOME or XDG_STATE_HOME")
    }
    let shown = path.controlCharactersEscaped
    let original: String
    if RegularFile.exists(path) {
      // The learner's own work: reopened as it is, never written over.
      do {
        original = String(
          decoding: try RegularFile.read(path, limit: RegularFile.textLimit, noun: "your code"),
          as: UTF8.self)
      } catch {
        return fail("edit: cannot read your copy \(shown): \(error)")
      }
      say("(your copy from before: \(shown))\n")
    } else if let starter = openStep?.starter {
      original = starter.text
    } else if let source = scopeSourceForCode {
      do {
        let program = try Program(parsing: source, checkedAgainst: parameters)
        original = language.render(program, parameters: parameters)
      } catch {
        writeProgramError(error)
        return .invalid
      }
    } else {
      return fail(
        "no program to start from: open a lesson, or run one first (run timeout 2 { sleep 1 })")
    }
    let edited: String
    switch await editText(
      original.trimmingSpaces(), suffix: "." + language.fileExtension, noun: "code")
    {
    case .failure(let failure): return failure.result
    case .success(let text): edited = text
    }
    guard edited != original.trimmingSpaces() else {
      output.write("(unchanged)\n")
      return .done
    }
    if let problem = StateDirectory.makeDirectory(holding: path) {
      return fail("edit: \(problem.controlCharactersEscaped): your code is not saved")
    }
    do {
      try RegularFile.replace(path, with: edited + "\n")
    } catch {
      return fail("edit: cannot save your code to \(shown): \(error)")
    }
    editedProgram = (.file(path: path, language: language), lessons.position)
    say(
      "Saved to \(shown): 'run' runs it traced, 'show' shows it, 'check' grades it"
        + " ('step N' or 'reset' go back to the step's program).\n")
    return .done
  }

  /// The scope program `edit python` turns into code when the learner has no copy: the
  /// step's (or the one `edit` gave), else the last one run.
  private var scopeSourceForCode: String? {
    if case .scope(let source)? = current { return source }
    return lessons.currentProgram ?? lastProgram
  }

  /// Bare `run` of real code: traced live as `scopelab trace FILE` runs it - the trace,
  /// the timeline and the audit - and kept for `why`, `trace` and `timeline`.
  func runCode(_ code: CurrentProgram) async -> CommandResult {
    let isStarter = if case .starter = code { true } else { false }
    let events: [TraceEvent]
    let status: Int32
    switch materialized(code, for: "run") {
    case .failure(let failure): return failure.result
    case .success(let (path, cleanup)):
      defer { cleanup() }
      var core = TraceCommandCore(
        file: path, timeline: true, width: timelineWidth(), palette: palette)
      let recorder = TraceRecorder()
      core.recorder = recorder
      core.traceWidth = fittedScreenWidth
      status = await core.run(
        output: named(output, path, code), errors: named(errors, path, code),
        controller: controller)
      events = recorder.events
    }
    // A syntax or compile error, or no Python: nothing ran.
    guard status != 2 || !events.isEmpty else { return .invalid }
    recordRun(events, language: code.language)
    finishRun(isStepProgram: isStarter)
    return .done
  }

  /// `check [NAME --kind timeout|scope]`: the current real code graded as `scopelab
  /// check FILE --scope NAME --kind KIND` grades it; in a step whose challenge `check`
  /// solves, its verdict.
  func check(_ given: Command.Check?) async -> CommandResult {
    let stepCheck = openStep?.check
    guard let wanted = given ?? stepCheck.map({ Command.Check(scope: $0.scope, kind: $0.kind) })
    else {
      return fail(
        "check which scope? 'check NAME --kind timeout|scope' (this step names none)")
    }
    guard let code = current, code.isRealCode else {
      return fail(
        "check grades real code: 'edit python' (or 'edit swift') writes your own scope first")
    }
    let status: Int32
    switch materialized(code, for: "check") {
    case .failure(let failure): return failure.result
    case .success(let (path, cleanup)):
      defer { cleanup() }
      var core = CheckCommandCore(
        file: path, scope: wanted.scope, kind: wanted.kind, palette: palette)
      // Fitted to the terminal as a run's trace is; one line per verdict in a pipe, a
      // replay or a recording (a lesson's example holds each as one line).
      core.width = fittedScreenWidth
      // At a terminal with a pager, the report (a broken rule's trace makes it long) is
      // kept and paged once the check is done, as `trace`'s is; what it says while it
      // works (compiling) still goes out at once.
      let report = pageBuffer == nil ? nil : CapturedOutput()
      status = await core.run(
        output: named(report ?? output, path, code), errors: named(errors, path, code),
        controller: controller)
      if let report { emit(report.text) }
    }
    guard status == 0 || status == 1 else { return status == 2 ? .invalid : .done }
    // The step's own check of the learner's own code is what solves its challenge.
    if case .file = code, let stepCheck, stepCheck.scope == wanted.scope,
      stepCheck.kind == wanted.kind
    {
      let lines = lessons.checkFinished(passed: status == 0)
      if !lines.isEmpty { say(lines.joined(separator: "\n") + "\n") }
    }
    return .done
  }

  /// `show python|swift` of real code: the code itself, in the language it is written in.
  func showRealCode(_ code: CurrentProgram, as language: CodeLanguage) -> CommandResult {
    guard let written = code.language else { return .done }
    guard written == language else {
      return fail(
        "the current program is real \(written.displayName) code: 'show \(written.rawValue)'"
          + " shows it (scopelab does not translate real code)")
    }
    guard let text = realCodeText(code) else { return .invalid }
    emit(text.hasSuffix("\n") ? text : text + "\n")
    return .done
  }

  /// The text of real code: the starter as written, or the learner's file as saved; `nil`
  /// when the file cannot be read (said on `errors`).
  func realCodeText(_ code: CurrentProgram) -> String? {
    switch code {
    case .scope(let source): return source
    case .starter(let starter): return starter.text
    case .file(let path, _):
      do {
        return String(
          decoding: try RegularFile.read(path, limit: RegularFile.textLimit, noun: "your code"),
          as: UTF8.self)
      } catch {
        _ = fail("cannot read your code \(path.controlCharactersEscaped): \(error)")
        return nil
      }
    }
  }

  /// `stream`, naming a starter's temporary file (a new folder in /tmp each run) by the
  /// step's id (`write-it.py:3: SyntaxError`, `check ... in write-it.py`), so that what a
  /// run of it prints is the same every time - and a lesson's example can check it.
  private func named(_ stream: any TextOutput, _ path: String, _ code: CurrentProgram)
    -> any TextOutput
  {
    guard case .starter(let starter) = code else { return stream }
    let name = (openStep?.id ?? "starter") + "." + starter.language.fileExtension
    return RenamingOutput(base: stream, path: path, name: name)
  }

  /// What leaving the learner's real code for the step's program says: where it stays.
  func codeKeptNote(_ program: CurrentProgram?) -> String {
    guard case .file(let path, let language)? = program else { return "" }
    return
      "(your code stays in \(path.controlCharactersEscaped): 'edit \(language.rawValue)' opens it again)\n"
  }

  /// Real code as a file to run: the learner's file as it is; a step's starter - someone
  /// else's code, which needs consent in a replay - written to a new temporary folder,
  /// removed by the cleanup.
  private func materialized(_ code: CurrentProgram, for command: String)
    -> Result<(String, @Sendable () -> Void), EditFailure>
  {
    switch code {
    case .scope:
      return .failure(EditFailure(fail("\(command): the current program is no real code")))
    case .file(let path, _):
      return .success((path, {}))
    case .starter(let starter):
      if let refused = refusal(
        withoutConsentTo: .code(language: starter.language, source: starter.text))
      {
        return .failure(EditFailure(refused))
      }
      let name = String((openStep?.id ?? "starter").map { $0 == "-" ? "_" : $0 })
      switch starter.temporaryFile(named: name) {
      case .success(let (path, remove)): return .success((path, remove))
      case .failure(let problem):
        return .failure(
          EditFailure(fail("\(command): \(problem.description.controlCharactersEscaped)")))
      }
    }
  }
}

/// Output with every mention of a file's path replaced by a name for it.
struct RenamingOutput: TextOutput {
  let base: any TextOutput
  let path: String
  let name: String

  func write(_ text: String) {
    base.write(text.contains(path) ? text.replacing(path, with: name) : text)
  }
}
