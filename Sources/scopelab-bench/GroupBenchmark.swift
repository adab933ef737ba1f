/// One cycle of `group_cycle_ns`: a task group that starts 10 empty child tasks and
/// waits for them all.
///
/// For now Swift's own discarding task group, the floor a scope-based group is held
/// against.
// TODO(group): measure `withScope(TaskGroupScope()) { group in group.addTask {} }` once
// TaskGroupScope is merged.
func groupCycle() async {
  await withDiscardingTaskGroup { group in
    for _ in 0..<10 { group.addTask {} }
  }
}
