// The post page's "Copy link" button. Without JavaScript the read-only field with the address
// stays there to select and copy, so the button is only shown when it can work.
document.querySelectorAll(".share button[data-copy]").forEach((button) => {
  const field = document.getElementById(button.dataset.copy);
  const status = button.parentElement.querySelector(".share__status");
  if (!field) return;
  button.hidden = false;
  field.addEventListener("focus", () => field.select());
  button.addEventListener("click", async () => {
    field.select();
    try {
      await navigator.clipboard.writeText(field.value);
      status.textContent = "Link copied.";
    } catch {
      status.textContent = "Press Ctrl+C (⌘C) to copy the selected address.";
    }
  });
});
