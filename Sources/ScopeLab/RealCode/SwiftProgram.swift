import AsyncScope
import LineEditor
import PosixThread

/// The Swift side of `scopelab trace FILE.swift`: the learner's file compiled with `swiftc`
/// (not SwiftPM) against the AsyncScope that scopelab's own build produced, next to the
/// scopelab executable (`Modules/AsyncScope.swiftmodule`, `libAsyncScopeDynamic.so`,
/// CAsyncScope's module map), and kept in a cache.
///
/// Caches, under `$XDG_CACHE_HOME/scopelab/swift` (``StateDirectory/cachePath(of:)``):
/// `modules/`, swiftc's module cache, and `programs/KEY`, the compiled program, where KEY
/// hashes the source, the compiler (its path, size and time) and the library (the same of
/// its module and shared library) - a second trace of the same file runs at once. A
/// program is compiled to a temporary name beside its place and renamed into it, so an
/// interrupted compile leaves no half binary.
///
/// The file is compiled by the path it was given, so diagnostics name it
/// (`app.swift:3:5: error: ...`). A file with `@main` is compiled as a library's file
/// (`-parse-as-library`), any other as a script with top-level code. What swiftc says
/// about a program that compiles (its warnings) is kept beside it, in `warnings/KEY`.
struct SwiftProgram: Sendable {
  /// Where scopelab's build put AsyncScope.
  var libraryDirectory: String
  /// `swiftc`, resolved.
  var compiler: String
  /// The cache's directory (`.../scopelab/swift`).
  var cache: String

  /// Why there is no program to run.
  enum Failure: Error, Sendable {
    /// The learner's file does not compile: swiftc's diagnostics.
    case diagnostics(String)
    /// Something else, in one line: no swiftc, no AsyncScope module, no cache.
    case unusable(String)
  }

  /// What `check` and `trace` do with a build's result: remove the build's temporary
  /// directory (`temporary`, with the `files` written in it), stop at Ctrl-C, then tell
  /// swiftc's warnings (each run, a cached program's too) and give the program's path; or
  /// write why there is none - the learner's compile errors as `explain` puts them, any
  /// other failure in one line as `describe` puts it - and give the exit status.
  static func finish(
    _ built: Result<Built, any Error>, temporary: String?, files: [String],
    controller: RunController, errors: any TextOutput,
    explain: (String) -> String, describe: (any Error) -> String
  ) -> Result<String, ExitStatus> {
    if let temporary {
      for name in files { RegularFile.remove(temporary + "/" + name) }
      RegularFile.removeDirectory(temporary)
    }
    if controller.wasInterrupted {
      return .failure(
        ExitStatus(RunOutcome.interrupted(signal: controller.stopSignal).exitStatus))
    }
    switch built {
    case .success(let value):
      errors.write(value.warnings.controlCharactersEscapedButLineBreaks)
      return .success(value.path)
    case .failure(Failure.diagnostics(let diagnostics)):
      let explained = explain(diagnostics)
      errors.write(explained.controlCharactersEscapedButLineBreaks)
      if !explained.hasSuffix("\n") { errors.write("\n") }
    case .failure(let error):
      errors.write("error: \(describe(error).controlCharactersEscaped)\n")
    }
    return .failure(ExitStatus(2))
  }

  /// The exit status of a command that has nothing to run.
  struct ExitStatus: Error {
    var status: Int32

    init(_ status: Int32) { self.status = status }
  }

  /// The program's key and path in the cache, whether it is there already, and the
  /// warnings swiftc gave when it compiled it (kept with it, so a cached program tells
  /// them again).
  struct Built: Sendable {
    var path: String
    var cached: Bool
    var warnings: String = ""
  }

  /// Finds the library beside the running executable, `swiftc` on PATH and the cache.
  static func locate() throws(Failure) -> SwiftProgram {
    guard let executable = Self.realPath("/proc/self/exe") else {
      throw .unusable("cannot find scopelab's own executable (/proc/self/exe)")
    }
    let directory = StateDirectory.directory(of: executable)
    for needed in [library, module, moduleMap] where !exists(directory + "/" + needed) {
      throw .unusable(
        "cannot trace Swift: scopelab's build has no \(needed) beside it in "
          + "\(directory) (build scopelab with `swift build`)")
    }
    guard let compiler = Self.onPath("swiftc") else {
      throw .unusable("cannot trace Swift: no swiftc on PATH")
    }
    guard let cache = StateDirectory.cachePath(of: "swift") else {
      throw .unusable("cannot trace Swift: no cache directory (neither XDG_CACHE_HOME nor HOME)")
    }
    return SwiftProgram(libraryDirectory: directory, compiler: compiler, cache: cache)
  }

  static let library = "libAsyncScopeDynamic.so"
  static let module = "Modules/AsyncScope.swiftmodule"
  static let moduleMap = "CAsyncScope.build/module.modulemap"

  /// swiftc's arguments, but for the file and the output. The module cache by its real
  /// path: clang keeps a cached module's path in it and refuses the module under another,
  /// so a `modules` that is a link to a cache shared with others works.
  func arguments(parseAsLibrary: Bool) -> [String] {
    [
      "-swift-version", "6", "-Onone", "-diagnostic-style", "llvm",
      "-module-name", "TracedProgram",
      "-module-cache-path", Self.realPath(cache + "/modules") ?? cache + "/modules",
      "-I", libraryDirectory + "/Modules",
      "-L", libraryDirectory, "-lAsyncScopeDynamic",
      "-Xlinker", "-rpath", "-Xlinker", libraryDirectory,
    ] + moduleMaps.flatMap { ["-Xcc", "-fmodule-map-file=" + $0] }
      + (parseAsLibrary ? ["-parse-as-library"] : [])
  }

  /// The C modules AsyncScope's interface reaches (CAsyncScope, and through
  /// swift-subprocess CSystem and _SubprocessCShims): the module maps SwiftPM generated
  /// beside the build, and those of the packages it checked out (`.build/checkouts`).
  var moduleMaps: [String] {
    var maps = Self.entries(of: libraryDirectory).filter { $0.hasSuffix(".build") }.map {
      libraryDirectory + "/" + $0 + "/module.modulemap"
    }.filter(Self.exists)
    let checkouts = ["/../checkouts", "/../../checkouts"].map { libraryDirectory + $0 }
    if let root = checkouts.first(where: Self.exists) {
      for package in Self.entries(of: root) {
        let sources = root + "/" + package + "/Sources"
        maps += Self.entries(of: sources).map { sources + "/" + $0 + "/include/module.modulemap" }
          .filter(Self.exists)
      }
    }
    return maps.sorted()
  }

  /// The names in a directory; none if it cannot be read.
  static func entries(of directory: String) -> [String] {
    Syscall.directoryEntries(directory) ?? []
  }

  /// Where the program compiled from `source` lives in the cache.
  func place(of source: [UInt8]) -> String {
    place(of: source, parseAsLibrary: Self.hasMain(source))
  }

  /// Where the program compiled from `source` (all its inputs' text: what decides the
  /// program) with those arguments lives in the cache.
  func place(of source: [UInt8], parseAsLibrary: Bool) -> String {
    var identity = arguments(parseAsLibrary: parseAsLibrary).joined(separator: "\u{0}")
    for file in [
      compiler, libraryDirectory + "/" + Self.library, libraryDirectory + "/" + Self.module,
    ] {
      identity += "\u{0}" + file + "\u{0}" + Self.stamp(file)
    }
    let bytes = source + [0] + Array(identity.utf8)
    return cache + "/programs/" + Self.hash(bytes)
  }

  /// The program compiled from the files `inputs` gives (asked only when the cache does not
  /// have it), whose text together is `source`, and the warnings swiftc gave for it, as
  /// `warnings` keeps them from swiftc's words (the learner's, in the learner's terms).
  /// They name the learner's file as `file` (the same program may come from a file of
  /// another name, a step's starter from a new temporary one each run): kept with a mark
  /// in its place, told with this `file`.
  func build(
    source: [UInt8], parseAsLibrary: Bool, file: String, inputs: () throws -> [String],
    warnings: (String) -> String = { $0 },
    compile: (_ arguments: [String]) async throws -> PythonRunner.Finished
  ) async throws -> Built {
    let path = place(of: source, parseAsLibrary: parseAsLibrary)
    let kept = Self.warningsPlace(of: path)
    if Self.exists(path) {
      let said = (try? RegularFile.read(kept, limit: RegularFile.textLimit, noun: "warnings"))
        .map { String(decoding: $0, as: UTF8.self).replacing(Self.fileMark, with: file) }
      return Built(path: path, cached: true, warnings: said ?? "")
    }
    for place in [path, kept] {
      if let problem = StateDirectory.makeDirectory(holding: place) {
        throw Failure.unusable("cannot trace Swift: \(problem)")
      }
    }
    let temporary = path + ".\(Syscall.processID()).partial"
    defer { RegularFile.remove(temporary) }
    let finished = try await compile(
      arguments(parseAsLibrary: parseAsLibrary) + (try inputs()) + ["-o", temporary])
    guard finished.status == 0, finished.stopped == nil else {
      if finished.stopped != nil { throw CancellationError() }
      let words = (finished.output + finished.errors)
      throw Failure.diagnostics(words.isEmpty ? "swiftc failed without a word" : words)
    }
    var said = warnings(finished.output + finished.errors)
    if !said.isEmpty, !said.hasSuffix("\n") { said += "\n" }
    // Kept before the program is: a program in the cache has its warnings beside it.
    RegularFile.remove(kept)
    if !said.isEmpty {
      try? RegularFile.replace(kept, with: said.replacing(file, with: Self.fileMark))
    }
    if case .failure(let error) = Syscall.rename(temporary, path) {
      throw Failure.unusable(
        "cannot trace Swift: cannot keep the program in \(path): "
          + RegularFile.reason(error.rawValue))
    }
    return Built(path: path, cached: false, warnings: said)
  }

  /// What stands for the learner's file in kept warnings.
  static let fileMark = "\u{1}scopelab-file\u{1}"

  /// Where the warnings of the program at `path` (`programs/KEY`) are kept: `warnings/KEY`.
  static func warningsPlace(of path: String) -> String {
    let key = path.split(separator: "/").last.map(String.init) ?? path
    let programs = String(path.dropLast(key.count))
    return String(programs.dropLast("programs/".count)) + "warnings/" + key
  }

  /// Whether the file starts with a `#!` line (a script run as `./file.swift`).
  static func hasHashbang(_ source: [UInt8]) -> Bool {
    source.starts(with: Array("#!".utf8))
  }

  /// `text` with its `#!` line, if any, made a comment (`//` in place of `#!`: the lines
  /// and columns stay), which swiftc accepts in a file that is not the main one.
  static func commentingHashbang(_ text: String) -> String {
    text.hasPrefix("#!") ? "//" + text.dropFirst(2) : text
  }

  /// The learner's file as a copy compiles: the `#!` line a comment, after a directive
  /// that gives diagnostics the learner's name (`file`) and lines.
  static func commentedHashbang(_ source: [UInt8], named file: String) -> String {
    "#sourceLocation(file: \"\(SwiftLiteral.escaped(file))\", line: 1)\n"
      + commentingHashbang(String(decoding: source, as: UTF8.self))
  }

  /// swiftc's diagnostics (llvm style) but those about files in `directory` (scopelab's
  /// own, written there: a temporary path is never shown), each note with the diagnostic
  /// before it.
  static func diagnostics(_ text: String, outside directory: String?) -> String {
    var kept: [String] = []
    var keeping = false
    for block in SwiftCheckInputs.blocks(text) {
      if !block.header.contains(": note: ") {
        keeping = directory.map { !block.header.hasPrefix($0 + "/") } ?? true
      }
      if keeping { kept += block.lines }
    }
    return kept.isEmpty ? "" : kept.joined(separator: "\n") + "\n"
  }

  /// Whether the file declares its entry point (`@main`) rather than top-level code.
  static func hasMain(_ source: [UInt8]) -> Bool {
    let text = String(decoding: source, as: UTF8.self)
    return text.split(separator: "\n").contains {
      $0.drop { $0 == " " || $0 == "\t" }.hasPrefix("@main")
    }
  }

  /// 128 bits of FNV-1a (two 64-bit passes from different bases), as hex.
  static func hash(_ bytes: [UInt8]) -> String {
    func fnv(_ basis: UInt64) -> UInt64 {
      var value = basis
      for byte in bytes {
        value ^= UInt64(byte)
        value &*= 0x100_0000_01b3
      }
      return value
    }
    return [fnv(0xcbf2_9ce4_8422_2325), fnv(0x6c62_272e_07bb_0142)].map {
      let digits = String($0, radix: 16)
      return String(repeating: "0", count: 16 - digits.count) + digits
    }.joined()
  }

  /// A file's size and modification time, or "-" when it cannot be read.
  static func stamp(_ path: String) -> String {
    Syscall.stamp(path) ?? "-"
  }

  static func exists(_ path: String) -> Bool {
    Syscall.exists(path)
  }

  static func realPath(_ path: String) -> String? {
    Syscall.realPath(path)
  }

  /// `name` on PATH, as found there (not resolved: `swiftc` is a link to the driver,
  /// which goes by the name it is run under; its stamp is the file's it leads to).
  static func onPath(_ name: String) -> String? {
    let path = Syscall.environment("PATH") ?? "/usr/bin:/bin"
    for directory in path.split(separator: ":", omittingEmptySubsequences: true) {
      let candidate = String(directory) + "/" + name
      if Syscall.isExecutable(candidate) { return candidate }
    }
    return nil
  }

  /// The name `run` gives the error that ended the program, from what the Swift runtime
  /// printed (`Fatal error: Error raised at top level: DESCRIPTION`, from
  /// `String(reflecting:)`) and the last error that left an outermost scope (the library's
  /// own name for it, when the description or the type's name is that error's):
  /// (name, context, detail).
  static func topLevelError(
    in errors: String,
    lastLeft: (name: String, context: String?, detail: String, description: String)?
  ) -> (name: String, context: String?, detail: String?)? {
    let marker = "Error raised at top level: "
    guard let line = errors.split(separator: "\n").first(where: { $0.contains(marker) }),
      let start = line.firstRange(of: marker)
    else { return nil }
    let description = String(line[start.upperBound...])
    // `TracedProgram.Main.KeyError()`: the type's name.
    let name =
      description.prefix { $0 != "(" && $0 != ":" && $0 != " " }
      .split(separator: ".").last.map(String.init) ?? ""
    if let lastLeft, lastLeft.description == description || lastLeft.name == name {
      return (lastLeft.name, lastLeft.context, lastLeft.detail)
    }
    return (name.isEmpty ? "Error" : String(name), nil, nil)
  }
}
