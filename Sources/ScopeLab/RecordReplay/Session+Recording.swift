import AsyncScope
import LineEditor

/// `record FILE [--force]` and `record stop`: the session written to a transcript as it
/// happens (``TranscriptRecorder``).
///
/// What `record` itself prints (`recording to FILE`, its errors) goes to the streams
/// untapped: the transcript holds the other commands and their output, not the
/// recording's own business.
extension Session {
  /// `record FILE [--force]` or `record stop`.
  func record(_ record: Command.Record) async -> CommandResult {
    switch record.action {
    case .stop:
      return stopRecording()
    case .start(let path, let force):
      if let refused = refusal(withoutConsentTo: .record(record.arguments)) { return refused }
      return await startRecording(
        to: path, force: force, overwriteHint: "record \(path) --force")
    }
  }

  /// `record` with arguments that do not fit: said as `record`'s own errors are, after what
  /// a replay's consent says (which comes first for any `record` but `record stop`).
  func recordProblem(_ problem: Command.Problem) -> CommandResult {
    if let refused = refusal(withoutConsentTo: .record(problem.arguments)) { return refused }
    return refuse(problem.message)
  }

  /// Starts recording to `path`: the front matter says which lesson and step are open and
  /// which parameters differ from their defaults; every command from now on is written.
  ///
  /// An existing file is overwritten with `force`, or if the user says yes to
  /// ``Session/confirmation``; with no way to ask (a pipe) it is refused, and
  /// `overwriteHint` is the command that would overwrite it.
  public func startRecording(
    to path: String, force: Bool, overwriteHint: String
  ) async -> CommandResult {
    if let current = recorder {
      return refuse(
        "already recording to \(current.path.echoed(limit: 200)): 'record stop' first")
    }
    let shown = path.echoed(limit: 200)
    var overwrite = force
    if !force, RegularFile.exists(path), !RegularFile.isDirectory(path) {
      guard let confirmation = confirmation else {
        return refuse("\(shown) exists; use '\(overwriteHint.echoed(limit: 200))' to overwrite")
      }
      guard await confirmation("\(shown) exists - overwrite? [y/N] ") else {
        tap.plainOutput.write("not recording: \(shown) is left as it was\n")
        return .done
      }
      overwrite = true
    }
    let recorder: TranscriptRecorder
    do {
      recorder = try TranscriptRecorder(
        creating: path,
        header: recordingHeader(for: path),
        overwrite: overwrite)
    } catch {
      if error.exists {
        return refuse("\(shown) exists; use '\(overwriteHint.echoed(limit: 200))' to overwrite")
      }
      return refuse(error.description)
    }
    tap.plainOutput.write("recording to \(shown) (record stop to end)\n")
    tap.attach(recorder)
    return .done
  }

  /// The front matter of a recording to `path` begun now: the open lesson and step, the
  /// changed parameters. A lesson opened from a file is named by that file, relative to
  /// the recording's folder, so the recording replays from anywhere.
  func recordingHeader(for path: String) -> TranscriptHeader {
    let folder = StateDirectory.directory(of: path)
    var header = TranscriptHeader(position: lessons.position, parameters: parameters)
    if let lesson = openLesson, LessonCatalog.builtIn.lesson(lesson.id) != lesson {
      header.lesson = TranscriptDocument.relativePath(of: lesson.source, from: folder)
    }
    if let guide = lessons as? LessonGuide, guide.progress != LessonProgress() {
      // Lessons from files by their path from the recording, as `lesson:` names them.
      let snapshot = guide.progress.rekeyingFiles {
        "file:" + TranscriptDocument.relativePath(of: $0, from: folder)
      }
      header.progress = snapshot.tree.printed(oneLine: true)
    }
    return header
  }

  /// The transcript being recorded, if one is: what the session's streams are tapped into.
  var recorder: TranscriptRecorder? { tap.sink as? TranscriptRecorder }

  /// `record stop`: the closing fence written, the file closed.
  @discardableResult
  public func stopRecording() -> CommandResult {
    guard recorder != nil else {
      return refuse("not recording (start with 'record FILE')")
    }
    finishRecording()
    return .done
  }

  /// Ends the transcript being recorded, if there is one, and says so: at `record stop`,
  /// `quit`, the end of input, a stop signal.
  public func finishRecording() {
    guard let recorder = tap.detach() as? TranscriptRecorder else { return }
    let count = recorder.finish()
    if let failure = recorder.failure {
      recordingFailed = true
      _ = refuse("\(failure.description); the transcript ends there")
      return
    }
    let commands = count == 1 ? "1 command" : "\(count) commands"
    tap.plainOutput.write(
      "recording stopped: \(recorder.path.echoed(limit: 200)) (\(commands))\n")
  }

  /// Writes a command as it was typed to the transcript, if one is being recorded, behind
  /// the prompt it was typed at: not a blank line, nor a `record` command. `parsed` is
  /// what it reads as, when the caller has read it already.
  public func recordTyped(_ typed: TypedCommand, as parsed: Command.Parsed? = nil) {
    guard let recorder = recorder else { return }
    if let failure = recorder.failure {
      recordingFailed = true
      tap.detach()
      recorder.finish()
      _ = refuse("\(failure.description); recording stopped")
      return
    }
    let text = typed.lines.joined(separator: "\n").trimmingSpaces()
    guard !text.isEmpty, (parsed ?? Command.parse(text)).name != .record else { return }
    recorder.command(
      prompt: prompt, lines: Self.portable(typed.lines, recordingTo: recorder.path),
      wait: typed.wait)
  }

  /// A command as a recording keeps it: a file it names (`lesson FILE.md`, `replay FILE`)
  /// is written relative to the recording's folder, where replay looks for it.
  static func portable(_ lines: [String], recordingTo path: String) -> [String] {
    guard lines.count == 1, let line = lines.first else { return lines }
    let (name, rest) = Command.split(line.trimmingSpaces())
    guard name == "lesson" || name == "replay" else { return lines }
    let folder = StateDirectory.directory(of: path)
    let words = rest.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
    var previous = ""
    let rewritten = words.map { word in
      defer { previous = word }
      let namesFile =
        name == "lesson"
        ? LessonGuide.namesFile(word) : !word.hasPrefix("-") && previous != "--speed"
      guard namesFile, !word.isEmpty, !word.contains(where: \.isWhitespace) else { return word }
      return TranscriptDocument.relativePath(of: word, from: folder)
    }
    return [([name] + rewritten).joined(separator: " ")]
  }

  /// An error of `record`'s own, kept out of the transcript.
  private func refuse(_ message: String) -> CommandResult {
    tap.plainErrors.write(
      palette.error("error:") + " " + message.controlCharactersEscapedButLineBreaks + "\n")
    return .invalid
  }
}
