// dondoc: small progressive enhancements; every page works without them.
document.addEventListener("DOMContentLoaded", () => {
  // Ask before a destructive or far-reaching action (data-confirm="…").
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (e) => {
      if (!window.confirm(form.dataset.confirm)) e.preventDefault();
    });
  }
  // The same for one button of a form that has several.
  for (const button of document.querySelectorAll("button[data-confirm]")) {
    button.addEventListener("click", (e) => {
      if (!window.confirm(button.dataset.confirm)) e.preventDefault();
    });
  }
});
