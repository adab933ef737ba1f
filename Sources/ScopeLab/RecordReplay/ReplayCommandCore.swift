import AsyncScope
import LineEditor

/// `scopelab replay FILE... [--speed X] [--check] [--bless] [--trust] [--slack F]
/// [--idle-limit S] [--asciicast OUT.cast [--force] [--size COLSxROWS] [--no-run]]` (and
/// the REPL's `replay`), apart from argument parsing.
///
/// - Live (the default): runs each file's commands for real, shown as if typed, with the
///   recorded pauses scaled by `--speed` and capped by ``idleLimit``; `--asciicast` also
///   writes what the screen showed as an asciicast v2 file (an existing one only with
///   `--force`, and never the transcript replayed), as large as ``castSize``.
/// - `--asciicast OUT --no-run` (``withoutRunning``): writes the cast from the transcript's
///   text alone and runs nothing (``castWithoutRunning(_:file:)``).
/// - `--check`: runs them as fast as possible in a fresh session and compares their
///   output with the file: `ok FILE` / `FAIL FILE` with a diff, `FILE.actual`, and a
///   closing `N passed, N failed`. `--bless` rewrites only the lines that no longer match.
///
/// Exit status: 0 all matched (or played), 1 a mismatch, 2 an error (a file that cannot
/// be read, bad options, consent refused).
public struct ReplayCommandCore: Sendable {
  public var files: [String]
  public var speed: Double = 1
  public var check = false
  public var bless = false
  public var trust = false
  public var slack: Double = 1
  public var asciicast: String?
  /// Whether `--asciicast` may replace an existing file (never the transcript replayed).
  public var force = false
  /// `--size COLSxROWS` as typed: the asciicast's terminal size, and the width the
  /// replay draws timelines at. `nil`: ``terminalSize``.
  public var size: String?
  /// The size of the terminal the replay shows on, if it shows on one: the asciicast's
  /// size when `--size` is not given (``CastSize/standard`` when this is `nil` too).
  public var terminalSize: CastSize?
  /// `--idle-limit S` as typed (`2`, `1.5s`, `none`): the longest pause live replay keeps,
  /// whatever the file recorded, and the asciicast's `idle_time_limit` (players cap every
  /// stretch without output at it). `nil`: pauses are capped at ``defaultIdleLimit`` and
  /// the cast plays at the pace it was made.
  public var idleLimit: String?
  /// `--no-run`: make the asciicast from the transcript's text, running nothing.
  public var withoutRunning = false
  /// The environment: `CI=true` refuses `--bless`.
  public var environment: [String: String] = [:]
  /// For a replay inside a replay: what the person agreed to for the outer one. The files
  /// may then do only that, and nobody is asked again.
  public var agreed: Consent?

  public init(files: [String]) {
    self.files = files
  }

  /// Asks the person at the terminal `question`; `nil` when there is no terminal to ask.
  public typealias Confirm = TranscriptTrust.Confirm

  public func run(
    output: any TextOutput,
    errors: any TextOutput,
    palette: Palette = .plain,
    width: Int = 80,
    controller: RunController = RunController(),
    confirm: Confirm = { _ in nil },
    pause: @escaping @Sendable (Duration) async -> Void = { try? await Task.sleep(for: $0) }
  ) async -> Int32 {
    if let problem = optionProblem {
      errors.write("error: \(problem)\n")
      return 2
    }
    // A transcript that replays itself (or two that replay each other) would never end.
    guard Self.nesting < Self.deepestNesting else {
      errors.write(
        "error: replays nested \(Self.deepestNesting) deep: does a transcript replay itself?"
          + " (not replayed)\n")
      return 2
    }
    return await Self.$nesting.withValue(Self.nesting + 1) {
      await replayFiles(
        output: output, errors: errors, palette: palette, width: width, controller: controller,
        confirm: confirm, pause: pause)
    }
  }

  /// How many replays the current one is inside (0 for one the person started).
  @TaskLocal static var nesting = 0
  /// The most replays one inside another.
  static let deepestNesting = 8

  private func replayFiles(
    output: any TextOutput, errors: any TextOutput, palette: Palette, width: Int,
    controller: RunController, confirm: Confirm,
    pause: @escaping @Sendable (Duration) async -> Void
  ) async -> Int32 {
    var passed = 0
    var failed = 0
    var broken = 0
    for file in files {
      let document: TranscriptDocument
      do {
        document = try TranscriptDocument(contentsOf: file)
      } catch {
        errors.write("error: \(error)\n")
        broken += 1
        continue
      }
      if let warning = document.cutShortWarning { errors.write(warning + "\n") }
      guard document.blocks.contains(where: { !$0.commands.isEmpty }) else {
        errors.write(
          "error: \(file.controlCharactersEscaped): no commands to replay"
            + " (a transcript holds ```scopelab blocks of 'scopelab> ' lines)\n")
        broken += 1
        continue
      }
      if withoutRunning {
        do {
          output.write(try await castWithoutRunning(document, file: file))
        } catch {
          errors.write("error: \(error)\n")
          broken += 1
        }
        continue
      }
      guard let consent = await consent(to: document, file: file, errors: errors, confirm: confirm)
      else {
        broken += 1
        continue
      }
      do {
        if check || bless {
          let outcome = try await TranscriptCheck(slack: slack).run(document, consent: consent)
          let written = writeResults(outcome, file: file, errors: errors)
          output.write(TranscriptCheck.report(outcome, file: file))
          if outcome.passed {
            passed += 1
          } else if bless && written {
            output.write("blessed \(file.controlCharactersEscaped)\n")
            passed += 1
          } else {
            failed += 1
          }
        } else {
          try await play(
            document, file: file, consent: consent, output: output, errors: errors,
            palette: palette, width: width, controller: controller, pause: pause)
        }
      } catch {
        errors.write("error: \(error)\n")
        broken += 1
      }
    }
    if check || bless {
      output.write("\(passed) passed, \(failed) failed\(broken > 0 ? ", \(broken) errors" : "")\n")
    }
    return broken > 0 ? 2 : failed > 0 ? 1 : 0
  }

  /// What is wrong with the options, if anything.
  var optionProblem: String? {
    if files.isEmpty { return "replay needs a transcript file (replay session.md)" }
    guard speed.isFinite, speed > 0 else {
      return "--speed must be a number above 0, like 2 or 0.5"
    }
    guard slack.isFinite, slack >= 1 else { return "--slack must be a number of 1 or more, like 2" }
    if bless && environment["CI"] == "true" {
      return "--bless is refused where CI=true: bless on your own machine and commit the result"
    }
    if asciicast != nil && (check || bless) {
      return "--asciicast records a live replay: leave out --check and --bless"
    }
    if asciicast != nil && files.count > 1 { return "--asciicast takes one transcript" }
    return castProblem ?? asciicastProblem
  }

  /// What is wrong with `--asciicast OUT` and `--force`: OUT is never a transcript being
  /// replayed, and an existing OUT is replaced only with `--force`.
  var asciicastProblem: String? {
    guard let asciicast else { return force ? "--force goes with --asciicast OUT.cast" : nil }
    let shown = asciicast.controlCharactersEscaped
    if files.contains(where: { RegularFile.isSameFile($0, asciicast) }) {
      return "--asciicast \(shown) is the transcript being replayed: name another file"
    }
    if !force, RegularFile.exists(asciicast) {
      return "--asciicast \(shown) exists: add --force to replace it"
    }
    return nil
  }

  /// What the replay of `document` may do: everything with `--trust` or for a built-in
  /// lesson as shipped; otherwise what the person agreed to when asked (each thing listed,
  /// each program whole), and nothing more. `nil` when refused: with no terminal to ask,
  /// a refusal that says how to trust; inside a replay, whatever the outer replay's
  /// consent does not cover.
  private func consent(
    to document: TranscriptDocument, file: String, errors: any TextOutput, confirm: Confirm
  ) async -> Consent? {
    if let agreed { return agreedConsent(agreed, to: document, file: file, errors: errors) }
    return await TranscriptTrust.consent(
      for: TranscriptTrust.concerns(in: document), file: file,
      trusted: trust || TranscriptTrust.isBuiltInLesson(document), confirm: confirm,
      errors: errors)
  }

  /// A replay inside a replay: `--trust` typed inside it counts for nothing; the file may
  /// do what the outer replay's consent covers, and is refused if it needs more.
  private func agreedConsent(
    _ agreed: Consent, to document: TranscriptDocument, file: String, errors: any TextOutput
  ) -> Consent? {
    if agreed.all { return agreed }
    let missing = TranscriptTrust.concerns(in: document).filter { !agreed.allows($0.item) }
    guard let first = missing.first else { return agreed }
    errors.write(
      "error: \(file.controlCharactersEscaped) not replayed: it would run what the replay"
        + " that opened it was not agreed for (\(first)\(missing.count > 1 ? ", and more" : ""))\n")
    return nil
  }

  /// `FILE.actual` after a mismatch (removed after a match), and the blessed file.
  /// Whether the blessed file was written, when blessing. Both are replaced atomically
  /// (`RegularFile.replace`): a symbolic link at either is refused, not followed.
  private func writeResults(
    _ outcome: TranscriptCheck.FileOutcome, file: String, errors: any TextOutput
  ) -> Bool {
    // A check inside a replay writes nothing: the transcript that typed it named no file.
    guard Self.nesting <= 1 else { return true }
    let actualPath = file + ".actual"
    guard !outcome.passed else {
      RegularFile.remove(actualPath)
      return true
    }
    let target = bless ? file : actualPath
    do {
      if bless {
        try RegularFile.replace(file, with: TranscriptCheck.blessedText(outcome))
        RegularFile.remove(actualPath)
      } else {
        try RegularFile.replace(actualPath, with: TranscriptCheck.actualText(outcome))
      }
      return true
    } catch {
      errors.write("error: \(target.controlCharactersEscaped): \(error)\n")
      return false
    }
  }
}
