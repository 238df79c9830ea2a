/* 月度填报: text boxes that grow with their text, Enter down a column, Ctrl+Enter saves, the
   合计 row kept current while typing (本月 = the typed amounts and the saved ones of read-only rows;
   1-N月 = 上月末累计 + 本月), the sticky name column placed after the code column, and the error
   banner's links opening the fold when the row is in it. The server renders every figure; this
   only follows what is typed until the page is saved. */
(function () {
  "use strict";
  var form = document.getElementById("month-form");
  var table = document.getElementById("month-table");
  if (!table) { return; }

  function cents(text) {
    var value = Number(String(text || "").replace(/[,\s，]/g, ""));
    return isFinite(value) ? Math.round(value * 100) : 0;
  }
  function wan(c) {
    return (c / 100).toLocaleString("en-US", {minimumFractionDigits: 2, maximumFractionDigits: 2});
  }
  function pct(part, whole) {
    return whole ? (Math.round(part * 1000 / whole) / 10).toFixed(1) + "%" : "—";
  }
  function rows() { return Array.prototype.slice.call(document.querySelectorAll("tr.month-row")); }

  /* the row's 1-N月 and rate, and the 合计 */
  function refresh() {
    var sum = {target: 0, before: 0, inMonth: 0};
    rows().forEach(function (row) {
      var input = row.querySelector("input[name$='-completed']");
      var typed = input ? cents(input.value) : cents(row.dataset.inMonth);
      var before = cents(row.dataset.before), target = cents(row.dataset.target);
      sum.target += target; sum.before += before; sum.inMonth += typed;
      if (input) {
        var toDate = row.querySelector("[data-cell='to-date']");
        var rate = row.querySelector("[data-cell='rate']");
        if (toDate) { toDate.textContent = wan(before + typed); }
        if (rate) { rate.textContent = pct(before + typed, target); }
      }
    });
    var set = function (key, text) {
      var cell = table.querySelector("[data-total='" + key + "']");
      if (cell) { cell.textContent = text; }
    };
    set("in-month", wan(sum.inMonth));
    set("to-date", wan(sum.before + sum.inMonth));
    set("rate", pct(sum.before + sum.inMonth, sum.target));
  }

  function grow(area) {
    area.style.height = "auto";
    area.style.height = (area.scrollHeight + 2) + "px";
  }

  function visible(el) { return el.offsetParent !== null; }

  /* Enter in an amount or percent box: the same box of the next row (the fold's rows when open) */
  function nextInColumn(input) {
    var suffix = input.name.replace(/^rows-\d+-/, "");
    var boxes = Array.prototype.slice.call(
      document.querySelectorAll("tr.month-row input[name$='-" + suffix + "']")).filter(visible);
    var at = boxes.indexOf(input);
    return at >= 0 && at + 1 < boxes.length ? boxes[at + 1] : null;
  }

  if (form) {
    form.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" || event.isComposing) { return; }
      var target = event.target;
      if (event.ctrlKey || event.metaKey) {
        event.preventDefault();
        if (form.requestSubmit) { form.requestSubmit(document.getElementById("save")); } else { form.submit(); }
        return;
      }
      if (target.tagName === "INPUT" && target.type === "text" && /-(completed|physical_percent)$/.test(target.name)) {
        event.preventDefault();
        var next = nextInColumn(target);
        if (next) { next.focus(); next.select(); }
      }
    });
    form.addEventListener("input", function (event) {
      if (event.target.classList.contains("autogrow")) { grow(event.target); }
      if (/-completed$/.test(event.target.name || "")) { refresh(); }
    });
  }

  document.querySelectorAll("textarea.autogrow").forEach(grow);
  var details = document.getElementById("not-due");
  if (details) {
    details.addEventListener("toggle", function () { details.querySelectorAll("textarea.autogrow").forEach(grow); });
  }

  /* the name column sticks right after the code column, whatever its width */
  function placeColumns() {
    document.querySelectorAll(".month-table").forEach(function (t) {
      var code = t.querySelector("th.col-code");
      if (code && code.offsetWidth) { t.style.setProperty("--code-width", code.offsetWidth + "px"); }
    });
  }
  placeColumns();
  window.addEventListener("resize", placeColumns);

  /* the banner's links: open the fold if the row is in it, then put the cursor in the first bad box */
  var banner = document.getElementById("error-rows");
  if (banner) {
    banner.addEventListener("click", function (event) {
      var link = event.target.closest("a[data-row]");
      if (!link) { return; }
      var row = document.getElementById(link.dataset.row);
      if (!row) { return; }
      var fold = row.closest("details");
      if (fold && !fold.open) { fold.open = true; }
      window.setTimeout(function () {
        var box = row.querySelector(".is-invalid, input.border-warning, input[type=text], textarea");
        if (box) { box.focus({preventScroll: true}); }
      }, 0);
    });
  }
  /* after a refused save the boxes hold what was typed: the figures follow them */
  if (document.getElementById("save-errors")) { refresh(); }
})();
