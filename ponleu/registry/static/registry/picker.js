/* The place picker: type a village name, or choose province → district → commune → village.
   Works on any form holding a [data-picker] block; no inline scripts (strict CSP). */
(function () {
  "use strict";

  function valueInput(picker) { return picker.querySelector("[data-picker-value]"); }
  function labelOut(picker) { return picker.querySelector("[data-picker-label]"); }

  function choose(picker, code, label) {
    var input = valueInput(picker);
    if (input) {
      input.value = code;
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }
    var out = labelOut(picker);
    if (out) { out.textContent = label || ""; }
  }

  // Several places (data-picker-many): each choice is a ticked box named like the field, so the
  // form posts the codes as it would without JavaScript; choosing one already there ticks it again.
  function addChosen(picker, code, label) {
    var list = picker.querySelector("[data-picker-chosen]");
    if (!list || !code) { return; }
    var boxes = list.querySelectorAll("input[type=checkbox]");
    for (var i = 0; i < boxes.length; i++) {
      if (boxes[i].value === code) { boxes[i].checked = true; return; }
    }
    var item = document.createElement("li");
    var wrap = document.createElement("label");
    var box = document.createElement("input");
    box.type = "checkbox";
    box.name = picker.getAttribute("data-field-name");
    box.value = code;
    box.checked = true;
    wrap.appendChild(box);
    wrap.appendChild(document.createTextNode(" " + label));
    item.appendChild(wrap);
    list.appendChild(item);
  }

  function loadOptions(picker, select, parentCode) {
    var url = picker.getAttribute("data-options-url");
    if (parentCode) { url += "?parent=" + encodeURIComponent(parentCode); }
    return fetch(url, { credentials: "same-origin", headers: { "HX-Request": "true" } })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) { select.innerHTML = html; select.disabled = false; });
  }

  function onSelect(picker, select) {
    var levels = Array.prototype.slice.call(picker.querySelectorAll("select[data-level]"));
    var index = levels.indexOf(select);
    var code = select.value;
    levels.slice(index + 1).forEach(function (next) { next.innerHTML = ""; next.disabled = true; });
    var accepted = (picker.getAttribute("data-accept") || "").split(" ");
    var level = select.getAttribute("data-level");
    var label = code ? select.options[select.selectedIndex].text : "";
    if (!code) {
      var previous = levels[index - 1];
      code = previous ? previous.value : "";
      label = code && previous ? previous.options[previous.selectedIndex].text : "";
      level = previous ? previous.getAttribute("data-level") : "";
    }
    if (accepted.indexOf("any") >= 0 || accepted.indexOf(level) >= 0) { choose(picker, code, label); }
    if (select.value && levels[index + 1]) { loadOptions(picker, levels[index + 1], select.value); }
  }

  function init(picker) {
    if (picker.getAttribute("data-picker-ready")) { return; }
    picker.setAttribute("data-picker-ready", "1");
    // The provinces are fetched when the lists are opened, not with every page: most people
    // type the village name, and each request counts on a slow connection.
    var first = picker.querySelector("select[data-level]");
    var lists = first ? first.closest("details") : null;
    if (first && lists && !lists.open) {
      lists.addEventListener("toggle", function load() {
        if (!lists.open) { return; }
        lists.removeEventListener("toggle", load);
        loadOptions(picker, first, "");
      });
    } else if (first) {
      loadOptions(picker, first, "");
    }
    picker.addEventListener("change", function (event) {
      if (event.target.matches("select[data-level]")) { onSelect(picker, event.target); }
    });
    picker.addEventListener("click", function (event) {
      var button = event.target.closest("[data-village-code]");
      if (!button) { return; }
      event.preventDefault();
      if (picker.hasAttribute("data-picker-many")) {
        addChosen(picker, button.getAttribute("data-village-code"),
          button.getAttribute("data-village-label") || button.textContent.trim());
      } else {
        choose(picker, button.getAttribute("data-village-code"), button.textContent.trim());
      }
      var found = picker.querySelector("[data-picker-found]");
      if (found) { found.innerHTML = ""; }
    });
    var clear = picker.querySelector("[data-picker-clear]");
    if (clear) {
      clear.addEventListener("click", function (event) { event.preventDefault(); choose(picker, "", ""); });
    }
  }

  function initAll(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll("[data-picker]"), init);
  }

  document.addEventListener("DOMContentLoaded", function () { initAll(document); });
  document.addEventListener("htmx:afterSettle", function (event) { initAll(event.target); });
})();
