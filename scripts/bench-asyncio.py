#!/usr/bin/env python3
"""CPython asyncio reference for scopelab-bench: the same six measurements, the same keys.

Prints one JSON object on stdout (progress goes to stderr):
  timeout_overrun_p50_ms / _p99_ms  asyncio.timeout(0.01) around asyncio.sleep(1): how
                                    late after cm.when() the TimeoutError reaches us
  scope_cycle_ns                    `async with` of a trivial async context manager
  timeout_cycle_ns                  `async with asyncio.timeout(10): pass` (never fires)
  group_cycle_ns                    `async with asyncio.TaskGroup()` creating 10 tasks of
                                    an empty coroutine, waited for on exit
  process_teardown_p50_ms           deadline to `sleep 10` reaped: the body catches the
                                    cancellation, terminates the child, waits, re-raises

Cycles are the median over batches of the mean per iteration, loop included, as the
Swift side does; each also in the process's CPU time (`scope_cycle_cpu_ns`, ...), which
a loaded machine disturbs less than wall time (the targets compare wall time). Percentiles are nearest-rank, as on the Swift side.
Options: --quick (fewer trials), --only KEY.
"""

import argparse
import asyncio
import json
import math
import sys
import time


def percentile(values, p):
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def median(values):
    return percentile(values, 50)


def progress(text):
    print(text, file=sys.stderr, flush=True)


class Trivial:
    async def __aenter__(self):
        return None

    async def __aexit__(self, exc_type, exc, tb):
        return False


async def timeout_overrun(trials):
    loop = asyncio.get_running_loop()
    overruns = []
    for _ in range(trials):
        cm = asyncio.timeout(0.01)
        try:
            async with cm:
                await asyncio.sleep(1)
        except TimeoutError:
            overruns.append(loop.time() - cm.when())
    return [x * 1e3 for x in overruns]


async def measure_cycles(batches, iterations, batch):
    """The median over batches of the mean per cycle, in wall time and in the process's
    CPU time (the `_cpu_ns` keys, as the Swift side reports them)."""
    walls, cpus = [], []
    for _ in range(batches):
        start, cpu_start = time.perf_counter_ns(), time.process_time_ns()
        await batch(iterations)
        walls.append((time.perf_counter_ns() - start) / iterations)
        cpus.append((time.process_time_ns() - cpu_start) / iterations)
    return median(walls), median(cpus)


async def scope_cycle(batches, iterations):
    scope = Trivial()

    async def batch(iterations):
        for _ in range(iterations):
            async with scope:
                pass

    return await measure_cycles(batches, iterations, batch)


async def timeout_cycle(batches, iterations):
    async def batch(iterations):
        for _ in range(iterations):
            async with asyncio.timeout(10):
                pass

    return await measure_cycles(batches, iterations, batch)


async def empty():
    pass


async def group_cycle(batches, iterations):
    async def batch(iterations):
        for _ in range(iterations):
            async with asyncio.TaskGroup() as group:
                for _ in range(10):
                    group.create_task(empty())

    return await measure_cycles(batches, iterations, batch)


async def teardown_trial(limit):
    loop = asyncio.get_running_loop()
    cm = asyncio.timeout(limit)
    try:
        async with cm:
            proc = await asyncio.create_subprocess_exec(
                "sleep", "10",
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                start_new_session=True,
            )
            try:
                await proc.wait()
            except asyncio.CancelledError:
                proc.terminate()
                await proc.wait()
                raise
    except TimeoutError:
        return (loop.time() - cm.when()) * 1e3
    raise RuntimeError("the child was not torn down by the timeout")


async def process_teardown(trials):
    return [await teardown_trial(0.05) for _ in range(trials)]


async def main(args):
    quick = args.quick
    result = {}

    def wanted(*keys):
        return args.only is None or args.only in keys

    if wanted("timeout_overrun_p50_ms", "timeout_overrun_p99_ms"):
        progress("timeout overrun ...")
        overruns = await timeout_overrun(40 if quick else 300)
        result["timeout_overrun_p50_ms"] = percentile(overruns, 50)
        result["timeout_overrun_p99_ms"] = percentile(overruns, 99)
    if wanted("scope_cycle_ns"):
        progress("scope cycle ...")
        result["scope_cycle_ns"], result["scope_cycle_cpu_ns"] = await scope_cycle(
            5 if quick else 21, 20_000 if quick else 200_000)
    if wanted("timeout_cycle_ns"):
        progress("timeout cycle ...")
        result["timeout_cycle_ns"], result["timeout_cycle_cpu_ns"] = await timeout_cycle(
            5 if quick else 21, 5_000 if quick else 50_000)
    if wanted("group_cycle_ns"):
        progress("group cycle ...")
        result["group_cycle_ns"], result["group_cycle_cpu_ns"] = await group_cycle(
            5 if quick else 21, 500 if quick else 5_000)
    if wanted("process_teardown_p50_ms"):
        progress("process teardown ...")
        teardowns = await process_teardown(8 if quick else 60)
        result["process_teardown_p50_ms"] = percentile(teardowns, 50)
    if args.only is not None and not result:
        print(f"unknown key {args.only!r}", file=sys.stderr)
        sys.exit(2)
    print(json.dumps({k: round(v, 4) for k, v in result.items()}))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer trials (CI smoke)")
    parser.add_argument("--only", metavar="KEY", help="measure one key only")
    asyncio.run(main(parser.parse_args()))
