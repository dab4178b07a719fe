// Arranging a front: drag a slot, or press its Up and Down buttons, to reorder the list
// in the page; "Save draft" sends the order. Without this script the buttons save and move.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const list = document.querySelector(".front-slots");
  const status = document.getElementById("front-arrange-status");
  if (!list) {
    return;
  }
  let dragged = null;

  function renumber() {
    list.querySelectorAll(".front-slot").forEach((row, index) => {
      row.querySelector(".front-slot-number").textContent = String(index + 1);
    });
  }

  function announce(row) {
    const position = Array.from(list.children).indexOf(row) + 1;
    const title = row.querySelector(".front-slot-title a").textContent;
    status.textContent = `“${title}” is now in slot ${position}. Save the draft to keep the order.`;
  }

  list.addEventListener("click", (event) => {
    const button = event.target.closest(".move-up, .move-down");
    if (!button) {
      return;
    }
    event.preventDefault();
    const row = button.closest(".front-slot");
    if (button.classList.contains("move-up") && row.previousElementSibling) {
      row.previousElementSibling.before(row);
    } else if (button.classList.contains("move-down") && row.nextElementSibling) {
      row.nextElementSibling.after(row);
    }
    renumber();
    button.focus();
    announce(row);
  });

  list.addEventListener("dragstart", (event) => {
    dragged = event.target.closest(".front-slot");
    if (dragged) {
      dragged.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", dragged.dataset.article);
    }
  });

  list.addEventListener("dragover", (event) => {
    const over = event.target.closest(".front-slot");
    if (!dragged || !over || over === dragged) {
      return;
    }
    event.preventDefault();
    const box = over.getBoundingClientRect();
    if (event.clientY < box.top + box.height / 2) {
      over.before(dragged);
    } else {
      over.after(dragged);
    }
  });

  list.addEventListener("drop", (event) => {
    event.preventDefault();
  });

  list.addEventListener("dragend", () => {
    if (dragged) {
      dragged.classList.remove("dragging");
      renumber();
      announce(dragged);
      dragged = null;
    }
  });
});
