// The timeline drawing: the report's geometry (formal/report/svg_timeline.py), sent as data by
// /api/timeline, drawn here with SVG elements; every label is set as text.
"use strict";

const SVG = "http://www.w3.org/2000/svg";

function svg(tag, attrs, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

// A breach mark, clicked, calls onBreach with the ids of the clauses it breaches.
function drawTimeline(d, key, onBreach) {
  const root = svg("svg", {class: "timeline", viewBox: `0 0 ${d.width} ${d.height}`,
    role: "img", "font-size": 12});
  root.append(svg("title", {}, d.title), svg("desc", {}, d.desc));
  const defs = svg("defs");
  const pattern = svg("pattern", {id: key + "-hatch", width: 6, height: 6,
    patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)"});
  pattern.append(svg("rect", {width: 6, height: 6, fill: "#efefef"}),
    svg("line", {x1: 0, y1: 0, x2: 0, y2: 6, stroke: "#c9c9c9", "stroke-width": 2}));
  defs.append(pattern);
  root.append(defs);
  for (const lane of d.lanes) {
    const g = svg("g", {class: "lane"});
    g.append(svg("text", {x: d.left, y: lane.y + 12, fill: "#333"}, lane.label));
    for (const b of lane.bands) {
      const band = svg("g", {class: "band " + (b.on ? "on" : "off")});
      band.append(svg("title", {}, b.title), svg("rect", {x: b.x, y: lane.y + 16,
        width: b.width, height: d.band, fill: b.on ? "#1b6e5a" : `url(#${key}-hatch)`,
        stroke: "#fff"}));
      if (b.show_text) {
        band.append(svg("text", {x: b.x + b.width / 2, y: lane.y + 29, "text-anchor": "middle",
          fill: b.on ? "#fff" : "#222", "font-weight": 600}, b.text));
      }
      g.append(band);
    }
    root.append(g);
  }
  root.append(svg("line", {x1: d.left, y1: d.axis_y, x2: d.right, y2: d.axis_y, stroke: "#444"}));
  for (const t of d.ticks) {
    root.append(svg("line", {x1: t.x, y1: d.axis_y, x2: t.x, y2: d.axis_y + 5, stroke: "#444"}),
      svg("text", {x: t.label_x, y: d.axis_y + 18, "text-anchor": t.anchor, fill: "#444",
        "font-size": 11}, t.label));
  }
  const colours = {event: "#222", breach: "#b00020", time: "#1f4e9a", date: "#6b6b6b"};
  for (const m of d.marks) {
    const colour = colours[m.kind];
    const g = svg("g", {class: "mark " + m.kind});
    g.append(svg("title", {}, m.detail), svg("line", {x1: m.x, y1: m.label_y + 28, x2: m.x,
      y2: d.axis_y, stroke: colour, "stroke-width": m.kind === "breach" ? 2 : 1,
      "stroke-dasharray": m.kind === "date" ? "4 3" : m.kind === "time" ? "1 2" : "none"}));
    if (m.kind === "breach") {
      g.append(svg("path", {d: `M ${m.x} ${d.axis_y - 7} l 7 7 l -7 7 l -7 -7 z`, fill: colour}));
      g.addEventListener("click", () => onBreach(m.breaches, "breached"));
    } else if (m.kind === "event") {
      g.append(svg("circle", {cx: m.x, cy: d.axis_y, r: 4.5, fill: colour}));
    } else if (m.kind === "time") {
      g.append(svg("path", {d: `M ${m.x - 5} ${d.axis_y - 8} h 10 l -5 8 z`, fill: colour}));
    }
    g.append(svg("text", {x: m.label_x, y: m.label_y + 12, "text-anchor": m.anchor, fill: colour,
      "font-weight": m.kind === "event" || m.kind === "breach" ? 600 : 400}, m.label),
    svg("text", {x: m.label_x, y: m.label_y + 25, "text-anchor": m.anchor, fill: colour,
      "font-size": 11}, m.date));
    root.append(g);
  }
  return root;
}
