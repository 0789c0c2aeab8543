import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { Button, ClipboardButton, Modal, Stack, TextArea, ToolbarButton, useStyles2 } from '@grafana/ui';
import { ReactNode, useState } from 'react';

interface Props {
  connected: boolean;
  viewOnly: boolean;
  title: string;
  remoteClipboard: string;
  fullscreen: boolean;
  onCtrlAltDel: () => void;
  onPaste: (text: string) => void;
  onToggleFullscreen: () => void;
  onReconnect: () => void;
  /** The session timer and latency (SessionVitals). */
  vitals?: ReactNode;
}

export function Toolbar(props: Props) {
  const { connected, viewOnly, title, remoteClipboard, fullscreen } = props;
  const styles = useStyles2(getStyles);
  const [clipboardOpen, setClipboardOpen] = useState(false);
  const [toSend, setToSend] = useState('');
  return (
    <div className={styles.bar} role="toolbar" aria-label="Remote desktop">
      <span className={styles.title} title={title}>
        {title}
        {viewOnly && <span className={styles.badge}>view only</span>}
      </span>
      {props.vitals}
      <ToolbarButton
        icon="keyboard"
        tooltip={viewOnly ? 'View-only session' : 'Send Ctrl+Alt+Del'}
        aria-label="Send Ctrl+Alt+Del"
        disabled={!connected || viewOnly}
        onClick={props.onCtrlAltDel}
      >
        Ctrl+Alt+Del
      </ToolbarButton>
      <ToolbarButton icon="clipboard-alt" tooltip="Clipboard" onClick={() => setClipboardOpen(true)}>
        Clipboard
      </ToolbarButton>
      <ToolbarButton
        icon={fullscreen ? 'compress-arrows' : 'expand-arrows'}
        tooltip={fullscreen ? 'Leave full screen' : 'Full screen'}
        onClick={props.onToggleFullscreen}
        aria-label={fullscreen ? 'Leave full screen' : 'Full screen'}
      >
        {fullscreen ? 'Exit full screen' : 'Full screen'}
      </ToolbarButton>
      <ToolbarButton
        icon="sync"
        tooltip="Reconnect with a new session"
        onClick={props.onReconnect}
        aria-label="Reconnect"
      />
      <Modal title="Clipboard" isOpen={clipboardOpen} onDismiss={() => setClipboardOpen(false)}>
        <Stack direction="column" gap={2}>
          <div>
            <h6>From the remote desktop</h6>
            <TextArea readOnly rows={4} value={remoteClipboard} placeholder="Nothing copied on the remote side yet" />
            <ClipboardButton icon="copy" size="sm" variant="secondary" getText={() => remoteClipboard}>
              Copy to my clipboard
            </ClipboardButton>
          </div>
          <div>
            <h6>To the remote desktop</h6>
            <TextArea
              rows={4}
              value={toSend}
              disabled={viewOnly}
              aria-label="Text to send"
              placeholder={viewOnly ? 'View-only session' : 'Text to put on the remote clipboard'}
              onChange={(event) => setToSend(event.currentTarget.value)}
            />
            <Button
              size="sm"
              icon="upload"
              disabled={viewOnly || !connected || toSend === ''}
              onClick={() => {
                props.onPaste(toSend);
                setClipboardOpen(false);
              }}
            >
              Send to remote clipboard
            </Button>
          </div>
        </Stack>
      </Modal>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  bar: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    padding: theme.spacing(0.5),
    borderBottom: `1px solid ${theme.colors.border.weak}`,
    flex: '0 0 auto',
  }),
  title: css({
    flex: 1,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
    color: theme.colors.text.secondary,
    paddingLeft: theme.spacing(0.5),
  }),
  badge: css({
    marginLeft: theme.spacing(1),
    padding: theme.spacing(0, 0.5),
    border: `1px solid ${theme.colors.border.medium}`,
    borderRadius: theme.shape.radius.default,
    fontSize: theme.typography.bodySmall.fontSize,
  }),
});
