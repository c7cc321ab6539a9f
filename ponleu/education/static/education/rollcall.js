/* Roll call: every pupil is present until tapped; each tap moves to the next status
   (absent, late, excused, present). The select stays the form's value, so the page also works
   without this script. No inline code: loaded as a static file under the CSP. */
(function () {
  "use strict";

  function counts(form) {
    var out = { P: 0, A: 0, L: 0, E: 0 };
    form.querySelectorAll("li.pupil select").forEach(function (select) {
      if (out[select.value] !== undefined) { out[select.value] += 1; }
    });
    form.querySelectorAll("[data-count]").forEach(function (node) {
      node.textContent = String(out[node.getAttribute("data-count")] || 0);
    });
  }

  // The button's name is what it shows (pupil, then status): a separate aria-label would
  // differ from the visible text, which speech input users say to press it.
  function show(row, select, chip) {
    var option = select.options[select.selectedIndex];
    row.setAttribute("data-status", select.value);
    chip.textContent = option ? option.textContent : select.value;
  }

  function enhance(root) {
    root.querySelectorAll("form.rollcall:not([data-ready])").forEach(function (form) {
      form.setAttribute("data-ready", "1");
      form.classList.add("tapping");
      form.querySelectorAll("li.pupil").forEach(function (row) {
        var select = row.querySelector("select");
        if (!select) { return; }
        // The big button exists only with this script; without it the select does the same job.
        var button = document.createElement("button");
        button.type = "button";
        button.className = "tap";
        var name = document.createElement("span");
        name.className = "name";
        name.textContent = row.getAttribute("data-name");
        var chip = document.createElement("span");
        chip.className = "chip";
        button.appendChild(name);
        button.appendChild(chip);
        row.appendChild(button);
        show(row, select, chip);
        button.addEventListener("click", function () {
          select.selectedIndex = (select.selectedIndex + 1) % select.options.length;
          show(row, select, chip);
          counts(form);
        });
        select.addEventListener("change", function () { show(row, select, chip); counts(form); });
      });
      counts(form);
    });
  }

  // A refused roll call (400: a holiday, a missing reason; 409: saved meanwhile) comes back as the
  // sheet with its messages: show it instead of htmx's default of ignoring error responses.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    var config = event.detail.requestConfig || {};
    var source = config.elt || event.detail.elt;
    var ours = (event.target && event.target.id === "rollcall") ||
      (source && source.closest && source.closest("form.rollcall"));
    if (ours && (status === 400 || status === 409)) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:load", function (event) { enhance(event.target || document); });
})();
