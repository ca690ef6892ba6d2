// The clausecheck explorer page. Every text from the spec or the user reaches the DOM as
// text (textContent, text nodes, attributes); no markup is ever built from data.
"use strict";

const state = {
  spec: null, events: [], fixed: {}, editing: null, nextId: 1,
  timeline: null, lastAsk: null, focusDate: null, seq: 0, drawings: 0,
};

// ------------------------------------------------------------------ DOM helpers

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key in node && typeof value !== "string") node[key] = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

const $ = (id) => document.getElementById(id);

async function post(path, body) {
  const response = await fetch(path, {
    method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body),
  });
  const data = await response.json();
  return {ok: response.ok, data};
}

// ------------------------------------------------------------------ readings

function timelineReadings() {
  const out = {};
  for (const r of state.spec.readings) out[r.name] = state.fixed[r.name] || r.default;
  return out;
}

function drawReadings() {
  const form = $("readings");
  form.replaceChildren(el("span", {class: "readings-label"}, "Readings:"));
  for (const r of state.spec.readings) {
    const group = el("fieldset", {class: "reading", "data-reading": r.name},
      el("legend", {title: r.question}, r.name));
    const choices = [{id: "", doc: "Every reading: questions are answered under each option; "
      + "the timeline uses the default (" + r.default + ")."}, ...r.options];
    for (const o of choices) {
      const input = el("input", {type: "radio", name: "reading-" + r.name, value: o.id,
        checked: (state.fixed[r.name] || "") === o.id});
      input.addEventListener("change", () => {
        if (o.id) state.fixed[r.name] = o.id; else delete state.fixed[r.name];
        refreshTimeline();
        if (state.lastAsk) ask(state.lastAsk);
      });
      group.append(el("label", {title: o.doc}, input, o.id || "any"));
    }
    group.append(el("p", {class: "note"}, r.question));
    form.append(group);
  }
}

// ------------------------------------------------------------------ the agreement

function drawClauses() {
  const box = $("clauses");
  for (const c of state.spec.clauses) {
    box.append(el("article", {class: "clause", id: "clause-" + c.id, "data-clause": c.id},
      el("h3", {}, el("span", {class: "num"}, c.id + "."), " ", c.heading),
      el("p", {class: "clause-text"}, c.text),
      el("p", {class: "why-note"}),
      c.not_temporal ? el("p", {class: "note"}, "Nothing to model over time: " + c.not_temporal)
        : null));
  }
}

function mark(ids, cls, note) {
  for (const node of document.querySelectorAll(".clause." + cls)) {
    node.classList.remove(cls);
    if (cls === "why") node.querySelector(".why-note").textContent = "";
  }
  for (const id of ids) {
    const node = $("clause-" + id);
    if (!node) continue;
    node.classList.add(cls);
    if (cls === "why" && note) node.querySelector(".why-note").textContent = note;
  }
  const first = ids.map((id) => $("clause-" + id)).find((node) => node);
  if (first) {  // scroll the agreement's own column, never the page
    const box = $("agreement");
    box.scrollTo({top: first.offsetTop - box.firstElementChild.offsetTop - 8, behavior: "smooth"});
  }
}

function clauseButtons(ids, cls, note) {
  return ids.map((id) => {
    const clause = state.spec.clauses.find((c) => c.id === id);
    return el("button", {type: "button", class: "cite", "data-clause": id,
      onclick: () => mark([id], cls, note)},
    "¶ " + id + (clause && clause.heading ? " " + clause.heading : ""));
  });
}

// ------------------------------------------------------------------ the event form

function kindOf(name) { return state.spec.kinds.find((k) => k.name === name); }

function dateInputType() { return state.spec.unit === "day" ? "date" : "datetime-local"; }

function inputDate(text) { return state.spec.unit === "day" ? text : text.slice(0, 16); }

function fieldInput(field, value) {
  const name = "field-" + field.name;
  if (field.type === "enum") {
    return el("select", {name}, field.values.map((v) =>
      el("option", {value: v.id, title: v.doc, selected: v.id === value}, v.id)));
  }
  if (field.type === "set") {
    const chosen = new Set(value || []);
    return el("span", {class: "set", "data-name": name}, field.values.map((v) =>
      el("label", {title: v.doc}, el("input", {type: "checkbox", name, value: v.id,
        checked: chosen.has(v.id)}), v.id)));
  }
  if (field.type === "event") {  // a reference: one of the timeline's events of that kind
    return el("select", {name}, state.events.filter((e) => e.kind === field.of).map((e) =>
      el("option", {value: e.id, selected: e.id === value}, `${e.id} (${e.date})`)));
  }
  if (field.type === "bool") return el("input", {type: "checkbox", name, checked: !!value});
  if (field.type === "int") return el("input", {type: "number", name, value: value ?? 0});
  return el("input", {type: dateInputType(), name, value: value ? inputDate(value) : ""});
}

function drawFields(values) {
  const kind = kindOf($("add-kind").value);
  $("kind-doc").textContent = kind.doc;
  $("add-fields").replaceChildren(...kind.fields.map((f) =>
    el("label", {class: "field"}, f.name + " ", fieldInput(f, values ? values[f.name] : null))));
}

function formEvent() {
  const form = $("event-form");
  const kind = kindOf($("add-kind").value);
  const event = {kind: kind.name, date: $("add-date").value};
  for (const f of kind.fields) {
    const name = "field-" + f.name;
    if (f.type === "set") {
      event[f.name] = [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((i) => i.value);
    } else if (f.type === "bool") {
      event[f.name] = form.elements[name].checked;
    } else if (f.type === "int") {
      event[f.name] = parseInt(form.elements[name].value || "0", 10);
    } else {
      event[f.name] = form.elements[name].value;
    }
  }
  return event;
}

function startEdit(index) {
  const event = state.events[index];
  state.editing = index;
  $("add-kind").value = event.kind;
  $("add-date").value = inputDate(event.date);
  drawFields(event);
  $("event-form-legend").textContent = "Edit event " + event.id + " (changes apply as you type)";
  $("add-event").hidden = true;
  $("cancel-edit").hidden = false;
}

function stopEdit() {
  state.editing = null;
  $("event-form-legend").textContent = "Add an event";
  $("add-event").hidden = false;
  $("cancel-edit").hidden = true;
}

function onFormInput() {
  if (state.editing === null) return;
  const id = state.events[state.editing].id;
  state.events[state.editing] = {id, ...formEvent()};
  state.focusDate = state.events[state.editing].date;
  refreshTimeline();
}

// ------------------------------------------------------------------ the timeline

async function refreshTimeline() {
  const seq = ++state.seq;
  const {ok, data} = await post("/api/timeline",
    {events: state.events, readings: timelineReadings()});
  if (seq !== state.seq) return; // a newer edit is on its way
  $("event-error").textContent = ok ? "" : (data.event >= 0 ? `Event ${data.event + 1}: ` : "")
    + data.error;
  if (!ok) return;
  state.timeline = data;
  $("timeline").replaceChildren(drawTimeline(data.drawing, "current", mark), data.exact ? "" : el("p",
    {class: "note sampled"}, "Drawn from samples: exact at every time the agreement or your "
    + "timeline names, and at evenly spaced times between (this agreement's statuses are too "
    + "costly to place exactly while you type). Changes marked “about” fall between samples."));
  drawEvents(data);
  drawChanges(data);
  $("breaches").replaceChildren(...data.breaches.map((b) => el("li", {class: "breach"},
    "Breach on " + b.words + ": event " + b.event + " is forbidden by ",
    ...clauseButtons([b.clause], "breached"))));
  mark(data.breached, "breached");
  $("scenario-yaml").textContent = data.yaml;
}

function drawEvents(data) {
  $("events").replaceChildren(...data.events.map((e) => {
    const index = state.events.findIndex((x) => x.id === e.id);
    return el("li", {"data-event": e.id},
      el("span", {class: "when"}, e.words), " ", el("span", {class: "what"}, e.describe), " ",
      el("button", {type: "button", class: "edit", onclick: () => startEdit(index)}, "Edit"),
      el("button", {type: "button", class: "remove", onclick: () => {
        state.events.splice(index, 1);
        if (state.editing !== null) stopEdit();
        refreshTimeline();
      }}, "Remove"));
  }));
}

function drawChanges(data) {
  const list = $("changes");
  list.replaceChildren();
  if (!data.changes.length) list.append(el("li", {class: "note"}, "No status changes."));
  const now = [];
  for (const c of data.changes) {
    const because = el("span", {class: "because"});
    list.append(el("li", {"data-status": c.status, "data-date": c.date},
      el("span", {class: "when"}, (c.exact ? "" : "about ") + c.words), ": ", c.label + " becomes ",
      el("strong", {}, c.value), " ", because,
      el("button", {type: "button", class: "why", onclick: () => explainAll([[c, because]])},
        "Why?")));
    if (c.date === state.focusDate) now.push([c, because]);
  }
  if (now.length) explainAll(now);  // the changes the last edit made, explained at once
}

async function explainAll(pairs) {
  const found = await Promise.all(pairs.map(([c, target]) => explain(c, target)));
  const clauses = [...new Set(found.flat())];
  const notes = pairs.map(([c]) => `${c.label} becomes ${c.value} on ${c.words}`);
  mark(clauses, "why", "Why: " + notes.join("; ") + ", given the events on the timeline.");
}

async function explain(change, target) {
  // "Given exactly these events, must the status have its new value then?" The clauses
  // the engine cites for "yes" are the ones that force the change.
  target.textContent = "…";
  const request = {build: {mode: "must", subject: change.status, kind: "status", value: change.on,
    day: change.date, premise: "only"}, events: state.events, readings: timelineReadings()};
  const {ok, data} = await post("/api/ask", request);
  if (!ok) { target.textContent = data.error; return []; }
  const reading = data.by_reading[0];
  if (data.verdict === "yes" && reading && reading.clauses.length) {
    target.replaceChildren("— because of ", ...clauseButtons(reading.clauses, "why",
      `${change.label} becomes ${change.value} on ${change.words}: ${reading.cited}.`));
    return reading.clauses;
  }
  target.textContent = "— " + data.sentence;
  return [];
}

function loadEvents(events, readings) {
  state.events = events.map((e) => ({...e}));
  state.nextId = events.length + 1;
  if (readings) {
    for (const r of state.spec.readings) {
      if (readings[r.name] && readings[r.name] !== r.default) state.fixed[r.name] = readings[r.name];
    }
    drawReadings();
  }
  state.focusDate = null;
  stopEdit();
  refreshTimeline();
}

// ------------------------------------------------------------------ questions

function drawBuilder() {
  if (!state.spec.subjects.length) {  // a spec with no status and no definition
    $("builder").replaceChildren(el("p", {class: "note"},
      "This spec declares no status or defined term to point at; type a formula below."));
    return;
  }
  const subject = $("q-subject");
  const statuses = el("optgroup", {label: "Statuses"});
  const predicates = el("optgroup", {label: "Predicates"});
  for (const s of state.spec.subjects) {
    (s.kind === "status" ? statuses : predicates).append(
      el("option", {value: s.kind + ":" + s.id}, s.kind === "status" ? s.label : s.id));
  }
  subject.append(statuses, predicates);
  subject.addEventListener("change", describeSubject);
  $("q-day").type = dateInputType();
  $("q-day").value = inputDate(state.spec.day);
  $("q-day-kind").addEventListener("change", () => {
    $("q-day").hidden = $("q-day-kind").value !== "date";
  });
  describeSubject();
}

function subjectOf(key) {
  return state.spec.subjects.find((x) => x.kind + ":" + x.id === key);
}

function describeSubject() {
  const s = subjectOf($("q-subject").value);
  const yes = s.listing ? "list some event" : s.kind === "status" ? "be yes" : "hold";
  const no = s.listing ? "list nothing" : s.kind === "status" ? "be no" : "fail";
  $("q-value").replaceChildren(el("option", {value: "true"}, yes), el("option", {value: "false"}, no));
  $("q-day-kind").disabled = !s.has_time;
  $("q-day").disabled = !s.has_time;
  const where = s.clause ? ` (paragraph ${s.clause})` : "";
  $("subject-note").textContent = s.kind === "status"
    ? `“${s.label}”: a status of the agreement, as the timeline shows it.`
    : `${s.id}${where}: ${s.note || "a term the agreement defines."}`;
}

async function showBuilt() {
  // With "Show formulas" on, the formula of the question being built, as it is built.
  if (!$("show-formulas").checked || !state.spec.subjects.length) return;
  const {ok, data} = await post("/api/build", {...builtQuestion(), events: state.events});
  $("built-formula").textContent = ok ? data.formula : data.error;
}

function builtQuestion() {
  const dayKind = $("q-day-kind").value;
  const s = subjectOf($("q-subject").value);
  return {build: {mode: $("q-mode").value, subject: s.id, kind: s.kind,
    value: $("q-value").value === "true", day: dayKind === "date" ? $("q-day").value : dayKind,
    premise: $("q-premise").value}};
}

async function ask(question) {
  state.lastAsk = question;
  $("ask-error").textContent = "";
  $("answer").replaceChildren(el("p", {class: "working"}, "Asking the solver…"));
  const {ok, data} = await post("/api/ask",
    {...question, events: state.events, readings: state.fixed});
  if (!ok) {
    $("answer").replaceChildren();
    $("ask-error").textContent = data.error;
    return;
  }
  drawAnswer(data);
}

function drawAnswer(a) {
  const box = el("div", {class: "answer verdict-" + a.verdict, "data-verdict": a.verdict},
    el("p", {class: "question"}, a.question),
    el("p", {class: "verdict"}, a.verdict), el("p", {class: "sentence"}, a.sentence),
    el("pre", {class: "formula"}, a.formula));
  if (a.fixed && a.fixed.length) {
    box.append(el("p", {class: "fixed"}, "Asked only under " + a.fixed.map((x) =>
      `${x.name} = ${x.option} (${x.doc})`).join("; ") + ", as the question fixes."));
  }
  for (const r of a.by_reading) box.append(readingAnswer(a, r));
  box.append(el("details", {class: "as-yaml"}, el("summary", {}, "This question for the spec"),
    el("pre", {}, questionYaml(a))));
  $("answer").replaceChildren(box);
  mark(a.clauses, "cited");
}

function readingAnswer(a, r) {
  const part = el("section", {class: "reading-answer", "data-verdict": r.verdict});
  if (r.readings.length) {
    part.append(el("p", {class: "under"}, "Under " + r.readings.map((x) =>
      `${x.name} = ${x.option} (${x.doc})`).join("; ") + ":"));
  }
  part.append(el("p", {class: "sentence"},
    r.readings.length ? el("strong", {}, r.verdict + ". ") : null, r.sentence));
  if (r.clauses.length) {
    part.append(el("p", {class: "cites"}, "Cited: ", ...clauseButtons(r.clauses, "cited")));
  }
  if (r.bound !== null) {
    part.append(el("p", {class: "note"}, `For timelines of at most ${r.bound} events: ${r.reason}`));
  }
  if (r.witness) {
    if (r.witness.bindings.length) part.append(el("p", {class: "note"}, "where " + r.witness.bindings.join(", ")));
    const box = el("div", {class: "drawing"}, el("p", {class: "working"}, "Drawing the example…"));
    drawWitness(r.witness, box);
    part.append(box, el("button", {type: "button", class: "load-witness",
        onclick: () => loadEvents(r.witness.events, r.witness.readings)},
      "Load this example as my timeline"));
  }
  return part;
}

async function drawWitness(witness, box) {
  // The answer comes first; its example is drawn by the same route as the timeline.
  const {ok, data} = await post("/api/timeline",
    {events: witness.events, readings: witness.readings, marks: witness.marks});
  box.replaceChildren(ok ? drawTimeline(data.drawing, "w" + (++state.drawings), mark)
    : el("p", {class: "error"}, data.error));
}

function questionYaml(a) {
  const quote = (s) => JSON.stringify(s);
  const lines = ["- id: my-question", "  ask: " + quote(a.question), "  formula: " + quote(a.formula)];
  if (a.verdict !== "unknown") lines.push("  expect: " + quote(a.verdict));
  if (a.clauses.length && a.verdict !== "depends") lines.push("  cites: " + quote(a.clauses));
  return lines.join("\n");
}

function drawSpecQuestions() {
  $("spec-questions").replaceChildren(...state.spec.questions.map((q) => el("li", {},
    el("button", {type: "button", "data-question": q.id,
      onclick: () => ask({formula: q.formula})}, "Ask"), " ", q.ask)));
  const pick = $("scenario-pick");
  pick.append(el("option", {value: ""}, "—"), ...state.spec.scenarios.map((s) =>
    el("option", {value: s.id, title: s.description}, s.id)));
  pick.addEventListener("change", () => {
    const s = state.spec.scenarios.find((x) => x.id === pick.value);
    if (s) loadEvents(s.events, {...timelineReadings(), ...s.readings});
  });
}

// ------------------------------------------------------------------ start

async function start() {
  state.spec = await (await fetch("/api/spec")).json();
  document.title = "Explore: " + state.spec.title;
  $("title").textContent = state.spec.title;
  $("subtitle").textContent = `Dated ${state.spec.date} · ${state.spec.file}`;
  drawReadings();
  drawClauses();
  $("add-kind").replaceChildren(...state.spec.kinds.map((k) =>
    el("option", {value: k.name, title: k.doc}, k.name)));
  $("add-date").type = dateInputType();
  $("add-date").value = inputDate(state.spec.day);
  $("add-kind").addEventListener("change", () => drawFields(null));
  drawFields(null);
  $("event-form").addEventListener("input", onFormInput);
  $("event-form").addEventListener("change", onFormInput);
  $("event-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const event = {id: "e" + state.nextId++, ...formEvent()};
    state.events.push(event);
    state.focusDate = event.date;
    refreshTimeline();
  });
  $("cancel-edit").addEventListener("click", stopEdit);
  $("clear-events").addEventListener("click", () => loadEvents([], null));
  drawBuilder();
  $("builder").addEventListener("submit", (ev) => { ev.preventDefault(); ask(builtQuestion()); });
  if (state.spec.subjects.length) $("builder").addEventListener("change", showBuilt);
  $("formula-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    ask({formula: $("formula").value});
  });
  $("show-formulas").addEventListener("change", () => {
    document.body.classList.toggle("formulas", $("show-formulas").checked);
    showBuilt();
  });
  drawSpecQuestions();
  if (state.spec.questions.length) $("formula").placeholder = state.spec.questions[0].formula;
  refreshTimeline();
}

document.addEventListener("DOMContentLoaded", start);
