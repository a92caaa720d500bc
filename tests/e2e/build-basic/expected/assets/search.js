/* charter site search: progressive enhancement of the header's search form.
 *
 * The form (form.site-search, hidden in the HTML) names the JSON index in
 * data-index. This script shows the form, fetches the index the first time
 * the reader focuses or types, and lists up to 20 pages whose title or text
 * contains every word typed (case-insensitive), each with a short snippet.
 * The number of results is announced through the form's role=status region.
 * Results are built as DOM nodes with textContent only: nothing from the
 * index is ever parsed as HTML. No dependencies, no inline code (strict CSP).
 *
 * On the 404 page ([data-search-from-path]) it lists the pages whose names
 * resemble the missing address. */
/* Also, on every page: a Markdown table that is wider than its column
 * scrolls by itself (see style.css); when it actually overflows, make it
 * reachable and scrollable from the keyboard and name it for screen readers
 * (WCAG 2.1.1). Done here because this is the one script every page loads. */
(function () {
    "use strict";

    var tables = document.querySelectorAll(".policy-body table, .page-body table, .home-intro table");
    if (!tables.length) {
        return;
    }
    function mark() {
        for (var i = 0; i < tables.length; i++) {
            var t = tables[i];
            if (t.scrollWidth > t.clientWidth + 1) {
                if (!t.hasAttribute("tabindex")) {
                    t.setAttribute("tabindex", "0");
                    t.setAttribute("data-scrolls", "");
                }
            } else if (t.hasAttribute("data-scrolls")) {
                t.removeAttribute("tabindex");
                t.removeAttribute("data-scrolls");
            }
        }
    }
    mark();
    var pending = 0;
    window.addEventListener("resize", function () {
        window.cancelAnimationFrame(pending);
        pending = window.requestAnimationFrame(mark);
    });
})();

(function () {
    "use strict";

    var MAX_RESULTS = 20;
    var SNIPPET_BEFORE = 60;
    var SNIPPET_LENGTH = 180;

    var form = document.querySelector("form.site-search[data-index]");
    if (!form || !window.fetch || !document.querySelector) {
        return;
    }
    var input = form.querySelector("input[type=search]");
    var panel = form.querySelector(".search-panel");
    var list = form.querySelector(".search-results");
    var status = form.querySelector("[role=status]");
    var count = form.querySelector(".search-count");
    if (!input || !panel || !list || !status) {
        return;
    }

    var indexUrl = form.getAttribute("data-index");
    var pages = null;       /* the index, once loaded: [{title, url, section, text, hay}] */
    var loading = null;     /* the pending fetch */
    var timer = 0;

    form.hidden = false;
    document.documentElement.classList.add("has-search");

    function fold(s) {
        s = String(s || "").toLowerCase();
        /* Fold accents where the browser can, so "resume" finds "résumé". */
        if (s.normalize) {
            s = s.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
        }
        return s;
    }

    function load() {
        if (pages) {
            return Promise.resolve(pages);
        }
        if (!loading) {
            loading = fetch(indexUrl, { credentials: "same-origin" })
                .then(function (r) {
                    if (!r.ok) {
                        throw new Error("HTTP " + r.status);
                    }
                    return r.json();
                })
                .then(function (data) {
                    var raw = (data && Array.isArray(data.pages)) ? data.pages : [];
                    pages = raw.filter(function (p) {
                        /* Only web and site-relative addresses become links. */
                        return p && typeof p.url === "string" &&
                            (/^https?:\/\//i.test(p.url) || !/^[a-z][a-z0-9+.\-]*:/i.test(p.url));
                    }).map(function (p) {
                        var title = String(p.title || p.url);
                        var text = String(p.text || "");
                        return {
                            title: title,
                            url: p.url,
                            section: p.section ? String(p.section) : "",
                            text: text,
                            ftitle: fold(title),
                            ftext: fold(text)
                        };
                    });
                    return pages;
                })
                .catch(function (err) {
                    loading = null;
                    throw err;
                });
        }
        return loading;
    }

    function words(q) {
        return fold(q).split(/\s+/).filter(function (w) {
            return w.length > 0;
        });
    }

    function search(terms) {
        var hits = [];
        for (var i = 0; i < pages.length; i++) {
            var p = pages[i];
            var score = 0;
            var all = true;
            for (var j = 0; j < terms.length; j++) {
                var t = terms[j];
                var inTitle = p.ftitle.indexOf(t) !== -1;
                if (!inTitle && p.ftext.indexOf(t) === -1) {
                    all = false;
                    break;
                }
                score += inTitle ? 10 : 1;
                if (p.ftitle.indexOf(t) === 0) {
                    score += 2;
                }
            }
            if (all) {
                hits.push({ page: p, score: score, order: i });
            }
        }
        hits.sort(function (a, b) {
            return (b.score - a.score) || (a.order - b.order);
        });
        return hits;
    }

    /* Append text to el, wrapping every occurrence of a term in <mark>. The
     * folded string has the same length as the original for the characters
     * we search in, except after NFD expansion; fall back to plain text then. */
    function appendHighlighted(el, text, terms) {
        var folded = fold(text);
        if (folded.length !== text.length) {
            el.appendChild(document.createTextNode(text));
            return;
        }
        var marks = [];
        terms.forEach(function (t) {
            var at = 0;
            while (t && (at = folded.indexOf(t, at)) !== -1) {
                marks.push([at, at + t.length]);
                at += t.length;
            }
        });
        marks.sort(function (a, b) { return a[0] - b[0]; });
        var pos = 0;
        marks.forEach(function (m) {
            if (m[0] < pos) {
                if (m[1] > pos) {
                    m[0] = pos;
                } else {
                    return;
                }
            }
            if (m[0] > pos) {
                el.appendChild(document.createTextNode(text.slice(pos, m[0])));
            }
            var mark = document.createElement("mark");
            mark.textContent = text.slice(m[0], m[1]);
            el.appendChild(mark);
            pos = m[1];
        });
        if (pos < text.length) {
            el.appendChild(document.createTextNode(text.slice(pos)));
        }
    }

    function snippet(p, terms) {
        var text = p.text.replace(/\s+/g, " ").trim();
        var ftext = fold(text);
        var at = -1;
        for (var i = 0; i < terms.length && at === -1; i++) {
            at = ftext.indexOf(terms[i]);
        }
        if (ftext.length !== text.length || at === -1) {
            at = 0;
        }
        var start = Math.max(0, at - SNIPPET_BEFORE);
        if (start > 0) {
            var space = text.indexOf(" ", start);
            if (space !== -1 && space < at) {
                start = space + 1;
            }
        }
        var end = Math.min(text.length, start + SNIPPET_LENGTH);
        if (end < text.length) {
            var back = text.lastIndexOf(" ", end);
            if (back > at) {
                end = back;
            }
        }
        return (start > 0 ? "… " : "") + text.slice(start, end) + (end < text.length ? " …" : "");
    }

    function announce(message) {
        status.textContent = message;
        if (count) {
            count.textContent = message;
        }
    }

    function clear() {
        while (list.firstChild) {
            list.removeChild(list.firstChild);
        }
    }

    function close() {
        panel.hidden = true;
    }

    function open() {
        panel.hidden = false;
    }

    function render(q) {
        var terms = words(q);
        clear();
        if (!terms.length) {
            announce("");
            close();
            return;
        }
        var hits = search(terms);
        var shown = hits.slice(0, MAX_RESULTS);
        shown.forEach(function (h) {
            var li = document.createElement("li");
            li.className = "search-result";
            var a = document.createElement("a");
            a.href = h.page.url;
            a.className = "search-result-link";
            var title = document.createElement("span");
            title.className = "search-result-title";
            appendHighlighted(title, h.page.title, terms);
            a.appendChild(title);
            if (h.page.section) {
                var section = document.createElement("span");
                section.className = "search-result-section";
                section.textContent = h.page.section;
                a.appendChild(document.createTextNode(" "));
                a.appendChild(section);
            }
            var snip = snippet(h.page, terms);
            if (snip) {
                var p = document.createElement("span");
                p.className = "search-result-snippet";
                appendHighlighted(p, snip, terms);
                a.appendChild(p);
            }
            li.appendChild(a);
            list.appendChild(li);
        });
        var message;
        if (!hits.length) {
            message = "No pages match “" + q.trim() + "”.";
        } else if (hits.length > MAX_RESULTS) {
            message = hits.length + " pages match; showing the first " + MAX_RESULTS + ".";
        } else {
            message = hits.length === 1 ? "1 page matches." : hits.length + " pages match.";
        }
        announce(message);
        open();
    }

    function update() {
        var q = input.value;
        if (!words(q).length) {
            render("");
            return;
        }
        load().then(function () {
            if (input.value === q) {
                render(q);
            }
        }, function () {
            clear();
            announce("Search is unavailable: the search index could not be loaded.");
            open();
        });
    }

    input.addEventListener("focus", function () {
        load().catch(function () { /* reported when the reader types */ });
        if (words(input.value).length && list.firstChild) {
            open();
        }
    });
    input.addEventListener("input", function () {
        window.clearTimeout(timer);
        timer = window.setTimeout(update, 120);
    });

    function links() {
        return Array.prototype.slice.call(list.querySelectorAll("a"));
    }

    form.addEventListener("submit", function (e) {
        e.preventDefault();
        window.clearTimeout(timer);
        var first = links()[0];
        if (first && !panel.hidden) {
            window.location.href = first.href;
        } else {
            update();
        }
    });

    form.addEventListener("keydown", function (e) {
        var all = links();
        var at = all.indexOf(document.activeElement);
        if (e.key === "ArrowDown" && all.length) {
            e.preventDefault();
            all[Math.min(at + 1, all.length - 1)].focus();
        } else if (e.key === "ArrowUp" && at !== -1) {
            e.preventDefault();
            if (at === 0) {
                input.focus();
            } else {
                all[at - 1].focus();
            }
        } else if (e.key === "Escape") {
            if (!panel.hidden) {
                e.preventDefault();
                close();
                input.focus();
            }
        }
    });

    /* Close the results when focus or a click leaves the form. */
    document.addEventListener("click", function (e) {
        if (!form.contains(e.target)) {
            close();
        }
    });
    form.addEventListener("focusout", function (e) {
        if (e.relatedTarget && !form.contains(e.relatedTarget)) {
            close();
        }
    });

    /* Links to #site-search (the 404 page) focus the box. */
    document.addEventListener("click", function (e) {
        var a = e.target && e.target.closest ? e.target.closest("a[href='#site-search']") : null;
        if (a) {
            e.preventDefault();
            input.focus();
        }
    });
    var hints = document.querySelectorAll(".search-hint");
    for (var i = 0; i < hints.length; i++) {
        hints[i].hidden = false;
    }

    /* The 404 page: list the pages that best match the words of the address
     * that was not found (the whole last segment first, then its longest
     * single word that finds anything), in the page's suggestion list. */
    var suggestions = document.querySelector("[data-search-from-path] .suggestions");
    if (suggestions) {
        var path = window.location.pathname;
        try {
            path = decodeURIComponent(path);
        } catch (err) {
            /* keep it encoded */
        }
        var STOP = /^(index|404|html?|the|and|for|old|new|policy|policies|page)$/i;
        var segments = path.replace(/\.html?$/i, "").split("/").filter(function (s) {
            return s && !/^(index|404)$/i.test(s);
        });
        var last = segments.length ? segments[segments.length - 1] : "";
        var guessWords = last.split(/[\-_.\s]+/).filter(function (w) {
            return w.length > 2 && !STOP.test(w);
        });
        var target = suggestions.querySelector("ul");
        if (guessWords.length && target) {
            var candidates = [guessWords.join(" ")].concat(guessWords.slice().sort(function (a, b) {
                return b.length - a.length;
            }));
            load().then(function () {
                for (var c = 0; c < candidates.length; c++) {
                    var hits = search(words(candidates[c])).slice(0, 5);
                    if (hits.length) {
                        hits.forEach(function (h) {
                            var li = document.createElement("li");
                            var a = document.createElement("a");
                            a.href = h.page.url;
                            a.textContent = h.page.title;
                            li.appendChild(a);
                            if (h.page.section) {
                                li.appendChild(document.createTextNode(" "));
                                var sec = document.createElement("span");
                                sec.className = "search-result-section";
                                sec.textContent = h.page.section;
                                li.appendChild(sec);
                            }
                            target.appendChild(li);
                        });
                        suggestions.hidden = false;
                        return;
                    }
                }
            }, function () { /* no index: the page's links still help */ });
        }
    }
})();
