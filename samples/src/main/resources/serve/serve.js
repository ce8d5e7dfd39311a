// scompose serve: posts the run form as JSON and shows the result. No build step, no library.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("run-form");
  if (!form) {
    return;
  }
  const status = document.getElementById("status");
  const result = document.getElementById("result");
  const button = document.getElementById("run");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = {};
    for (const input of form.querySelectorAll("input[name]")) {
      if (input.type === "checkbox") {
        if (input.checked) {
          body[input.name] = true;
        }
      } else if (input.value !== "") {
        body[input.name] = input.value;
      }
    }
    const headers = { "Content-Type": "application/json" };
    const token = document.getElementById("token");
    if (token && token.value !== "") {
      headers["Authorization"] = "Bearer " + token.value;
    }
    button.disabled = true;
    result.dataset.state = "running";
    status.className = "status";
    status.textContent = "Running…";
    result.textContent = "";
    try {
      const response = await fetch(form.action, { method: "POST", headers, body: JSON.stringify(body) });
      const answer = await response.json();
      if (response.ok) {
        status.className = answer.exitCode === 0 ? "status ok" : "status error";
        status.textContent = "Exit code " + answer.exitCode + " in " + answer.durationMs + " ms"
          + (answer.ignored && answer.ignored.length ? " · ignored: " + answer.ignored.join(", ") : "");
        result.textContent = answer.outputFormat === "json"
          ? JSON.stringify(answer.output, null, 2)
          : answer.stdout + (answer.stderr ? "\n" + answer.stderr : "");
        result.dataset.state = "done";
      } else {
        status.className = "status error";
        status.textContent = "HTTP " + response.status + ": " + answer.error;
        result.textContent = (answer.problems || []).map((p) => p.message).join("\n");
        result.dataset.state = "failed";
      }
    } catch (e) {
      status.className = "status error";
      status.textContent = "The server could not be reached.";
      result.dataset.state = "failed";
    } finally {
      button.disabled = false;
    }
  });
});
