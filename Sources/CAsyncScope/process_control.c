// The C side of the process scopes: the prctl and pidfd_open calls Swift cannot make (prctl
// and syscall are variadic), and the exec trampoline: how a process scope's child dies
// with the process that spawned it.
//
// swift-subprocess forks and execs with no hook that runs in the child in between, so
// the child cannot call prctl(PR_SET_PDEATHSIG) itself. Instead the scope spawns
// /proc/self/exe - this very program - with argv
//
//   [MARKER, expected-parent-pid, resolved-path, argv0, arg1, ...]
//
// and the constructor below, which runs before main (and before any Swift code of this
// program), recognises the marker and does the missing step:
//
//   1. keeps the write end of the exec report pipe (given as stdin) close-on-exec, and
//      puts /dev/null on stdin, as the scope's children always had;
//   2. sets every signal to its default and unblocks them all (as swift-subprocess did
//      before it executed us; a library constructor could have changed them);
//   3. prctl(PR_SET_PDEATHSIG, SIGKILL), then checks that getppid() is still the parent
//      that spawned it: if the parent already died, nothing would ever send the signal,
//      so it kills itself now;
//   4. execve(resolved-path, [argv0, arg1, ...], environ): the same pid, process group,
//      environment, descriptors and argv[0] as a direct spawn, so the trace is the same.
//      If execve fails, it writes errno to the report pipe and exits 127; the scope
//      reports the failure as a failed enter (PR1), as it did for a direct spawn.
//
// The death signal follows the *thread* that forked the child. swift-subprocess forks on
// its one background worker thread, which lives until the process exits, so the signal
// comes when the process dies (kill -9 included), not when some thread ends.
//
// Only the direct child gets the signal: PR_SET_PDEATHSIG is cleared in the children it
// forks. Its own children (the rest of its process group) are killed by the scope's
// teardown and the app's exit paths, but not when the app is killed with SIGKILL.

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>  // defines __GLIBC__ on glibc

#if defined(__linux__) && defined(__GLIBC__)
#include <dlfcn.h>
#include <link.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#endif

#include "CAsyncScope.h"

static const char marker[] = "asyncscope-exec-trampoline";

const char *asyncscope_exec_trampoline_marker(void) { return marker; }

#if defined(__linux__) && defined(__GLIBC__)

extern char **environ;

static void run_trampoline(int argc, char **argv) {
    // Keep the report pipe's write end above stdin, closed by a successful execve.
    int report = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 3);
    int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (null >= 0) {
        if (null != STDIN_FILENO) {
            dup2(null, STDIN_FILENO);
            close(null);
        } else {
            fcntl(STDIN_FILENO, F_SETFD, 0);
        }
    }
    for (int number = 1; number < NSIG; number++) {
        if (number == SIGKILL || number == SIGSTOP) continue;
        signal(number, SIG_DFL);
    }
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);

    char *end = NULL;
    long parent = strtol(argv[1], &end, 10);
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || end == argv[1] || getppid() != parent) {
        // The parent died before the death signal was armed: die as it would have made us.
        raise(SIGKILL);
    }
    (void)argc;
    execve(argv[2], argv + 3, environ);
    int error = errno;
    if (report >= 0) {
        ssize_t written;
        do {
            written = write(report, &error, sizeof error);
        } while (written < 0 && errno == EINTR);
    }
    _exit(127);
}

// glibc passes (argc, argv, envp) to the constructors of the main program.
__attribute__((constructor)) static void asyncscope_exec_trampoline(int argc, char **argv) {
    if (argc >= 4 && argv != NULL && argv[0] != NULL && strcmp(argv[0], marker) == 0) {
        run_trampoline(argc, argv);
    }
}

int asyncscope_exec_trampoline_available(void) {
    // Executing /proc/self/exe runs the constructor only if it is part of the main
    // executable (SwiftPM links targets statically), not of a library loaded later.
    Dl_info info;
    struct link_map *map = NULL;
    if (dladdr1((void *)&asyncscope_exec_trampoline_available, &info, (void **)&map,
                RTLD_DL_LINKMAP) == 0 || map == NULL) {
        return 0;
    }
    void *main_program = dlopen(NULL, RTLD_LAZY | RTLD_NOLOAD);
    if (main_program == NULL) return 0;
    int isMain = (void *)map == main_program;
    dlclose(main_program);
    return isMain && access("/proc/self/exe", X_OK) == 0;
}

int asyncscope_pipe_cloexec(int ends[2]) { return pipe2(ends, O_CLOEXEC); }

int asyncscope_become_child_subreaper(void) { return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); }

int asyncscope_is_child_subreaper(void) {
    int flag = 0;
    return prctl(PR_GET_CHILD_SUBREAPER, &flag, 0, 0, 0) == 0 && flag != 0;
}

int asyncscope_pidfd_open(int pid) {
#ifdef SYS_pidfd_open
    return (int)syscall(SYS_pidfd_open, pid, 0);
#else
    errno = ENOSYS;
    return -1;
#endif
}

#else

int asyncscope_exec_trampoline_available(void) { return 0; }

int asyncscope_become_child_subreaper(void) { return -1; }

int asyncscope_is_child_subreaper(void) { return 0; }

int asyncscope_pidfd_open(int pid) {
    (void)pid;
    errno = ENOSYS;
    return -1;
}

int asyncscope_pipe_cloexec(int ends[2]) {
    if (pipe(ends) != 0) return -1;
    fcntl(ends[0], F_SETFD, FD_CLOEXEC);
    fcntl(ends[1], F_SETFD, FD_CLOEXEC);
    return 0;
}

#endif
