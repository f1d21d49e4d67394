// One scenario per resource family the mock's engine answers (issue 23):
// create, list, get, update and delete through the package's client, each
// object then found by its lookups, changed where it was changed, and gone
// (the documented not-found) once deleted. The mock answers these from
// the OpenAPI document (mock-core), not from hand-written routes.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { KatapultClient } from "katapult-wasm";
import { startMock, TOKEN } from "./mock.mjs";

let mock, k;
before(async () => {
  mock = await startMock(["--task-ms", "50"]);
  k = new KatapultClient({ token: TOKEN, baseUrl: mock.baseUrl, maxRetries: 0 });
});
after(() => mock?.stop());

const org = { sub_domain: "acme" };

/** Resolves once `promise` rejects with the API error `code`. */
const rejectsWith = (promise, code) =>
  assert.rejects(promise, (e) => {
    assert.equal(e.code, code, e.message);
    assert.equal(e.status, 404);
    return true;
  });

const ids = (list) => list.map((x) => x.id);

test("DNS zones and their records", async () => {
  const { dns_zone: zone } = await k.postOrganizationDnsZones(org, {
    properties: { name: "example.com", default_ttl: 300 },
  });
  assert.equal(zone.name, "example.com");
  assert.ok(ids((await k.getOrganizationDnsZones(org)).dns_zones).includes(zone.id));
  assert.equal((await k.getDnsZone({ name: "example.com" })).dns_zone.id, zone.id);
  const changed = await k.patchDnsZone({ id: zone.id }, { properties: { default_ttl: 60 } });
  assert.equal(changed.dns_zone.default_ttl, 60);

  const { dns_record: record } = await k.postDnsZoneRecords({ id: zone.id }, {
    properties: { name: "www", type: "A", ttl: 120, content: { A: { ip_address: "192.0.2.10" } } },
  });
  assert.equal(record.name, "www");
  assert.deepEqual(ids((await k.getDnsZoneRecords({ id: zone.id })).dns_records), [record.id]);
  await k.patchDnsRecord({ id: record.id }, { properties: { name: "web" } });
  assert.equal((await k.getDnsRecord({ id: record.id })).dns_record.name, "web");
  assert.equal((await k.deleteDnsRecord({ id: record.id })).deleted, true);
  await rejectsWith(k.getDnsRecord({ id: record.id }), "dns_record_not_found");

  await k.postDnsZoneRecords({ id: zone.id }, { properties: { name: "mail", type: "A" } });
  assert.equal((await k.deleteDnsZone({ id: zone.id })).deleted, true);
  await rejectsWith(k.getDnsZone({ name: "example.com" }), "dns_zone_not_found");
  await rejectsWith(k.getDnsZoneRecords({ id: zone.id }), "dns_zone_not_found");
  assert.ok(!ids((await k.getOrganizationDnsZones(org)).dns_zones).includes(zone.id));
});

test("load balancers and their rules", async () => {
  const { load_balancer: lb } = await k.postOrganizationLoadBalancers(org, {
    properties: { name: "web-lb", resource_type: "virtual_machines", data_center: { permalink: "uk-lon" } },
  });
  assert.equal(lb.name, "web-lb");
  assert.equal(lb.data_center.permalink, "uk-lon", "the lookup became the data center it names");
  const all = await k.paginate("get:organization_load_balancers", { organization: org });
  assert.ok(ids(all).includes(lb.id));
  assert.equal((await k.getLoadBalancer({ id: lb.id })).load_balancer.name, "web-lb");
  await k.patchLoadBalancer({ id: lb.id }, { properties: { name: "edge-lb" } });
  assert.equal((await k.getLoadBalancer({ id: lb.id })).load_balancer.name, "edge-lb");

  const { load_balancer_rule: rule } = await k.postLoadBalancerRules({ id: lb.id }, {
    properties: { listen_port: 443, destination_port: 8443, protocol: "HTTPS" },
  });
  assert.equal(rule.listen_port, 443);
  assert.deepEqual(ids((await k.getLoadBalancerRules({ id: lb.id })).load_balancer_rules), [rule.id]);
  await k.patchLoadBalancerRule({ id: rule.id }, { properties: { destination_port: 9443 } });
  assert.equal((await k.getLoadBalancerRule({ id: rule.id })).load_balancer_rule.destination_port, 9443);
  await k.deleteLoadBalancerRule({ id: rule.id });
  await rejectsWith(k.getLoadBalancerRule({ id: rule.id }), "load_balancer_rule_not_found");

  await k.deleteLoadBalancer({ id: lb.id });
  await rejectsWith(k.getLoadBalancer({ id: lb.id }), "load_balancer_not_found");
});

test("security groups and their rules", async () => {
  const { security_group: group } = await k.postOrganizationSecurityGroups(org, {
    properties: { name: "web", allow_all_inbound: false },
  });
  assert.equal(group.name, "web");
  assert.ok(ids((await k.getOrganizationSecurityGroups(org)).security_groups).includes(group.id));
  await k.patchSecurityGroup({ id: group.id }, { properties: { name: "web-public" } });
  assert.equal((await k.getSecurityGroup({ id: group.id })).security_group.name, "web-public");

  const { security_group_rule: rule } = await k.postSecurityGroupRules({ id: group.id }, {
    properties: { direction: "inbound", protocol: "TCP", ports: "443", targets: ["0.0.0.0/0"] },
  });
  assert.equal(rule.ports, "443");
  assert.deepEqual(ids((await k.getSecurityGroupRules({ id: group.id })).security_group_rules), [rule.id]);
  await k.patchSecurityGroupRule({ id: rule.id }, { properties: { ports: "80,443" } });
  assert.equal((await k.getSecurityGroupRule({ id: rule.id })).security_group_rule.ports, "80,443");
  await k.deleteSecurityGroupRule({ id: rule.id });
  await rejectsWith(k.getSecurityGroupRule({ id: rule.id }), "security_group_rule_not_found");

  await k.deleteSecurityGroup({ id: group.id });
  await rejectsWith(k.getSecurityGroup({ id: group.id }), "security_group_not_found");
});

test("tags", async () => {
  const { tag } = await k.postOrganizationTags(org, { properties: { name: "production", color: "red" } });
  assert.deepEqual([tag.name, tag.color], ["production", "red"]);
  assert.ok(ids((await k.getOrganizationTags(org)).tags).includes(tag.id));
  await k.patchTag({ id: tag.id }, { properties: { color: "green" } });
  assert.equal((await k.getTag({ id: tag.id })).tag.color, "green");
  await k.deleteTag({ id: tag.id });
  await rejectsWith(k.getTag({ id: tag.id }), "tag_not_found");
  assert.ok(!ids((await k.getOrganizationTags(org)).tags).includes(tag.id));
});

test("SSH keys (the API has no get or update for them)", async () => {
  const { ssh_key: key } = await k.postOrganizationSshKeys(org, {
    ssh_key: { name: "laptop", key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBx2 me@host" },
  });
  assert.equal(key.name, "laptop");
  assert.ok(ids((await k.getOrganizationSshKeys(org)).ssh_keys).includes(key.id));
  // The hand-written list and the engine's delete see one model.
  await k.deleteSshKey({ id: key.id });
  assert.ok(!ids((await k.getOrganizationSshKeys(org)).ssh_keys).includes(key.id));
  await rejectsWith(k.deleteSshKey({ id: key.id }), "ssh_key_not_found");
});

test("API tokens (the API has no get for one)", async () => {
  const { api_token: token } = await k.postOrganizationApiTokens(org, {
    properties: { name: "ci", scopes: ["dns"] },
  });
  assert.equal(token.name, "ci");
  assert.ok(ids((await k.getOrganizationApiTokens(org)).api_tokens).includes(token.id));
  const { api_token: renamed } = await k.patchApiToken({ id: token.id }, { properties: { name: "ci-deploy" } });
  assert.equal(renamed.name, "ci-deploy");
  const listed = (await k.getOrganizationApiTokens(org)).api_tokens.find((t) => t.id === token.id);
  assert.equal(listed.name, "ci-deploy");
  await k.postApiTokenRegenerateSecret({ id: token.id });
  await k.deleteApiToken({ id: token.id });
  assert.ok(!ids((await k.getOrganizationApiTokens(org)).api_tokens).includes(token.id));
  await rejectsWith(k.patchApiToken({ id: token.id }, { properties: { name: "x" } }), "api_token_not_found");
});

test("virtual networks", async () => {
  const { virtual_network: net } = await k.postOrganizationVirtualNetworks(org, {
    data_center: { permalink: "uk-lon" },
    properties: { name: "backend" },
  });
  assert.equal(net.name, "backend");
  assert.ok(ids((await k.getOrganizationVirtualNetworks(org)).virtual_networks).includes(net.id));
  await k.patchVirtualNetwork({ id: net.id }, { properties: { name: "backend-2" } });
  assert.equal((await k.getVirtualNetwork({ id: net.id })).virtual_network.name, "backend-2");
  await k.deleteVirtualNetwork({ id: net.id });
  await rejectsWith(k.getVirtualNetwork({ id: net.id }), "virtual_network_not_found");
  await rejectsWith(
    k.postOrganizationVirtualNetworks(org, { data_center: { permalink: "nowhere" }, properties: { name: "x" } }),
    "data_center_not_found",
  );
});
