// "Copy link" beside a read-only field: copies its text and says so, for screen readers too.
// A file of its own, because the Content-Security-Policy refuses inline script.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-copy-from]")) {
    const field = document.getElementById(button.dataset.copyFrom);
    const status = document.getElementById(button.dataset.copyStatus);
    button.hidden = false;
    button.addEventListener("click", async () => {
      field.select();
      try {
        await navigator.clipboard.writeText(field.value);
        status.textContent = "Link copied.";
      } catch {
        // No clipboard permission (an insecure origin, a refusing browser): the link is
        // selected, ready for Ctrl+C.
        status.textContent = "Press Ctrl+C (⌘C on a Mac) to copy the selected link.";
      }
    });
  }
});
