/* charter-render: charter's side of the ctemplate differential test (oracle.cc
 * is the reference side, on libctemplate). Renders CASEDIR/main.tpl with
 * generator/template_*.c and the dictionary described by CASEDIR/dict.yml
 * (format: run.sh), read through yamltree. Usage: charter-render CASEDIR
 * [--repeat N]. Exit: 0 rendered, 1 load or render error, 2 bad usage or dict.yml. */
#include "buf.h"
#include "diag.h"
#include "fs.h"
#include "template.h"
#include "yamltree.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { EXIT_RENDERED = 0, EXIT_FAILED = 1, EXIT_USAGE = 2 };

#define ID_DICT "oracle-dict"

static int apply_dict(const yaml_node *map, tpl_dict *dict, int is_include, const char *file,
                      diags *d);

static int check_mapping(const yaml_node *n, const char *what, const char *file, diags *d)
{
    if (yamltree_kind(n) != YAML_MAPPING)
        return diag_error(d, file, yamltree_line(n), yamltree_col(n), ID_DICT,
                          "%s must be a mapping", what);
    return 0;
}

/* Applies "#SEC" (true, false or a list of dictionaries) or ">INC" (a list of
 * dictionaries, each with an optional "@file"). 0, or -1 after reporting. */
static int apply_children(const yaml_node *k, const yaml_node *v, tpl_dict *dict, const char *file,
                          diags *d)
{
    int include = yamltree_text(k)[0] == '>';
    const char *name = yamltree_text(k) + 1;
    if (!include && yamltree_kind(v) == YAML_SCALAR) {
        if (!strcmp(yamltree_text(v), "true"))
            tpl_dict_show_section(dict, name);
        else if (strcmp(yamltree_text(v), "false"))
            return diag_error(d, file, yamltree_line(v), yamltree_col(v), ID_DICT,
                              "'%s' must be true, false or a list", yamltree_text(k));
        return 0;
    }
    if (yamltree_kind(v) != YAML_SEQUENCE)
        return diag_error(d, file, yamltree_line(v), yamltree_col(v), ID_DICT,
                          "'%s' must be a list of dictionaries", yamltree_text(k));
    for (size_t i = 0; i < yamltree_len(v); i++) {
        const yaml_node *item = yamltree_item(v, i);
        if (check_mapping(item, "a section or include dictionary", file, d) < 0)
            return -1;
        tpl_dict *kid;
        if (include) {
            const yaml_node *f = yamltree_get(item, "@file");
            if (f && yamltree_kind(f) != YAML_SCALAR)
                return diag_error(d, file, yamltree_line(f), yamltree_col(f), ID_DICT,
                                  "'@file' must be a scalar");
            kid = tpl_dict_add_include(dict, name, f ? yamltree_text(f) : NULL);
        } else {
            kid = tpl_dict_add_section(dict, name);
        }
        if (apply_dict(item, kid, include, file, d) < 0)
            return -1;
    }
    return 0;
}

/* Applies the NAME: value, "#SEC", ">INC" and "@template_globals" entries of
 * map to dict, in document order. 0, or -1 after reporting. */
static int apply_dict(const yaml_node *map, tpl_dict *dict, int is_include, const char *file,
                      diags *d)
{
    if (check_mapping(map, "a dictionary", file, d) < 0)
        return -1;
    for (size_t i = 0; i < yamltree_len(map); i++) {
        const yaml_node *k = yamltree_key(map, i), *v = yamltree_item(map, i);
        const char *key = yamltree_text(k);
        if (!*key)
            return diag_error(d, file, yamltree_line(k), yamltree_col(k), ID_DICT, "empty name");
        if (key[0] == '#' || key[0] == '>') {
            if (apply_children(k, v, dict, file, d) < 0)
                return -1;
        } else if (!strcmp(key, "@template_globals")) {
            if (check_mapping(v, "'@template_globals'", file, d) < 0)
                return -1;
            for (size_t j = 0; j < yamltree_len(v); j++) {
                const char *gk = yamltree_text(yamltree_key(v, j));
                const yaml_node *gv = yamltree_item(v, j);
                if (yamltree_kind(gv) != YAML_SCALAR)
                    return diag_error(d, file, yamltree_line(gv), yamltree_col(gv), ID_DICT,
                                      "'%s' must be a scalar", gk);
                tpl_dict_set_template_global(dict, gk, yamltree_text(gv), yamltree_text_len(gv));
            }
        } else if (!strcmp(key, "@file") && is_include) {
            continue; /* applied by apply_children */
        } else if (key[0] == '@') {
            return diag_error(d, file, yamltree_line(k), yamltree_col(k), ID_DICT,
                              "unknown key '%s'", key);
        } else if (yamltree_kind(v) != YAML_SCALAR) {
            return diag_error(d, file, yamltree_line(v), yamltree_col(v), ID_DICT,
                              "'%s' must be a scalar", key);
        } else {
            tpl_dict_set_len(dict, key, yamltree_text(v), yamltree_text_len(v));
        }
    }
    return 0;
}

static int parse_strip(tpl_strip *out, const yaml_node *v, const char *file, diags *d)
{
    static const struct {
        const char *name;
        tpl_strip strip;
    } modes[] = {{"DO_NOT_STRIP", TPL_DO_NOT_STRIP},
                 {"STRIP_BLANK_LINES", TPL_STRIP_BLANK_LINES},
                 {"STRIP_WHITESPACE", TPL_STRIP_WHITESPACE}};
    for (size_t i = 0; yamltree_kind(v) == YAML_SCALAR && i < sizeof modes / sizeof *modes; i++) {
        if (!strcmp(yamltree_text(v), modes[i].name)) {
            *out = modes[i].strip;
            return 0;
        }
    }
    return diag_error(d, file, yamltree_line(v), yamltree_col(v), ID_DICT,
                      "'strip' must be DO_NOT_STRIP, STRIP_BLANK_LINES or STRIP_WHITESPACE");
}

/* Builds the set (with dict.yml's strip mode and globals) and the root
 * dictionary for case directory dir. Returns 0 with *set_out and *dict_out
 * owned by the caller, or -1 after reporting. A missing dict.yml is an empty
 * dictionary. */
static int load_case(tpl_set **set_out, tpl_dict **dict_out, const char *dir, diags *d)
{
    int err = -1;
    buf path, text;
    buf_init(&path);
    buf_init(&text);
    yaml_node *root = NULL;
    tpl_set *set = NULL;
    tpl_dict *dict = tpl_dict_new();

    buf_printf(&path, "%s/dict.yml", dir);
    FILE *probe = fopen(path.data, "rb");
    if (probe)
        fclose(probe);
    if (!probe && errno == ENOENT)
        buf_adds(&text, "{}");
    else if (fs_read(&text, path.data, NULL, d) < 0)
        goto done;
    if (yamltree_parse(&root, text.data, text.len, path.data, 0, d) < 0)
        goto done;
    if (check_mapping(root, "dict.yml", path.data, d) < 0)
        goto done;

    tpl_strip strip = TPL_DO_NOT_STRIP;
    const yaml_node *s = yamltree_get(root, "strip");
    if (s && parse_strip(&strip, s, path.data, d) < 0)
        goto done;
    set = tpl_set_new(dir, strip, 0);
    for (size_t i = 0; i < yamltree_len(root); i++) {
        const yaml_node *k = yamltree_key(root, i), *v = yamltree_item(root, i);
        if (!strcmp(yamltree_text(k), "strip"))
            continue;
        if (!strcmp(yamltree_text(k), "globals")) {
            if (check_mapping(v, "'globals'", path.data, d) < 0)
                goto done;
            for (size_t j = 0; j < yamltree_len(v); j++) {
                const char *gk = yamltree_text(yamltree_key(v, j));
                const yaml_node *gv = yamltree_item(v, j);
                if (yamltree_kind(gv) != YAML_SCALAR) {
                    diag_error(d, path.data, yamltree_line(gv), yamltree_col(gv), ID_DICT,
                               "'%s' must be a scalar", gk);
                    goto done;
                }
                tpl_set_global(set, gk, yamltree_text(gv), yamltree_text_len(gv));
            }
        } else if (!strcmp(yamltree_text(k), "dict")) {
            if (apply_dict(v, dict, 0, path.data, d) < 0)
                goto done;
        } else {
            diag_error(d, path.data, yamltree_line(k), yamltree_col(k), ID_DICT,
                       "unknown key '%s' (strip, globals, dict)", yamltree_text(k));
            goto done;
        }
    }
    *set_out = set;
    *dict_out = dict;
    set = NULL;
    dict = NULL;
    err = 0;
done:
    tpl_set_free(set);
    tpl_dict_free(dict);
    yamltree_free(root);
    buf_release(&text);
    buf_release(&path);
    return err;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Renders t `repeat` times after the warm-up and reports the rate on stderr;
 * out holds the last output. */
static void time_renders(const tpl *t, const tpl_dict *dict, buf *out, long repeat, diags *d)
{
    double start = now();
    for (long i = 0; i < repeat; i++) {
        buf_reset(out);
        tpl_render(t, dict, out, d);
    }
    double secs = now() - start;
    fprintf(stderr, "charter: %ld renders in %.3f s (%.1f MB/s)\n", repeat, secs,
            secs > 0 ? (double)out->len * repeat / secs / 1e6 : 0.0);
}

int main(int argc, char **argv)
{
    int status = EXIT_USAGE;
    long repeat = 0;
    diags *d = diag_new(NULL);
    tpl_set *set = NULL;
    tpl_dict *dict = NULL;
    FILE *sink = stdout;
    buf out;
    buf_init(&out);

    if (argc == 4 && !strcmp(argv[2], "--repeat")) {
        char *end;
        repeat = strtol(argv[3], &end, 10);
        if (*end || repeat < 1)
            argc = 0;
    }
    if (argc != 2 && argc != 4) {
        fprintf(stderr, "usage: charter-render CASEDIR [--repeat N]\n");
        goto done;
    }
    const char *dir = argv[1];
    if (load_case(&set, &dict, dir, d) < 0)
        goto done;

    status = EXIT_FAILED;
    const tpl *t = tpl_set_load(set, "main.tpl", d);
    if (!t || tpl_render(t, dict, &out, d) < 0)
        goto done;
    if (repeat) {
        time_renders(t, dict, &out, repeat, d);
        sink = fopen("/dev/null", "wb");
        if (!sink) {
            fprintf(stderr, "error: cannot open /dev/null: %s\n", strerror(errno));
            goto done;
        }
    }
    fwrite(out.data, 1, out.len, sink);
    if (fflush(sink) != 0 || ferror(sink)) {
        fprintf(stderr, "error: cannot write the output\n");
        goto done;
    }
    status = EXIT_RENDERED;
done:
    if (sink && sink != stdout)
        fclose(sink);
    /* Warnings too: a case that renders may still have something to say. */
    diag_print_text(d, stderr, 0);
    if (status == EXIT_RENDERED && diag_count(d, DIAG_ERROR))
        status = EXIT_FAILED;
    buf_release(&out);
    tpl_dict_free(dict);
    tpl_set_free(set);
    diag_free(d);
    return status;
}
