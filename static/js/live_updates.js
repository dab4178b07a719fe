// A live article's page: ask for the coverage every few seconds with the last ETag, so an
// unchanged blog costs the server one small query and a 304. New entries replace the list
// in place; a polite status tells screen readers that updates arrived.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  let coverage = document.getElementById("live-coverage");
  if (!coverage || !coverage.hasAttribute("data-open")) {
    return;
  }
  const url = coverage.dataset.updatesUrl;
  const interval = Number(coverage.dataset.pollSeconds) * 1000;
  const status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  coverage.before(status);
  let etag = null;

  function entryIds(element) {
    return new Set(Array.from(element.querySelectorAll(".live-entry[id]"), (entry) => entry.id));
  }

  async function poll() {
    const headers = etag ? { "If-None-Match": etag } : {};
    let response;
    try {
      response = await fetch(url, { headers, cache: "no-store", credentials: "same-origin" });
    } catch {
      return schedule();
    }
    if (response.status === 200) {
      etag = response.headers.get("ETag");
      const html = await response.text();
      const fresh = new DOMParser().parseFromString(html, "text/html").getElementById("live-coverage");
      if (fresh) {
        const before = entryIds(coverage);
        const added = [...entryIds(fresh)].filter((id) => !before.has(id)).length;
        coverage.replaceWith(fresh);
        coverage = fresh;
        if (added) {
          status.textContent = added === 1 ? "1 new update." : `${added} new updates.`;
        }
        if (!coverage.hasAttribute("data-open")) {
          return undefined;
        }
      }
    } else if (response.status === 404) {
      return undefined;
    }
    return schedule();
  }

  function schedule() {
    window.setTimeout(poll, interval);
  }

  schedule();
});
