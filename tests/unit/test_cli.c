/* test_cli: argv parsing against an options table ("--name value",
 * "--name=value", flags), the usage errors with their exact text, and --help
 * generated from the same table. */
#include "unit.h"

#include "cli.h"
#include "commands.h"

#include <unistd.h>

static const cli_option options[] = {
    {"out", "DIR", "write the site to DIR"},
    {"quiet", NULL, "print nothing on success"},
    {"as-of", "DATE", "judge review dates as of DATE"},
    {NULL, NULL, NULL},
};

static const cli_command command = {
    .name = "build",
    .summary = "Render the site.",
    .usage = "[options]",
    .details = "Exit status is 0 on success.\n",
    .options = options,
};

/* What the handler saw, as "option=value;" items. */
struct seen {
    char text[256];
};

/* Records each call; a value of "bad" makes the handler fail. */
static int record(void *ctx, int option, const char *value)
{
    struct seen *s = ctx;
    size_t n = strlen(s->text);
    snprintf(s->text + n, sizeof s->text - n, "%d=%s;", option, value ? value : "(null)");
    if (value && strcmp(value, "bad") == 0) {
        fputs("handler refused\n", stderr);
        return -1;
    }
    return 0;
}

/* Captures one standard stream (1 or 2) into a temporary file while
 * cli_parse runs, then restores it. */
struct capture {
    int fd, saved;
    FILE *stream, *tmp;
};

static void capture_begin(struct capture *c, int fd)
{
    c->fd = fd;
    c->stream = fd == 1 ? stdout : stderr;
    fflush(c->stream);
    c->tmp = tmpfile();
    cr_assert_not_null(c->tmp);
    c->saved = dup(fd);
    cr_assert_geq(c->saved, 0);
    cr_assert_geq(dup2(fileno(c->tmp), fd), 0);
}

/* Restores the stream and returns what was written; caller frees. */
static char *capture_end(struct capture *c)
{
    fflush(c->stream);
    dup2(c->saved, c->fd);
    close(c->saved);
    /* The bytes went through the fd, not c->tmp's FILE buffer. */
    fseek(c->tmp, 0, SEEK_END);
    long size = ftell(c->tmp);
    cr_assert_geq(size, 0);
    rewind(c->tmp);
    char *text = calloc(1, (size_t)size + 1);
    cr_assert_not_null(text);
    size_t got = fread(text, 1, (size_t)size, c->tmp);
    text[got] = '\0';
    fclose(c->tmp);
    return text;
}

/* Runs cli_parse on a NULL-terminated argument list (after the command
 * name), capturing stdout and stderr. */
static int run(struct seen *seen, char **out, char **err, const char *const *args)
{
    char *argv[16] = {(char *)"build"};
    int argc = 1;
    for (; args[argc - 1]; argc++)
        argv[argc] = (char *)args[argc - 1];
    struct capture co, ce;
    capture_begin(&co, 1);
    capture_begin(&ce, 2);
    int rc = cli_parse(&command, argc, argv, record, seen);
    *err = capture_end(&ce);
    *out = capture_end(&co);
    return rc;
}

#define TRY "Try 'charter build --help' for more information.\n"

static const struct {
    const char *name;
    const char *args[6];
    int rc;
    const char *seen; /* handler calls */
    const char *err;  /* exact stderr */
} cases[] = {
    {"nothing", {NULL}, 0, "", ""},
    {"value as next argument", {"--out", "public", NULL}, 0, "0=public;", ""},
    {"value after equals", {"--out=public", NULL}, 0, "0=public;", ""},
    {"value with equals inside", {"--out=a=b", NULL}, 0, "0=a=b;", ""},
    {"empty value after equals", {"--out=", NULL}, 0, "0=;", ""},
    {"value that looks like an option", {"--out", "--quiet", NULL}, 0, "0=--quiet;", ""},
    {"flag", {"--quiet", NULL}, 0, "1=(null);", ""},
    {"several in order",
     {"--as-of", "2024-01-01", "--quiet", "--out=x", NULL},
     0,
     "2=2024-01-01;1=(null);0=x;",
     ""},
    {"repeated option reported twice", {"--out=a", "--out=b", NULL}, 0, "0=a;0=b;", ""},
    {"flag with a value",
     {"--quiet=yes", NULL},
     -1,
     "",
     "charter build: option '--quiet' takes no value\n" TRY},
    {"missing value",
     {"--quiet", "--out", NULL},
     -1,
     "1=(null);",
     "charter build: option '--out' needs a value (DIR)\n" TRY},
    {"unknown option", {"--bogus", NULL}, -1, "", "charter build: unknown option '--bogus'\n" TRY},
    {"unknown option with value",
     {"--bogus=1", NULL},
     -1,
     "",
     "charter build: unknown option '--bogus'\n" TRY},
    {"prefix is not a match",
     {"--ou", "x", NULL},
     -1,
     "",
     "charter build: unknown option '--ou'\n" TRY},
    {"longer name is not a match",
     {"--output", "x", NULL},
     -1,
     "",
     "charter build: unknown option '--output'\n" TRY},
    {"positional", {"site", NULL}, -1, "", "charter build: unexpected argument 'site'\n" TRY},
    {"single dash", {"-q", NULL}, -1, "", "charter build: unexpected argument '-q'\n" TRY},
    /* A bare "--" ends the options, as getopt's does, for a command that
     * takes no argument too (HEAD~1: "unexpected argument '--'"); what
     * follows it is an argument, which such a command refuses. */
    {"bare double dash", {"--quiet", "--", NULL}, 0, "1=(null);", ""},
    {"an option after a double dash is an argument",
     {"--", "--quiet", NULL},
     -1,
     "",
     "charter build: unexpected argument '--quiet'\n" TRY},
    {"positional after options",
     {"--quiet", "extra", NULL},
     -1,
     "1=(null);",
     "charter build: unexpected argument 'extra'\n" TRY},
    {"handler failure stops parsing",
     {"--as-of", "bad", "--quiet", NULL},
     -1,
     "2=bad;",
     "handler refused\n"},
};

Test(cli, parse_cases)
{
    for (size_t i = 0; i < COUNT(cases); i++) {
        struct seen seen = {""};
        char *out, *err;
        int rc = run(&seen, &out, &err, cases[i].args);
        cr_expect_eq(rc, cases[i].rc, "%s: returned %d", cases[i].name, rc);
        cr_expect_str_eq(seen.text, cases[i].seen, "%s: handler calls", cases[i].name);
        cr_expect_str_eq(err, cases[i].err, "%s: stderr", cases[i].name);
        cr_expect_str_eq(out, "", "%s: stdout", cases[i].name);
        free(out);
        free(err);
    }
}

#define HELP                                                                                       \
    "usage: charter build [options]\n"                                                             \
    "\n"                                                                                           \
    "Render the site.\n"                                                                           \
    "\n"                                                                                           \
    "options:\n"                                                                                   \
    "  --out DIR              write the site to DIR\n"                                             \
    "  --quiet                print nothing on success\n"                                          \
    "  --as-of DATE           judge review dates as of DATE\n"                                     \
    "  --help                 show this help and exit\n"                                           \
    "\n"                                                                                           \
    "Exit status is 0 on success.\n"

static const struct {
    const char *name;
    const char *args[4];
    const char *seen;
} help_cases[] = {
    {"--help", {"--help", NULL}, ""},
    {"-h", {"-h", NULL}, ""},
    {"after options", {"--quiet", "--help", NULL}, "1=(null);"},
    {"before a bad option", {"--help", "--bogus", NULL}, ""},
};

Test(cli, help_returns_one)
{
    for (size_t i = 0; i < COUNT(help_cases); i++) {
        struct seen seen = {""};
        char *out, *err;
        int rc = run(&seen, &out, &err, help_cases[i].args);
        cr_expect_eq(rc, 1, "%s: returned %d", help_cases[i].name, rc);
        cr_expect_str_eq(out, HELP, "%s: stdout", help_cases[i].name);
        cr_expect_str_eq(err, "", "%s: stderr", help_cases[i].name);
        cr_expect_str_eq(seen.text, help_cases[i].seen, "%s: handler calls", help_cases[i].name);
        free(out);
        free(err);
    }
}

/* A command with no options of its own still takes --help, and says so. */
Test(cli, help_without_options_or_details)
{
    static const cli_option none[] = {{NULL, NULL, NULL}};
    const cli_command cmd = {
        .name = "version", .summary = "Print the version.", .usage = "", .options = none};
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    cr_assert_not_null(f);
    cli_help(&cmd, f);
    fclose(f);
    cr_assert_str_eq(text, "usage: charter version \n\nPrint the version.\n\noptions:\n"
                           "  --help                 show this help and exit\n");
    free(text);
}

Test(cli, usage_error_returns_minus_one)
{
    struct capture ce;
    capture_begin(&ce, 2);
    int rc = cli_usage_error(&command, "bad date '%s'", "2024-13-01");
    char *err = capture_end(&ce);
    cr_assert_eq(rc, -1);
    cr_assert_str_eq(err, "charter build: bad date '2024-13-01'\n" TRY);
    free(err);
}

Test(cli, exit_codes)
{
    cr_assert_eq(EXIT_OK, 0);
    cr_assert_eq(EXIT_FINDINGS, 1);
    cr_assert_eq(EXIT_USAGE, 2);
}

/* cli_parse_args: positional arguments (charter new's KIND and PATH) among
 * the options, "--" ending the options, and one too many refused. */
static const struct {
    const char *name;
    const char *args[7];
    int rc;
    const char *seen; /* handler calls */
    const char *got;  /* the positional arguments, "|"-separated */
    const char *err;
} arg_cases[] = {
    {"two words", {"policy", "a/b", NULL}, 0, "", "policy|a/b", ""},
    {"among options",
     {"--out", "x", "policy", "--quiet", "a/b", NULL},
     0,
     "0=x;1=(null);",
     "policy|a/b",
     ""},
    {"option value is not an argument", {"--out", "policy", NULL}, 0, "0=policy;", "", ""},
    {"after --", {"policy", "--", "--quiet", NULL}, 0, "", "policy|--quiet", ""},
    {"--help after -- is an argument", {"--", "--help", NULL}, 0, "", "--help", ""},
    {"one too many",
     {"a", "b", "c", NULL},
     -1,
     "",
     "a|b",
     "charter build: unexpected argument 'c'\n" TRY},
    {"single dash is still refused",
     {"-q", NULL},
     -1,
     "",
     "",
     "charter build: unexpected argument '-q'\n" TRY},
};

Test(cli, parse_args_cases)
{
    for (size_t i = 0; i < COUNT(arg_cases); i++) {
        struct seen seen = {""};
        char *argv[16] = {(char *)"build"};
        int argc = 1;
        for (; arg_cases[i].args[argc - 1]; argc++)
            argv[argc] = (char *)arg_cases[i].args[argc - 1];
        const char *args[2];
        int n = -1;
        struct capture co, ce;
        capture_begin(&co, 1);
        capture_begin(&ce, 2);
        int rc = cli_parse_args(&command, argc, argv, record, &seen, args, 2, &n);
        char *err = capture_end(&ce);
        char *out = capture_end(&co);
        buf got;
        buf_init(&got);
        for (int k = 0; k < n; k++)
            buf_printf(&got, "%s%s", k ? "|" : "", args[k]);
        cr_expect_eq(rc, arg_cases[i].rc, "%s: returned %d", arg_cases[i].name, rc);
        cr_expect_str_eq(seen.text, arg_cases[i].seen, "%s: handler calls", arg_cases[i].name);
        cr_expect_str_eq(got.data, arg_cases[i].got, "%s: arguments", arg_cases[i].name);
        cr_expect_str_eq(err, arg_cases[i].err, "%s: stderr", arg_cases[i].name);
        cr_expect_str_eq(out, "", "%s: stdout", arg_cases[i].name);
        buf_release(&got);
        free(out);
        free(err);
    }
}

/* CHARTER_TIMINGS: a build's notes (what it chose, what it copied, what it
 * left to the exit) are kept whole, however many a build after a commit
 * adds: at 10,000 pages they passed 320 bytes, and the last was cut. */
Test(cli, timing_notes_kept_whole)
{
    setenv("CHARTER_TIMINGS", "1", 1);
    stage_clock c;
    stage_clock_init(&c);
    unsetenv("CHARTER_TIMINGS");
    cr_assert(c.on);
    stage_clock_note(&c, "the spare tree taken by its folders, 1 of them listed");
    stage_clock_note(&c, "%d of %d pages from the load cache, %d of %d from the parse cache", 10001,
                     10001, 10001, 10001);
    stage_clock_note(&c,
                     "%lld of %lld bytes streamed in segments copied from the previous build, "
                     "%lld not hashed again",
                     101113469LL, 111821336LL, 53936128LL);
    stage_clock_note(&c, "%d files copied but for the commit they name", 3);
    stage_clock_note(&c, "the model left to the process's exit");
    size_t len = strlen(c.note);
    cr_expect_gt(len, 320);
    cr_expect_str_eq(c.note + len - strlen("; the model left to the process's exit"),
                     "; the model left to the process's exit");
}
