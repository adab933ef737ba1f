/// A binary min-heap of ``TimerEntry`` by deadline, with removal of any entry in
/// O(log n): each entry keeps its index. Not thread-safe; ``DeadlineTimer`` locks it.
struct DeadlineHeap {
  private var entries: [TimerEntry] = []

  var first: TimerEntry? { entries.first }

  var isEmpty: Bool { entries.isEmpty }

  mutating func insert(_ entry: TimerEntry) {
    entries.append(entry)
    entry.heapIndex = entries.count - 1
    siftUp(entries.count - 1)
  }

  /// Removes `entry` if it is in the heap.
  mutating func remove(_ entry: TimerEntry) {
    guard let index = entry.heapIndex, index < entries.count, entries[index] === entry else {
      return
    }
    entry.heapIndex = nil
    let last = entries.removeLast()
    guard index < entries.count else { return }
    entries[index] = last
    last.heapIndex = index
    siftDown(index)
    siftUp(index)
  }

  /// Removes and returns the earliest entry.
  mutating func removeFirst() -> TimerEntry? {
    guard let first = entries.first else { return nil }
    remove(first)
    return first
  }

  private mutating func siftUp(_ start: Int) {
    var index = start
    while index > 0 {
      let parent = (index - 1) / 2
      guard entries[index].deadline < entries[parent].deadline else { return }
      swapAt(index, parent)
      index = parent
    }
  }

  private mutating func siftDown(_ start: Int) {
    var index = start
    while true {
      var smallest = index
      let left = 2 * index + 1
      let right = left + 1
      if left < entries.count && entries[left].deadline < entries[smallest].deadline {
        smallest = left
      }
      if right < entries.count && entries[right].deadline < entries[smallest].deadline {
        smallest = right
      }
      guard smallest != index else { return }
      swapAt(index, smallest)
      index = smallest
    }
  }

  private mutating func swapAt(_ a: Int, _ b: Int) {
    entries.swapAt(a, b)
    entries[a].heapIndex = a
    entries[b].heapIndex = b
  }
}
