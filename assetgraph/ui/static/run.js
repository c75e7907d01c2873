// One run: header, a step timeline (bars on a common time axis) and the event log,
// polled every second while the run is unfinished.
"use strict";

(async () => {
  const { el, main } = ag;
  const runId = ag.page.runId;
  const header = el("div", { id: "run-header" });
  const timeline = el("div", { id: "timeline", class: "timeline" });
  const logBody = el("tbody", {});
  main.append(
    el("h1", {}, "Run ", el("span", { class: "mono", text: runId })),
    header,
    el("h2", { text: "Steps" }),
    timeline,
    el("h2", { text: "Events and logs" }),
    el("table", { id: "events", class: "log" },
      el("thead", {}, el("tr", {}, ["Time", "Step", "Event", "Message"].map((h) => el("th", { text: h })))),
      logBody)
  );
  let afterId = null;

  function renderHeader(run) {
    const now = Date.now() / 1000;
    const duration = run.duration !== null ? run.duration : run.started_at ? now - run.started_at : null;
    // The targets tag is shown as the partitions, not as a tag.
    const tags = Object.entries(run.tags).filter(([k]) => k !== "assetgraph/targets")
      .map(([k, v]) => el("span", { class: "tag", text: `${k}=${v}` }));
    ag.clear(header).append(
      el("dl", { class: "facts" },
        el("dt", { text: "Status" }), el("dd", {}, el("span", { id: "run-status" }, ag.badge(run.status, "run"))),
        el("dt", { text: "Selection" }), el("dd", { class: "mono", text: run.selection }),
        el("dt", { text: "Assets" }), el("dd", {}, run.asset_keys.map((k) => el("a", { href: ag.assetHref(k), class: "key chip", text: k }))),
        el("dt", { text: "Partitions" }), el("dd", { id: "run-partitions", class: "mono", text: run.partitions || "—" }),
        el("dt", { text: "Started" }), el("dd", { text: ag.fmtTime(run.started_at) }),
        el("dt", { text: "Duration" }), el("dd", { text: ag.fmtDuration(duration) + (run.ended_at === null ? " (running)" : "") }),
        el("dt", { text: "Tags" }), el("dd", {}, tags)
      ),
      run.error ? el("pre", { class: "error", text: run.error }) : ""
    );
  }

  function renderTimeline(run, steps) {
    const now = Date.now() / 1000;
    const start = run.started_at || run.created_at;
    const end = Math.max(run.ended_at || now, ...steps.map((s) => s.ended_at || now), start + 0.001);
    const span = end - start;
    ag.clear(timeline);
    if (!steps.length) timeline.append(el("p", { class: "muted", text: "No steps have started yet." }));
    for (const step of steps) {
      const from = (step.started_at || step.ended_at || now) - start;
      const to = (step.ended_at || now) - start;
      const bar = el("div", {
        class: `bar run-${step.status === "running" ? "started" : step.status}`,
        style: `left:${(100 * from) / span}%;width:${Math.max(0.4, (100 * (to - from)) / span)}%`,
        title: `${step.step_key}: ${step.status}, ${ag.fmtDuration(step.ended_at && step.started_at ? step.ended_at - step.started_at : null)}`,
      });
      timeline.append(el("div", { class: "step", "data-step": step.step_key, "data-status": step.status },
        el("span", { class: "step-label mono", title: step.step_key, text: step.step_key }),
        el("span", { class: "track" }, bar),
        el("span", { class: "step-status" }, ag.badge(step.status === "running" ? "started" : step.status, "run"))
      ));
    }
  }

  function appendEvents(events) {
    for (const event of events) {
      afterId = event.event_id;
      const message = event.message || "";
      const row = el("tr", { class: `ev-${event.event_type} ${event.level ? "lvl-" + event.level.toLowerCase() : ""}` },
        el("td", { class: "mono", text: ag.fmtTime(event.timestamp).slice(11) }),
        el("td", { class: "mono", text: event.step_key || "" }),
        el("td", { text: event.event_type + (event.level ? ` (${event.level})` : "") }),
        el("td", {}, message, event.error ? el("pre", { class: "error", text: event.error }) : "")
      );
      logBody.append(row);
    }
  }

  async function poll() {
    let detail, events;
    try {
      [detail, events] = await Promise.all([
        ag.api(`/api/runs/${encodeURIComponent(runId)}`),
        ag.api(`/api/runs/${encodeURIComponent(runId)}/events` + (afterId === null ? "" : `?after_id=${afterId}`)),
      ]);
    } catch (error) {
      ag.showError(main, error);
      return;
    }
    renderHeader(detail.run);
    renderTimeline(detail.run, detail.steps);
    appendEvents(events);
    document.body.dataset.ready = "true";
    document.body.dataset.runStatus = detail.run.status;
    if (detail.run.ended_at === null) setTimeout(poll, 1000);
    else if (events.length) setTimeout(poll, 300); // pick up the last events once more
  }
  poll();
})();
