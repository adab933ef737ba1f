import PosixThread
public import Subprocess

#if canImport(System)
  public import System
#else
  public import SystemPackage
#endif

/// How a process scope's child dies with this process, even when it is killed with
/// SIGKILL: `prctl(PR_SET_PDEATHSIG, SIGKILL)` in the child, between fork and exec.
///
/// swift-subprocess offers no hook that runs in the child before exec on Linux, so the
/// child executes `/proc/self/exe` - this same program - through a small C constructor
/// (`CAsyncScope/process_control.c`) that runs before `main`, arms the death signal,
/// checks that its parent is still alive, and executes the real command with the same
/// pid, process group, environment, descriptors and `argv[0]`. The trace is the same as
/// for a direct spawn; a command that cannot be executed is still a failed enter: the
/// trampoline sends `errno` back through a pipe it gets as its standard input (and puts
/// `/dev/null` there before the exec, as a direct spawn had).
///
/// It lives in the library, not in an app: any program that links AsyncScope runs the
/// constructor. Where it cannot work (not Linux with glibc, or AsyncScope not part of the
/// main executable) the child is spawned directly and does not die with its parent.
///
/// ``ProcessScope`` uses it for every child. Another spawn through swift-subprocess can
/// too, one object per spawn: run ``configuration(path:arguments:environment:platformOptions:)`` with
/// ``input`` as its standard input, and await ``execError()`` first thing in the body.
public final class ProcessExecTrampoline: Sendable {
  /// Whether children can be spawned through the trampoline here.
  public static let isAvailable = Syscall.execTrampolineAvailable

  /// The read end of the exec report pipe, non-blocking; closed with this object.
  private let reportReadEnd: Int32
  /// The write end: the trampoline's standard input until it executes the command.
  private let reportWriteEnd: FileDescriptor

  /// A report pipe for one spawn, or nil when the trampoline cannot be used.
  public init?() {
    guard Self.isAvailable else { return nil }
    guard let ends = Syscall.reportPipe() else { return nil }
    reportReadEnd = ends.read
    reportWriteEnd = FileDescriptor(rawValue: ends.write)
  }

  deinit {
    Syscall.close(reportReadEnd)
  }

  /// The standard input to spawn the trampoline with: the report pipe's write end,
  /// closed here once the trampoline is spawned. The command gets `/dev/null`.
  public var input: FileDescriptorInput {
    .fileDescriptor(reportWriteEnd, closeAfterSpawningProcess: true)
  }

  /// The configuration that executes `path` with `arguments` (`arguments[0]` as its
  /// `argv[0]`) through the trampoline, which expects this process as its parent.
  public static func configuration(
    path: FilePath, arguments: [String], environment: Environment = .inherit,
    platformOptions: PlatformOptions
  ) -> Configuration {
    let marker = Syscall.execTrampolineMarker
    return Configuration(
      executable: .path("/proc/self/exe"),
      arguments: Arguments(
        executablePathOverride: marker,
        remainingValues: ["\(Syscall.processID())", path.string] + arguments
      ),
      environment: environment,
      platformOptions: platformOptions
    )
  }

  /// Waits until the trampoline has executed the command (nil) or failed to (its errno).
  ///
  /// The write end closes on a successful exec or when the trampoline exits, so this
  /// always ends. It never blocks a thread: the pipe is non-blocking, and `ProcessExits`
  /// tells when it can be read.
  public func execError() async -> Int32? {
    var woken = false
    while true {
      var error: Int32 = 0
      // A write of 4 bytes to a pipe is atomic: all of it or nothing arrives.
      let read = withUnsafeMutableBytes(of: &error) { Syscall.read(reportReadEnd, into: $0) }
      switch read {
      case .success(MemoryLayout<Int32>.size): return error
      case .success(let count): return count == 0 ? nil : Errno.inputOutput.rawValue
      case .failure(let failure) where failure != .wouldBlock: return failure.rawValue
      case .failure: break
      }
      if woken {
        // Readable but nothing to read (no watcher thread): look again shortly.
        try? await Task.sleep(for: .milliseconds(1))
      } else {
        let readable = ProcessLatch<Void>()
        ProcessExits.shared.onReadable(reportReadEnd) { readable.fulfil(()) }
        await readable.waitUncancelled()
        woken = true
      }
    }
  }
}
