// The reviewed names of operations whose method is not the camelCase of
// their operationId (API.md "Naming": one name per operation). Every
// other operation's method is `camel(operationId)`. CHANGELOG.md lists
// each of these renames with what to write instead; a new entry here
// needs one there too.

/** API.md's "Named methods": their names win over the generated ones. */
export const NAMED_METHODS = {
  "get:organizations": "listOrganizations",
  "get:organization_virtual_machines": "listVirtualMachines",
  "post:virtual_machine_shutdown": "shutdownVirtualMachine",
  "post:virtual_machine_start": "startVirtualMachine",
  "post:virtual_machine_stop": "stopVirtualMachine",
  "post:virtual_machine_reset": "resetVirtualMachine",
  "post:organization_virtual_machines_build_from_spec": "buildVirtualMachineFromSpec",
  "get:virtual_machines_builds_virtual_machine_build": "getVirtualMachineBuild",
  "post:trash_object_restore": "restoreTrashObject",
  // API.md "Waiting for resources": purgeTrashObject(id, { wait: true }).
  "delete:trash_object": "purgeTrashObject",
};

/**
 * Ids whose camelCase repeats itself or says nothing
 * (`get:v_m_n_i__v_m_n_i` → `getVMNIVMNI`, `…ObjectStorageObjectStorageCluster…`):
 * the name says the resource once, as a reader of the path would.
 */
export const READABLE = {
  "post:organization_object_storage_object_storage_cluster_access_keys": "postOrganizationObjectStorageAccessKeys",
  "post:organization_object_storage_object_storage_cluster_buckets": "postOrganizationObjectStorageBuckets",
  "patch:object_storage_object_storage_cluster_bucket": "patchObjectStorageBucket",
  "delete:object_storage_object_storage_cluster_bucket": "deleteObjectStorageBucket",
  "get:object_storage_object_storage_cluster_bucket": "getObjectStorageBucket",
  "post:object_storage_object_storage_cluster_bucket_revoke_presigned_urls": "postObjectStorageBucketRevokePresignedUrls",
  "get:object_storage_object_storage_cluster_bucket_object": "getObjectStorageBucketObject",
  "post:object_storage_object_storage_cluster_bucket_presigned_url": "postObjectStorageBucketPresignedUrl",
  "post:organization_object_storage_object_storage_cluster": "postOrganizationObjectStorageAccount",
  "get:organization_object_storage_object_storage_cluster": "getOrganizationObjectStorageAccount",
  "delete:organization_object_storage_object_storage_cluster": "deleteOrganizationObjectStorageAccount",
  "get:country_country_states": "getCountryStates",
  "get:disk_disk_backup_policies": "getDiskBackupPolicies",
  "post:disk_disk_backup_policies": "postDiskBackupPolicies",
  "get:load_balancers_rules_load_balancer_rule": "getLoadBalancerRule",
  "patch:load_balancers_rules_load_balancer_rule": "patchLoadBalancerRule",
  "delete:load_balancers_rules_load_balancer_rule": "deleteLoadBalancerRule",
  "get:security_groups_rules_security_group_rule": "getSecurityGroupRule",
  "patch:security_groups_rules_security_group_rule": "patchSecurityGroupRule",
  "delete:security_groups_rules_security_group_rule": "deleteSecurityGroupRule",
  "get:v_m_n_i__v_m_n_i": "getVirtualMachineNetworkInterfaceById",
  "get:virtual_machine_network_interface_available_ips_address_version": "getVirtualMachineNetworkInterfaceAvailableIps",
  "get:users_current": "getCurrentUser",
};

/** Every reviewed name by operationId. */
export const NAMES = { ...NAMED_METHODS, ...READABLE };
