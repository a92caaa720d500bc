/* commands: the subcommand table's entries (one cmd_<name>.c each) and the
 * helpers they share. */
#ifndef CHARTER_COMMANDS_H
#define CHARTER_COMMANDS_H

#include "cli.h"
#include "diag.h"

#include <time.h>

extern const cli_command cmd_build_def;
extern const cli_command cmd_catalog_def;
extern const cli_command cmd_check_def;
extern const cli_command cmd_diff_def;
extern const cli_command cmd_fix_def;
extern const cli_command cmd_init_def;
extern const cli_command cmd_new_def;
extern const cli_command cmd_serve_def;
extern const cli_command cmd_verify_def;

int cmd_build(int argc, char **argv);
int cmd_catalog(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_fix(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_new(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_verify(int argc, char **argv);

/* Parses --as-of (NULL: today, UTC) into days since the epoch; prints a usage
 * error and returns -1 when malformed. */
int cmd_parse_as_of(long *out, const cli_command *cmd, const char *value);
/* --at WHEN (a day, YYYY-MM-DD, or a revision) for the site at root: its
 * commit (40 hex) in commit and, unless --as-of was given, the day reviews
 * are judged by in *as_of (the day given, or the commit's). 0, or -1 after
 * printing why (exit 2). */
int cmd_resolve_at(char commit[41], long *as_of, int as_of_given, const char *root,
                   const char *when);
/* Prints d to stderr as text, in colour on a terminal unless NO_COLOR. */
int cmd_print_diags(diags *d);
/* Whether output to fd is coloured: a terminal, and neither NO_COLOR set
 * (no-color.org) nor TERM=dumb (a terminal that knows no escapes). */
int cmd_color(int fd);
/* The site a command reads: `given` (--site), else the current folder, or,
 * when it holds no site.yml (nor Jekyll _config.yml), the site above it
 * (site_find_above), as git finds its repository from a subfolder.
 * Borrowed: given, a literal, or static storage. */
const char *cmd_site(const char *given);

struct site;
/* Writes a report (check --output, diff --output) to path through
 * output_write_file, never over the sources of the site s, whose directory
 * as the user named it is dir: site.yml, the layouts, controls, assets and
 * content folders, and with the content at the root (content: .) each page
 * and published file; s NULL (its settings could not be read): not over the
 * usual sources' names, nor over a file that is no report of charter's.
 * 0, or -1 after reporting (exit 2). */
int cmd_write_report(const char *path, const char *data, size_t len, const struct site *s,
                     const char *dir, diags *d);

/* Per-stage timings, printed to stderr when CHARTER_TIMINGS is set (for
 * bench/, and for tests of what a build chose: never of a time). */
typedef struct stage_clock {
    int on, n;
    struct timespec last;
    double last_cpu;
    const char *names[16];
    double secs[16];
    double cpu[16];  /* the process's CPU time (user + system) in the stage */
    long rss_mb[16]; /* the peak resident size so far, at each mark */
    char note[1024]; /* what the build chose, printed after the stages */
} stage_clock;
void stage_clock_init(stage_clock *c);
/* Records the time since the previous mark (or init) as stage `name`. */
void stage_clock_mark(stage_clock *c, const char *name);
/* Adds to the note printed after the stages (printf-style; each after a
 * "; "); c may be NULL. */
void stage_clock_note(stage_clock *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints "charter: timings: load 0.12 s (cpu 0.20 s, peak 80 MB), ..."
 * when on: CPU over wall time says how many cores a stage kept busy. */
void stage_clock_print(const stage_clock *c);

#endif
