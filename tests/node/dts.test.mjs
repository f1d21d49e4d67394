// The published type declarations: every method typed, no `any` anywhere.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { repo } from "./mock.mjs";

const dts = readFileSync(`${repo}/pkg/index.d.ts`, "utf8");
const classBody = /export class KatapultClient \{([\s\S]*?)\n\}/.exec(dts)?.[1] ?? "";

test("index.d.ts has no `any`", () => {
  const code = dts.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
  assert.deepEqual(code.match(/\bany\b/g), null);
});

test("every client method returns a typed Promise (with .withResponse() where it makes one request)", () => {
  const methods = [...classBody.matchAll(/^\s{4}(\w+)(?:<[^>(]*>)?\((.*)\): (.*);$/gm)].filter(([, name]) => name !== "free" && name !== "toJSON");
  const names = methods.map(([, name]) => name).sort();
  const expected = {
    listOrganizations: "KatapultPromise<ListOrganizationsResponse>",
    listVirtualMachines: "KatapultPromise<ListVirtualMachinesResponse>",
    listAllVirtualMachines: "Promise<VirtualMachineSummary[]>",
    virtualMachines: "AsyncIterableIterator<VirtualMachineSummary>",
    getVirtualMachine: "KatapultPromise<GetVirtualMachineResponse>",
    deleteVirtualMachine: "KatapultPromise<DeleteVirtualMachineResponse>",
    shutdownVirtualMachine: "KatapultPromise<TaskResponse>",
    startVirtualMachine: "KatapultPromise<TaskResponse>",
    stopVirtualMachine: "KatapultPromise<TaskResponse>",
    resetVirtualMachine: "KatapultPromise<TaskResponse>",
    buildVirtualMachineFromSpec: "KatapultPromise<BuildVirtualMachineResponse>",
    getTask: "KatapultPromise<GetTaskResponse>",
    waitForTask: "Promise<Task>",
    getVirtualMachineBuild: "KatapultPromise<GetVirtualMachineBuildResponse>",
    waitForVirtualMachineBuild: "Promise<VirtualMachineBuild>",
    restoreTrashObject: "KatapultPromise<RestoreTrashObjectResponse>",
    waitUntil: 'Promise<Operations[K]["result"]>',
    waitForVirtualMachineState: "Promise<VirtualMachine>",
    purgeTrashObject: 'Promise<Result<"delete:trash_object">>',
  };
  assert.deepEqual(names, Object.keys(expected).sort());
  for (const [, name, params, ret] of methods) {
    assert.equal(ret, expected[name], `${name} returns ${ret}`);
    assert.doesNotMatch(params, /\b(any|unknown|object|Object)\b/, `${name}(${params})`);
  }
});

test("KatapultError is declared as an Error subclass with the API.md fields", () => {
  const decl = /export declare class KatapultError<C extends string = KatapultErrorCode> extends Error \{([\s\S]*?)\n\}/.exec(dts)?.[1] ?? "";
  for (const field of ["code: C", "status: number", "detail: ErrorDetail<C> | null", "requestId: string | null"]) {
    assert.ok(decl.includes(field), `KatapultError lacks ${field}`);
  }
});
