"""The pathological inputs of tests/pathological/run.py, one entry each.

Each entry names an input, says how to make it at size n (the runner uses
n = 1,000, 10,000 and 100,000), where it was published and, where it has
one, its CVE. The patterns are facts taken from the lists named below;
the entries are written here, not copied.

  rep(prefix, unit, suffix)  the input is prefix + unit * n + suffix
  fn(lambda n: ...)          any other shape; keep its size about linear in n,
                             the runner compares CPU time against input bytes
  page=True                  the text is the whole page (front matter too);
                             otherwise it is the body under a small front matter
  formats                    report formats to run (default json only); each
                             is its own series, checked on its own
  raised_limits              limits.* settings for one more series, so that an
                             input the default limits refuse reaches the code
                             they protect
  known_slow                 the reason the input is slow in a dependency; the
                             runner skips its linearity check and expects the
                             per-page budget (limits.page_seconds) to stop it
                             with exit status 2 and a [time-limit] error
  stop_n                     the size at which a known slow input must be
                             stopped (default 100k; more where 100k stays
                             under the budget)
  settings                   more lines of site.yml, for an input that needs
                             a setting (markdown.lax_headings) to reach its
                             code

Sources (tag: where):
  cmark      commonmark/cmark, test/pathological_tests.py
  cmark-gfm  github/cmark-gfm, test/pathological_tests.py (adds tables,
             autolink; also carried by apple/swift-cmark)
  league     thephpleague/commonmark, tests/pathological/test.php
  ghsa       the cmark-gfm security advisory named in the entry
  md4c       mity/md4c issues (inputs found by Anders Kaseorg's fuzzing)
  markdown-it  markdown-it/markdown-it issues
  charter    charter's own known bad cases (the whole pipeline, not cmark-gfm)
"""

import itertools
import math

SIZES = (1000, 10000, 100000)

# Known slow, and why. Only an input whose slowness lives in Debian 12's
# cmark-gfm 0.29.0.gfm.6 belongs here. Inputs slow in charter's own code
# never do: the suite must keep failing on them until charter is fixed.
#
# Measured 2026-12-01 with `run.py --cmark-only` (the body through
# libcmark-gfm alone, CPU seconds at 1k / 10k / 100k; ">" where the run was
# killed): every other input was linear in the library, and so were all of
# charter's own cases. These 19 were not:
#   issue-389-emph                   0.007 / 0.258 / 26.7
#   pattern-image-bracket-link       0.002 / 0.247 / >4.6
#   empty-lines-deeply-nested-lists  0.012 / 1.70  / 22.0
#   empty-lines-...-in-blockquote    0.016 / 2.18  / 29.8
#   emph-in-deep-blockquote          0.007 / 0.909 / 14.5
#   cve-2023-22483-pi                0.001 / 0.138 / 9.6
#   cve-2023-22483-table-gt          0.148 / >5.6
#   cve-2023-22483-table-pipes       0.003 / 0.244 / >4.7
#   cve-2023-22483-autolink-www      0.020 / 2.04  / >32
#   cve-2023-22483-refdef-title      0.042 / 3.92  / >27
#   cve-2023-22483-autolink-parens   0.001 / 0.029 / 2.8 (so stopped at 300k)
#   cve-2023-22483-table-colons      0.001 / 0.053 / 3.4 (so stopped at 300k)
#   cve-2023-22483-autolink-http     0.013 / 0.947 / 13.5
#   cve-2023-22483-strikethrough     0.002 / 0.154 / >27
#   cve-2023-22483-deep-blockquote   0.004 / 0.460 / >6.3
#   cve-2023-24824-nested-list-...   0.016 / 2.68  / 30.7
#   cve-2023-37463-table-columns     0.004 / 0.294 / 8.3
#   cve-2023-37463-table-columns-rows 1.86 / >26
#   cve-2023-37463-footnote-defs-one-line 0.012 / 1.15 / 15.6
# charter (the same day, through `charter check`) was as slow on each, and
# its per-page budget stopped each at 100k (300k) with [time-limit].


def lacks_fix(fixed_in):
    return ("slow only because Debian's cmark-gfm 0.29.0.gfm.6 lacks the fix "
            "(upstream: %s)" % fixed_in)


GFM7 = lacks_fix("0.29.0.gfm.7, GHSA-29g3-96g3-jg6c")
GFM7_22486 = lacks_fix("0.29.0.gfm.7, GHSA-r572-jvj2-3m8p")
GFM10 = lacks_fix("0.29.0.gfm.10/.11, GHSA-66g8-4hjf-77xh")
GFM12 = lacks_fix("0.29.0.gfm.12, GHSA-w4qg-3vf7-m9x5")


class Input:
    def __init__(self, name, gen, source, cve=None, known_slow=None, page=False,
                 formats=("json",), note="", stop_n=None, raised_limits=None, settings=""):
        self.name = name
        self.gen = gen
        self.source = source
        self.cve = cve
        self.known_slow = known_slow
        self.page = page
        self.formats = formats
        self.note = note
        self.stop_n = stop_n
        self.raised_limits = raised_limits
        self.settings = settings

    def make(self, n):
        return self.gen(n)


def rep(prefix, unit, suffix=""):
    def gen(n):
        return prefix + unit * n + suffix
    gen.shape = (prefix, unit, suffix)
    return gen


def fn(f):
    return f


# --- helpers for the few inputs that are not prefix + unit * n + suffix ---

def _nested_list(n):
    # cmark's "deeply nested lists": level i is indented 2*i spaces, so the
    # size grows with the square of the depth; depth sqrt(10 n) keeps the
    # bytes about 10 n (cmark itself uses 1000 levels, our 100k size).
    depth = int(math.sqrt(10 * n))
    return "".join("  " * i + "* a\n" for i in range(depth))


def _backticks(n):
    # cmark's "backticks": e`e``e```... with runs up to m; bytes about m^2/2.
    m = int(math.sqrt(20 * n))
    return "".join("e" + "`" * i for i in range(1, m))


_collision_keys = []


def _collisions(count):
    # cmark's "reference collisions": labels x0, x1, ... whose hash under the
    # old 16-bucket reference map is 0 (mod 16), all defined, one used.
    def badhash(ref):
        h = 0
        for c in ref:
            h = (ord(c) + ((h << 6) & 0xFFFFFFFF) + ((h << 16) & 0xFFFFFFFF) - h) & 0xFFFFFFFF
        return h % 16 == 0
    if len(_collision_keys) < count:
        start = int(_collision_keys[-1][1:]) + 1 if _collision_keys else 0
        for i in itertools.count(start):
            k = "x%d" % i
            if badhash(k):
                _collision_keys.append(k)
                if len(_collision_keys) >= count:
                    break
    return _collision_keys[:count]


def _reference_collisions(n):
    keys = _collisions(n)
    bad = keys[0]
    return "".join("[%s]: /url\n\n[%s]\n\n" % (k, bad) for k in keys[1:])


def _many_references(n):
    # cmark's "many references" (disabled there as too slow): many
    # definitions, then uses of a missing label. cmark defines 16 labels per
    # use; we keep n definitions and n / 16 uses so the page stays small.
    return "".join("[%d]: u\n" % i for i in range(1, n)) + "[0] " * (n // 16)


def _varying_closers(char, opener, n):
    # league's "closers with varying run lengths": a pile of openers that
    # can never close, then closer runs of growing length. n is the byte
    # budget: 10 n bytes in all.
    budget = 10 * n
    if char == "*":
        closers = "".join("x" + "*" * (3 * i - 1) + "y"
                          for i in range(1, int(math.sqrt(budget / 4.5)) + 1))
    else:
        k = int(math.sqrt(2 * budget / 3))
        closers = "".join("a" + char * l + " " for l in range(3, 3 + k))
    return opener * ((budget - len(closers)) // 3) + closers


def _footnote_key_paths(n):
    # league's "footnote labels containing key path delimiters": labels that
    # are distinct spellings of one '.'/'/' separated path. n / 10 labels
    # (each is about 75 bytes with its definition).
    count = max(1, n // 10)
    bits = max(10, count.bit_length())

    def spell(v):
        return "a" + "".join(("." if (v >> i) & 1 else "/") + "a" for i in range(bits))
    labels = [spell(i) for i in range(count)]
    return ("".join("[^%s] " % l for l in labels) + "\n\n" +
            "".join("[^%s]: x\n\n" % l for l in labels))


FRONT = "---\ntitle: P\nowner: o\nlast_reviewed: 2026-01-01\n"


def _frontmatter_keys(n):
    return FRONT + "".join("k%d: v\n" % i for i in range(n)) + "---\nbody\n"


def _huge_scalar(n):
    return FRONT + 'description: "' + "a" * n + '"\n---\nbody\n'


INPUTS = [
    # --- commonmark/cmark test/pathological_tests.py ---
    Input("nested-strong-emph", fn(lambda n: "*a **a " * n + "b" + " a** a*" * n), "cmark; league"),
    Input("emph-closers-no-openers", rep("", "a_ "), "cmark"),
    Input("emph-openers-no-closers", rep("", "_a "), "cmark"),
    Input("link-closers-no-openers", rep("", "a]"), "cmark"),
    Input("link-openers-no-closers", rep("", "[a"), "cmark"),
    Input("mismatched-openers-closers", rep("", "*a_ "), "cmark"),
    Input("issue-389-emph", fn(lambda n: "*a " * n + "_a*_ " * n),
          "cmark (issue #389); league 'CVE-2023-22483 test 3' is the same shape", cve="CVE-2023-22483",
          known_slow=GFM7),
    Input("openers-closers-multiple-of-3", rep("a**b", "c* "), "cmark"),
    Input("link-openers-emph-closers", rep("", "[ a_"), "cmark"),
    Input("pattern-bracket-paren", rep("", "[ (]("), "cmark; md4c #60"),
    Input("pattern-image-bracket-link", rep("", "![[]()", "\n"),
          "cmark; league; ghsa GHSA-r572-jvj2-3m8p", cve="CVE-2023-22486", known_slow=GFM7_22486),
    Input("hard-link-emph-case", rep("", "**x [a*b**c*](d)\n\n"), "cmark",
          note="a correctness case in cmark; repeated here, one paragraph each"),
    Input("nested-brackets", fn(lambda n: "[" * n + "a" + "]" * n), "cmark; league"),
    Input("nested-block-quotes", rep("", "> ", "a"), "cmark; league"),
    Input("deeply-nested-lists", fn(_nested_list), "cmark (depth sqrt(10 n))"),
    Input("nul-in-input", rep("", "abc\x00de\x00 "), "cmark; league ('U+0000 in input')"),
    Input("backticks", fn(_backticks), "cmark; league (runs up to sqrt(20 n))"),
    Input("unclosed-links-a", rep("", "[a](<b"), "cmark; league"),
    Input("unclosed-links-b", rep("", "[a](b"), "cmark; league"),
    Input("unclosed-html-comment", rep("</", "<!--", "\n"),
          "cmark; cmark-gfm; league; ghsa GHSA-24f7-9frr-5h2r", cve="CVE-2023-22484"),
    Input("empty-lines-deeply-nested-lists", fn(lambda n: "- " * n + "x" + "\n" * n),
          "cmark; league ('nested list markers with trailing blanks')", cve="CVE-2023-24824",
          known_slow=GFM10),
    Input("empty-lines-nested-lists-in-blockquote",
          fn(lambda n: "> " + "- " * n + "x\n" + ">\n" * n), "cmark", cve="CVE-2023-24824",
          known_slow=GFM10),
    Input("emph-in-deep-blockquote", fn(lambda n: ">" * n + "a*" * n),
          "cmark; league; ghsa GHSA-66g8-4hjf-77xh issue 1", cve="CVE-2023-24824", known_slow=GFM10),
    Input("reference-collisions", fn(_reference_collisions), "cmark; cmark-gfm"),
    Input("many-references", fn(_many_references), "cmark (commented out there)"),
    Input("nested-inlines", fn(lambda n: "*" * n + "a" + "*" * n), "cmark"),

    # --- github/cmark-gfm test/pathological_tests.py (GFM additions) ---
    Input("tables-cr-vt", rep("", "aaa\rbbb\n-\v\n"),
          "cmark-gfm ('tables'); ghsa GHSA-7gc6-9qr5-hc85", cve="CVE-2020-5238"),
    Input("autolink-image-openers", rep("", "![l", "\n"),
          "cmark-gfm/swift-cmark ('many image openers'); league; ghsa GHSA-cgh3-p57x-9q7q",
          cve="CVE-2022-39209"),

    # --- cmark-gfm advisories, as thephpleague/commonmark tests them ---
    Input("cve-2023-22483-pi", rep("-1", "<?x", "y\n"), "league; ghsa GHSA-29g3-96g3-jg6c",
          cve="CVE-2023-22483", known_slow=GFM7),
    Input("cve-2023-22483-table-gt", rep("", "|-\nt>|-\n", "y\n"),
          "league; ghsa GHSA-29g3-96g3-jg6c", cve="CVE-2023-22483", known_slow=GFM7),
    Input("cve-2023-22483-table-pipes", rep("x\n| - |\n", "|", "y\n"),
          "league; ghsa GHSA-29g3-96g3-jg6c", cve="CVE-2023-22483", known_slow=GFM7),
    Input("cve-2023-22483-autolink-www", rep("", "z_www.", "\n"),
          "league; ghsa GHSA-29g3-96g3-jg6c", cve="CVE-2023-22483", known_slow=GFM7),
    Input("cve-2023-22483-refdef-title", rep("[f]:u\n\"\n", "[f]\n", "[f]:u \"t\n"),
          "league; ghsa GHSA-29g3-96g3-jg6c", cve="CVE-2023-22483", known_slow=GFM7),
    Input("cve-2023-22483-autolink-parens", rep("www.", ")", "\n"),
          "league; ghsa GHSA-29g3-96g3-jg6c", cve="CVE-2023-22483", known_slow=GFM7,
          stop_n=300000),
    Input("cve-2023-22483-table-colons", rep(":-\n", ":\n", ":-\n"),
          "league; ghsa GHSA-29g3-96g3-jg6c", cve="CVE-2023-22483", known_slow=GFM7,
          stop_n=300000),
    Input("cve-2023-22483-autolink-http", rep("", "<http://s", "\n"),
          "league; ghsa GHSA-29g3-96g3-jg6c", cve="CVE-2023-22483", known_slow=GFM7),
    Input("cve-2023-22483-strikethrough", rep("~e", ",z~~", "\n"),
          "league; ghsa GHSA-29g3-96g3-jg6c", cve="CVE-2023-22483", known_slow=GFM7),
    Input("cve-2023-22483-deep-blockquote", fn(lambda n: ">" * n + "." * n + "\n"),
          "league; ghsa GHSA-29g3-96g3-jg6c", cve="CVE-2023-22483", known_slow=GFM7),
    Input("cve-2023-22485-lt-nuls", rep("<", "\x00", "\n"),
          "charter probe for GHSA-c944-cv5f-hpvr (out-of-bounds read in validate_protocol)",
          cve="CVE-2023-22485",
          note="the advisory's own input was not in any copy we could read; this is the "
               "'<' followed by NULs shape it is described by, with the next entry"),
    Input("cve-2023-22485-protocol-at-start", rep("", "xmpp:a@b.c/d mailto:a@b.c\n\n"),
          "charter probe of the code path of GHSA-c944-cv5f-hpvr", cve="CVE-2023-22485",
          note="validate_protocol looks behind 'mailto:'/'xmpp:'; each paragraph starts with one"),
    Input("cve-2023-24824-nested-list-blank-lines", fn(lambda n: " -" * n + "x" + "\n" * n),
          "ghsa GHSA-66g8-4hjf-77xh issue 2; league", cve="CVE-2023-24824", known_slow=GFM10),
    Input("cve-2023-26485-underscores", fn(lambda n: "_" * n + "." + "_" * n),
          "ghsa GHSA-r8vr-c48j-fcc5 (plaintext/commonmark renderers); league", cve="CVE-2023-26485"),
    Input("cve-2023-26485-ordered-list", rep("1.\n", " 2.\n"),
          "ghsa GHSA-r8vr-c48j-fcc5 (commonmark renderer); league", cve="CVE-2023-26485"),
    Input("cve-2023-26485-nested-list", rep("", " -", "x\n"),
          "ghsa GHSA-r8vr-c48j-fcc5 (xml/man renderers)", cve="CVE-2023-26485"),
    Input("cve-2023-26485-empty-items", rep("", " -\n", "x\n"), "league ('CVE-2023-26485 test 3')",
          cve="CVE-2023-26485"),
    Input("cve-2023-37463-table-columns", fn(lambda n: "|" + "x|" * n + "\n|" + "-|" * n + "\n"),
          "league; comrak; ghsa GHSA-w4qg-3vf7-m9x5", cve="CVE-2023-37463", known_slow=GFM12),
    Input("cve-2023-37463-table-columns-rows",
          fn(lambda n: "|" + "x|" * n + "\n|" + "-|" * n + "\n" + "a\n" * n),
          "league; comrak; ghsa GHSA-w4qg-3vf7-m9x5", cve="CVE-2023-37463", known_slow=GFM12),
    Input("cve-2023-37463-footnote-defs", fn(lambda n: "[^1]:\n" * n + "\n" * n),
          "league; ghsa GHSA-w4qg-3vf7-m9x5", cve="CVE-2023-37463"),
    Input("cve-2023-37463-footnote-defs-one-line", fn(lambda n: "[^1]:" * n + "\n" * n),
          "comrak (its form of the GHSA-w4qg-3vf7-m9x5 input)", cve="CVE-2023-37463",
          known_slow=GFM12),

    # --- thephpleague/commonmark tests/pathological/test.php (the rest) ---
    Input("alternate-line-endings", rep("", "- a\n- b\r- c\r\n- d\n"), "league"),
    Input("multibyte-leading-whitespace", rep("", " ", "\u00e9"), "league"),
    Input("multibyte-inline-delimiters", rep("\u00e9", "a_"), "league"),
    Input("invalid-autolink-prefixes", rep("\u00e9 ", "www. "), "league"),
    Input("delimiters-cannot-open-or-close", rep("", "*_* _ "), "league (commonmark.js #172)"),
    Input("link-closers-no-openers-spaced", rep("", "a] "), "league"),
    Input("link-openers-no-closers-spaced", rep("", "[a "), "league"),
    Input("link-openers-emph-closers-spaced", rep("", "[ a_ "), "league"),
    Input("emph-closers-varying-run-lengths", fn(lambda n: _varying_closers("*", "*a ", n)),
          "league (10 n bytes)"),
    Input("strikethrough-closers-varying-run-lengths", fn(lambda n: _varying_closers("~", " *a", n)),
          "league (10 n bytes)"),
    Input("highlight-closers-varying-run-lengths", fn(lambda n: _varying_closers("=", " *a", n)),
          "league (10 n bytes)"),
    Input("nested-brackets-with-refdef", fn(lambda n: "[x]: y\n\n" + "[" * n + "a" + "]" * n),
          "league"),
    Input("backslash-in-link", rep("[", "\\", "\n"), "league (commonmark.js #157)"),
    Input("backslash-in-unclosed-link-title", rep('[test](\\url "', "\\", "\n"), "league"),
    Input("unclosed-inline-links-empty", rep("", "[]("), "league (commonmark.js #129)"),
    Input("backtick-fence-backtick-info", fn(lambda n: "`" * n + "a" * n + "`\n"), "league"),
    Input("many-ref-definitions", rep("", "[a]: u\n"), "league (commonmark.js #129)"),
    Input("huge-horizontal-rule", rep("", "*", "\n"), "league"),
    Input("duplicate-footnote-definitions", fn(lambda n: "[^a] " * n + "\n\n" + "[^a]: x\n\n" * n),
          "league"),
    Input("footnote-labels-key-paths", fn(_footnote_key_paths), "league (n / 10 labels)"),
    Input("duplicate-inline-footnote-labels", rep("", "^[a]\n\n"), "league"),
    Input("unpaired-smart-quotes", fn(lambda n: ("a" * 63 + '" ') * max(1, n // 10)),
          "league (n / 10 units)"),
    Input("adjacent-inline-attributes", rep("", "{#a}"), "league"),
    Input("adjacent-inline-attributes-text", rep("", "x {#a}"), "league"),
    Input("table-start-scan-paragraph", rep("", "(x)\n"),
          "league advisory GHSA-3q6v-r5mr-hxv8 (table start scanned on every paragraph line)"),

    # --- other published quadratic cases of Markdown parsers ---
    Input("empty-angle-brackets", rep("", "<>"), "md4c #57"),
    Input("escaped-backtick-pairs", rep("", "\\``"), "md4c #57"),
    Input("triple-asterisk-words", rep("", "a***"), "md4c #63"),
    Input("unclosed-links-double-paren", rep("", "[](("), "markdown-it #734"),

    # --- charter's own cases: the whole `charter check`, front matter included ---
    Input("charter-duplicate-heading-ids", rep("", "# a\n\n"),
          "charter (league 'duplicate heading permalink slugs' is the same input)"),
    Input("charter-distinct-headings", fn(lambda n: "".join("# h%d\n\n" % i for i in range(n))),
          "charter (every heading id is checked against the ids before it)"),
    Input("charter-distinct-autolinks", fn(lambda n: "".join("www.a%d.com " % i for i in range(n))),
          "charter (each autolink's position is looked up from its paragraph's start)"),
    Input("charter-frontmatter-keys", fn(_frontmatter_keys), "charter", page=True,
          raised_limits={"frontmatter_keys": 1000000, "frontmatter_bytes": "16 MiB"}),
    Input("charter-broken-fragments-one-line",
          fn(lambda n: "".join("[x](#nope-%d) " % i for i in range(n)) + "\n"),
          "charter (one diagnostic per link, each repeating the whole source line)",
          formats=("json", "text")),
    Input("charter-same-missing-page", rep("", "[x](missing.md) ", "\n"), "charter"),
    Input("charter-deep-blockquote-heading-link", rep("", "> ", "# a [x](#a)\n"), "charter"),
    Input("charter-deep-list-heading-link", rep("", "- ", "# b [y](#b)\n"), "charter"),
    Input("charter-huge-yaml-scalar", fn(_huge_scalar), "charter", page=True,
          formats=("json", "text"), raised_limits={"scalar_bytes": "16 MiB"}),
    Input("charter-headings-and-fragment-links",
          fn(lambda n: "".join("# h%d\n\n[x](#h%d)\n\n" % (i, i) for i in range(n))),
          "charter (every fragment link resolved against every heading)"),
    Input("charter-html-anchors-and-links",
          fn(lambda n: "".join("<a id=a%d></a>[x](#a%d)\n" % (i, i) for i in range(n))),
          "charter (raw HTML anchors as fragment targets)"),
    Input("charter-headings-without-space", rep("", "#h\n"),
          "charter (a warning per line of one long paragraph)"),
    Input("charter-lax-headings", rep("", "#h\n"),
          "charter (each line of one long paragraph made a heading)",
          settings="markdown: {lax_headings: true}\n"),
    Input("charter-lax-headings-with-links", rep("", "##h [x](#h)\n"),
          "charter (each link's column mapped back through the rewrite)",
          settings="markdown: {lax_headings: true}\n"),
    Input("charter-kramdown-toc-markers", rep("", "* TOC\n{:toc}\n"),
          "charter (each kramdown TOC marker and its list item dropped)",
          settings="markdown: {lax_headings: true}\n"),
    Input("charter-kramdown-attribute-lists", rep("", "x\n{: .note}\n"),
          "charter (attribute-list lines dropped from one long paragraph)",
          settings="markdown: {lax_headings: true}\n"),
    Input("charter-liquid-unterminated-tags", rep("", "{% a "),
          "charter (a '{%' without '%}': its paragraph is searched once)"),
    Input("charter-liquid-unterminated-variables", rep("", "{{ a "), "charter"),
    Input("charter-liquid-unterminated-highlight-tags", rep("", "{% highlight c\n\n"),
          "charter (blocks looked for before the first parse, in the whole page)"),
    Input("charter-liquid-tags-one-line", rep("", "{{x}}", "\n"),
          "charter (a warning per tag, each column counted on from the last)",
          formats=("json", "text")),
    Input("charter-liquid-tags-one-per-line", rep("", "{% include x.html %}\n"), "charter"),
    Input("charter-liquid-deep-raw", rep("", "{% raw %}"),
          "charter (raw sections never closed: the end is searched for once)"),
    Input("charter-liquid-nested-raw", rep("", "{% raw %}", "{% endraw %}"),
          "charter (one raw section holding every other opener)"),
    Input("charter-liquid-unclosed-comments", rep("", "{% comment %}"), "charter"),
    Input("charter-admonitions-never-closed", rep("", ":::note\n"),
          "charter (each open marker looks for its close: not among all that follow)"),
    Input("charter-admonitions-nested", fn(lambda n: ":::note\n" * n + "x\n" + ":::\n" * n),
          "charter (boxes n deep: each close pairs with the nearest open, the innermost "
          "made first, so a block is moved once per box)"),
    Input("charter-admonitions-closes-alone", rep("", ":::\n"),
          "charter (closes without opens kept as their text)"),
    Input("charter-wiki-opens-one-close", rep("x ", "[[a ", "]]\n"),
          "charter (a line of [[ with one ]] at its end: the close found once, "
          "not once per [[)", settings="markdown: {wiki_links: obsidian}\n"),
    Input("charter-obsidian-comments-unclosed", rep("", "%% x\n\n%% y\n\n100%% "),
          "charter (Obsidian comments, paired and one left open)",
          settings="markdown: {wiki_links: obsidian}\n"),
    Input("charter-alerts-many", rep("", "> [!NOTE]\n> x\n\n"),
          "charter (GitHub alerts: each quote made a box once)"),
    Input("charter-kramdown-span-lists", rep("", "`a`{: .b } [c](d.md){: .e } "),
          "charter (span attribute lists after code and links, on one line)",
          settings="markdown: {lax_headings: true}\n"),
    Input("charter-mkdocs-admonitions-empty", rep("", "!!! note\n"),
          "charter (MkDocs boxes with no body: each closes at the next line)"),
    Input("charter-mkdocs-admonition-long-body", rep("!!! note\n", "    x\n"),
          "charter (one box whose body is every line: its lines walked once)"),
    Input("charter-mkdocs-tabs-many", rep("", "=== \"t\"\n    x\n\n"),
          "charter (MkDocs content tabs, each body walked once)"),
    Input("charter-mkdocs-tab-long-body", rep("=== \"t\"\n", "    x\n"),
          "charter (one tab whose body is every line)"),
    Input("charter-attr-lists-one-line", rep("", "[a](b.md){ .c #d e=\"f\" } "),
          "charter (Python-Markdown attribute lists after links, on one line)"),
    Input("charter-attr-list-unclosed-quotes", rep("[a](b.md){ ", "k=\"v "),
          "charter (an attribute list whose quotes never close: scanned once)"),
    Input("charter-snippet-block-never-closed", rep("--8<--\n", "a.md\n"),
          "charter (a MkDocs snippet block with no end: each name dropped once)"),
    Input("charter-docsify-helpers", rep("", "?> x\n\n!> y\n\n"),
          "charter (Docsify helper lines, each a quote)"),
    Input("charter-mdx-comments-never-closed", rep("", "{/* x\n"),
          "charter (MDX comments opened and never closed: left as text)"),
    Input("charter-mdx-backtick-runs-unmatched",
          fn(lambda n: "".join("`" * k + " " for k in range(1, int((2 * n) ** 0.5) + 1)) + "{/* x */}\n"),
          "charter (runs of backticks of every length on one line, none matched: "
          "each run's match found once per line)"),
    Input("charter-mdx-lone-backticks", rep("", "` ", "{/* x */}\n"),
          "charter (backtick runs paired along one line before a comment)"),
    Input("charter-toml-one-long-line", rep("+++\ntitle = \"P\"\na = [", "1,", "]\n+++\nbody\n"),
          "charter (TOML front matter: each value's column counted on from the last, "
          "not from the line's start)", page=True),
    Input("charter-title-heading-brackets", rep("# ", "[", "\n\ntext\n"),
          "charter (an untitled page's opening heading: its last ']' found once)", page=True),
    Input("charter-title-heading-link-ends", rep("# ", "](", "\n\ntext\n"),
          "charter (an untitled page's opening heading: each ')' looked for once)", page=True),
    Input("charter-liquid-unclosed-highlights", rep("", "{% highlight c %}\n"), "charter"),
    Input("charter-liquid-unclosed-highlights-with-raw",
          rep("", "{% highlight c %}{% raw %}x{% endraw %}"),
          "charter (the search for endhighlight steps over raw sections)"),
    Input("charter-liquid-highlights-one-line",
          rep("", "{% highlight c %}x{% endhighlight %}", "\n"),
          "charter (each fence's line prefix found along one line)"),
    Input("charter-liquid-highlights-backticks",
          rep("", "{% highlight c %}\n``````\n{% endhighlight %}\n"),
          "charter (each block's fence outgrows its backticks)",
          raised_limits={"page_bytes": "16 MiB"}),
    Input("charter-liquid-in-code-spans", rep("", "`{{x}}` "), "charter"),
    Input("charter-liquid-backtick-runs",
          fn(lambda n: "".join("`" * i + "{{x}}" for i in range(1, int(math.sqrt(2 * n))))),
          "charter (an unmatched code span opener of every length)"),
    Input("charter-liquid-tags-around-code", rep("", "{% a\n```\n%}\n```\n"),
          "charter (a tag that would end inside a code block)"),
    Input("charter-html-block-unclosed-quotes", fn(lambda n: "<div\n" + "<a x=\"" * n + "\n"),
          "charter (a quote that never closes, searched for once)"),
    Input("charter-html-block-unclosed-single-quotes",
          fn(lambda n: "<div\n" + "<a id=\"x\" y='" * n + "\n"),
          "charter (both kinds of quote)"),
    # html_safe (raw HTML kept to GitHub's subset) on each kind of markup
    # that never closes, inline and in a block.
    Input("charter-html-safe-unclosed-values", rep("x ", "<b title='<i title=\"<a name=y "),
          "charter (values whose quotes never close, in a paragraph)"),
    Input("charter-html-safe-unclosed-end-tags", rep("<div>\n", "</td </a x "), "charter"),
    Input("charter-html-safe-comments-and-scripts",
          rep("<div>\n", "<!-- x <script> y <style> <!x <?y "), "charter"),
    Input("charter-html-safe-many-attributes",
          fn(lambda n: "<div>\n<td" + " colspan=\"2\" onclick=x" * (n // 20) + ">\n"),
          "charter (one tag, attributes past the 64 it keeps)"),
]


def by_name():
    names = {}
    for i in INPUTS:
        if i.name in names:
            raise ValueError("duplicate input name %s" % i.name)
        names[i.name] = i
    return names
