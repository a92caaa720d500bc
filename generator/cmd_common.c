/* cmd_common: what the subcommands share: reading --as-of and printing the
 * diagnostics as text (declared in commands.h). */
#include "commands.h"

#include "dates.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cmd_parse_as_of(long *out, const cli_command *cmd, const char *value)
{
    if (!value) {
        *out = date_today();
        return 0;
    }
    if (date_parse(out, value, strlen(value)) != 0)
        return cli_usage_error(cmd, "'--as-of' must be a date (YYYY-MM-DD), not '%s'", value);
    return 0;
}

int cmd_print_diags(diags *d)
{
    const char *nc = getenv("NO_COLOR");
    diag_print_text(d, stderr, isatty(2) && !(nc && *nc));
    return 0;
}
