// The same "Nodes" dashboard as node-mixin-nodes.ts some years on, as the node_exporter mixin
// renders it for Linux now:
//   repository prometheus/node_exporter, path docs/node-mixin/lib/prom-mixin.libsonnet,
//   commit 14d311a9a81e9a012218bfe389aa28e4ecf84569 (Apache-2.0), platform 'Linux',
// with the mixin's config.libsonnet defaults of that time: nodeExporterSelector `job="node"`,
// fsSelector `fstype!=""`, diskDeviceSelector the list below. New against the old one:
// $__rate_interval, idle+iowait+steal summed `without (mode)`, a core count, avg() in the gauge,
// bits per second.

import type { Dashboard } from './dashboard';

const ne = 'job="node"';
const fs = 'fstype!=""';
const disk = 'device=~"mmcblk.p.+|nvme.+|rbd.+|sd.+|vd.+|xvd.+|dm-.+|dasd.+"';

export const NODE_MIXIN_NODES_LINUX: Dashboard = {
  source:
    'prometheus/node_exporter docs/node-mixin/lib/prom-mixin.libsonnet @ 14d311a9a81e9a012218bfe389aa28e4ecf84569',
  // label_values(node_uname_info{job="node", sysname!="Darwin"}, instance)
  instanceMatch: `node_uname_info{${ne}, sysname!="Darwin"}`,
  targets: [
    {
      panel: 'CPU Usage',
      expr: `(
  (1 - sum without (mode) (rate(node_cpu_seconds_total{${ne}, mode=~"idle|iowait|steal", instance="$instance"}[$__rate_interval])))
/ ignoring(cpu) group_left
  count without (cpu, mode) (node_cpu_seconds_total{${ne}, mode="idle", instance="$instance"})
)
`,
      intervalFactor: 5,
    },
    { panel: 'Load Average', expr: `node_load1{${ne}, instance="$instance"}` },
    { panel: 'Load Average', expr: `node_load5{${ne}, instance="$instance"}` },
    { panel: 'Load Average', expr: `node_load15{${ne}, instance="$instance"}` },
    { panel: 'Load Average', expr: `count(node_cpu_seconds_total{${ne}, instance="$instance", mode="idle"})` },
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
  avg(node_memory_MemAvailable_bytes{${ne}, instance="$instance"}) /
  avg(node_memory_MemTotal_bytes{${ne}, instance="$instance"})
* 100
)
`,
    },
    {
      panel: 'Disk I/O',
      expr: `rate(node_disk_read_bytes_total{${ne}, instance="$instance", ${disk}}[$__rate_interval])`,
      intervalFactor: 1,
    },
    {
      panel: 'Disk I/O',
      expr: `rate(node_disk_written_bytes_total{${ne}, instance="$instance", ${disk}}[$__rate_interval])`,
      intervalFactor: 1,
    },
    {
      panel: 'Disk I/O',
      expr: `rate(node_disk_io_time_seconds_total{${ne}, instance="$instance", ${disk}}[$__rate_interval])`,
      intervalFactor: 1,
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
      expr: `rate(node_network_receive_bytes_total{${ne}, instance="$instance", device!="lo"}[$__rate_interval]) * 8`,
      intervalFactor: 1,
    },
    {
      panel: 'Network Transmitted',
      expr: `rate(node_network_transmit_bytes_total{${ne}, instance="$instance", device!="lo"}[$__rate_interval]) * 8`,
      intervalFactor: 1,
    },
  ],
};
