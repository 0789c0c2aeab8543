/** How the remote screen fits the panel. */
export type Scaling = 'fit' | 'remote' | 'none';

export interface RemoteDesktopOptions {
  harvester: string;
  viewOnly: boolean;
  scaling: Scaling;
  /** JPEG quality 0-9 (noVNC default 6). */
  quality: number;
  /** Compression level 0-9 (noVNC default 2). */
  compression: number;
  showToolbar: boolean;
}

export const defaultRemoteDesktopOptions: RemoteDesktopOptions = {
  harvester: '',
  viewOnly: false,
  scaling: 'fit',
  quality: 6,
  compression: 2,
  showToolbar: true,
};

export const scalingChoices: Array<{ value: Scaling; label: string; description: string }> = [
  {
    value: 'fit',
    label: 'Fit to panel',
    description: 'Scale the remote screen to the panel, keeping its aspect ratio',
  },
  { value: 'remote', label: 'Resize remote', description: "Ask the remote desktop to take the panel's size" },
  { value: 'none', label: 'Actual size', description: 'One remote pixel per screen pixel, with scroll bars' },
];

export function clampLevel(value: unknown, fallback: number): number {
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? Math.min(9, Math.max(0, Math.round(n))) : fallback;
}

/** noVNC properties for a scaling choice. */
export function viewportFor(scaling: Scaling) {
  return {
    scaleViewport: scaling === 'fit',
    resizeSession: scaling === 'remote',
    clipViewport: false,
  };
}
