// One run: header (with cancel and re-execute), a step timeline on a time axis (zoomable),
// and the event log: paged, filtered by step, kind, level and text, with the metadata of
// materializations. Polled every second while the run is unfinished.
"use strict";

(async () => {
  const { el, main } = ag;
  const runId = ag.page.runId;
  const PAGE = 100;
  const header = el("div", { id: "run-header" });
  const actions = el("div", { id: "run-actions", class: "controls" });
  const actionStatus = el("div", { id: "action-status", role: "status" });
  const timeline = el("div", { id: "timeline", class: "timeline" });
  const timelineBox = el("div", { class: "timeline-box" }, timeline);
  let zoom = 1;
  const zoomLabel = el("span", { class: "muted small", id: "zoom-level", text: "1×" });
  const zoomBy = (factor) => { zoom = Math.min(64, Math.max(1, zoom * factor)); zoomLabel.textContent = `${zoom}×`; if (lastDetail) renderTimeline(lastDetail.run, lastDetail.steps); };
  const stepFilter = el("select", { id: "log-step", "aria-label": "Step" }, el("option", { value: "", text: "All steps" }));
  const kindFilter = el("select", { id: "log-kind", "aria-label": "Event kind" }, el("option", { value: "", text: "All kinds" }));
  const levelFilter = el("select", { id: "log-level", "aria-label": "Level" },
    [["", "All levels"], ["WARNING,ERROR,CRITICAL", "Warnings and errors"], ["ERROR,CRITICAL", "Errors"], ["DEBUG", "Debug"]].map(([v, t]) => el("option", { value: v, text: t })));
  const searchBox = el("input", { id: "log-search", type: "search", placeholder: "Search messages", "aria-label": "Search the event log" });
  const older = el("button", { id: "log-prev", type: "button", text: "‹ Earlier" });
  const newer = el("button", { id: "log-next", type: "button", text: "Later ›" });
  const pageInfo = el("span", { id: "log-page", class: "muted small" });
  const logBody = el("tbody", {});
  main.append(
    el("h1", {}, "Run ", el("span", { class: "mono", text: runId })),
    header,
    actions,
    actionStatus,
    el("h2", {}, "Steps ", el("span", { class: "controls inline" },
      el("button", { id: "zoom-out", type: "button", "aria-label": "Zoom out", text: "−", onclick: () => zoomBy(0.5) }), zoomLabel,
      el("button", { id: "zoom-in", type: "button", "aria-label": "Zoom in", text: "+", onclick: () => zoomBy(2) }))),
    timelineBox,
    el("h2", { text: "Events and logs" }),
    el("form", { class: "controls", id: "log-filters" }, stepFilter, kindFilter, levelFilter, searchBox),
    el("div", { class: "controls" }, older, pageInfo, newer),
    el("table", { id: "events", class: "log" },
      el("thead", {}, el("tr", {}, [`Time (${ag.zoneName()})`, "Step", "Event", "Message"].map((h) => el("th", { text: h })))),
      logBody)
  );
  let offset = null; // null: follow the latest page
  let lastDetail = null;
  let lastLog = null;
  let timer = null;

  function renderHeader(run) {
    const now = Date.now() / 1000;
    const duration = run.duration !== null ? run.duration : run.started_at ? now - run.started_at : null;
    // The targets tag is shown as the partitions, not as a tag.
    const tags = Object.entries(run.tags).filter(([k]) => k !== "assetgraph/targets")
      .map(([k, v]) => el("span", { class: "tag", text: `${k}=${v}` }));
    const parent = run.tags["assetgraph/parent_run"];
    ag.clear(header).append(
      el("dl", { class: "facts" },
        el("dt", { text: "Status" }), el("dd", {}, el("span", { id: "run-status" }, ag.badge(run.status, "run"))),
        el("dt", { text: "Selection" }), el("dd", { class: "mono", text: run.selection }),
        el("dt", { text: "Assets" }), el("dd", {}, run.asset_keys.map((k) => el("a", { href: ag.assetHref(k), class: "key chip", text: k }))),
        el("dt", { text: "Partitions" }), el("dd", { id: "run-partitions", class: "mono", text: run.partitions || "—" }),
        el("dt", { text: "Launched by" }), el("dd", { id: "run-launched-by" }, run.launched_by, parent ? [" of ", el("a", { href: ag.runHref(parent), class: "mono", text: parent.slice(0, 8) })] : ""),
        el("dt", { text: "Started" }), el("dd", { text: ag.fmtTime(run.started_at) }),
        el("dt", { text: "Duration" }), el("dd", { text: ag.fmtDuration(duration) + (run.ended_at === null ? " (running)" : "") }),
        el("dt", { text: "Tags" }), el("dd", {}, tags)
      ),
      run.error ? el("pre", { class: "error", text: run.error }) : ""
    );
    renderActions(run);
  }

  let busy = false;
  function renderActions(run) {
    const finished = run.ended_at !== null;
    const button = (id, text, onclick, disabled) => el("button", { id, type: "button", text, onclick, disabled: disabled || busy });
    ag.clear(actions).append(
      finished ? "" : button("cancel-run", "Cancel run", cancel),
      finished ? button("reexecute-all", "Re-execute all", () => reexecute(false)) : "",
      finished && run.status !== "success" ? button("reexecute-failed", "Re-execute from failure", () => reexecute(true)) : ""
    );
  }

  async function act(work) {
    busy = true;
    if (lastDetail) renderActions(lastDetail.run);
    ag.clear(actionStatus);
    try {
      await work();
    } catch (error) {
      ag.showError(actionStatus, error);
    } finally {
      busy = false;
      if (lastDetail) renderActions(lastDetail.run);
    }
  }

  function cancel() {
    if (!window.confirm(`Cancel run ${runId.slice(0, 8)}? Running steps are stopped.`)) return;
    act(async () => {
      const answer = await ag.post(`/api/runs/${encodeURIComponent(runId)}/cancel`, {});
      actionStatus.append(el("p", { class: "muted", text: answer.message }));
      poll();
    });
  }

  function reexecute(fromFailure) {
    act(async () => {
      actionStatus.append(el("p", { class: "muted", text: "Starting the re-execution…" }));
      const started = await ag.post(`/api/runs/${encodeURIComponent(runId)}/reexecute`, { from_failure: fromFailure });
      ag.clear(actionStatus).append(el("p", {}, "Started run ", el("a", { id: "reexecuted-run", href: ag.runHref(started.run_id), class: "mono", text: started.run_id.slice(0, 8) }), "."));
    });
  }

  // Bars on a common axis from the run's start; the axis has ticks in seconds (or minutes)
  // and the zoom widens the track (the box scrolls sideways inside itself).
  function renderTimeline(run, steps) {
    const now = Date.now() / 1000;
    const start = run.started_at || run.created_at;
    const end = Math.max(run.ended_at || now, ...steps.map((s) => s.ended_at || now), start + 0.001);
    const span = end - start;
    ag.clear(timeline);
    timeline.style.width = `${100 * zoom}%`;
    if (!steps.length) timeline.append(el("p", { class: "muted", text: "No steps have started yet." }));
    const axis = el("div", { class: "track axis-track", id: "time-axis" });
    const stepSize = niceStep(span / 6);
    for (let t = 0; t <= span + 1e-9; t += stepSize) {
      axis.append(el("span", { class: "axis-tick", style: `left:${(100 * t) / span}%`, text: fmtOffset(t, stepSize) }));
    }
    if (steps.length) {
      timeline.append(el("div", { class: "step axis-row" },
        el("span", { class: "step-label muted small", text: `from ${ag.fmtTime(start, { ms: true, date: false })}` }), axis, el("span", {})));
    }
    for (const step of steps) {
      const from = (step.started_at || step.ended_at || now) - start;
      const to = (step.ended_at || now) - start;
      const bar = el("div", {
        class: `bar run-${step.status === "running" ? "started" : step.status}`,
        style: `left:${(100 * from) / span}%;width:${Math.max(0.4, (100 * (to - from)) / span)}%`,
        title: `${step.step_key}: ${step.status}, ${ag.fmtDuration(step.ended_at && step.started_at ? step.ended_at - step.started_at : null)}, from +${fmtOffset(from, 0.001)}`,
      });
      timeline.append(el("div", { class: "step", "data-step": step.step_key, "data-status": step.status },
        el("a", { class: "step-label mono", href: "#events", title: `${step.step_key}: show its events`, text: step.step_key, onclick: () => { stepFilter.value = step.step_key; offset = 0; loadLog(); } }),
        el("span", { class: "track" }, bar),
        el("span", { class: "step-status" }, ag.badge(step.status === "running" ? "started" : step.status, "run"))
      ));
    }
  }

  function niceStep(raw) {
    const mag = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1e-6))));
    return [1, 2, 5, 10].map((f) => f * mag).find((s) => s >= raw) || 10 * mag;
  }

  function fmtOffset(seconds, step) {
    if (step >= 60) return `${Math.round(seconds / 60)} min`;
    if (step >= 1) return `${Math.round(seconds)} s`;
    return `${(seconds * 1000).toFixed(0)} ms`;
  }

  function logQuery() {
    const q = new URLSearchParams();
    if (stepFilter.value) q.set("step", stepFilter.value);
    if (kindFilter.value) q.append("kind", kindFilter.value);
    levelFilter.value.split(",").filter(Boolean).forEach((level) => q.append("level", level));
    if (searchBox.value.trim()) q.set("search", searchBox.value.trim());
    return q;
  }

  function fillMenu(select, values) {
    const known = new Set([...select.options].map((o) => o.value));
    values.filter((v) => !known.has(v)).forEach((v) => select.append(el("option", { value: v, text: v })));
  }

  async function loadLog() {
    const q = logQuery();
    q.set("limit", String(PAGE));
    let log = await ag.api(`/api/runs/${encodeURIComponent(runId)}/log?${q}`);
    if (offset === null && log.total > PAGE) {
      q.set("offset", String(Math.floor((log.total - 1) / PAGE) * PAGE));
      log = await ag.api(`/api/runs/${encodeURIComponent(runId)}/log?${q}`);
    } else if (offset !== null && offset > 0) {
      q.set("offset", String(offset));
      log = await ag.api(`/api/runs/${encodeURIComponent(runId)}/log?${q}`);
    }
    lastLog = log;
    fillMenu(stepFilter, log.steps);
    fillMenu(kindFilter, log.kinds);
    ag.clear(logBody);
    if (!log.events.length) logBody.append(el("tr", {}, el("td", { colspan: 4, class: "muted", text: log.total ? "" : "No events match." })));
    for (const event of log.events) logBody.append(eventRow(event));
    const first = log.total ? log.offset + 1 : 0;
    pageInfo.textContent = `${first}–${log.offset + log.events.length} of ${log.total} events`;
    older.disabled = log.offset === 0;
    newer.disabled = log.offset + log.events.length >= log.total;
  }

  function eventRow(event) {
    const message = event.message || "";
    const metadata = event.metadata ? el("div", { class: "event-metadata small" }, Object.entries(event.metadata).map(([k, v]) =>
      el("div", { class: "metadata-entry", "data-name": k }, el("span", { class: "mono", text: `${k}: ` }), el("span", { class: "mono", text: describeValue(v) })))) : "";
    return el("tr", { class: `ev-${event.event_type} ${event.level ? "lvl-" + event.level.toLowerCase() : ""}`, "data-event-id": event.event_id },
      el("td", { class: "mono nowrap", title: ag.fmtTime(event.timestamp, { ms: true }), text: ag.fmtTime(event.timestamp, { ms: true, date: false, zone: false }) }),
      el("td", { class: "mono", text: event.step_key || "" }),
      el("td", { text: event.event_type + (event.level ? ` (${event.level})` : "") }),
      el("td", {}, message, metadata, event.error ? el("pre", { class: "error", text: event.error }) : "")
    );
  }

  // A metadata value in one line: typed values (MetadataValue) by their value.
  function describeValue(v) {
    const typed = v !== null && typeof v === "object" && !Array.isArray(v) && typeof v.__metadata__ === "string";
    const value = typed ? v.value : v;
    if (typed && v.__metadata__ === "timestamp") return ag.fmtTime(value);
    if (value !== null && typeof value === "object") {
      const text = JSON.stringify(value);
      return text.length > 300 ? text.slice(0, 300) + "…" : text;
    }
    return String(value);
  }

  async function poll() {
    clearTimeout(timer);
    let detail;
    try {
      detail = await ag.api(`/api/runs/${encodeURIComponent(runId)}`);
      lastDetail = detail;
      renderHeader(detail.run);
      renderTimeline(detail.run, detail.steps);
      await loadLog();
    } catch (error) {
      ag.showError(main, error);
      return;
    }
    document.body.dataset.ready = "true";
    document.body.dataset.runStatus = detail.run.status;
    if (detail.run.ended_at === null) timer = setTimeout(poll, 1000);
    else if (!finishedOnce) {
      finishedOnce = true; // the last events may land just after the run ends
      timer = setTimeout(() => loadLog().catch((error) => ag.showError(main, error)), 500);
    }
  }
  let finishedOnce = false;

  const refilter = () => { offset = 0; loadLog().catch((error) => ag.showError(main, error)); };
  stepFilter.addEventListener("change", refilter);
  kindFilter.addEventListener("change", refilter);
  levelFilter.addEventListener("change", refilter);
  let typing = null;
  searchBox.addEventListener("input", () => { clearTimeout(typing); typing = setTimeout(refilter, 250); });
  document.getElementById("log-filters").addEventListener("submit", (event) => { event.preventDefault(); refilter(); });
  older.addEventListener("click", () => { offset = Math.max(0, (lastLog ? lastLog.offset : 0) - PAGE); loadLog(); });
  newer.addEventListener("click", () => { offset = (lastLog ? lastLog.offset : 0) + PAGE; loadLog(); });
  poll();
})();
