// Every query of a real community dashboard, as data for the dashboard differential test: the
// "Nodes" dashboard (nodes.json) of the node_exporter mixin,
//   repository prometheus/node_exporter, path docs/node-mixin/dashboards/node.libsonnet,
//   commit 024d5ed55e57ff0564b7293c8e7accaf2371c5b6 (Apache-2.0),
// rendered as jsonnet renders it with the mixin's config.libsonnet of that time
// (nodeExporterSelector `job="node"`, fsSelector `fstype=~"ext.|xfs|jfs|btrfs|vfat|ntfs"`), except
// diskDeviceSelector: the mixin's later default (which includes vd.+) instead of `(sd|xvd).+`, so
// the disk panels select this machine's virtio disk rather than nothing. Grafana's template
// variables ($instance, $__interval) stay in the text; the test substitutes them as Grafana does.

import type { Dashboard } from './dashboard';

const SOURCE =
  'prometheus/node_exporter docs/node-mixin/dashboards/node.libsonnet @ 024d5ed55e57ff0564b7293c8e7accaf2371c5b6';

const ne = 'job="node"';
const fs = 'fstype=~"ext.|xfs|jfs|btrfs|vfat|ntfs"';
const disk = 'device=~"mmcblk.p.+|nvme.+|rbd.+|sd.+|vd.+|xvd.+|dm-.+|dasd.+"';

export const NODE_MIXIN_NODES: Dashboard = {
  source: SOURCE,
  // The template variable's query: label_values(node_exporter_build_info{job="node"}, instance).
  instanceMatch: `node_exporter_build_info{${ne}}`,
  targets: [
    {
      panel: 'CPU Usage',
      expr: `(
  (1 - rate(node_cpu_seconds_total{${ne}, mode="idle", instance="$instance"}[$__interval]))
/ ignoring(cpu) group_left
  count without (cpu)( node_cpu_seconds_total{${ne}, mode="idle", instance="$instance"})
)
`,
      interval: '1m',
      intervalFactor: 5,
    },
    { panel: 'Load Average', expr: `node_load1{${ne}, instance="$instance"}` },
    { panel: 'Load Average', expr: `node_load5{${ne}, instance="$instance"}` },
    { panel: 'Load Average', expr: `node_load15{${ne}, instance="$instance"}` },
    {
      panel: 'Memory Usage',
      expr: `(
  node_memory_MemTotal_bytes{${ne}, instance="$instance"}
-
  node_memory_MemFree_bytes{${ne}, instance="$instance"}
-
  node_memory_Buffers_bytes{${ne}, instance="$instance"}
-
  node_memory_Cached_bytes{${ne}, instance="$instance"}
)
`,
    },
    { panel: 'Memory Usage', expr: `node_memory_Buffers_bytes{${ne}, instance="$instance"}` },
    { panel: 'Memory Usage', expr: `node_memory_Cached_bytes{${ne}, instance="$instance"}` },
    { panel: 'Memory Usage', expr: `node_memory_MemFree_bytes{${ne}, instance="$instance"}` },
    {
      panel: 'Memory Usage (gauge)',
      expr: `100 -
(
  node_memory_MemAvailable_bytes{${ne}, instance="$instance"}
/
  node_memory_MemTotal_bytes{${ne}, instance="$instance"}
* 100
)
`,
    },
    {
      panel: 'Disk I/O',
      expr: `rate(node_disk_read_bytes_total{${ne}, instance="$instance", ${disk}}[$__interval])`,
      interval: '1m',
    },
    {
      panel: 'Disk I/O',
      expr: `rate(node_disk_written_bytes_total{${ne}, instance="$instance", ${disk}}[$__interval])`,
      interval: '1m',
    },
    {
      panel: 'Disk I/O',
      expr: `rate(node_disk_io_time_seconds_total{${ne}, instance="$instance", ${disk}}[$__interval])`,
      interval: '1m',
    },
    {
      panel: 'Disk Space Usage',
      expr: `sum(
  max by (device) (
    node_filesystem_size_bytes{${ne}, instance="$instance", ${fs}}
  -
    node_filesystem_avail_bytes{${ne}, instance="$instance", ${fs}}
  )
)
`,
    },
    {
      panel: 'Disk Space Usage',
      expr: `sum(
  max by (device) (
    node_filesystem_avail_bytes{${ne}, instance="$instance", ${fs}}
  )
)
`,
    },
    {
      panel: 'Network Received',
      expr: `rate(node_network_receive_bytes_total{${ne}, instance="$instance", device!="lo"}[$__interval])`,
      interval: '1m',
    },
    {
      panel: 'Network Transmitted',
      expr: `rate(node_network_transmit_bytes_total{${ne}, instance="$instance", device!="lo"}[$__interval])`,
      interval: '1m',
    },
  ],
};
