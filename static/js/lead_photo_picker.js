// The article form's lead-photo picker: a dialog of library thumbnails, searched and paged
// by the server, with the photo desk's upload in place. Picking sets the autocomplete select
// (which works on its own without this script) and shows the photo in the form's preview.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const picker of document.querySelectorAll(".lead-photo-picker")) {
    const select = document.getElementById(picker.dataset.select);
    const dialog = picker.querySelector("dialog");
    const opener = picker.querySelector(".lead-photo-picker-open");
    const status = picker.querySelector(".lead-photo-picker-status");
    const photos = dialog.querySelector(".lead-photo-picker-photos");
    const upload = dialog.querySelector(".lead-photo-picker-upload");
    // The dialog's own forms cannot sit inside the article's form.
    document.body.append(dialog);

    async function load(target, url, options = {}) {
      target.setAttribute("aria-busy", "true");
      try {
        const response = await fetch(url, {credentials: "same-origin", ...options});
        if (response.status === 403) {
          target.textContent = "You may not do this.";
        } else if (response.redirected) {
          target.textContent = "Your session has ended: sign in again in another tab.";
        } else if (!(response.headers.get("Content-Type") || "").startsWith("text/html")) {
          target.textContent = "The photo library did not answer; try again.";
        } else {
          target.innerHTML = await response.text();
        }
      } catch {
        target.textContent = "The photo library could not be reached; try again.";
      } finally {
        target.removeAttribute("aria-busy");
      }
    }

    function showPreview(choice) {
      // Django's read-only "preview" row of the lead photo fieldset.
      const preview = document.querySelector(".field-photo_preview .readonly");
      if (!preview) {
        return;
      }
      if (!choice.dataset.previewSrc) {
        const none = document.createElement("span");
        none.className = "no-image-yet";
        none.textContent = "No image yet";
        preview.replaceChildren(none);
        return;
      }
      const image = document.createElement("img");
      image.src = choice.dataset.previewSrc;
      image.alt = choice.dataset.alt;
      image.width = 480;
      image.height = Math.round(
        (choice.dataset.previewHeight * 480) / choice.dataset.previewWidth,
      );
      image.className = "desk-thumbnail lead-photo-chosen";
      preview.replaceChildren(image);
    }

    function showNoPreview() {
      const preview = document.querySelector(".field-photo_preview .readonly");
      if (preview) {
        preview.textContent = "—";
      }
    }

    // A photo chosen in the autocomplete select instead: its preview, from the library.
    let picked = select.value;
    async function selectChanged() {
      if (select.value === picked) {
        return;
      }
      picked = select.value;
      status.textContent = "";
      if (!picked) {
        showNoPreview();
        return;
      }
      const url = new URL(picker.dataset.photosUrl, window.location.href);
      url.searchParams.set("id", picked);
      const found = document.createElement("div");
      await load(found, url);
      const choice = found.querySelector(".lead-photo-picker-choice");
      if (choice && choice.dataset.photoId === select.value) {
        showPreview(choice);
      }
    }
    // Select2 announces its changes through jQuery, which also passes on native events.
    if (window.django && window.django.jQuery) {
      window.django.jQuery(select).on("change", selectChanged);
    } else {
      select.addEventListener("change", selectChanged);
    }

    function choose(choice) {
      const id = choice.dataset.photoId;
      picked = id;
      let option = Array.from(select.options).find((o) => o.value === id);
      if (!option) {
        option = new Option(choice.dataset.label, id);
        select.append(option);
      }
      select.value = id;
      select.dispatchEvent(new Event("change", {bubbles: true}));
      showPreview(choice);
      status.textContent = `Chosen: ${choice.dataset.label}. Save the article to keep it.`;
      dialog.close();
      opener.focus();
    }

    function searchUrl(form) {
      const url = new URL(form.action, window.location.href);
      url.search = new URLSearchParams(new FormData(form)).toString();
      return url;
    }

    dialog.addEventListener("click", (event) => {
      const choice = event.target.closest(".lead-photo-picker-choice");
      const pageLink = event.target.closest("a[data-page]");
      if (choice) {
        choose(choice);
      } else if (pageLink) {
        event.preventDefault();
        const base = new URL(picker.dataset.photosUrl, window.location.href);
        const url = new URL(pageLink.getAttribute("href"), base);
        load(photos, url).then(() => photos.querySelector("input[name=q]").focus());
      } else if (event.target.closest(".lead-photo-picker-close")) {
        dialog.close();
      }
    });

    dialog.addEventListener("submit", async (event) => {
      const form = event.target;
      event.preventDefault();
      if (form.matches(".lead-photo-picker-search")) {
        await load(photos, searchUrl(form));
        photos.querySelector("input[name=q]").focus();
      } else if (form.matches(".lead-photo-picker-upload-form")) {
        await load(upload, form.action, {method: "POST", body: new FormData(form)});
        const saved = upload.querySelectorAll(".lead-photo-picker-choice");
        if (saved.length === 1) {
          choose(saved[0]);
          load(photos, picker.dataset.photosUrl);
        } else if (saved.length > 1) {
          saved[0].focus();
        }
      }
    });

    opener.addEventListener("click", async () => {
      dialog.showModal();
      await load(photos, picker.dataset.photosUrl);
      photos.querySelector("input[name=q]").focus();
      if (upload && !upload.hasChildNodes()) {
        load(upload, picker.dataset.uploadUrl);
      }
    });
    opener.hidden = false;
  }
});
