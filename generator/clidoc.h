/* clidoc: the man page charter(1) and the bash and zsh completions, written
 * from the same command table and options tables that parse argv and print
 * --help (cli.h), so none of them can drift from what charter accepts.
 * Reached through `charter help --man` and `charter help --completion SHELL`;
 * the Makefile writes them into the build folder (docs/install.md). */
#ifndef CHARTER_CLIDOC_H
#define CHARTER_CLIDOC_H

#include "cli.h"

#include <stddef.h>
#include <stdio.h>

/* Writes charter(1) in roff (man macros) to out: NAME, SYNOPSIS, DESCRIPTION
 * (about, plain text with hard line breaks), one subsection per command of
 * cmds[0..n) with its usage, summary, options and details, and EXIT STATUS.
 * No date and nothing of the build machine: the same table gives the same
 * bytes. */
void clidoc_man(FILE *out, const cli_command *const *cmds, size_t n, const char *about);
/* Writes a bash completion script (a function _charter registered with
 * `complete -F`) to out: commands, each command's options, paths after an
 * option whose value is a DIR or FILE, the choices a usage line spells out
 * (--format text|json), and paths for a command's DIR, FILE or PATH
 * arguments. Needs nothing but bash itself (no bash-completion package). */
void clidoc_bash(FILE *out, const cli_command *const *cmds, size_t n);
/* As clidoc_bash, for zsh's completion system (#compdef charter). */
void clidoc_zsh(FILE *out, const cli_command *const *cmds, size_t n);

#endif
