/* cmd_verify: `charter verify DIR`: checks a published copy of a site
 * against the manifest.json its build wrote (verify.c), naming each file
 * that differs. For auditors and deploy scripts: exit 0 when everything
 * matches, 1 on any difference. */
#include "cli.h"
#include "commands.h"
#include "diag.h"
#include "verify.h"

#include <stdio.h>

static const cli_option options[] = {
    {NULL, NULL, NULL},
};

const cli_command cmd_verify_def = {
    "verify",
    "Check a published copy of a site against its manifest.json: every file it lists is\n"
    "there with the same SHA-256, and no other file is. Prints each file that differs\n"
    "(changed, missing, not in the manifest), or one line naming the commit it was built\n"
    "from when all match. Links are never followed.",
    "DIR",
    "exit status: 0 all files match, 1 a file differs, 2 usage error, or DIR or its\n"
    "manifest.json cannot be read or is not a manifest charter writes.\n",
    options,
    cmd_verify,
};

static int on_option(void *ctx, int opt, const char *value)
{
    (void)ctx;
    (void)opt;
    (void)value;
    return 0;
}

int cmd_verify(int argc, char **argv)
{
    const char *args[1] = {NULL};
    int n_args = 0;
    int rc = cli_parse_args(&cmd_verify_def, argc, argv, on_option, NULL, args, 1, &n_args);
    if (rc != 0)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    if (n_args != 1) {
        cli_usage_error(&cmd_verify_def, "expected the directory of a published site");
        return EXIT_USAGE;
    }
    const char *dir = args[0];
    diags *d = diag_new(NULL);
    verify_result res;
    int status = EXIT_USAGE;
    if (verify_dir(&res, dir, d) != 0) {
        cmd_print_diags(d);
        goto done;
    }
    char commit[64];
    if (res.commit[0])
        snprintf(commit, sizeof commit, "commit %.7s%s", res.commit,
                 res.clean == 0 ? ", with uncommitted changes" : "");
    else
        snprintf(commit, sizeof commit, "no commit");
    for (size_t i = 0; i < res.n_diffs; i++)
        printf("%s: %s\n", verify_kind_name(res.diffs[i].kind), res.diffs[i].rel);
    if (res.n_diffs) {
        fprintf(stderr, "charter verify: '%s': %zu %s differ%s from manifest.json (%s)\n", dir,
                res.n_diffs, res.n_diffs == 1 ? "file" : "files", res.n_diffs == 1 ? "s" : "",
                commit);
        status = EXIT_FINDINGS;
    } else {
        printf("'%s': %zu %s match manifest.json (%s)\n", dir, res.n_listed,
               res.n_listed == 1 ? "file" : "files", commit);
        status = EXIT_OK;
    }
    verify_result_release(&res);
done:
    diag_free(d);
    return status;
}
