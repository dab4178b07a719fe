// Accessible names for the widgets that scripts draw without one: the Select2 boxes of the
// admin's autocomplete fields and the body editor. Each takes the text of its field's label
// (or, in a table of inline rows, its column's heading), so a screen reader announces
// "Section, combo box" instead of nothing.
"use strict";
(() => {
  function labelText(control) {
    const label = control.id && document.querySelector(`label[for="${control.id}"]`);
    if (label) return label.textContent.trim().replace(/:$/, "");
    const cell = control.closest("td");
    const table = cell && cell.closest("table");
    if (!table) return "";
    const heading = table.querySelectorAll("thead th")[cell.cellIndex];
    return heading ? heading.textContent.trim() : "";
  }

  function name(element, text) {
    if (text && !element.hasAttribute("aria-label")) element.setAttribute("aria-label", text);
  }

  function label(root) {
    for (const box of root.querySelectorAll(".select2-container")) {
      const select = box.previousElementSibling;
      if (!select || select.tagName !== "SELECT") continue;
      const text = labelText(select);
      for (const part of box.querySelectorAll("[role=combobox], [role=textbox], .select2-search__field")) {
        name(part, text);
      }
    }
    for (const editor of root.querySelectorAll(".prose-editor")) {
      const textarea = editor.querySelector("textarea");
      for (const area of editor.querySelectorAll("[contenteditable=true]")) {
        name(area, textarea && labelText(textarea));
      }
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    label(document);
    // Editors and Select2 boxes appear after load, and with every inline row added.
    new MutationObserver(() => label(document)).observe(document.body, {
      childList: true,
      subtree: true,
    });
  });
})();
