#ifndef C_ASYNC_SCOPE_H
#define C_ASYNC_SCOPE_H

/// The first argument (argv[0]) that turns a start of this program into the exec
/// trampoline of a process scope's child (see process_control.c).
const char *asyncscope_exec_trampoline_marker(void);

/// 1 if the trampoline can be used: Linux with glibc, and this code is part of the main
/// executable, so that executing /proc/self/exe runs it again before anything else.
int asyncscope_exec_trampoline_available(void);

/// pipe2(ends, O_CLOEXEC): both ends close-on-exec from the start. 0, or -1 and errno.
int asyncscope_pipe_cloexec(int ends[2]);

/// prctl(PR_SET_CHILD_SUBREAPER, 1): orphans below this process become its children.
/// 0, or -1 and errno (also where there is no such thing).
int asyncscope_become_child_subreaper(void);

/// 1 if this process is a child subreaper (PR_GET_CHILD_SUBREAPER), else 0.
int asyncscope_is_child_subreaper(void);

/// pidfd_open(pid, 0): a descriptor that polls readable once `pid` has exited (Linux 5.3+).
/// The descriptor, or -1 and errno (ENOSYS where there is no such thing; ESRCH when no
/// process has that pid any more).
int asyncscope_pidfd_open(int pid);

#endif
