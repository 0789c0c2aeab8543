// Where the agent reads the kernel's views from; node_exporter's --path.* flags move them,
// which is how containers and the fixture trees of the tests are served.

import { join } from 'node:path';

export interface Paths {
  procfs: string;
  sysfs: string;
  rootfs: string;
  udevData: string;
}

export const DEFAULT_PATHS: Paths = { procfs: '/proc', sysfs: '/sys', rootfs: '/', udevData: '/run/udev/data' };

export const proc = (paths: Paths, ...parts: string[]) => join(paths.procfs, ...parts);
export const sys = (paths: Paths, ...parts: string[]) => join(paths.sysfs, ...parts);
export const root = (paths: Paths, ...parts: string[]) => join(paths.rootfs, ...parts);
