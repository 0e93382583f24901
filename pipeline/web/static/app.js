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
// Clicking a box on the card picture puts the line's text into the field being edited (the last one focused),
// or, when none was, into the field the line became.
const FIELD_INPUT = {name: "display_name", title: "title", company: "company", department: "department",
                     phones: "phone", emails: "email"};
let editing = null;
document.addEventListener("focusin", (event) => {
  if (event.target.matches("form input[type=text], form textarea")) editing = event.target;
});
function useLine(line) {
  const first = (line.dataset.fields || "").split(" ")[0];
  const target = editing || document.querySelector(`form input[name="${FIELD_INPUT[first] || ""}"]`);
  if (!target) return;
  target.value = line.dataset.text;
  target.focus();
  target.dispatchEvent(new Event("input", {bubbles: true}));
}
document.addEventListener("click", (event) => {
  const line = event.target.closest("svg.boxes g[data-text]");
  if (line) useLine(line);
});
document.addEventListener("keydown", (event) => {
  const line = event.target.closest && event.target.closest("svg.boxes g[data-text]");
  if (line && (event.key === "Enter" || event.key === " ")) { event.preventDefault(); useLine(line); }
});
