/* fuzz_jsondoc: JSON as jsondoc_parse reads it (JSON front matter, OSCAL
 * catalogs and profiles, crosswalks, the files `charter init` reads),
 * against Python's json module, strict (no NaN or Infinity, a repeated key
 * refused), run once as a coprocess that reads each input from a pipe.
 * Checked: both accept the same documents and read the same values, in
 * document order (strings byte for byte, numbers as doubles), but where
 * jansson refuses by design what Python takes (integers beyond 64 bits,
 * numbers beyond a double, \u0000, lone surrogates) or charter's cap does
 * (nesting past 64); that errors point inside the text; that the accessors
 * agree with the iteration. Without python3, only the latter two.
 * tests/fuzz/README.md. */
#include "fuzz.h"
#include "fuzz_python.h"

#include "buf.h"
#include "json.h"
#include "jsondoc.h"

#include <errno.h>
#include <stdlib.h>

/* The coprocess: reads a 4-byte little-endian length and that many bytes,
 * writes "ERR", "SKIP" (a document jansson refuses by design) or
 * "OK <canonical form>" on one line; the form is what canon() below writes
 * for charter's tree. */
static const char script[] =
    "import sys, json\n"
    "# Strings as json_string (json.c) writes them.\n"
    "E = {'\"': '\\\\\"', '\\\\': '\\\\\\\\', '\\n': '\\\\n', '\\t': '\\\\t', '\\r': "
    "'\\\\r'}\n"
    "def s(x): return '\"' + ''.join(E[c] if c in E else c if c >= ' ' and c != '\\x7f' else "
    "'\\\\u%04x' % ord(c) for c in x) + '\"'\n"
    "class Skip(Exception): pass\n"
    "class Obj(list): pass\n"
    "def pairs(ps):\n"
    "    seen = set()\n"
    "    for k, v in ps:\n"
    "        if k in seen: raise ValueError('repeated key')\n"
    "        seen.add(k)\n"
    "    return Obj(ps)\n"
    "def const(name): raise ValueError(name)\n"
    "def text(x):\n"
    "    if '\\0' in x: raise Skip()\n"
    "    try: x.encode('utf-8')\n"
    "    except UnicodeEncodeError: raise Skip()\n"
    "    return s(x)\n"
    "def canon(v, depth):\n"
    "    if isinstance(v, (list, Obj)) and depth >= 64: raise Skip()\n"
    "    if isinstance(v, Obj): return '{' + ','.join(text(k) + ':' + canon(x, depth + 1) for k, "
    "x in v) + '}'\n"
    "    if isinstance(v, list): return '[' + ','.join(canon(x, depth + 1) for x in v) + ']'\n"
    "    if isinstance(v, str): return 's' + text(v)\n"
    "    if v is None: return 'n'\n"
    "    if isinstance(v, bool): return 'b1' if v else 'b0'\n"
    "    if isinstance(v, int):\n"
    "        if not -2**63 <= v < 2**63: raise Skip()\n"
    "        v = float(v)\n"
    "    if v in (float('inf'), float('-inf')): raise Skip()\n"
    "    return 'f' + format(v, '.17g')\n"
    "inp, out = sys.stdin.buffer, sys.stdout.buffer\n"
    "sys.setrecursionlimit(10000)\n"
    "while True:\n"
    "    h = inp.read(4)\n"
    "    if len(h) < 4: break\n"
    "    data = inp.read(int.from_bytes(h, 'little'))\n"
    "    if data.startswith(b'\\xef\\xbb\\xbf'): data = data[3:]\n"
    "    try:\n"
    "        v = json.loads(data.decode('utf-8'), object_pairs_hook=pairs, parse_constant=const)\n"
    "        line = 'OK ' + canon(v, 0)\n"
    "    except Skip: line = 'SKIP'\n"
    "    except (ValueError, RecursionError): line = 'ERR'\n"
    "    out.write(line.encode('utf-8') + b'\\n'); out.flush()\n";

static fuzz_python python = {.script = script};

/* charter's tree in the coprocess's canonical form, checking on the way
 * that the accessors agree with the iteration. */
static void canon(buf *b, const jsondoc_node *n)
{
    switch (jsondoc_kind_of(n)) {
    case JSONDOC_OBJECT: {
        buf_addc(b, '{');
        jsondoc_iter it = {0};
        const char *key;
        const jsondoc_node *value;
        size_t count = 0;
        while (jsondoc_next(&it, n, &key, &value)) {
            /* Keys are unique (a repeated one is refused): each is found. */
            FUZZ_CHECK(jsondoc_get(n, key) == value);
            if (count++)
                buf_addc(b, ',');
            json_string(b, key, strlen(key));
            buf_addc(b, ':');
            canon(b, value);
        }
        FUZZ_CHECK(count == jsondoc_len(n));
        FUZZ_CHECK(jsondoc_item(n, 0) == NULL);
        buf_addc(b, '}');
        break;
    }
    case JSONDOC_ARRAY: {
        buf_addc(b, '[');
        size_t len = jsondoc_len(n);
        for (size_t i = 0; i < len; i++) {
            if (i)
                buf_addc(b, ',');
            FUZZ_CHECK(jsondoc_item(n, i) != NULL);
            canon(b, jsondoc_item(n, i));
        }
        FUZZ_CHECK(jsondoc_item(n, len) == NULL);
        FUZZ_CHECK(jsondoc_get(n, "") == NULL);
        buf_addc(b, ']');
        break;
    }
    case JSONDOC_STRING: {
        const char *s = jsondoc_string(n);
        FUZZ_CHECK(s != NULL);
        buf_addc(b, 's');
        json_string(b, s, strlen(s));
        break;
    }
    case JSONDOC_NUMBER: {
        double v;
        FUZZ_CHECK(jsondoc_number(&v, n) == 0);
        buf_printf(b, "f%.17g", v);
        break;
    }
    case JSONDOC_BOOL: {
        int v;
        FUZZ_CHECK(jsondoc_bool(&v, n) == 0);
        buf_adds(b, v ? "b1" : "b0");
        break;
    }
    case JSONDOC_NULL:
        buf_addc(b, 'n');
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    diags *d = diag_new(NULL);
    jsondoc *doc = NULL;
    int rc = jsondoc_parse(&doc, (const char *)data, size, "f.json", 0, d);
    FUZZ_CHECK(rc == 0 || rc == -1);
    FUZZ_CHECK(rc == 0 ? doc != NULL && diag_count(d, DIAG_ERROR) == 0
                       : doc == NULL && diag_count(d, DIAG_ERROR) > 0);
    fuzz_check_positions(d, "f.json", (const char *)data, size, 0);
    buf py, mine;
    buf_init(&py);
    buf_init(&mine);
    if (rc == 0) {
        buf_adds(&mine, "OK ");
        canon(&mine, jsondoc_root(doc));
    } else {
        buf_adds(&mine, "ERR");
    }
    int asked = fuzz_python_reads(&python, &py, data, size) == 0;
    /* What Python takes and jansson refuses by design, jansson refuses. */
    if (asked && !strcmp(py.data, "SKIP") && rc == 0) {
        fprintf(stderr, "python: SKIP\ncharter: %s\n", mine.data);
        FUZZ_CHECK(!"a document jansson refuses by design was read");
    }
    if (asked && strcmp(py.data, "SKIP") != 0 && strcmp(py.data, mine.data) != 0) {
        fprintf(stderr, "python: %s\ncharter: %s\n", py.data, mine.data);
        fuzz_debug_diags(d);
        FUZZ_CHECK(!"JSON read otherwise than Python's json reads it");
    }
    buf_release(&py);
    buf_release(&mine);
    jsondoc_free(doc);
    diag_free(d);
    return 0;
}
