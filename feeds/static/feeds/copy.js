// Copy buttons for feed addresses. Without JavaScript the read-only fields stay selectable,
// so the buttons are only shown when they can work.
document.querySelectorAll("button[data-copy]").forEach((button) => {
  const field = document.getElementById(button.dataset.copy);
  const status = button.parentElement.querySelector(".feed-url__status");
  button.hidden = false;
  field.addEventListener("focus", () => field.select());
  button.addEventListener("click", async () => {
    field.select();
    try {
      await navigator.clipboard.writeText(field.value);
      status.textContent = "Copied.";
    } catch {
      status.textContent = "Press Ctrl+C (⌘C) to copy the selected address.";
    }
  });
});
