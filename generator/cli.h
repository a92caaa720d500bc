/* cli: command-line plumbing shared by every subcommand: one options table
 * per command that both parses argv and prints --help (so help never drifts
 * from behaviour), and the documented exit codes. */
#ifndef CHARTER_CLI_H
#define CHARTER_CLI_H

#include <stdio.h>

enum { EXIT_OK = 0, EXIT_FINDINGS = 1, EXIT_USAGE = 2 };

typedef struct cli_option {
    const char *name; /* long name without "--" */
    const char *arg;  /* placeholder for its value ("DIR"), NULL for a flag */
    const char *help;
} cli_option;

typedef struct cli_command {
    const char *name;
    const char *summary;       /* one line, for `charter --help` */
    const char *usage;         /* arguments after the command name */
    const char *details;       /* paragraphs after the options, or NULL */
    const cli_option *options; /* terminated by a {NULL} entry */
    int (*run)(int argc, char **argv);
} cli_command;

/* Callback for each option found: index into the options table and its
 * value (NULL for flags). Returns 0, or -1 after printing a usage error. */
typedef int (*cli_handler)(void *ctx, int option, const char *value);

/* Parses argv[1..argc) (argv[0] is the command name) against cmd's options,
 * accepting "--name value" and "--name=value". --help prints help to stdout.
 * Returns 0 when the command should run, 1 when help was printed, or -1 after
 * printing a usage error to stderr (exit 2). Positional arguments are errors. */
int cli_parse(const cli_command *cmd, int argc, char **argv, cli_handler fn, void *ctx);
/* As cli_parse, also taking up to max_args positional arguments into
 * args[0..*n_args) (borrowed from argv), in order: any word that does not
 * start with '-', and every word after a bare "--". One more than max_args
 * is a usage error, as is any other word starting with '-'. */
int cli_parse_args(const cli_command *cmd, int argc, char **argv, cli_handler fn, void *ctx,
                   const char **args, int max_args, int *n_args);
void cli_help(const cli_command *cmd, FILE *out);
/* Prints "charter <cmd>: <message>" and a hint to use --help; returns -1. */
int cli_usage_error(const cli_command *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
