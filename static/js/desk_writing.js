// The article form: autosave while typing and on leaving, "leave page?" with unsaved changes,
// Ctrl+S / Cmd+S saves the draft, and who else has the article open. Everything it needs comes
// from #desk-writing's data attributes (no inline script); everything shown is set as text.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const config = document.getElementById("desk-writing");
  const form = document.getElementById("article_form");
  if (!config || !form) {
    return;
  }
  const csrfToken = form.querySelector("[name=csrfmiddlewaretoken]").value;
  const status = document.getElementById("autosave-status");
  const snapshot = () => new URLSearchParams(new FormData(form)).toString();
  // A restored autosave, or a refused save shown again, is unsaved from the start.
  const unsaved = Boolean(config.dataset.unsaved);
  const opened = unsaved ? null : snapshot();
  let lastSent = opened;
  let submitting = false;

  const isDirty = () => !submitting && snapshot() !== opened;

  function post(url, options = {}) {
    return fetch(url, {
      method: "POST",
      body: options.body || new FormData(),
      headers: {"X-CSRFToken": csrfToken},
      credentials: "same-origin",
      keepalive: Boolean(options.keepalive),
    });
  }

  // Autosave: only when the form changed since the last one.
  async function autosave() {
    const current = snapshot();
    if (submitting || current === lastSent) {
      return;
    }
    try {
      const response = await post(config.dataset.autosaveUrl, {body: new FormData(form)});
      const data = await response.json();
      if (response.ok) {
        lastSent = current;
        status.textContent = `Unsaved changes kept for you at ${data.saved_at}.`;
      } else {
        status.textContent = data.error || "Your changes could not be kept; save the draft.";
      }
    } catch {
      status.textContent = "Offline: your changes are not kept. Save the draft when you can.";
    }
  }
  const autosaveSeconds = Number(config.dataset.autosaveSeconds) || 5;
  setInterval(autosave, autosaveSeconds * 1000);

  form.addEventListener("submit", () => {
    submitting = true;
  });

  window.addEventListener("beforeunload", (event) => {
    if (isDirty()) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // Ctrl+S / Cmd+S: the form's own "Save draft" button, never publish.
  window.addEventListener(
    "keydown",
    (event) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") {
        event.preventDefault();
        const save = form.querySelector('button[name="_workflow"][value="save"]');
        if (save) {
          save.click();
        } else {
          status.textContent = "This article cannot be saved in its current state.";
        }
      }
    },
    true,
  );

  // Presence: a heartbeat while the form is open; leaving says so at once.
  const presenceUrl = config.dataset.presenceUrl;
  const notice = document.getElementById("presence-notice");
  const noticeText = notice.querySelector(".presence-text");
  const takeOver = notice.querySelector(".presence-take-over");
  let stopped = !presenceUrl;
  let timer = null;

  function show(text, offerTakeOver) {
    noticeText.textContent = text;
    notice.hidden = !text;
    takeOver.hidden = !offerTakeOver;
  }

  function describe(others) {
    if (others.length === 1) {
      return `${others[0].name} is editing this article (since ${others[0].since}).`;
    }
    const names = others.map((other) => `${other.name} (since ${other.since})`);
    return `${names.slice(0, -1).join(", ")} and ${names.at(-1)} are editing this article.`;
  }

  async function heartbeat() {
    if (stopped) {
      return;
    }
    try {
      const response = await post(presenceUrl);
      if (!response.ok) {
        return;
      }
      const data = await response.json();
      if (data.taken_over) {
        stopped = true;
        show(
          `${data.taken_over.name} took over this article at ${data.taken_over.at}. ` +
            "Your typing is kept as your unsaved changes; saving now will ask before " +
            "replacing their version.",
          false,
        );
        notice.classList.add("presence-taken-over");
        return;
      }
      show(data.others.length ? describe(data.others) : "", data.can_take_over && data.others.length);
      clearTimeout(timer);
      timer = setTimeout(heartbeat, (data.interval || 15) * 1000);
    } catch {
      timer = setTimeout(heartbeat, 15000);
    }
  }

  takeOver.addEventListener("click", async () => {
    const response = await post(config.dataset.takeOverUrl);
    if (response.ok) {
      heartbeat();
    }
  });

  // Leaving or hiding the page: what was typed since the last autosave goes at once.
  function keepTyping() {
    if (!submitting && snapshot() !== lastSent) {
      navigator.sendBeacon(config.dataset.autosaveUrl, new FormData(form));
      lastSent = snapshot();
    }
  }
  window.addEventListener("pagehide", () => {
    if (presenceUrl && !stopped) {
      const body = new FormData();
      body.append("csrfmiddlewaretoken", csrfToken);
      navigator.sendBeacon(config.dataset.leaveUrl, body);
    }
    keepTyping();
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") {
      keepTyping();
    }
  });

  heartbeat();
});
