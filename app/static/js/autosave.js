/* Autosave of an application step: saves the typed text a moment after typing stops.
   Files are not sent here; they go with the buttons. Without this script every button
   still saves, so nothing depends on it. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch || !window.FormData) { return; }
  var status = document.getElementById("autosave-status");
  var timer = null;
  var saving = null;
  var stopped = false;

  function payload() {
    var data = new FormData(form);
    form.querySelectorAll("input[type=file]").forEach(function (input) { data.delete(input.name); });
    return data;
  }

  function show(message) { if (status && message) { status.textContent = message; } }

  function applied(response) {
    return response.json().then(function (body) {
      show(body.message);
      if (response.status === 409) { stopped = true; }
      if (!body.saved) { return; }
      form.querySelector("input[name=version]").value = body.version;
      if (form.getAttribute("action") !== body.action) {
        form.setAttribute("action", body.action);
        form.setAttribute("data-autosave", body.autosave);
        window.history.replaceState(null, "", body.action);
      }
    });
  }

  function save() {
    timer = null;
    if (stopped) { return Promise.resolve(); }
    saving = fetch(form.getAttribute("data-autosave"), {
      method: "POST", body: payload(), credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(applied).catch(function () {
      show(form.getAttribute("data-autosave-failed"));
    }).then(function () { saving = null; });
    return saving;
  }

  function later(event) {
    if (event.target.type === "file" || stopped) { return; }
    if (timer) { window.clearTimeout(timer); }
    timer = window.setTimeout(function () { (saving || Promise.resolve()).then(save); }, 1500);
  }

  form.addEventListener("input", later);
  form.addEventListener("change", later);
  form.addEventListener("submit", function (event) {
    if (timer) { window.clearTimeout(timer); timer = null; }
    if (!saving) { return; }
    /* Wait for a save under way, so the button sends the version it returned. */
    event.preventDefault();
    var submitter = event.submitter;
    saving.then(function () { form.requestSubmit(submitter); });
  });

  /* Show the organisation or group questions only for the chosen kind of applicant. */
  var kinds = form.querySelectorAll("input[name=applicant_kind]");
  function reveal() {
    var chosen = form.querySelector("input[name=applicant_kind]:checked");
    form.querySelectorAll("[data-reveal-for]").forEach(function (part) {
      part.hidden = !chosen || part.getAttribute("data-reveal-for") !== chosen.value;
    });
  }
  if (kinds.length) {
    kinds.forEach(function (input) { input.addEventListener("change", reveal); });
    reveal();
  }
}());
