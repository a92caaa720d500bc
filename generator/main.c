/* main: charter's command table. Each subcommand lives in cmd_<name>.c and
 * parses its own options; this file only dispatches and prints the overview. */
#include "cli.h"
#include "clidoc.h"
#include "commands.h"
#include "digest.h"
#include "heap.h"
#include "history.h"
#include "jsondoc.h"
#include "markdown.h"
#include "serve.h"
#include "signature.h"
#include "unicode.h"
#include "yamltree.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const cli_command *const commands[] = {&cmd_build_def, &cmd_catalog_def, &cmd_check_def,
                                              &cmd_diff_def,  &cmd_fix_def,     &cmd_init_def,
                                              &cmd_new_def,   &cmd_serve_def,   &cmd_verify_def};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

/* The commit charter was built from: the Makefile passes it to this file
 * alone, so a new commit recompiles main.c and nothing else. */
#ifndef CHARTER_COMMIT
#define CHARTER_COMMIT "unknown"
#endif

static const char about[] =
    "charter builds and checks compliance-as-code policy sites: Markdown policies with\n"
    "YAML front matter, control catalogs and layouts, rendered to a static site.\n";

static void overview(FILE *out)
{
    fprintf(out, "usage: charter <command> [options]\n\n%s\ncommands:\n", about);
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(out, "  %-10s %.*s\n", commands[i]->name,
                (int)strcspn(commands[i]->summary, ":.\n"), commands[i]->summary);
    fputs("\nRun 'charter <command> --help' for a command's options.\n"
          "  --help      show this help\n"
          "  --version   show the version\n",
          out);
}

/* charter's version, its commit and the version of each library linked,
 * one "name: version" per line after the first. */
static void version(FILE *out)
{
    int a, b, c;
    const char *gpgme = sig_gpgme_version();
    fprintf(out, "charter %s\ncommit: %s\n", CHARTER_VERSION, CHARTER_COMMIT);
    fprintf(out, "cmark-gfm: %s\n", markdown_cmark_version());
    fprintf(out, "libyaml: %s\n", yamltree_libyaml_version());
    history_libgit2_version(&a, &b, &c);
    fprintf(out, "libgit2: %d.%d.%d\n", a, b, c);
    fprintf(out, "libdeflate: %s\n", history_libdeflate_version());
    const char *mhd = serve_microhttpd_version();
    fprintf(out, "libmicrohttpd: %s\n", mhd ? mhd : "not installed");
    fprintf(out, "gpgme: %s\n", gpgme ? gpgme : "unknown");
    fprintf(out, "utf8proc: %s\n", unicode_utf8proc_version());
    digest_nettle_version(&a, &b);
    fprintf(out, "nettle: %d.%d\n", a, b);
    digest_xxhash_version(&a, &b, &c);
    fprintf(out, "xxhash: %d.%d.%d\n", a, b, c);
    fprintf(out, "jansson: %s\n", jsondoc_jansson_version());
}

/* `charter help --man` and `charter help --completion bash|zsh`: charter(1)
 * and the completions, from the tables (clidoc.h). For the Makefile and
 * packagers, so not in the overview. Returns the exit status, or -1 when
 * argv is not one of these. */
static int help_generated(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[2], "--man") == 0) {
        clidoc_man(stdout, commands, N_COMMANDS, about);
        return EXIT_OK;
    }
    const char *shell = NULL;
    if (argc == 4 && strcmp(argv[2], "--completion") == 0)
        shell = argv[3];
    else if (argc == 3 && strncmp(argv[2], "--completion=", 13) == 0)
        shell = argv[2] + 13;
    else if (argc >= 3 && strncmp(argv[2], "--completion", 12) == 0)
        shell = "";
    if (!shell)
        return -1;
    if (strcmp(shell, "bash") == 0)
        clidoc_bash(stdout, commands, N_COMMANDS);
    else if (strcmp(shell, "zsh") == 0)
        clidoc_zsh(stdout, commands, N_COMMANDS);
    else {
        fprintf(stderr, "charter help: '--completion' must be bash or zsh\n");
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

/* The commands that load a whole site, where malloc's huge pages pay for
 * starting again (heap.h). */
static int loads_sites(const char *name)
{
    static const char *const heavy[] = {"build", "check", "diff", "serve", "verify"};
    for (size_t i = 0; i < sizeof heavy / sizeof *heavy; i++)
        if (strcmp(heavy[i], name) == 0)
            return 1;
    return 0;
}

static int run(int argc, char **argv)
{
    if (argc < 2) {
        overview(stderr);
        return EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
        int rc = help_generated(argc, argv);
        if (rc >= 0)
            return rc;
        if (argc > 2)
            for (size_t i = 0; i < N_COMMANDS; i++)
                if (strcmp(commands[i]->name, argv[2]) == 0) {
                    cli_help(commands[i], stdout);
                    return EXIT_OK;
                }
        if (argc > 2) { /* help for what is no command, as `charter bogus` says */
            fprintf(stderr, "charter: unknown command '%s'\nTry 'charter --help'.\n", argv[2]);
            return EXIT_USAGE;
        }
        overview(stdout);
        return EXIT_OK;
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
        version(stdout);
        return EXIT_OK;
    }
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (strcmp(commands[i]->name, name) == 0) {
            if (loads_sites(name)) {
                heap_init(argv);
                /* A build starts again once it knows it has work to do
                 * (cmd_build.c). */
                if (strcmp(name, "build") != 0)
                    heap_tune();
                heap_pad();
            }
            return commands[i]->run(argc - 1, argv + 1);
        }
    fprintf(stderr, "charter: unknown command '%s'\nTry 'charter --help'.\n", name);
    return EXIT_USAGE;
}

int main(int argc, char **argv)
{
    int rc = run(argc, argv);
    /* A report, a listing or help that did not reach standard output (a
     * full disk, a closed pipe's file) is an IO error, not a success. */
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "charter: error: cannot write standard output: %s [io]\n",
                strerror(errno ? errno : EIO));
        return EXIT_USAGE;
    }
    return rc;
}
