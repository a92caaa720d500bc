/* main: charter's command table. Each subcommand lives in cmd_<name>.c and
 * parses its own options; this file only dispatches and prints the overview. */
#include "cli.h"
#include "commands.h"

#include <stdio.h>
#include <string.h>

static const cli_command *const commands[] = {&cmd_build_def, &cmd_check_def, &cmd_diff_def,
                                              &cmd_fix_def,   &cmd_init_def,  &cmd_new_def,
                                              &cmd_serve_def, &cmd_verify_def};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

static void overview(FILE *out)
{
    fputs("usage: charter <command> [options]\n\n"
          "charter builds and checks compliance-as-code policy sites: Markdown policies with\n"
          "YAML front matter, control catalogs and layouts, rendered to a static site.\n\n"
          "commands:\n",
          out);
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(out, "  %-10s %.*s\n", commands[i]->name,
                (int)strcspn(commands[i]->summary, ":.\n"), commands[i]->summary);
    fputs("\nRun 'charter <command> --help' for a command's options.\n"
          "  --help      show this help\n"
          "  --version   show the version\n",
          out);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        overview(stderr);
        return EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
        if (argc > 2)
            for (size_t i = 0; i < N_COMMANDS; i++)
                if (strcmp(commands[i]->name, argv[2]) == 0) {
                    cli_help(commands[i], stdout);
                    return EXIT_OK;
                }
        overview(stdout);
        return EXIT_OK;
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
        printf("charter %s\n", CHARTER_VERSION);
        return EXIT_OK;
    }
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (strcmp(commands[i]->name, name) == 0)
            return commands[i]->run(argc - 1, argv + 1);
    fprintf(stderr, "charter: unknown command '%s'\nTry 'charter --help'.\n", name);
    return EXIT_USAGE;
}
