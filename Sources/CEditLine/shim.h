// Header-only shims over libedit for Swift.
//
// Swift cannot call C variadic functions (el_set, el_get, history), and Swift 6
// rejects the stdin/stdout/stderr globals, so each call LineEditor needs gets a
// small non-variadic `static inline` wrapper here. A system-library target
// compiles no .c files: everything stays in this header, and it keeps no state.

#ifndef SCOPELAB_CEDITLINE_SHIM_H
#define SCOPELAB_CEDITLINE_SHIM_H

#include <stdio.h>
#include <wchar.h>
#include <histedit.h>

/// The type of a prompt callback (EL_PROMPT).
typedef char *(*scopelab_prompt_fn)(EditLine *);

/// The type of a user-defined editor function (EL_ADDFN).
typedef unsigned char (*scopelab_editor_fn)(EditLine *, int);

/// The type of a character-reading function (EL_GETCFN).
typedef int (*scopelab_getc_fn)(EditLine *, wchar_t *);

/// el_init with the process's stdin, stdout and stderr.
static inline EditLine *scopelab_el_init(const char *program) {
  return el_init(program, stdin, stdout, stderr);
}

/// el_set(el, EL_PROMPT, fn).
static inline int scopelab_el_set_prompt(EditLine *el, scopelab_prompt_fn fn) {
  return el_set(el, EL_PROMPT, fn);
}

/// el_set(el, EL_EDITOR, name): "emacs" or "vi".
static inline int scopelab_el_set_editor(EditLine *el, const char *name) {
  return el_set(el, EL_EDITOR, name);
}

/// el_set(el, EL_SIGNAL, flag).
static inline int scopelab_el_set_signal(EditLine *el, int flag) {
  return el_set(el, EL_SIGNAL, flag);
}

/// el_set(el, EL_PREP_TERM, flag): raw mode (non-zero) or cooked mode (zero).
static inline int scopelab_el_prepare_terminal(EditLine *el, int flag) {
  return el_set(el, EL_PREP_TERM, flag);
}

/// el_set(el, EL_HIST, history, h).
static inline int scopelab_el_set_history(EditLine *el, History *h) {
  return el_set(el, EL_HIST, history, h);
}

/// el_set(el, EL_CLIENTDATA, data).
static inline int scopelab_el_set_clientdata(EditLine *el, void *data) {
  return el_set(el, EL_CLIENTDATA, data);
}

/// el_get(el, EL_CLIENTDATA, &data); NULL when it fails.
static inline void *scopelab_el_get_clientdata(EditLine *el) {
  void *data = NULL;
  if (el_get(el, EL_CLIENTDATA, &data) != 0) {
    return NULL;
  }
  return data;
}

/// el_set(el, EL_GETCFN, fn).
static inline int scopelab_el_set_getcfn(EditLine *el, scopelab_getc_fn fn) {
  return el_set(el, EL_GETCFN, fn);
}

/// el_set(el, EL_ADDFN, name, help, fn).
static inline int scopelab_el_add_function(
  EditLine *el, const char *name, const char *help, scopelab_editor_fn fn
) {
  return el_set(el, EL_ADDFN, name, help, fn);
}

/// el_set(el, EL_BIND, key, command, NULL).
static inline int scopelab_el_bind(EditLine *el, const char *key, const char *command) {
  return el_set(el, EL_BIND, key, command, (const char *)NULL);
}

/// el_get(el, EL_GETTC, "co", &columns): the terminal's width; 0 when unknown.
static inline int scopelab_el_get_columns(EditLine *el) {
  int columns = 0;
  if (el_get(el, EL_GETTC, "co", &columns, (void *)NULL) != 0) {
    return 0;
  }
  return columns;
}

/// history(h, &event, H_SETSIZE, size).
static inline int scopelab_history_set_size(History *h, int size) {
  HistEvent event;
  return history(h, &event, H_SETSIZE, size);
}

/// history(h, &event, H_SETUNIQUE, flag).
static inline int scopelab_history_set_unique(History *h, int flag) {
  HistEvent event;
  return history(h, &event, H_SETUNIQUE, flag);
}

/// history(h, &event, H_ENTER, line).
static inline int scopelab_history_enter(History *h, const char *line) {
  HistEvent event;
  return history(h, &event, H_ENTER, line);
}

/// history(h, &event, H_CLEAR).
static inline int scopelab_history_clear(History *h) {
  HistEvent event;
  return history(h, &event, H_CLEAR);
}

#endif
