// Shared by the automation pages: tick status badges and the running/stopped toggle of a
// schedule or sensor (stored where 'assetgraph schedules|sensors start|stop' keep it).
"use strict";

const agAutomation = (() => {
  const { el } = ag;

  function tickBadge(status) {
    const css = { success: "run-success", requested: "run-success", failure: "run-failure", skipped: "run-canceled", started: "run-started" }[status] || "run-queued";
    return el("span", { class: `badge ${css}`, "data-status": status, text: status });
  }

  // toggle(item, redraw): a switch showing running/stopped; a click stores the other state
  // and calls redraw(newItem).
  function toggle(item, redraw) {
    const running = item.status === "running";
    const button = el("button", {
      type: "button", class: `toggle ${running ? "on" : "off"}`, role: "switch", "aria-checked": String(running),
      "data-toggle": `${item.kind}:${item.name}`,
      title: running ? `Stop this ${item.kind}: the daemon no longer evaluates it` : `Start this ${item.kind}: the daemon evaluates it from its next tick`,
      text: running ? "running" : "stopped",
    });
    const box = el("span", { class: "toggle-box" }, button);
    button.addEventListener("click", async () => {
      button.disabled = true;
      try {
        const path = `/api/automation/instigators/${item.kind}/${encodeURIComponent(item.name)}/status`;
        redraw(await ag.post(path, { status: running ? "stopped" : "running" }));
      } catch (error) {
        button.disabled = false;
        ag.showError(box, error);
      }
    });
    return box;
  }

  return { tickBadge, toggle };
})();
