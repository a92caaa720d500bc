/* charter: filter for the Statement of Applicability and the controls index.
 *
 * The page's form.table-filter (hidden in the HTML, so readers without
 * JavaScript simply get every table complete) filters the rows of every
 * table[data-filterable] on the page: by free text (all words, anywhere in
 * the row), by applicability (tr[data-applicable] "yes"/"no") and by status
 * (tr[data-status]; "none" matches rows without one) and, where the page
 * has the field, by coverage (tr[data-coverage]: policy, crosswalk,
 * partial, none). Hidden rows get the
 * hidden attribute; a framework whose table has no row left says so. The
 * count of rows shown is announced in the form's role=status region. The
 * filter is kept in the address (?q=&applicable=&status=&coverage=) so a filtered view
 * can be shared. No dependencies, no inline code (strict CSP). */
(function () {
    "use strict";

    var form = document.querySelector("form.table-filter");
    var tables = document.querySelectorAll("table[data-filterable]");
    if (!form || !tables.length || !document.querySelector) {
        return;
    }
    var text = form.querySelector("input[name=text]");
    var applicable = form.querySelector("select[name=applicable]");
    var statusSel = form.querySelector("select[name=status]");
    var coverageSel = form.querySelector("select[name=coverage]");
    var live = form.querySelector("[role=status]");

    var rows = [];
    Array.prototype.forEach.call(tables, function (table) {
        var empty = document.createElement("p");
        empty.className = "filter-empty";
        empty.hidden = true;
        empty.textContent = "No control of this framework matches the filter.";
        var holder = table.closest(".table-scroll") || table;
        holder.parentNode.insertBefore(empty, holder.nextSibling);
        var tableRows = Array.prototype.slice.call(table.tBodies[0] ? table.tBodies[0].rows : []);
        tableRows.forEach(function (tr) {
            rows.push({
                tr: tr,
                table: table,
                text: (tr.textContent || "").toLowerCase().replace(/\s+/g, " "),
                applicable: tr.getAttribute("data-applicable") || "",
                status: tr.getAttribute("data-status") || "",
                coverage: tr.getAttribute("data-coverage") || ""
            });
        });
        table._filterEmpty = empty;
        table._filterHolder = holder;
    });

    function apply(initial) {
        var words = text ? text.value.toLowerCase().split(/\s+/).filter(Boolean) : [];
        var app = applicable ? applicable.value : "";
        var st = statusSel ? statusSel.value : "";
        var cov = coverageSel ? coverageSel.value : "";
        var shown = 0;
        var perTable = new Map();
        rows.forEach(function (r) {
            var ok = true;
            if (app && r.applicable !== app) {
                ok = false;
            }
            if (ok && st) {
                ok = st === "none" ? r.status === "" : r.status === st;
            }
            if (ok && cov) {
                ok = r.coverage === cov;
            }
            for (var i = 0; ok && i < words.length; i++) {
                if (r.text.indexOf(words[i]) === -1) {
                    ok = false;
                }
            }
            r.tr.hidden = !ok;
            if (ok) {
                shown++;
                perTable.set(r.table, (perTable.get(r.table) || 0) + 1);
            }
        });
        Array.prototype.forEach.call(tables, function (table) {
            var none = !perTable.get(table);
            table._filterEmpty.hidden = !none;
            table._filterHolder.hidden = none;
        });
        var filtered = words.length || app || st || cov;
        if (live && !(initial === true && !filtered)) {
            live.textContent = filtered
                ? (shown === 1 ? "1 control of " : shown + " controls of ") + rows.length + " shown."
                : "All " + rows.length + " controls shown.";
        }
        form.classList.toggle("is-filtered", Boolean(filtered));
        if (window.history && window.history.replaceState && window.URLSearchParams) {
            var params = new URLSearchParams(window.location.search);
            [["q", text ? text.value.trim() : ""], ["applicable", app], ["status", st], ["coverage", cov]].forEach(function (kv) {
                if (kv[1]) {
                    params.set(kv[0], kv[1]);
                } else {
                    params.delete(kv[0]);
                }
            });
            var query = params.toString();
            window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
        }
    }

    /* Start from the address, if it carries a filter. */
    if (window.URLSearchParams) {
        var params = new URLSearchParams(window.location.search);
        if (text && params.get("q")) {
            text.value = params.get("q");
        }
        [[applicable, "applicable"], [statusSel, "status"], [coverageSel, "coverage"]].forEach(function (pair) {
            var sel = pair[0];
            var value = params.get(pair[1]);
            if (sel && value && Array.prototype.some.call(sel.options, function (o) { return o.value === value; })) {
                sel.value = value;
            }
        });
    }

    var timer = 0;
    if (text) {
        text.addEventListener("input", function () {
            window.clearTimeout(timer);
            timer = window.setTimeout(apply, 100);
        });
    }
    [applicable, statusSel, coverageSel].forEach(function (sel) {
        if (sel) {
            sel.addEventListener("change", function () { apply(); });
        }
    });
    form.addEventListener("submit", function (e) {
        e.preventDefault();
        apply();
    });
    form.addEventListener("reset", function () {
        /* After the browser has reset the fields. */
        window.setTimeout(apply, 0);
    });

    form.hidden = false;
    apply(true);
})();
