// Node entry (ES module). It shares the CommonJS build, so ESM and CJS users
// in one process get the same classes (and `instanceof` agrees).
import node from "./node.cjs";

export const { KatapultClient, KatapultError, buildSpecXml, parseSpecXml, operations } = node;
