// The desk works in the newsroom's time zone whatever the browser's is: every date and time
// field says so once, instead of Django's "You are N hours behind server time" under each.
// The "Now" shortcut still gives newsroom time (DateTimeShortcuts.now uses the server offset).
"use strict";
if (window.DateTimeShortcuts) {
  window.DateTimeShortcuts.addTimezoneWarning = () => {};
}
