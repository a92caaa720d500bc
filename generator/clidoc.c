/* clidoc: charter(1) in roff and the bash and zsh completions, from the
 * command and options tables (see clidoc.h). Roff escaping follows
 * groff_man(7) and groff(7): backslashes as \e, every hyphen as \-, a
 * control character (. or ') at the start of a line behind \&, and any
 * other byte outside ASCII as a \[uXXXX] special character. */
#include "clidoc.h"

#include "buf.h"

#include <ctype.h>
#include <string.h>

/* --- shared: what the tables say beyond the raw strings -------------------- */

/* The summary's first sentence, as the overview prints it. */
static int short_len(const char *s)
{
    return (int)strcspn(s, ":.\n");
}

static const cli_option *find_option(const cli_command *cmd, const char *name, size_t len)
{
    for (const cli_option *o = cmd->options; o && o->name; o++)
        if (strlen(o->name) == len && strncmp(o->name, name, len) == 0)
            return o;
    return NULL;
}

/* The choices the usage line spells out for option o ("--format
 * text|json|sarif"), space-separated into out; 0 when it names none (a
 * placeholder such as DATE|REV is not a choice). */
static int usage_choices(const cli_command *cmd, const cli_option *o, buf *out)
{
    buf_reset(out);
    size_t len = strlen(o->name);
    for (const char *p = cmd->usage; (p = strstr(p, "--")) != NULL; p += 2) {
        if (strncmp(p + 2, o->name, len) != 0 || p[2 + len] != ' ')
            continue;
        const char *w = p + 3 + len;
        size_t n = strcspn(w, " ]\n");
        if (memchr(w, '|', n) == NULL)
            return 0;
        for (size_t i = 0; i < n; i++) {
            if (!islower((unsigned char)w[i]) && !isdigit((unsigned char)w[i]) && w[i] != '-' &&
                w[i] != '|')
                return 0;
        }
        for (size_t i = 0; i < n; i++)
            buf_addc(out, w[i] == '|' ? ' ' : w[i]);
        return 1;
    }
    return 0;
}

/* What the command's positional arguments are, from its usage line: 'd'
 * when one is a DIR, 'f' when one is a FILE or PATH, 0 otherwise (none, or
 * revisions and kinds, which are not paths). */
static int positional_kind(const cli_command *cmd)
{
    int kind = 0, skip = 0;
    const char *p = cmd->usage;
    while (*p) {
        p += strspn(p, " \n[]|");
        size_t n = strcspn(p, " \n[]|");
        if (n == 0)
            break;
        const char *w = p;
        p += n;
        if (skip) {
            skip = 0;
            continue;
        }
        if (w[0] == '-') {
            const cli_option *o = n > 2 ? find_option(cmd, w + 2, n - 2) : NULL;
            skip = o && o->arg;
            continue;
        }
        while (n > 0 && w[n - 1] == '.')
            n--;
        if (n == 3 && !strncmp(w, "DIR", 3))
            kind = 'd';
        else if (!kind &&
                 ((n == 4 && !strncmp(w, "FILE", 4)) || (n == 4 && !strncmp(w, "PATH", 4))))
            kind = 'f';
    }
    return kind;
}

/* --- the man page ------------------------------------------------------------ */

/* Writes s[0..len) escaped for roff, not at the start of a line. */
static void roff_escape(FILE *out, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\\')
            fputs("\\e", out);
        else if (c == '-')
            fputs("\\-", out);
        else if (c < 0x80) {
            fputc(c == '\t' ? ' ' : c, out);
        } else {
            /* UTF-8 to a code point; a malformed byte becomes U+FFFD. */
            size_t n = utf8_seq_len((const unsigned char *)s + i, len - i);
            unsigned long cp = 0xFFFD;
            if (n >= 2) {
                cp = c & (0x7F >> n);
                for (size_t k = 1; k < n; k++)
                    cp = (cp << 6) | ((unsigned char)s[i + k] & 0x3F);
                i += n - 1;
            }
            fprintf(out, "\\[u%04lX]", cp);
        }
    }
}

/* Writes s[0..len) as one input line of running text: leading blanks
 * dropped (they would break the line), a leading control character
 * neutralised. */
static void roff_line(FILE *out, const char *s, size_t len)
{
    while (len > 0 && (*s == ' ' || *s == '\t'))
        s++, len--;
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    if (len == 0)
        return;
    if (*s == '.' || *s == '\'')
        fputs("\\&", out);
    roff_escape(out, s, len);
    fputc('\n', out);
}

/* Writes text with hard line breaks as filled paragraphs: each line as an
 * input line, a blank line as a new paragraph. */
static void roff_paragraphs(FILE *out, const char *text)
{
    const char *p = text;
    while (*p) {
        size_t n = strcspn(p, "\n");
        size_t blank = strspn(p, " \t");
        if (blank == n) {
            if (p[n] == '\n' && p[n + 1] != '\0')
                fputs(".PP\n", out);
        } else {
            roff_line(out, p, n);
        }
        p += n + (p[n] == '\n');
    }
}

/* The usage, its hard breaks and alignment folded into one line. */
static void roff_usage(FILE *out, const cli_command *cmd)
{
    fprintf(out, ".PP\n\\fBcharter %s\\fR ", cmd->name);
    const char *p = cmd->usage;
    int first = 1;
    while (*p) {
        p += strspn(p, " \n");
        size_t n = strcspn(p, " \n");
        if (n == 0)
            break;
        if (!first)
            fputc(' ', out);
        roff_escape(out, p, n);
        first = 0;
        p += n;
    }
    fputc('\n', out);
}

static void roff_option(FILE *out, const char *name, const char *arg, const char *help)
{
    fputs(".TP\n\\fB\\-\\-", out);
    roff_escape(out, name, strlen(name));
    fputs("\\fR", out);
    if (arg) {
        fputs(" \\fI", out);
        roff_escape(out, arg, strlen(arg));
        fputs("\\fR", out);
    }
    fputc('\n', out);
    roff_line(out, help, strlen(help));
}

void clidoc_man(FILE *out, const cli_command *const *cmds, size_t n, const char *about)
{
    fprintf(out,
            ".\\\" charter(1), written by `charter help --man` from the options tables\n"
            ".\\\" that also parse the command line and print --help: do not edit.\n"
            ".TH CHARTER 1 \"\" \"charter %s\" \"User Commands\"\n"
            ".SH NAME\n"
            "charter \\- build and check compliance\\-as\\-code policy sites\n"
            ".SH SYNOPSIS\n"
            "\\fBcharter\\fR \\fIcommand\\fR [\\fIoptions\\fR]\n"
            ".br\n"
            "\\fBcharter help\\fR [\\fIcommand\\fR]\n"
            ".br\n"
            "\\fBcharter \\-\\-help\\fR | \\fB\\-\\-version\\fR\n"
            ".SH DESCRIPTION\n",
            CHARTER_VERSION);
    roff_paragraphs(out, about);
    fputs(".PP\nThe commands:\n", out);
    for (size_t i = 0; i < n; i++) {
        fprintf(out, ".TP\n.B %s\n", cmds[i]->name);
        roff_line(out, cmds[i]->summary, (size_t)short_len(cmds[i]->summary));
    }
    fputs(".PP\n\\fBcharter \\-\\-version\\fR prints charter's version, the commit it was built "
          "from and the versions of the libraries it is linked with.\n"
          ".SH COMMANDS\n",
          out);
    for (size_t i = 0; i < n; i++) {
        const cli_command *c = cmds[i];
        fprintf(out, ".SS %s\n", c->name);
        roff_usage(out, c);
        fputs(".PP\n", out);
        roff_paragraphs(out, c->summary);
        fputs(".PP\nOptions:\n", out);
        for (const cli_option *o = c->options; o && o->name; o++)
            roff_option(out, o->name, o->arg, o->help);
        roff_option(out, "help", NULL, "show this help and exit");
        if (c->details) {
            fputs(".PP\n", out);
            roff_paragraphs(out, c->details);
        }
    }
    fprintf(out,
            ".SH EXIT STATUS\n"
            ".TP\n.B %d\nsuccess: no errors (each command says what that means)\n"
            ".TP\n.B %d\nfindings: the checks found errors, or files differ\n"
            ".TP\n.B %d\na usage, configuration, git or IO error\n"
            ".SH ENVIRONMENT\n"
            ".TP\n.B NO_COLOR\nwhen set, findings on a terminal are printed without colour\n"
            ".TP\n.B TERM\n\\fBdumb\\fR: findings on that terminal are printed without colour\n"
            ".TP\n.B GITHUB_BASE_REF\\fR, \\fBCI_MERGE_REQUEST_TARGET_BRANCH_NAME\\fR, "
            "\\fBCHARTER_BASE\nthe branch a pull request goes into (origin/ and the branch CI "
            "names, or the revision CHARTER_BASE names): with evidence.require_approval, the "
            "request's own changes are not judged for approval\n"
            ".TP\n.B GLIBC_TUNABLES\nbuild (when it has work to do), check, diff, serve and "
            "verify start once more with glibc.malloc.hugetlb=1 added (transparent huge pages for "
            "malloc), then put it back as it was; naming glibc.malloc.hugetlb here (=0 refuses "
            "them) leaves it as given. "
            "They also set malloc's top pad to 16 MB and its mmap threshold to 1 MB, unless "
            "glibc.malloc.top_pad or glibc.malloc.mmap_threshold is named here\n"
            ".SH SEE ALSO\n"
            "\\fBgit\\fR(1); the documentation in the \\fIdocs\\fR folder of charter's source\n",
            EXIT_OK, EXIT_FINDINGS, EXIT_USAGE);
}

/* --- bash ---------------------------------------------------------------------- */

void clidoc_bash(FILE *out, const cli_command *const *cmds, size_t n)
{
    buf choices;
    buf_init(&choices);
    fputs("# bash completion for charter, written by `charter help --completion bash`\n"
          "# from the options tables that also parse the command line: do not edit.\n"
          "_charter()\n"
          "{\n"
          "    local cur=${COMP_WORDS[COMP_CWORD]} prev= cmd=${COMP_WORDS[1]} opts= args=\n"
          "    COMPREPLY=()\n"
          "    [ \"$COMP_CWORD\" -ge 2 ] && prev=${COMP_WORDS[COMP_CWORD-1]}\n"
          "    # --name=value: bash splits the word at '=' (COMP_WORDBREAKS).\n"
          "    if [ \"$cur\" = = ]; then\n"
          "        cur=\n"
          "    elif [ \"$prev\" = = ] && [ \"$COMP_CWORD\" -ge 3 ]; then\n"
          "        prev=${COMP_WORDS[COMP_CWORD-2]}\n"
          "    fi\n"
          "    if [ \"$COMP_CWORD\" -eq 1 ]; then\n"
          "        mapfile -t COMPREPLY < <(compgen -W \"",
          out);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%s ", cmds[i]->name);
    fputs("help --help --version\" -- \"$cur\")\n"
          "        return 0\n"
          "    fi\n"
          "    case $cmd in\n",
          out);
    for (size_t i = 0; i < n; i++) {
        const cli_command *c = cmds[i];
        fprintf(out, "    %s)\n        case $prev in\n", c->name);
        const char *sep = "";
        /* Options with a path value, then with choices, then the rest that
         * take a value (nothing to offer: a date, a port). */
        for (const cli_option *o = c->options; o && o->name; o++)
            if (o->arg && (!strcmp(o->arg, "DIR") || !strcmp(o->arg, "FILE"))) {
                fprintf(out,
                        "        --%s)\n            compopt -o filenames 2>/dev/null\n"
                        "            mapfile -t COMPREPLY < <(compgen -%c -- \"$cur\")\n"
                        "            return 0 ;;\n",
                        o->name, o->arg[0] == 'D' ? 'd' : 'f');
            }
        for (const cli_option *o = c->options; o && o->name; o++)
            if (o->arg && usage_choices(c, o, &choices)) {
                fprintf(out,
                        "        --%s)\n            mapfile -t COMPREPLY < <(compgen -W \"%s\" "
                        "-- \"$cur\")\n            return 0 ;;\n",
                        o->name, choices.data);
            }
        for (const cli_option *o = c->options; o && o->name; o++)
            if (o->arg && strcmp(o->arg, "DIR") && strcmp(o->arg, "FILE") &&
                !usage_choices(c, o, &choices)) {
                fprintf(out, "%s--%s", *sep ? sep : "        ", o->name);
                sep = "|";
            }
        if (*sep)
            fputs(") return 0 ;;\n", out);
        fputs("        esac\n        opts=\"", out);
        for (const cli_option *o = c->options; o && o->name; o++)
            fprintf(out, "--%s ", o->name);
        int kind = positional_kind(c);
        fprintf(out, "--help\"\n        args=%s ;;\n", kind == 'd' ? "d" : kind == 'f' ? "f" : "");
    }
    fputs("    help)\n"
          "        [ \"$COMP_CWORD\" -eq 2 ] && mapfile -t COMPREPLY < <(compgen -W \"",
          out);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%s%s", i ? " " : "", cmds[i]->name);
    fputs("\" -- \"$cur\")\n"
          "        return 0 ;;\n"
          "    *) return 0 ;;\n"
          "    esac\n"
          "    case $cur in\n"
          "    -*) mapfile -t COMPREPLY < <(compgen -W \"$opts\" -- \"$cur\") ;;\n"
          "    *)\n"
          "        [ -n \"$args\" ] || return 0\n"
          "        compopt -o filenames 2>/dev/null\n"
          "        mapfile -t COMPREPLY < <(compgen -\"$args\" -- \"$cur\") ;;\n"
          "    esac\n"
          "    return 0\n"
          "}\n"
          "complete -F _charter charter\n",
          out);
    buf_release(&choices);
}

/* --- zsh ----------------------------------------------------------------------- */

/* Writes s[0..len) for inside a single-quoted zsh word and, with brackets,
 * inside an _arguments description (where [ ] and \ are special). */
static void zsh_quoted(FILE *out, const char *s, size_t len, int brackets)
{
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\'')
            fputs("'\\''", out);
        else if (s[i] == '\n')
            fputc(' ', out);
        else {
            if (brackets && (s[i] == '[' || s[i] == ']' || s[i] == '\\' || s[i] == ':'))
                fputc('\\', out);
            fputc(s[i], out);
        }
    }
}

void clidoc_zsh(FILE *out, const cli_command *const *cmds, size_t n)
{
    buf choices;
    buf_init(&choices);
    fputs("#compdef charter\n"
          "# zsh completion for charter, written by `charter help --completion zsh`\n"
          "# from the options tables that also parse the command line: do not edit.\n"
          "\n"
          "_charter() {\n"
          "    local curcontext=\"$curcontext\" state line ret=1\n"
          "    typeset -A opt_args\n"
          "    local -a commands\n"
          "    commands=(\n",
          out);
    for (size_t i = 0; i < n; i++) {
        fprintf(out, "        '%s:", cmds[i]->name);
        zsh_quoted(out, cmds[i]->summary, (size_t)short_len(cmds[i]->summary), 0);
        fputs("'\n", out);
    }
    fputs("        'help:show the help of charter or of a command'\n"
          "    )\n"
          "    _arguments -C \\\n"
          "        '(- :)--help[show the help]' \\\n"
          "        '(- :)--version[show the version]' \\\n"
          "        '1: :->command' \\\n"
          "        '*:: :->args' && ret=0\n"
          "    case $state in\n"
          "    command)\n"
          "        _describe -t commands 'charter command' commands && ret=0 ;;\n"
          "    args)\n"
          "        curcontext=\"${curcontext%:*:*}:charter-$words[1]:\"\n"
          "        case $words[1] in\n",
          out);
    for (size_t i = 0; i < n; i++) {
        const cli_command *c = cmds[i];
        fprintf(out, "        %s)\n            _arguments \\\n", c->name);
        for (const cli_option *o = c->options; o && o->name; o++) {
            fprintf(out, "                '--%s%s[", o->name, o->arg ? "=" : "");
            zsh_quoted(out, o->help, strlen(o->help), 1);
            fputc(']', out);
            if (o->arg) {
                fputc(':', out);
                zsh_quoted(out, o->arg, strlen(o->arg), 1);
                if (!strcmp(o->arg, "DIR"))
                    fputs(":_files -/", out);
                else if (!strcmp(o->arg, "FILE"))
                    fputs(":_files", out);
                else if (usage_choices(c, o, &choices))
                    fprintf(out, ":(%s)", choices.data);
                else
                    fputs(": ", out);
            }
            fputs("' \\\n", out);
        }
        int kind = positional_kind(c);
        if (kind == 'd')
            fputs("                '*:directory:_files -/' \\\n", out);
        else if (kind == 'f')
            fputs("                '*:file:_files' \\\n", out);
        fputs("                '(- *)--help[show this help and exit]' && ret=0 ;;\n", out);
    }
    fputs("        help)\n"
          "            _describe -t commands 'charter command' commands && ret=0 ;;\n"
          "        esac ;;\n"
          "    esac\n"
          "    return ret\n"
          "}\n"
          "\n"
          "_charter \"$@\"\n",
          out);
    buf_release(&choices);
}
