// The lenient half of API.md "Decoding": a field the types say is present
// (recorded live traffic always had it) but an answer left out is not an
// error; the logger gets one warn line per field and place, so a change in
// the API is seen. The table is src/generated/presence.js; only the entries
// without a size budget (Node's) carry it.
import { log } from "./observe.js";

const WARN = 2; // LEVELS.indexOf("warn")

/** The objects at `path` ("virtual_machines[].zone") of `data`. */
function objectsAt(data, path) {
  let values = [data];
  for (const segment of path ? path.split(".") : []) {
    const name = segment.replace(/\[\]/g, "");
    values = values.map((v) => (v !== null && typeof v === "object" && Object.hasOwn(v, name) ? v[name] : undefined));
    for (let n = segment.length - name.length; n > 0; n -= 2) values = values.flatMap((v) => (Array.isArray(v) ? v : []));
  }
  return values.filter((v) => v !== null && typeof v === "object" && !Array.isArray(v));
}

/** The check over `table` (LIVE_FIELDS): `(settings, operationId, data)`, warning once per field and place. */
export function presenceCheck(table) {
  const warned = new Set();
  // An operation's places, [path, fields], read from the table once.
  const parsed = new Map();
  const placesOf = (operationId) => {
    let places = parsed.get(operationId);
    if (!places) {
      const text = Object.hasOwn(table, operationId) ? table[operationId] : "";
      places = text ? text.split(";").map((place) => place.split(":")).map(([path, list]) => [path, list.split(",")]) : [];
      parsed.set(operationId, places);
    }
    return places;
  };
  return (settings, operationId, data) => {
    if (settings.logLevel > WARN) return;
    for (const [path, fields] of placesOf(operationId)) {
      for (const object of objectsAt(data, path)) {
        for (const field of fields) {
          const key = `${operationId} ${path} ${field}`;
          if (Object.hasOwn(object, field) || warned.has(key)) continue;
          warned.add(key);
          log(settings, "warn", `${operationId}: the live API left out ${path ? `${path}.` : ""}${field}, which recorded traffic always had (the call resolved without it)`);
        }
      }
    }
  };
}
