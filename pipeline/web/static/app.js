// Alt+A accepts the card under review; dropping files on the upload form picks them.
document.addEventListener("keydown", (event) => {
  const form = document.querySelector("form[data-accept-key]");
  if (form && event.altKey && event.key.toLowerCase() === form.dataset.acceptKey) {
    event.preventDefault();
    form.requestSubmit();
  }
});
document.addEventListener("DOMContentLoaded", () => {
  const drop = document.querySelector("form.drop");
  if (!drop) return;
  const input = drop.querySelector("input[type=file]");
  drop.addEventListener("dragover", (event) => { event.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (event) => {
    event.preventDefault();
    input.files = event.dataTransfer.files;
    drop.requestSubmit();
  });
});
