import Synchronization
import Testing

@testable import AsyncScope

/// Records when (and how often) its deadline was reached; with a shared `order`, also
/// its label among the firings of the logs sharing it (appended on the timer thread as
/// each call happens, so it is the order of the calls, whatever the clock readings).
private final class FiringLog: DeadlineTarget {
  let firings = Mutex<[ContinuousClock.Instant]>([])
  private let label: Int
  private let order: FiringOrder?

  init(label: Int = 0, order: FiringOrder? = nil) {
    self.label = label
    self.order = order
  }

  func deadlineReached(_ entry: TimerEntry) {
    firings.withLock { $0.append(.now) }
    order?.calls.withLock { $0.append(label) }
  }
}

/// A shared firing order for ``FiringLog``s.
private final class FiringOrder: Sendable {
  let calls = Mutex<[Int]>([])
}

@Suite("DeadlineTimer: the timer thread behind continuous-clock timeouts")
struct DeadlineTimerTests {
  @Test("the heap yields entries by deadline, and removes any entry")
  func heapOrder() {
    let start = ContinuousClock.now
    let target = FiringLog()
    let offsets = [5, 1, 4, 2, 3, 0, 6]
    let entries = offsets.map {
      TimerEntry(deadline: start.advanced(by: .milliseconds($0)), target: target)
    }
    var heap = DeadlineHeap()
    for entry in entries { heap.insert(entry) }
    heap.remove(entries[1])
    heap.remove(entries[1])
    var order: [ContinuousClock.Instant] = []
    while let entry = heap.removeFirst() { order.append(entry.deadline) }
    let expected = [0, 2, 3, 4, 5, 6].map { start.advanced(by: .milliseconds($0)) }
    #expect(order == expected)
    #expect(heap.isEmpty)
  }

  // Driven by hand: `fireDue(at:)` is what the timer thread runs each time it wakes, so
  // these check the production firing rules at instants the test picks, not in real time.

  @Test("an entry fires once, never before its deadline; a cancelled one never fires")
  func firesOnceNotEarly() {
    let timer = DeadlineTimer(thread: false)
    let log = FiringLog()
    let cancelledLog = FiringLog()
    let start = ContinuousClock.now
    let deadline = start.advanced(by: .milliseconds(30))
    let entry = TimerEntry(deadline: deadline, target: log)
    let cancelled = TimerEntry(deadline: deadline, target: cancelledLog)
    #expect(timer.schedule(entry))
    #expect(timer.schedule(cancelled))
    timer.cancel(cancelled)
    #expect(timer.fireDue(at: deadline.advanced(by: .nanoseconds(-1))) == 0)
    #expect(log.firings.withLock { $0 }.isEmpty)
    #expect(timer.fireDue(at: deadline) == 1)
    #expect(timer.fireDue(at: deadline.advanced(by: .seconds(1))) == 0)
    #expect(log.firings.withLock { $0.count } == 1)
    #expect(cancelledLog.firings.withLock { $0 }.isEmpty)
    #expect(timer.nextDeadline == nil)
  }

  @Test("a later deadline armed first does not delay an earlier one")
  func earlierDeadlineFirst() {
    let timer = DeadlineTimer(thread: false)
    let late = FiringLog()
    let early = FiringLog()
    let start = ContinuousClock.now
    let lateEntry = TimerEntry(deadline: start.advanced(by: .seconds(30)), target: late)
    #expect(timer.schedule(lateEntry))
    let earlyDeadline = start.advanced(by: .milliseconds(20))
    #expect(timer.schedule(TimerEntry(deadline: earlyDeadline, target: early)))
    #expect(timer.nextDeadline == earlyDeadline)
    #expect(timer.fireDue(at: earlyDeadline) == 1)
    #expect(early.firings.withLock { $0 }.count == 1)
    #expect(late.firings.withLock { $0 }.isEmpty)
    #expect(timer.nextDeadline == lateEntry.deadline)
    timer.cancel(lateEntry)
    #expect(timer.nextDeadline == nil)
  }

  @Test("deadlines within microseconds of each other fire once each, in deadline order")
  func closeDeadlinesInOrder() {
    let timer = DeadlineTimer(thread: false)
    let microseconds = [150, 100, 50]
    let offsets = microseconds.map { Duration.microseconds($0) }
    #expect(offsets.allSatisfy { $0 < DeadlineTimer.spinWindow })
    let start = ContinuousClock.now
    let order = FiringOrder()
    let logs = microseconds.map { FiringLog(label: $0, order: order) }
    // Armed later first.
    for (offset, log) in zip(offsets, logs) {
      #expect(timer.schedule(TimerEntry(deadline: start + offset, target: log)))
    }
    #expect(timer.fireDue(at: start + .microseconds(100)) == 2)
    #expect(order.calls.withLock { $0 } == [50, 100])
    #expect(timer.fireDue(at: start + .microseconds(149)) == 0)
    #expect(timer.fireDue(at: start + .seconds(1)) == 1)
    #expect(order.calls.withLock { $0 } == [50, 100, 150])
    #expect(logs.map { log in log.firings.withLock { $0.count } } == [1, 1, 1])
  }

  @Test("an entry cancelled by an earlier one's firing never fires")
  func cancelledWhileFiring() {
    let timer = DeadlineTimer(thread: false)
    let start = ContinuousClock.now
    let second = FiringLog()
    let secondEntry = TimerEntry(deadline: start + .microseconds(20), target: second)
    let first = CancellingTarget(timer: timer, cancels: secondEntry)
    #expect(timer.schedule(TimerEntry(deadline: start + .microseconds(10), target: first)))
    #expect(timer.schedule(secondEntry))
    // Only the first is due; its firing cancels the second, which then never fires.
    #expect(timer.fireDue(at: start + .microseconds(10)) == 1)
    #expect(timer.fireDue(at: start + .seconds(1)) == 0)
    #expect(second.firings.withLock { $0 }.isEmpty)
  }

  // The shared timer's thread, in real time: only what no timing can upset.

  @Test("the shared timer's thread fires an entry once, never before its deadline")
  func sharedThreadFires() async throws {
    let log = FiringLog()
    let deadline = ContinuousClock.now.advanced(by: .milliseconds(5))
    #expect(DeadlineTimer.shared.schedule(TimerEntry(deadline: deadline, target: log)))
    // A generous bound: the timer thread may be descheduled on a busy machine.
    for _ in 0..<2000 where log.firings.withLock({ $0.isEmpty }) {
      try await Task.sleep(for: .milliseconds(1))
    }
    try await Task.sleep(for: .milliseconds(20))
    let firings = log.firings.withLock { $0 }
    #expect(firings.count == 1)
    #expect(firings.allSatisfy { $0 >= deadline })
  }
}

/// Cancels another entry when its own deadline is reached.
private final class CancellingTarget: DeadlineTarget {
  let timer: DeadlineTimer
  let cancels: TimerEntry

  init(timer: DeadlineTimer, cancels: TimerEntry) {
    self.timer = timer
    self.cancels = cancels
  }

  func deadlineReached(_ entry: TimerEntry) {
    timer.cancel(cancels)
  }
}
