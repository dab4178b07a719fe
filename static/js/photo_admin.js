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
    const across = form.querySelector('[name="focal_x"]');
    const down = form.querySelector('[name="focal_y"]');
    // A ring on the preview shows the focal point the fields hold.
    const frame = document.createElement("span");
    frame.style.cssText = "position: relative; display: inline-block; line-height: 0;";
    preview.replaceWith(frame);
    frame.append(preview);
    const marker = document.createElement("span");
    marker.className = "focal-point-marker";
    marker.style.cssText =
      "position: absolute; width: 18px; height: 18px; margin: -11px 0 0 -11px; " +
      "border: 2px solid #fff; border-radius: 50%; box-shadow: 0 0 0 2px #000; " +
      "pointer-events: none;";
    frame.append(marker);
    const place = () => {
      marker.style.left = `${Number(across.value || 0.5) * 100}%`;
      marker.style.top = `${Number(down.value || 0.5) * 100}%`;
    };
    place();
    across.addEventListener("input", place);
    down.addEventListener("input", place);
    preview.style.cursor = "crosshair";
    preview.addEventListener("click", (event) => {
      const box = preview.getBoundingClientRect();
      across.value = ((event.clientX - box.left) / box.width).toFixed(3);
      down.value = ((event.clientY - box.top) / box.height).toFixed(3);
      place();
    });
  }
});
