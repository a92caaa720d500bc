/* fuzz_toml: Hugo's TOML front matter (`+++`) as toml_parse reads it,
 * against Python's tomllib (TOML 1.0, in Debian 12's Python 3.11), run once
 * as a coprocess that reads each input from a pipe. Checked: tomllib and
 * charter accept the same documents (but for charter's caps: nesting past
 * 64, its limits; a leap second, which Python's datetime cannot hold),
 * and read the same values: every
 * table's keys, every array's items, strings byte for byte, integers,
 * floats and booleans by value, dates and times by kind. Where tomllib is
 * not there (no python3), only that toml_parse returns 0 or -1, -1 with an
 * error, and that findings point inside the text. tests/fuzz/README.md. */
#include "fuzz.h"
#include "fuzz_python.h"

#include "buf.h"
#include "json.h"
#include "toml.h"
#include "yamltree.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <strings.h>

/* The coprocess: reads a 4-byte little-endian length and that many bytes,
 * writes "ERR" or "OK <canonical form>" on one line. The form is what
 * canon() below writes for charter's tree. */
static const char script[] =
    "import sys, math, tomllib\n"
    "# Strings as json_string (json.c) writes them.\n"
    "E = {'\"': '\\\\\"', '\\\\': '\\\\\\\\', '\\n': '\\\\n', '\\t': '\\\\t', '\\r': "
    "'\\\\r'}\n"
    "def s(x): return '\"' + ''.join(E[c] if c in E else c if c >= ' ' and c != '\\x7f' else "
    "'\\\\u%04x' % ord(c) for c in x) + '\"'\n"
    "def canon(v):\n"
    "    if isinstance(v, dict): return '{' + ','.join(s(k) + ':' + canon(v[k]) for k in "
    "sorted(v, key=lambda k: k.encode('utf-8'))) + '}'\n"
    "    if isinstance(v, list): return '[' + ','.join(canon(x) for x in v) + ']'\n"
    "    if isinstance(v, str): return 's' + s(v)\n"
    "    if isinstance(v, bool): return 'b1' if v else 'b0'\n"
    "    if isinstance(v, int): return 'i' + str(v) if -2**63 <= v < 2**63 else 'i?'\n"
    "    if isinstance(v, float):\n"
    "        if math.isnan(v): return 'fnan'\n"
    "        if math.isinf(v): return 'finf' if v > 0 else 'f-inf'\n"
    "        return 'f' + format(v, '.17g')\n"
    "    return 'd'\n"
    "inp, out = sys.stdin.buffer, sys.stdout.buffer\n"
    "while True:\n"
    "    h = inp.read(4)\n"
    "    if len(h) < 4: break\n"
    "    data = inp.read(int.from_bytes(h, 'little'))\n"
    "    try: line = 'OK ' + canon(tomllib.loads(data.decode('utf-8')))\n"
    "    except Exception: line = 'ERR'\n"
    "    out.write(line.encode('utf-8') + b'\\n'); out.flush()\n";

static fuzz_python python = {.script = script};

/* A plain scalar, as TOML wrote it (less its '_'): b, i, f or d. */
static void put_plain(buf *b, const char *t)
{
    if (!strcmp(t, "true") || !strcmp(t, "false")) {
        buf_adds(b, t[0] == 't' ? "b1" : "b0");
        return;
    }
    const char *u = t + (*t == '+' || *t == '-');
    int neg = *t == '-';
    if (u[0] == '0' && (u[1] == 'x' || u[1] == 'o' || u[1] == 'b')) {
        errno = 0;
        char *end;
        unsigned long long v = strtoull(u + 2, &end, u[1] == 'x' ? 16 : u[1] == 'o' ? 8 : 2);
        if (errno || *end || v > (unsigned long long)INT64_MAX)
            buf_adds(b, "i?");
        else
            buf_printf(b, "i%s%llu", neg && v ? "-" : "", v);
        return;
    }
    if (strchr(t, ':') || (strlen(t) >= 10 && t[4] == '-' && t[7] == '-')) {
        buf_addc(b, 'd');
        return;
    }
    if (strpbrk(t, ".eE") || strstr(t, "inf") || strstr(t, "nan")) {
        double v = strtod(t, NULL);
        if (isnan(v))
            buf_adds(b, "fnan");
        else if (isinf(v))
            buf_adds(b, v > 0 ? "finf" : "f-inf");
        else
            buf_printf(b, "f%.17g", v);
        return;
    }
    errno = 0;
    char *end;
    long long v = strtoll(t, &end, 10);
    if (errno || *end)
        buf_adds(b, "i?");
    else
        buf_printf(b, "i%lld", v);
}

static int cmp_keys(const void *a, const void *b)
{
    const yaml_node *const *x = a, *const *y = b;
    return strcmp(yamltree_text(x[0]), yamltree_text(y[0]));
}

/* charter's tree in the coprocess's canonical form. */
static void canon(buf *b, const yaml_node *n)
{
    if (yamltree_kind(n) == YAML_MAPPING) {
        size_t k = yamltree_len(n);
        const yaml_node **pairs = xcalloc(k ? 2 * k : 1, sizeof *pairs);
        for (size_t i = 0; i < k; i++) {
            pairs[2 * i] = yamltree_key(n, i);
            pairs[2 * i + 1] = yamltree_item(n, i);
        }
        qsort(pairs, k, 2 * sizeof *pairs, cmp_keys);
        buf_addc(b, '{');
        for (size_t i = 0; i < k; i++) {
            if (i)
                buf_addc(b, ',');
            json_string(b, yamltree_text(pairs[2 * i]), yamltree_text_len(pairs[2 * i]));
            buf_addc(b, ':');
            canon(b, pairs[2 * i + 1]);
        }
        buf_addc(b, '}');
        free(pairs);
    } else if (yamltree_kind(n) == YAML_SEQUENCE) {
        buf_addc(b, '[');
        for (size_t i = 0; i < yamltree_len(n); i++) {
            if (i)
                buf_addc(b, ',');
            canon(b, yamltree_item(n, i));
        }
        buf_addc(b, ']');
    } else if (!yamltree_plain(n)) {
        buf_addc(b, 's');
        json_string(b, yamltree_text(n), yamltree_text_len(n));
    } else {
        put_plain(b, yamltree_text(n));
    }
}

/* Whether d holds an error of that id. */
static int has_id(diags *d, const char *id)
{
    size_t n;
    const diag_entry *e = diag_entries(d, &n);
    for (size_t i = 0; i < n; i++)
        if (e[i].level == DIAG_ERROR && !strcmp(e[i].id, id))
            return 1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    diags *d = diag_new(NULL);
    yaml_node *y = NULL;
    int rc = toml_parse(&y, (const char *)data, size, "page.md", 1, NULL, d);
    FUZZ_CHECK(rc == 0 || rc == -1);
    FUZZ_CHECK(rc == 0 ? y != NULL : diag_count(d, DIAG_ERROR) > 0);
    fuzz_check_positions(d, "page.md", (const char *)data, size, 1);
    buf py, mine;
    buf_init(&py);
    buf_init(&mine);
    if (fuzz_python_reads(&python, &py, data, size) == 0) {
        if (rc == 0) {
            buf_adds(&mine, "OK ");
            canon(&mine, y);
        } else {
            buf_adds(&mine, "ERR");
        }
        /* charter's own caps (nesting past 64, the limits) refuse some
         * documents TOML allows. */
        int capped = rc != 0 && (has_id(d, "yaml-unsupported") || has_id(d, "too-large"));
        if (rc == 0 && !strcmp(py.data, "ERR") && memmem(data, size, ":60", 3)) {
            /* A leap second (23:59:60): TOML takes RFC 3339's, Python's
             * datetime cannot hold one. Asked again with :59. */
            uint8_t *again = xcalloc(size ? size : 1, 1);
            memcpy(again, data, size);
            for (uint8_t *p = again; (p = memmem(p, size - (size_t)(p - again), ":60", 3));)
                p[1] = '5', p[2] = '9', p += 3;
            buf_reset(&py);
            fuzz_python_reads(&python, &py, again, size);
            free(again);
        }
        if (strcmp(py.data, mine.data) != 0 && !(capped && !strncmp(py.data, "OK", 2))) {
            fprintf(stderr, "tomllib: %s\ncharter: %s\n", py.data, mine.data);
            fuzz_debug_diags(d);
            FUZZ_CHECK(!"TOML read otherwise than tomllib reads it");
        }
    }
    buf_release(&py);
    buf_release(&mine);
    yamltree_free(y);
    diag_free(d);
    return 0;
}
