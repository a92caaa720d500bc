/* oracle: the reference side of charter's ctemplate differential test. Renders
 * CASEDIR/main.tpl with Debian's libctemplate (Google ctemplate 2.x) and the
 * dictionary described by CASEDIR/dict.yml (format: run.sh), so that run.sh can
 * compare the bytes with charter-render's. Reads dict.yml with libyaml's C API.
 * Usage: oracle CASEDIR [--repeat N]. Exit: 0 rendered, 1 load or expand
 * error, 2 bad usage or dict.yml. */
#include <ctemplate/template.h>
#include <ctemplate/template_dictionary.h>
#include <yaml.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <set>
#include <string>

namespace
{

enum { EXIT_RENDERED = 0, EXIT_FAILED = 1, EXIT_USAGE = 2 };

/* The parsed dict.yml; every name and value handed to ctemplate points into
 * it, so it lives until the process ends. */
struct dict_file {
    std::string path;
    yaml_document_t doc;
};

bool bad(const dict_file &f, const yaml_node_t *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Reports a dict.yml error as `error: file:line:col: message`; returns false. */
bool bad(const dict_file &f, const yaml_node_t *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "error: %s:%lu:%lu: ", f.path.c_str(),
            n ? (unsigned long)n->start_mark.line + 1 : 0UL,
            n ? (unsigned long)n->start_mark.column + 1 : 0UL);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return false;
}

yaml_node_t *node(dict_file &f, int id)
{
    return yaml_document_get_node(&f.doc, id);
}

std::string scalar(const yaml_node_t *n)
{
    return std::string((const char *)n->data.scalar.value, n->data.scalar.length);
}

ctemplate::TemplateString tstr(const yaml_node_t *n, size_t skip = 0)
{
    return ctemplate::TemplateString((const char *)n->data.scalar.value + skip,
                                     n->data.scalar.length - skip);
}

/* Checks that n is a mapping with scalar, distinct keys (charter-render's
 * yamltree refuses duplicate keys, so the oracle does too). */
bool check_mapping(dict_file &f, yaml_node_t *n, const char *what)
{
    if (n->type != YAML_MAPPING_NODE)
        return bad(f, n, "%s must be a mapping", what);
    std::set<std::string> seen;
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = node(f, p->key);
        if (k->type != YAML_SCALAR_NODE)
            return bad(f, k, "keys must be scalars");
        if (!seen.insert(scalar(k)).second)
            return bad(f, k, "duplicate key '%s'", scalar(k).c_str());
    }
    return true;
}

/* Applies a mapping of NAME: scalar through set(name, value). */
template <typename F> bool apply_values(dict_file &f, yaml_node_t *map, const char *what, F set)
{
    if (!check_mapping(f, map, what))
        return false;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = node(f, p->key), *v = node(f, p->value);
        if (v->type != YAML_SCALAR_NODE)
            return bad(f, v, "'%s' must be a scalar", scalar(k).c_str());
        set(tstr(k), tstr(v));
    }
    return true;
}

bool apply_dict(dict_file &f, yaml_node_t *map, ctemplate::TemplateDictionary *dict,
                bool is_include);

/* Applies "#SEC" (true, false or a list of dictionaries) or ">INC" (a list of
 * dictionaries, each with an optional "@file"). */
bool apply_children(dict_file &f, yaml_node_t *k, yaml_node_t *v,
                    ctemplate::TemplateDictionary *dict)
{
    bool include = k->data.scalar.value[0] == '>';
    ctemplate::TemplateString name = tstr(k, 1);
    if (!include && v->type == YAML_SCALAR_NODE) {
        std::string s = scalar(v);
        if (s == "true")
            dict->ShowSection(name);
        else if (s != "false")
            return bad(f, v, "'%s' must be true, false or a list", scalar(k).c_str());
        return true;
    }
    if (v->type != YAML_SEQUENCE_NODE)
        return bad(f, v, "'%s' must be a list of dictionaries", scalar(k).c_str());
    for (yaml_node_item_t *i = v->data.sequence.items.start; i < v->data.sequence.items.top; i++) {
        yaml_node_t *item = node(f, *i);
        if (!check_mapping(f, item, "a section or include dictionary"))
            return false;
        ctemplate::TemplateDictionary *kid;
        if (include) {
            kid = dict->AddIncludeDictionary(name);
            /* charter names the file when it adds the dictionary: set it first
             * here too, wherever "@file" stands in the mapping. */
            for (yaml_node_pair_t *p = item->data.mapping.pairs.start;
                 p < item->data.mapping.pairs.top; p++) {
                yaml_node_t *fk = node(f, p->key), *fv = node(f, p->value);
                if (scalar(fk) != "@file")
                    continue;
                if (fv->type != YAML_SCALAR_NODE)
                    return bad(f, fv, "'@file' must be a scalar");
                kid->SetFilename(tstr(fv));
            }
        } else {
            kid = dict->AddSectionDictionary(name);
        }
        if (!apply_dict(f, item, kid, include))
            return false;
    }
    return true;
}

/* Applies the NAME: value, "#SEC", ">INC" and "@template_globals" entries of
 * map to dict, in document order. */
bool apply_dict(dict_file &f, yaml_node_t *map, ctemplate::TemplateDictionary *dict,
                bool is_include)
{
    if (!check_mapping(f, map, "a dictionary"))
        return false;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = node(f, p->key), *v = node(f, p->value);
        std::string key = scalar(k);
        if (key.empty())
            return bad(f, k, "empty name");
        if (key[0] == '#' || key[0] == '>') {
            if (!apply_children(f, k, v, dict))
                return false;
        } else if (key == "@template_globals") {
            if (!apply_values(f, v, "'@template_globals'",
                              [dict](ctemplate::TemplateString n, ctemplate::TemplateString s) {
                                  dict->SetTemplateGlobalValue(n, s);
                              }))
                return false;
        } else if (key == "@file" && is_include) {
            continue; /* applied by apply_children */
        } else if (key[0] == '@') {
            return bad(f, k, "unknown key '%s'", key.c_str());
        } else if (v->type != YAML_SCALAR_NODE) {
            return bad(f, v, "'%s' must be a scalar", key.c_str());
        } else {
            dict->SetValue(tstr(k), tstr(v));
        }
    }
    return true;
}

/* Reads CASEDIR/dict.yml (absent: an empty dictionary) into f, the strip mode
 * and the global values and dict. Returns false after reporting. */
bool load_dict(dict_file &f, const std::string &dir, ctemplate::Strip *strip,
               ctemplate::TemplateDictionary *dict)
{
    f.path = dir + "/dict.yml";
    *strip = ctemplate::DO_NOT_STRIP;
    std::string text;
    FILE *in = fopen(f.path.c_str(), "rb");
    if (!in && errno == ENOENT)
        text = "{}";
    else if (!in)
        return bad(f, NULL, "cannot read: %s", strerror(errno));
    if (in) {
        char chunk[65536];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, in)) > 0)
            text.append(chunk, n);
        bool failed = ferror(in);
        fclose(in);
        if (failed)
            return bad(f, NULL, "cannot read");
    }

    yaml_parser_t parser;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_string(&parser, (const unsigned char *)text.data(), text.size());
    bool ok = yaml_parser_load(&parser, &f.doc);
    if (!ok) {
        fprintf(stderr, "error: %s:%lu:%lu: %s\n", f.path.c_str(),
                (unsigned long)parser.problem_mark.line + 1,
                (unsigned long)parser.problem_mark.column + 1,
                parser.problem ? parser.problem : "YAML error");
        yaml_parser_delete(&parser);
        return false;
    }
    yaml_document_t second;
    if (yaml_parser_load(&parser, &second)) {
        bool extra = yaml_document_get_root_node(&second) != NULL;
        yaml_document_delete(&second);
        if (extra) {
            yaml_parser_delete(&parser);
            return bad(f, NULL, "a second document");
        }
    }
    yaml_parser_delete(&parser);

    yaml_node_t *root = yaml_document_get_root_node(&f.doc);
    if (!root)
        return true;
    if (root->type == YAML_SCALAR_NODE && root->data.scalar.length == 0 &&
        root->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
        return true; /* no content: yamltree reads it as an empty mapping too */
    if (!check_mapping(f, root, "dict.yml"))
        return false;
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = node(f, p->key), *v = node(f, p->value);
        std::string key = scalar(k);
        if (key == "strip") {
            std::string s = v->type == YAML_SCALAR_NODE ? scalar(v) : "";
            if (s == "DO_NOT_STRIP")
                *strip = ctemplate::DO_NOT_STRIP;
            else if (s == "STRIP_BLANK_LINES")
                *strip = ctemplate::STRIP_BLANK_LINES;
            else if (s == "STRIP_WHITESPACE")
                *strip = ctemplate::STRIP_WHITESPACE;
            else
                return bad(f, v,
                           "'strip' must be DO_NOT_STRIP, STRIP_BLANK_LINES or "
                           "STRIP_WHITESPACE");
        } else if (key == "globals") {
            if (!apply_values(f, v, "'globals'",
                              [](ctemplate::TemplateString n, ctemplate::TemplateString s) {
                                  ctemplate::TemplateDictionary::SetGlobalValue(n, s);
                              }))
                return false;
        } else if (key == "dict") {
            if (!apply_dict(f, v, dict, false))
                return false;
        } else {
            return bad(f, k, "unknown key '%s' (strip, globals, dict)", key.c_str());
        }
    }
    return true;
}

double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

} // namespace

int main(int argc, char **argv)
{
    long repeat = 0;
    if (argc == 4 && !strcmp(argv[2], "--repeat")) {
        char *end;
        repeat = strtol(argv[3], &end, 10);
        if (*end || repeat < 1)
            argc = 0;
    }
    if (argc != 2 && argc != 4) {
        fprintf(stderr, "usage: oracle CASEDIR [--repeat N]\n");
        return EXIT_USAGE;
    }
    std::string dir = argv[1];

    dict_file f;
    memset(&f.doc, 0, sizeof f.doc);
    ctemplate::Strip strip;
    ctemplate::TemplateDictionary dict("oracle");
    if (!load_dict(f, dir, &strip, &dict))
        return EXIT_USAGE;

    if (!ctemplate::mutable_default_template_cache()->SetTemplateRootDirectory(dir)) {
        fprintf(stderr, "error: cannot use template root '%s'\n", dir.c_str());
        return EXIT_USAGE;
    }
    ctemplate::Template *tpl = ctemplate::Template::GetTemplate("main.tpl", strip);
    if (!tpl) {
        fprintf(stderr, "error: %s/main.tpl: cannot load\n", dir.c_str());
        return EXIT_FAILED;
    }
    std::string out;
    if (!tpl->Expand(&out, &dict)) {
        fprintf(stderr, "error: %s/main.tpl: expansion failed\n", dir.c_str());
        return EXIT_FAILED;
    }
    FILE *sink = stdout;
    if (repeat) {
        double start = now();
        for (long i = 0; i < repeat; i++) {
            out.clear();
            tpl->Expand(&out, &dict);
        }
        double secs = now() - start;
        fprintf(stderr, "oracle: %ld renders in %.3f s (%.1f MB/s)\n", repeat, secs,
                secs > 0 ? (double)out.size() * repeat / secs / 1e6 : 0.0);
        sink = fopen("/dev/null", "wb");
        if (!sink) {
            fprintf(stderr, "error: cannot open /dev/null\n");
            return EXIT_FAILED;
        }
    }
    fwrite(out.data(), 1, out.size(), sink);
    if (fflush(sink) != 0 || ferror(sink)) {
        fprintf(stderr, "error: cannot write the output\n");
        return EXIT_FAILED;
    }
    if (sink != stdout)
        fclose(sink);
    yaml_document_delete(&f.doc);
    return EXIT_RENDERED;
}
