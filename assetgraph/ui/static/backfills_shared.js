// Shared by the backfills pages: status badges and the progress bar (done, failed, in
// flight, remaining partitions of the target).
"use strict";

const agBackfills = (() => {
  const { el } = ag;
  const STATUS_CSS = {
    requested: "run-started", canceling: "run-queued", canceled: "run-canceled",
    completed_success: "run-success", completed_failed: "run-failure", failed: "run-failure",
  };

  function statusBadge(status) {
    return el("span", { class: `badge ${STATUS_CSS[status] || "run-queued"}`, "data-status": status, text: status.replace("_", " ") });
  }

  // progress(counts): counts has target, done, failed, in_progress, remaining.
  function progress(counts) {
    const total = Math.max(counts.target, 1);
    const part = (name, value, label) => (value > 0
      ? el("span", { class: `seg ${name}`, style: `width:${(100 * value / total).toFixed(3)}%`, title: `${value} ${label}` }) : null);
    return el("div", { class: "progress-box" },
      el("div", { class: "progress", role: "img", "aria-label": `${counts.done} of ${counts.target} done` },
        part("done", counts.done, "done"), part("failed", counts.failed, "failed"),
        part("in-flight", counts.in_progress, "in flight"), part("remaining", counts.remaining, "remaining")),
      el("span", { class: "small progress-text", text: `${counts.done}/${counts.target} done` + (counts.failed ? `, ${counts.failed} failed` : "") + (counts.in_progress ? `, ${counts.in_progress} in flight` : "") }));
  }

  return { statusBadge, progress };
})();
