// One scenario per resource family the mock answers (issue 23):
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

test("disks: created (with its task), listed, found, renamed, deleted to the trash and restored", async () => {
  const created = await k.postOrganizationDisks(org, {
    properties: { name: "data-1", size_in_gb: 20, data_center: { permalink: "uk-lon" } },
  });
  const disk = created.disk;
  assert.equal(disk.name, "data-1");
  assert.equal(disk.size_in_gb, 20);
  assert.ok(created.task?.id, "a created disk comes with its task");
  await k.waitForTask(created.task, { intervalMs: 20 });
  const listed = await k.paginate("get:organization_disks", { organization: org });
  assert.ok(ids(listed).includes(disk.id));
  assert.equal((await k.getDisk({ id: disk.id })).disk.name, "data-1");
  await k.patchDisk({ id: disk.id }, { properties: { name: "data-renamed" } });
  assert.equal((await k.getDisk({ id: disk.id })).disk.name, "data-renamed");
  const { trash_object } = await k.deleteDisk({ id: disk.id });
  assert.ok(trash_object?.id, "a deleted disk goes to the trash");
  const trashed = await k.paginate("get:organization_trash_objects", { organization: org });
  assert.ok(ids(trashed).includes(trash_object.id));
  await k.restoreTrashObject(trash_object.id);
  assert.equal((await k.getDisk({ id: disk.id })).disk.name, "data-renamed");
  await rejectsWith(k.getDisk({ id: "disk_nothing" }), "disk_not_found");
});

test("IP addresses: allocated, listed, found, labelled, released", async () => {
  const { ip_address: ip } = await k.postOrganizationIpAddresses(org, { network: { permalink: "uk-lon-public" }, version: "ipv4", label: "spare" });
  assert.ok(ip.id && ip.address, JSON.stringify(ip));
  const listed = await k.paginate("get:organization_ip_addresses", { organization: org });
  assert.ok(ids(listed).includes(ip.id));
  assert.equal((await k.getIpAddress({ id: ip.id })).ip_address.address, ip.address);
  await k.patchIpAddress({ id: ip.id }, { label: "web-vip", reverse_dns: "vip.example.com" });
  const changed = (await k.getIpAddress({ id: ip.id })).ip_address;
  assert.deepEqual([changed.label, changed.reverse_dns], ["web-vip", "vip.example.com"]);
  await k.deleteIpAddress({ id: ip.id });
  await rejectsWith(k.getIpAddress({ id: ip.id }), "ip_address_not_found");
});

test("file storage volumes: created, listed, found, renamed, deleted to the trash and purged", async () => {
  const { file_storage_volume: volume } = await k.postOrganizationFileStorageVolumes(org, {
    properties: { name: "shared", data_center: { permalink: "uk-lon" } },
  });
  assert.equal(volume.name, "shared");
  const listed = await k.paginate("get:organization_file_storage_volumes", { organization: org });
  assert.ok(ids(listed).includes(volume.id));
  await k.patchFileStorageVolume({ id: volume.id }, { properties: { name: "shared-2" } });
  assert.equal((await k.getFileStorageVolume({ id: volume.id })).file_storage_volume.name, "shared-2");
  const { trash_object } = await k.deleteFileStorageVolume({ id: volume.id });
  assert.ok(trash_object?.id);
  await k.purgeTrashObject(trash_object.id, { wait: true, intervalMs: 20 });
  await rejectsWith(k.getTrashObject({ id: trash_object.id }), "trash_object_not_found");
});

test("object storage: the account, a bucket created, found, changed and deleted", async () => {
  // No operation lists clusters; the mock seeds two, named after their kind.
  const cluster = { region: "object-storage-cluster-1" };
  const { object_storage_account: account } = await k.postOrganizationObjectStorageAccount(org, cluster);
  assert.ok(account, "the account is provisioned");
  const found = await k.getOrganizationObjectStorageAccount(org, cluster);
  assert.ok(found.object_storage_account);
  const { object_storage_bucket: bucket } = await k.postOrganizationObjectStorageBuckets(org, cluster, { properties: { name: "assets", label: "Assets" } });
  assert.equal(bucket.name, "assets");
  assert.equal((await k.getObjectStorageBucket(cluster, { name: "assets" })).object_storage_bucket.name, "assets");
  await k.patchObjectStorageBucket(cluster, { name: "assets" }, { properties: { label: "Static assets" } });
  assert.equal((await k.getObjectStorageBucket(cluster, { name: "assets" })).object_storage_bucket.label, "Static assets");
  await k.deleteObjectStorageBucket(cluster, { name: "assets" });
  await rejectsWith(k.getObjectStorageBucket(cluster, { name: "assets" }), "object_storage_bucket_not_found");
});

test("virtual machines: listed, found, renamed, deleted to the trash, refused there, restored", async () => {
  const vms = await k.listAllVirtualMachines(org);
  const vm = vms.find((v) => v.name === "web-6");
  assert.ok(vm, "the seed's web-6");
  assert.equal((await k.getVirtualMachine({ id: vm.id })).virtual_machine.fqdn, "web-6.acme.katapult.cloud");
  await k.patchVirtualMachine({ id: vm.id }, { properties: { description: "Renamed by the families test" } });
  assert.equal((await k.getVirtualMachine({ id: vm.id })).virtual_machine.description, "Renamed by the families test");
  const { trash_object } = await k.deleteVirtualMachine({ id: vm.id });
  assert.ok(trash_object?.id);
  await assert.rejects(k.startVirtualMachine({ id: vm.id }), (e) => e.code === "object_in_trash");
  await k.restoreTrashObject(trash_object.id);
  assert.equal((await k.getVirtualMachine({ id: vm.id })).virtual_machine.id, vm.id);
  await rejectsWith(k.getVirtualMachine({ id: "vm_nothing" }), "virtual_machine_not_found");
});
