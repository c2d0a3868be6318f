// Review queue: go through a batch by keyboard. j / k move to the next / previous item,
// a approves it, r rejects it (the row's own buttons, so a click and a key do the same).
// The current row takes the focus, so screen readers read it out; after a decision the page
// reloads and the same position (now the next item) takes the focus again.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const table = document.getElementById("result_list");
  if (!table) return;
  const rows = Array.from(table.querySelectorAll("tbody tr"));
  if (rows.length === 0) return;
  const KEY = "review-queue-row:" + location.pathname;
  let current = -1;

  for (const row of rows) row.tabIndex = -1;

  function select(index) {
    current = Math.max(0, Math.min(rows.length - 1, index));
    rows.forEach((row, n) => row.classList.toggle("queue-current", n === current));
    const row = rows[current];
    row.focus();
    row.scrollIntoView({ block: "nearest" });
  }

  function press(which) {
    if (current < 0) return;
    const button = rows[current].querySelector(`button[data-key="${which}"]`);
    if (!button) return;
    sessionStorage.setItem(KEY, String(current));
    button.click();
  }

  // Clicking a row's button remembers its position too.
  table.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-key]");
    if (button) sessionStorage.setItem(KEY, String(rows.indexOf(button.closest("tr"))));
  });
  // Focus moved by Tab or a click on a row follows along.
  table.addEventListener("focusin", (event) => {
    const index = rows.indexOf(event.target.closest("tr"));
    if (index >= 0 && index !== current) {
      current = index;
      rows.forEach((row, n) => row.classList.toggle("queue-current", n === current));
    }
  });

  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) return;
    const target = event.target;
    if (target.closest && target.closest(
      "input:not([type=checkbox]):not([type=radio]), textarea, select, [contenteditable]"
    )) return;
    const actions = {
      j: () => select(current + 1),
      k: () => select(current < 0 ? 0 : current - 1),
      a: () => press("a"),
      r: () => press("r"),
    };
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  });

  const saved = sessionStorage.getItem(KEY);
  if (saved !== null) {
    sessionStorage.removeItem(KEY);
    select(Number(saved));
  }
});
