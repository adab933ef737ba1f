// `scopelab trace FILE.swift`: before main runs (and before any of the program's own
// Swift code), a program that scopelab started to trace turns its tracing on. The work
// is AsyncScope's (TraceEnvironment.swift); this constructor only looks at the variable,
// so a program that is not traced never enters Swift here.

#include <stdlib.h>

// Defined in Swift (AsyncScope, TraceEnvironment.swift) with @_cdecl. Weak: a link of
// this object without AsyncScope's leaves it null.
extern void asyncscope_trace_environment_start(void) __attribute__((weak));

__attribute__((constructor)) static void asyncscope_trace_environment(void) {
    if (getenv("SCOPELAB_TRACE") != NULL && asyncscope_trace_environment_start != NULL) {
        asyncscope_trace_environment_start();
    }
}
