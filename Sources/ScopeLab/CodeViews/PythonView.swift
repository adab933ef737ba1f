import AsyncScope

/// The Python view of a scope program: a complete asyncio script (CPython 3.11+).
///
/// The program becomes `async def main():` on the standard library's own scopes
/// (`asyncio.timeout`, `asyncio.TaskGroup`) and a few short helpers printed once above
/// it (`Runner`, `Process`, `Scope`, `busy`, the error classes it throws). A traced
/// script adds a tracing section that wraps those context managers so that the same
/// program prints scopelab's JSONL events; the program text itself does not change.
public enum PythonView {
  /// A complete asyncio script (CPython 3.11+) for `program` with `parameters`' current
  /// values as constants at the top.
  /// `traced`: also print the JSONL trace events (same keys as scopelab's
  /// `--trace-format jsonl`) - used by tests and by `compare`. In a traced script a
  /// `print` statement prints its `print` event instead of its text.
  public static func render(_ program: Program, parameters: Parameters, traced: Bool = false)
    -> String
  {
    var writer = PythonProgramWriter(parameters: parameters)
    writer.statements(program.statements, indent: 1)
    let uses = writer.uses
    var sections = [PythonHelpers.imports(uses, traced: traced)]
    sections.append(
      "# --- parameters ---\n"
        + parameters.order.map { name in
          "\(PythonProgramWriter.constant(name)) = "
            + PythonProgramWriter.seconds(parameters.entries[name]?.value ?? .unlimited)
        }.joined(separator: "\n"))
    let helpers = PythonHelpers.helpers(uses, traced: traced)
    if !helpers.isEmpty {
      sections.append("# --- helpers ---\n" + helpers.joined(separator: "\n\n\n"))
    }
    if traced {
      sections.append(
        "# --- tracing: prints scopelab's JSONL events (for compare) ---\n"
          + PythonHelpers.tracing(uses))
    }
    sections.append(
      "# --- the program ---\nasync def main():\n" + writer.lines.joined(separator: "\n"))
    sections.append(traced ? tracedEnding : ending)
    return sections.joined(separator: "\n\n\n") + "\n"
  }

  private static let ending = """
    try:
        value = asyncio.run(main())
    except BaseException as error:
        print(f"=> {type(error).__name__}: {error}" if str(error) else f"=> {type(error).__name__}")
        raise SystemExit(1)
    print("=> ok" if value is None else f"=> ok: {value}")
    """

  private static let tracedEnding = """
    try:
        value = asyncio.run(main())
    except BaseException as error:
        emit("result", outcome=error_name(error), error=error_name(error), value=None)
    else:
        emit("result", outcome="ok", error=None, value=value)
    """
}
