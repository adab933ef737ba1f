import AsyncScope
import LineEditor

/// `scopelab run PROGRAM [--set NAME=VALUE]... [--trace-format text|jsonl] [--timeline]
/// [--perfetto FILE.json [--force]]`, apart from argument parsing and signals: testable
/// with captured output.
public struct RunCommandCore: Sendable {
  public var source: String
  public var settings: [String]
  public var format: TraceFormat
  public var timeline: Bool
  /// The timeline's width in columns.
  public var width: Int
  public var palette: Palette
  /// `--emit swift|python`: print the program as code and run nothing.
  public var emit: CodeLanguage?
  /// `--perfetto FILE.json`: also write the run as Chrome trace-event JSON
  /// (``PerfettoTrace``), created before the run starts.
  public var perfetto: String?
  /// `--force`: the `--perfetto` file may replace an existing one.
  public var force = false
  /// The clock the program runs on: the continuous clock, or a test's that the test moves.
  public var clock: any Clock<Duration> = ContinuousClock()

  public init(
    source: String,
    settings: [String] = [],
    format: TraceFormat = .text,
    timeline: Bool = false,
    width: Int = 80,
    palette: Palette = .plain
  ) {
    self.source = source
    self.settings = settings
    self.format = format
    self.timeline = timeline
    self.width = width
    self.palette = palette
  }

  /// Exit status 2 for invalid input, otherwise the outcome's: 0 ok, 1 error, 130 Ctrl-C.
  public func run(
    output: any TextOutput,
    errors: any TextOutput,
    controller: RunController = RunController()
  ) async -> Int32 {
    var parameters = Parameters.builtIn
    let applied = parameters.apply(settings: settings)
    if let problem = applied.problem {
      errors.write("error: \(problem.controlCharactersEscapedButLineBreaks)\n")
      return 2
    }
    for note in applied.notes { errors.write("note: \(note)\n") }
    let program: Program
    do {
      program = try Program(parsing: source, checkedAgainst: parameters)
    } catch {
      errors.write(error.rendered + "\n")
      return 2
    }
    if let emit {
      output.write(emit.render(program, parameters: parameters))
      return 0
    }
    let (opened, perfettoFile) = PerfettoTrace.openOutput(perfetto, force: force, errors: errors)
    guard opened else { return 2 }
    let live: any TraceSink =
      switch format {
      case .text: TextTraceSink(output: output, palette: palette)
      case .jsonl: JSONLTraceSink(output: output)
      }
    let (outcome, events) = await program.runRecording(
      parameters: parameters, clock: clock, controller: controller, live: live)
    if timeline {
      let lines = Timeline(events: events, width: width).render(palette: palette)
      let picture = lines.joined(separator: "\n") + "\n"
      (format == .jsonl ? errors : output).write(picture)
    }
    if let perfettoFile {
      defer { perfettoFile.close() }
      let trace = PerfettoTrace(events: events, title: "scopelab run " + source)
      guard trace.write(to: perfettoFile, errors: errors) else { return 2 }
    }
    return outcome.exitStatus
  }
}
