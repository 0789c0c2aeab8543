import type { RfbClass } from '../../src/remote-desktop/loadRfb';

/** noVNC's RFB as a test double: records construction, properties and calls. */
export class FakeRfb extends EventTarget {
  static instances: FakeRfb[] = [];
  viewOnly = false;
  focusOnClick = true;
  clipViewport = false;
  dragViewport = false;
  scaleViewport = false;
  resizeSession = false;
  showDotCursor = false;
  background = '';
  qualityLevel = 6;
  compressionLevel = 2;
  readonly capabilities = { power: false };
  calls: Array<[string, ...unknown[]]> = [];

  constructor(
    readonly target: HTMLElement,
    readonly channel: string | WebSocket,
    readonly options?: object,
  ) {
    super();
    FakeRfb.instances.push(this);
  }

  disconnect() {
    this.calls.push(['disconnect']);
  }
  sendCredentials(credentials: object) {
    this.calls.push(['sendCredentials', credentials]);
  }
  sendKey(keysym: number, code: string | null, down?: boolean) {
    this.calls.push(['sendKey', keysym, code, down]);
  }
  sendCtrlAltDel() {
    this.calls.push(['sendCtrlAltDel']);
  }
  focus() {}
  blur() {}
  clipboardPasteFrom(text: string) {
    this.calls.push(['clipboardPasteFrom', text]);
  }
  toDataURL() {
    return '';
  }
  emit(type: string, detail: object = {}) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

export const loadFakeRfb = () => Promise.resolve(FakeRfb as unknown as RfbClass);
