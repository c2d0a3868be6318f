// Filter box above a long list of category checkboxes: hides the ones that do not match.
"use strict";
document.addEventListener("input", (event) => {
  const box = event.target;
  if (!box.matches || !box.matches(".facet-filter")) return;
  const words = box.value.trim().toLowerCase();
  for (const item of box.closest("[data-facet-filter]").querySelectorAll(":scope > div > div")) {
    const checked = item.querySelector("input:checked") !== null;
    item.hidden = words !== "" && !checked && !item.textContent.toLowerCase().includes(words);
  }
});

// The post form shows the fields of the chosen kind only. Fieldsets carry the kinds they
// belong to as classes ("kind-fields kind-event"); without JavaScript every fieldset shows.
function showKindFields() {
  const kind = document.getElementById("id_kind");
  if (!kind) return;
  for (const fieldset of document.querySelectorAll(".kind-fields")) {
    fieldset.hidden = !fieldset.classList.contains("kind-" + kind.value);
  }
}
document.addEventListener("change", (event) => {
  if (event.target && event.target.id === "id_kind") showKindFields();
});
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", showKindFields);
} else {
  showKindFields();
}
