/* charter: sortable tables (the review dashboard).
 *
 * For every table[data-sortable], each column header (thead th) gets a
 * button that sorts the body rows by that column, ascending first, then
 * descending on the next press. The header's aria-sort says the current
 * order; the column the HTML was sorted by keeps its aria-sort until another
 * is chosen. A cell's data-sort-value, when present, is sorted instead of its
 * text; the header's data-sort-type picks the comparison:
 *   text   - locale-aware, numbers in text compared as numbers; empty last
 *   number - numeric; empty last
 *   state  - review state, most urgent first: overdue, due-soon, ok, none
 * Without JavaScript the table is simply the order the generator wrote
 * (next review, soonest first). No dependencies, no inline code (strict CSP). */
(function () {
    "use strict";

    var STATE_ORDER = { "overdue": 0, "due-soon": 1, "ok": 2, "none": 3 };
    var collator = window.Intl && Intl.Collator
        ? new Intl.Collator(undefined, { numeric: true, sensitivity: "base" })
        : null;

    function cellValue(row, index) {
        var cell = row.cells[index];
        if (!cell) {
            return "";
        }
        var v = cell.getAttribute("data-sort-value");
        return (v !== null ? v : cell.textContent).trim();
    }

    function compareText(a, b) {
        if (a === "" || b === "") {
            return (a === "") - (b === "");
        }
        return collator ? collator.compare(a, b) : (a < b ? -1 : a > b ? 1 : 0);
    }

    function compareNumber(a, b) {
        var x = parseFloat(a);
        var y = parseFloat(b);
        var xn = isNaN(x);
        var yn = isNaN(y);
        if (xn || yn) {
            return xn - yn;
        }
        return x - y;
    }

    function compareState(a, b) {
        var x = a in STATE_ORDER ? STATE_ORDER[a] : 4;
        var y = b in STATE_ORDER ? STATE_ORDER[b] : 4;
        return x - y;
    }

    function setup(table) {
        var head = table.tHead;
        var body = table.tBodies[0];
        if (!head || !body || !head.rows.length) {
            return;
        }
        var headers = Array.prototype.slice.call(head.rows[0].cells);
        var original = Array.prototype.slice.call(body.rows);
        original.forEach(function (row, i) {
            row._sortIndex = i;
        });

        function sortBy(index, direction) {
            var type = headers[index].getAttribute("data-sort-type") || "text";
            var cmp = type === "number" ? compareNumber : type === "state" ? compareState : compareText;
            var rows = Array.prototype.slice.call(body.rows);
            rows.sort(function (ra, rb) {
                var a = cellValue(ra, index);
                var b = cellValue(rb, index);
                /* Empty values stay last whichever the direction. */
                if ((a === "") !== (b === "")) {
                    return a === "" ? 1 : -1;
                }
                var r = cmp(a, b);
                if (direction === "descending") {
                    r = -r;
                }
                return r || (ra._sortIndex - rb._sortIndex);
            });
            var frag = document.createDocumentFragment();
            rows.forEach(function (r) {
                frag.appendChild(r);
            });
            body.appendChild(frag);
            headers.forEach(function (th, i) {
                if (i === index) {
                    th.setAttribute("aria-sort", direction);
                } else {
                    th.removeAttribute("aria-sort");
                }
            });
        }

        headers.forEach(function (th, index) {
            var button = document.createElement("button");
            button.type = "button";
            button.className = "sort-button";
            while (th.firstChild) {
                button.appendChild(th.firstChild);
            }
            var icon = document.createElement("span");
            icon.className = "sort-icon";
            icon.setAttribute("aria-hidden", "true");
            button.appendChild(icon);
            th.appendChild(button);
            button.addEventListener("click", function () {
                var current = th.getAttribute("aria-sort");
                sortBy(index, current === "ascending" ? "descending" : "ascending");
            });
        });

        var hint = table.querySelector(".sort-hint");
        if (hint) {
            hint.hidden = false;
        }
        table.classList.add("is-sortable");
    }

    Array.prototype.forEach.call(document.querySelectorAll("table[data-sortable]"), setup);
})();
