/* cli: option parsing and --help from one table per command (see cli.h). */
#include "cli.h"

#include <stdarg.h>
#include <string.h>

void cli_help(const cli_command *cmd, FILE *out)
{
    fprintf(out, "usage: charter %s %s\n\n%s\n", cmd->name, cmd->usage, cmd->summary);
    /* Every command takes --help, options of its own or not. */
    fputs("\noptions:\n", out);
    for (const cli_option *o = cmd->options; o && o->name; o++) {
        char left[64];
        snprintf(left, sizeof left, "--%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
        fprintf(out, "  %-22s %s\n", left, o->help);
    }
    fprintf(out, "  %-22s %s\n", "--help", "show this help and exit");
    if (cmd->details)
        fprintf(out, "\n%s", cmd->details);
}

int cli_usage_error(const cli_command *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "charter %s: ", cmd->name);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\nTry 'charter %s --help' for more information.\n", cmd->name);
    va_end(ap);
    return -1;
}

int cli_parse(const cli_command *cmd, int argc, char **argv, cli_handler fn, void *ctx)
{
    int n;
    return cli_parse_args(cmd, argc, argv, fn, ctx, NULL, 0, &n);
}

int cli_parse_args(const cli_command *cmd, int argc, char **argv, cli_handler fn, void *ctx,
                   const char **args, int max_args, int *n_args)
{
    int rest = 0; /* after a bare "--": every word is an argument */
    *n_args = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!rest && (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)) {
            cli_help(cmd, stdout);
            return 1;
        }
        /* A bare "--" ends the options of any command, as getopt's does
         * (one taking no argument then refuses what follows). */
        if (rest || (a[0] != '-' && max_args > 0) || !strcmp(a, "--")) {
            if (!rest && !strcmp(a, "--")) {
                rest = 1;
                continue;
            }
            if (*n_args == max_args)
                return cli_usage_error(cmd, "unexpected argument '%s'", a);
            args[(*n_args)++] = a;
            continue;
        }
        if (strncmp(a, "--", 2) != 0 || a[2] == '\0')
            return cli_usage_error(cmd, "unexpected argument '%s'", a);
        const char *name = a + 2, *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        int found = -1;
        for (int k = 0; cmd->options && cmd->options[k].name; k++)
            if (strlen(cmd->options[k].name) == len &&
                strncmp(cmd->options[k].name, name, len) == 0)
                found = k;
        if (found < 0)
            return cli_usage_error(cmd, "unknown option '--%.*s'", (int)len, name);
        const cli_option *o = &cmd->options[found];
        const char *value = NULL;
        if (o->arg) {
            if (eq)
                value = eq + 1;
            else if (i + 1 < argc)
                value = argv[++i];
            else
                return cli_usage_error(cmd, "option '--%s' needs a value (%s)", o->name, o->arg);
        } else if (eq) {
            return cli_usage_error(cmd, "option '--%s' takes no value", o->name);
        }
        if (fn(ctx, found, value) != 0)
            return -1;
    }
    return 0;
}
