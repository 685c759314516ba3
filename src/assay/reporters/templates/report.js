/* Assay report filters. Reads data-* attributes and hides rows; never writes markup. */
(function () {
  "use strict";
  var bar = document.getElementById("filters");
  if (!bar) { return; }
  var all = function (sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); };
  var byId = function (id) { return document.getElementById(id); };
  var boxes = all("input[name='status']", bar);
  var selects = { severity: byId("f-severity"), category: byId("f-category"),
                  account: byId("f-account"), region: byId("f-region") };
  var search = byId("f-text");
  var summary = byId("f-summary");
  var printNote = byId("print-filter-note");
  var criteria = all("details.criterion");
  var categories = all("section.category");
  var plainRows = all("tr.frow");
  var totalFindings = {};
  var cache = typeof WeakMap === "function" ? new WeakMap() : null;

  all("tr.finding").forEach(function (row) { totalFindings[row.getAttribute("data-fid")] = true; });

  function textOf(el) {
    if (!el) { return ""; }
    var t = cache ? cache.get(el) : undefined;
    if (t === undefined) {
      t = (el.textContent || "").replace(/\s+/g, " ").toLowerCase();
      if (cache) { cache.set(el, t); }
    }
    return t;
  }

  function state() {
    var statuses = {};
    var allStatuses = true;
    boxes.forEach(function (b) { statuses[b.value] = b.checked; if (!b.checked) { allStatuses = false; } });
    return {
      statuses: statuses, allStatuses: allStatuses,
      severity: selects.severity.value, category: selects.category.value,
      account: selects.account.value, region: selects.region.value,
      text: search.value.replace(/\s+/g, " ").trim().toLowerCase()
    };
  }

  function active(s) {
    return !s.allStatuses || s.severity || s.category || s.account || s.region || s.text;
  }

  var model = criteria.map(function (crit) {
    return {
      el: crit, key: crit.querySelector(".key"),
      controls: all("details.control", crit).map(function (ctl) {
        var ref = ctl.getAttribute("data-ref");
        var home = ref ? byId(ref) : null;
        return { el: ctl, key: ctl.querySelector(".key"), primary: !ref, rows: all("tr.finding", home || ctl) };
      })
    };
  });

  function apply() {
    var s = state();
    var shown = {};
    var shownCriteria = 0;
    var scoped = s.account || s.region;
    var has = function (hay) { return !s.text || hay.indexOf(s.text) !== -1; };

    model.forEach(function (crit) {
      var catOk = !s.category || crit.el.getAttribute("data-category") === s.category;
      var critText = has(textOf(crit.key));
      var anyControl = false;
      crit.controls.forEach(function (ctl) {
        var sevOk = !s.severity || ctl.el.getAttribute("data-severity") === s.severity;
        var ctlText = critText || has(textOf(ctl.key));
        var visible = 0;
        ctl.rows.forEach(function (row) {
          var ok = catOk && sevOk && s.statuses[row.getAttribute("data-status")] === true &&
            (!s.account || row.getAttribute("data-account") === s.account) &&
            (!s.region || row.getAttribute("data-region") === s.region) &&
            (ctlText || has(textOf(row)));
          if (ok) { visible += 1; }
          if (ctl.primary) {
            row.hidden = !ok;  /* rows live under the control's first criterion only */
            if (ok) { shown[row.getAttribute("data-fid")] = true; }
          }
        });
        var ctlOk = ctl.rows.length ? visible > 0 :
          catOk && sevOk && !scoped && ctlText && s.statuses[ctl.el.getAttribute("data-status")] === true;
        ctl.el.hidden = !ctlOk;
        if (ctlOk) { anyControl = true; }
      });
      var critOk = crit.controls.length ? anyControl :
        catOk && critText && !scoped && !s.severity && s.statuses[crit.el.getAttribute("data-status")] === true;
      crit.el.hidden = !critOk;
      if (critOk) { shownCriteria += 1; }
    });

    categories.forEach(function (cat) {
      cat.hidden = all("details.criterion", cat).every(function (c) { return c.hidden; });
    });

    plainRows.forEach(function (row) {
      row.hidden = !((!s.account || row.getAttribute("data-account") === s.account) &&
        (!s.region || row.getAttribute("data-region") === s.region) && has(textOf(row)));
    });

    if (s.text) {
      criteria.forEach(function (crit) {
        if (!crit.hidden) { crit.open = true; }
        all("details.control", crit).forEach(function (ctl) { if (!ctl.hidden) { ctl.open = true; } });
      });
    }

    var nShown = Object.keys(shown).length;
    var nTotal = Object.keys(totalFindings).length;
    var msg = "Showing " + shownCriteria + " of " + criteria.length + " criteria and " +
      nShown + " of " + nTotal + " resource findings";
    summary.textContent = active(s) ? msg + " (filtered)." : msg + ".";
    if (printNote) {
      printNote.hidden = !active(s);
      printNote.textContent = active(s) ? "Filtered view: " + msg + ". Clear the filters to print the full report." : "";
    }
    byId("f-none").hidden = shownCriteria > 0;
  }

  var timer = null;
  function later() {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(apply, 120);
  }

  boxes.forEach(function (b) { b.addEventListener("change", apply); });
  Object.keys(selects).forEach(function (k) { selects[k].addEventListener("change", apply); });
  search.addEventListener("input", later);

  byId("f-reset").addEventListener("click", function () {
    boxes.forEach(function (b) { b.checked = true; });
    Object.keys(selects).forEach(function (k) { selects[k].value = ""; });
    search.value = "";
    apply();
  });
  byId("f-expand").addEventListener("click", function () {
    all("details.criterion, details.control").forEach(function (d) { if (!d.hidden) { d.open = true; } });
  });
  byId("f-collapse").addEventListener("click", function () {
    all("details.criterion, details.control").forEach(function (d) { d.open = false; });
  });

  var reopen = [];
  window.addEventListener("beforeprint", function () {
    reopen = all("details:not([open])");
    reopen.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    reopen.forEach(function (d) { d.open = false; });
    reopen = [];
  });

  bar.hidden = false;
  apply();
}());
