// Photo form: prefill empty fields from the chosen file's metadata, and set the focal point
// by clicking the preview. The file is read by the server and discarded; nothing is kept.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("photo_form");
  const fileInput = form && form.querySelector('input[type="file"][name="image"]');

  function fill(name, value) {
    const field = form.querySelector(`[name="${name}"]`);
    if (field && value && !field.value.trim()) {
      field.value = value;
    }
  }

  function showNote(text, link) {
    let note = document.getElementById("photo-metadata-note");
    if (!note) {
      note = document.createElement("p");
      note.id = "photo-metadata-note";
      note.className = "help";
      fileInput.after(note);
    }
    note.textContent = text;
    if (link) {
      const anchor = document.createElement("a");
      anchor.href = link.url;
      anchor.textContent = ` Use the existing photo “${link.label}”.`;
      note.append(anchor);
    }
  }

  if (fileInput && fileInput.dataset.metadataUrl) {
    fileInput.addEventListener("change", async () => {
      const file = fileInput.files[0];
      if (!file) {
        return;
      }
      const body = new FormData();
      body.append("image", file);
      const response = await fetch(fileInput.dataset.metadataUrl, {
        method: "POST",
        body,
        headers: {"X-CSRFToken": form.querySelector("[name=csrfmiddlewaretoken]").value},
        credentials: "same-origin",
      });
      const data = await response.json();
      if (!response.ok) {
        showNote(data.error || "This file cannot be used.");
        return;
      }
      for (const name of ["credit", "caption", "creator", "copyright_notice"]) {
        fill(name, data[name]);
      }
      const provider = form.querySelector('select[name="provider"]');
      if (provider && data.provider && !provider.value) {
        provider.append(new Option(data.provider.text, data.provider.id, true, true));
        provider.dispatchEvent(new Event("change", {bubbles: true}));
      }
      if (data.duplicate) {
        showNote("This exact file is already in the library.", data.duplicate);
      } else {
        showNote("Filled from the file's metadata where empty: check before saving.");
      }
    });
  }

  const preview = form && form.querySelector("img[data-focal-preview]");
  if (preview) {
    preview.style.cursor = "crosshair";
    preview.addEventListener("click", (event) => {
      const box = preview.getBoundingClientRect();
      const across = (event.clientX - box.left) / box.width;
      const down = (event.clientY - box.top) / box.height;
      form.querySelector('[name="focal_x"]').value = across.toFixed(3);
      form.querySelector('[name="focal_y"]').value = down.toFixed(3);
    });
  }
});
