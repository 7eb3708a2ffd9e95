// Tờ khai: shows a conditional part when its condition holds and adds or removes the rows of a
// repeating group. The server decides what is sent and checks everything again; without script
// every part is shown and the server leaves out the parts whose condition does not hold.
(function () {
  "use strict";
  function valueOf(form, name) {
    var fields = form.querySelectorAll('[name="' + name + '"]');
    for (var i = 0; i < fields.length; i++) {
      var f = fields[i];
      if ((f.type === "radio" || f.type === "checkbox") && !f.checked) continue;
      return f.type === "checkbox" ? "True" : f.value;
    }
    return "";
  }
  function refresh(root) {
    root.querySelectorAll("[data-visible-path]").forEach(function (part) {
      var form = part.closest("form") || document;
      var shown = valueOf(form, part.getAttribute("data-visible-path")) === part.getAttribute("data-visible-equals");
      part.hidden = !shown;
    });
  }
  function renumber(rows) {
    rows.querySelectorAll(":scope > .decl-row").forEach(function (row, n) {
      var legend = row.querySelector("legend");
      if (legend && legend.getAttribute("data-title")) legend.textContent = legend.getAttribute("data-title").replace("{n}", n + 1);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-declaration]").forEach(function (root) {
      refresh(root);
      root.addEventListener("change", function () { refresh(root); });
      root.querySelectorAll("[data-add-row]").forEach(function (button) {
        var group = button.getAttribute("data-add-row");
        var rows = root.querySelector('[data-rows="' + group + '"]');
        var template = root.querySelector('template[data-row-template="' + group + '"]');
        var next = rows.querySelectorAll(":scope > .decl-row").length;
        rows.querySelectorAll(":scope > .decl-row legend").forEach(function (legend) {
          legend.setAttribute("data-title", template.content.querySelector("legend").textContent);
        });
        button.addEventListener("click", function () {
          var html = template.innerHTML.split("__i__").join(String(next));
          next += 1;
          rows.insertAdjacentHTML("beforeend", html);
          var row = rows.lastElementChild;
          var legend = row.querySelector("legend");
          legend.setAttribute("data-title", legend.textContent);
          renumber(rows);
          var first = row.querySelector("input, select, textarea");
          if (first) first.focus();
        });
      });
      root.addEventListener("click", function (event) {
        var target = event.target;
        if (!(target instanceof HTMLElement) || !target.hasAttribute("data-remove-row")) return;
        var row = target.closest(".decl-row");
        var rows = row.parentElement;
        row.remove();
        renumber(rows);
      });
    });
  });
})();
